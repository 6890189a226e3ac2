"""HTML -> a `Page`: ordered events (label/value pairs, header tables) plus lines, title, links.

One pass over the lxml tree, no per-site selectors. Work is capped (characters, elements, rows)
so a 10 MB page cannot hang a crawl; every cap that cuts something off is noted in `Page.limits`
(reported as a problem, never silent). Nesting up to MAX_DEPTH levels is parsed; deeper content,
which the parser drops, is noted as `deep_nesting`, and so are tables nested more than
MAX_TABLE_DEPTH deep (each level is a recursion of the walker: 600 of them raised RecursionError).
"""

from __future__ import annotations

import re

from lxml import etree

from kernel.limits import LIMIT_REASONS  # noqa: F401  (re-exported for the extraction API)
from scrapers.extract.cells import header_row, int_in, is_known_label_cell, is_label_cell, rank_group
from scrapers.extract.fields import ENTITY_FIELDS, HEADER_FIELDS, SUPPLIER_FIELDS
from scrapers.extract.labels import field_for, looks_like_label
from scrapers.extract.lookups import amount_parts, section_table
from scrapers.extract.page_model import Grid, Page
from scrapers.extract.pairs import Pair, Section, classify, line_events, line_pairs, section_field
from scrapers.extract.prose import FreeTextList, lead_name, prose_pairs
from scrapers.extract.text import despace, label_key

MAX_CHARS = 1_500_000
MAX_ELEMENTS = 200_000
MAX_ROWS = 5_000
MAX_DEPTH = 2048  # libxml2's limit with huge_tree (256 without it, where real pages lost content)
MAX_TABLE_DEPTH = 64  # tables inside table cells; real notices nest a handful
_SKIP = {"script", "style", "noscript", "template", "head", "select", "option", "textarea", "iframe", "svg", "button"}
_BLOCK = {
    "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "dt", "dd", "dl", "section",
    "article", "header", "footer", "blockquote", "pre", "center", "form", "fieldset", "hr", "address", "main", "td", "th",
}
_HEADING = {"h1", "h2", "h3", "h4"}
_TEMPLATE_ATTRS = ("th:text", "v-text", "th:utext", "data-value")
_NUMERIC_ATTR = re.compile(r"^\s*[\d,.\s]+\s*$")
# Plain etree (not lxml.html): no per-element class lookup, which costs a third of the walk.
_PARSER = etree.HTMLParser(recover=True, remove_comments=True, remove_pis=True, huge_tree=True)
_XML_DECL = re.compile(r"^<\?xml[^>]*\?>")
_WS = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
_AMOUNT_FIELDS = {"amount", "price", "budget", "total_amount"}


def _tag(el) -> str | None:
    tag = el.tag
    return tag if isinstance(tag, str) else None


def text_of(el) -> str:
    return "".join(el.itertext())


class _Walker:
    def __init__(self, page: Page):
        self.page = page
        self.budget = MAX_ELEMENTS
        self.section: str | None = None  # role of the section heading above ("1.采购人信息" -> purchaser)
        self.last_pair: Pair | None = None
        self.awaiting: Pair | None = None  # a purchaser / agent label whose value is the next line
        self.free_list = FreeTextList()
        self.table_depth = 0
        self.line_number = 0
        self.row_where: int | None = None  # the table row being read: its pairs stand together
        self.row_head = None  # first cell of the last row read (a rowspan carries the same cell down)
        self.grid_end = -1  # len(page.lines) when the last grid ended: a table right after it may continue it
        self.link_texts: set[str] = set()  # a line that is one link's whole text is navigation, never a heading

    def add_line(self, line: str) -> None:
        """One text line: its pairs (generic labels take the role of the section) into page events."""
        self.page.lines.append(line)
        self.line_number += 1
        events = self.free_list.entry(line)
        if events is None:
            events = line_events(line) + prose_pairs(line)
            if line in self.link_texts:  # "中标公告" in a menu: no section starts there
                events = [e for e in events if not isinstance(e, Section)]
            if not events and self.awaiting is not None:
                events = _awaited_value(self.awaiting, line)
            self.free_list.after_line(events)
        self.awaiting = None
        if not events:
            self.last_pair = None
        for event in events:
            if isinstance(event, Section):
                self.section = event.role
                self.free_list.on_section(event.role)
                self.last_pair = None
            else:
                self.add_pair(event)
        self.page.line_roles.append(self.section)

    def add_pair(self, pair: Pair) -> None:
        last = self.last_pair
        if last is not None and last.field in _AMOUNT_FIELDS and pair.field is None and label_key(pair.label)[0].lstrip("(（") in amount_parts():
            # "中标金额：大写：壹拾万元整；小写：¥100000.00": one value, written twice
            last.value = f"{last.value} {pair.value}".strip()
            return
        pair.field = section_field(pair.field, self.section)
        pair.section = self.section
        pair.where = self.row_where if self.row_where is not None else self.line_number
        self.awaiting = None  # only the very next line may hold an awaited value
        self.free_list.on_pair(pair)
        self.page.events.append(pair)
        self.last_pair = pair
        if pair.field in _AWAITED and (not pair.value.strip() or field_for(pair.value)[0] == "name"):
            # "采购代理机构：" / "第二中标候选人：单位名称" with the organisation on the next line
            self.awaiting = pair  # "采购代理机构：" with its name on the next line

    def lines_of(self, root, into_page: bool) -> list[str]:
        """Text lines of `root` (block elements and <br> break lines); tables handled apart."""
        lines: list[str] = []
        buf: list[str] = []

        def flush() -> None:
            if buf:
                line = despace(_WS.sub(" ", "".join(buf)).strip())
                buf.clear()
                if line:
                    lines.append(line)
                    if into_page:
                        self.add_line(line)

        stack: list[tuple[object, bool]] = [(root, False)]
        while stack:
            el, closing = stack.pop()
            if closing:
                if _tag(el) in _BLOCK:
                    flush()
                if el.tail and el is not root:
                    buf.append(el.tail)
                continue
            self.budget -= 1
            if self.budget == -1:
                self.page.limit("element_limit", f"page has more than {MAX_ELEMENTS} elements; the rest was not read")
            tag = _tag(el)
            if tag is None or tag in _SKIP or self.budget < 0:
                if el.tail and el is not root:
                    buf.append(el.tail)
                continue
            if tag == "table" and el is not root:
                flush()
                if self.table_depth >= MAX_TABLE_DEPTH:
                    self.page.limit("deep_nesting", f"tables nested deeper than {MAX_TABLE_DEPTH} levels were not read")
                else:
                    self.table_depth += 1
                    try:
                        self.table(el)
                    finally:
                        self.table_depth -= 1
                if el.tail:
                    buf.append(el.tail)
                continue
            if tag == "br":
                flush()
                if el.tail:
                    buf.append(el.tail)
                continue
            if tag in _BLOCK:
                flush()
            if tag == "a":
                href = el.get("href")
                link_text = _WS.sub(" ", text_of(el)).strip()
                if href:
                    self.page.links.append((href.strip(), link_text))
                self.link_texts.add(despace(link_text))
            if tag in _HEADING or (tag in ("div", "p", "span") and "title" in (el.get("class") or "")):
                heading = _WS.sub(" ", text_of(el)).strip()
                if 1 < len(heading) < 120:
                    self.page.headings.append(heading)
            text = el.text
            if not (text and text.strip()) and len(el) == 0:
                for attr in _TEMPLATE_ATTRS:
                    value = el.get(attr)
                    if value and _NUMERIC_ATTR.match(value):
                        text = value
                        break
            if text:
                buf.append(text)
            stack.append((el, True))
            stack.extend((child, False) for child in reversed(el))
        flush()
        return lines

    def table(self, table) -> None:
        rows = table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")
        if len(rows) > MAX_ROWS:
            self.page.limit("table_row_limit", f"a table has {len(rows)} rows; only the first {MAX_ROWS} were read")
            rows = rows[:MAX_ROWS]
        stray = [c for c in table if _tag(c) in ("th", "td")]
        if stray:  # <table><th>…</th><th>…</th><tr>…: header cells with no row of their own
            rows = [stray, *rows]
        matrix: list[list[tuple[str, list[str]]]] = []
        pending: dict[int, tuple[int, tuple[str, list[str]]]] = {}  # col -> (rows left, cell)
        for tr in rows:
            row: list[tuple[str, list[str]]] = []
            col = 0
            cells = [c for c in tr if _tag(c) in ("td", "th")]
            for cell in cells:
                while col in pending:
                    left, carried = pending[col]
                    row.append(carried)
                    pending[col] = (left - 1, carried) if left > 1 else None
                    if pending[col] is None:
                        del pending[col]
                    col += 1
                lines = self.lines_of(cell, into_page=False)
                entry = (" ".join(lines), lines)
                span = int_in(cell.get("colspan"), 1, 20)
                down = int_in(cell.get("rowspan"), 1, 200)
                for _ in range(span):
                    row.append(entry)
                    if down > 1:
                        pending[col] = (down - 1, entry)
                    col += 1
            while col in pending:
                left, carried = pending.pop(col)
                row.append(carried)
                if left > 1:
                    pending[col] = (left - 1, carried)
                col += 1
            matrix.append(row)
        self.classify_table(matrix)

    def continues_grid(self, matrix: list[list[tuple[str, list[str]]]]) -> bool:
        """A table with no header right after a grid (no line between), its rows as wide as the grid's
        header: the grid goes on (a table split across two <table>s, a page break in a Word export)."""
        last = self.page.events[-1] if self.page.events else None
        if not isinstance(last, Grid) or self.grid_end != len(self.page.lines):
            return False
        rows = [[text for text, _ in row] for row in matrix if any(text for text, _ in row)]
        if not rows or any(len(row) != len(last.header) for row in rows):
            return False
        last.rows.extend(row for row in rows if row != last.header)
        return True

    def classify_table(self, matrix: list[list[tuple[str, list[str]]]]) -> None:
        header_at = header_row(matrix)
        if header_at is None and self.continues_grid(matrix):
            return
        if header_at is None and header_row(matrix, last_ok=True) == len(matrix) - 1:
            header_at = len(matrix) - 1  # a header alone at the end: the next table may hold its rows
        if header_at is not None:
            head = [text for text, _ in matrix[header_at]]
            mapped = [field_for(h) for h in head]
            body = []
            for row in matrix[header_at + 1:]:
                texts = [text for text, _ in row]
                if texts == head or not any(texts):
                    continue
                if len(texts) == 1 or len(set(texts)) == 1:
                    self.emit_lines(row[0][1])  # a full-width note row inside the table
                    continue
                body.append(texts)
            grid = Grid(head, [m[0] for m in mapped], [m[1] for m in mapped], body, section=self.section)
            for row in matrix[:header_at]:
                for _, lines in row:
                    self.emit_lines(lines)
            self.page.events.append(grid)
            self.grid_end = len(self.page.lines)
            self.free_list.field = None
            self.last_pair = None
            return
        for row in matrix:
            self.label_value_row(row)

    def label_value_row(self, row: list[tuple[str, list[str]]]) -> None:
        # rows under one rowspan cell ("第二名" over 单位名称 / 投标报价 rows) are one group: they stand together
        if not (row and row[0] is self.row_head):
            self.line_number += 1
        self.row_head = row[0] if row else None
        self.row_where = self.line_number
        try:
            self._label_value_cells(row)
        finally:
            self.row_where = None

    def _label_value_cells(self, row: list[tuple[str, list[str]]]) -> None:
        # colspan copies one cell several times; for label/value reading each cell counts once
        row = [cell for i, cell in enumerate(row) if i == 0 or cell is not row[i - 1]]
        index = 0
        group = rank_group(row)  # "第一中标候选人 (rowspan) | 单位名称 | X": 单位名称 is the candidate's name
        if group:
            rank_label, row = row[0][0].strip(), row[1:]
        while index < len(row):
            text, lines = row[index]
            nxt = row[index + 1][0] if index + 1 < len(row) else None
            if group and nxt is not None and field_for(text)[0] == "name":
                self.add_pair(Pair(rank_label, nxt.strip(), group, origin="cell"))
                # the line keeps the row's labels before the value ("中标候选人情况 | 第二中标候选人 | 单位名称")
                self.cell_line(" ".join([rank_label, *(c[0].strip() for c in row[:index]), text.strip()]) + f"：{nxt.strip()}")
                index += 2
                continue
            if nxt is not None and is_label_cell(text) and not is_known_label_cell(nxt):
                if ":" in text.rstrip(":：") or "：" in text.rstrip(":："):
                    self.emit_lines(lines)  # "项目名称：X" already a pair inside the cell
                else:
                    field, unit = classify(text)
                    key = label_key(text)[0]
                    if key in section_table()[0]:
                        self.section = section_table()[0][key]  # "采购人信息 | 名称：…" row
                        self.emit_lines(row[index + 1][1])
                        index += 2
                        continue
                    inner = line_pairs(nxt)
                    if inner and (field in HEADER_FIELDS or (field or "").startswith("candidate_")) and looks_like_label(inner[0].label):
                        # "第一名 | 单位名称：X", "第一名 | 投标报价（万元）：Y": the cell carries its own label;
                        # the row label (a rank, rowspan-repeated) only says whose name the value is.
                        if inner[0].field in ENTITY_FIELDS:
                            self.add_pair(Pair(text.strip(), inner[0].value, field, unit, origin="cell"))
                            self.cell_line(f"{text.strip()}：{inner[0].value}")
                        else:
                            self.emit_lines(row[index + 1][1])
                        index += 2
                        continue
                    self.add_pair(Pair(text.strip(), nxt.strip(), field, unit, origin="cell"))
                    self.cell_line(f"{text}：{nxt}")
                    index += 2
                    continue
            else:
                self.emit_lines(lines)
            index += 1

    def cell_line(self, line: str) -> None:
        """The text of a label and value read from cells, as a line of the page (its pair is already
        an event): the names-first pass reads lines, and a name no line holds is never found."""
        self.page.lines.append(line)
        self.page.line_roles.append(self.section)

    def emit_lines(self, lines: list[str]) -> None:
        for line in lines:
            self.add_line(line)


_AWAITED = ("purchaser_name", "agent_name", *SUPPLIER_FIELDS)


def _awaited_value(label: Pair, line: str) -> list[Pair]:
    """The organisation a line holds alone, as the value of the label on the line above."""
    lead = lead_name(line)
    return [Pair(label.label, lead[0], label.field, origin="next_line")] if lead and not lead[1] else []


def parse_html(text: str) -> Page:
    """Parse decoded HTML into a Page (never raises on broken markup)."""
    page = Page()
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
        page.truncated = True
    text = _XML_DECL.sub("", text.strip(), count=1)
    if not text:
        return page
    try:
        root = etree.fromstring(text, parser=_PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        root = None
    if root is None:
        try:
            root = etree.fromstring(f"<div>{text}</div>", parser=_PARSER)
        except (etree.ParserError, etree.XMLSyntaxError, ValueError):
            return page
    if root is None:
        return page
    if any("Excessive depth" in entry.message for entry in _PARSER.error_log):
        page.limit("deep_nesting", f"content nested deeper than {MAX_DEPTH} elements was dropped by the HTML parser")
    page.root = root
    for meta in root.iter("meta"):
        name = (meta.get("name") or meta.get("property") or "").strip()
        if name and meta.get("content"):
            page.meta[name.lower()] = meta.get("content").strip()
    title = root.find(".//title")
    if title is not None:
        page.title = _WS.sub(" ", text_of(title)).strip()
    body = root.find(".//body")
    _Walker(page).lines_of(body if body is not None else root, into_page=True)
    return page
