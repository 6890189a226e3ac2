"""Layout transforms of real pages: the same names, amounts and roles, laid out the way other portals do.

Each transform rewrites an lxml tree in place and returns how many places it changed (0 = it does
not apply to the page, which is then left out of that transform's score). None of them adds, drops
or edits a company name, an amount or a role word of the page: they move text between `<p>` lines
and table cells, change the width of colons and brackets, space out labels, swap a label for a
synonym of the same meaning (SOURCES.md), renumber or drop section headings, add Word-export markup,
split tables and wrap the page in another portal's chrome. benchmarks/eval_layouts.py checks after
each transform that every gold name still occurs in the page text, and scores the result.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

CJK = "\u4e00-\u9fff"
_WS = re.compile(r"[\s\u3000\xa0]+")
_BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "table", "section", "center", "ul", "ol"}
_LABEL = re.compile(rf"^[{CJK}（）()/、]{{2,16}}$")
_ORG_TAIL = re.compile(r"(公司|集团|中心|院|局|厂|所|社|馆|店|委员会|政府|学校|大学|医院|部|处|站)$")
# "key：value" with an optional numbering before the key ("1.成交供应商名称：", "一、采购人名称：").
_KEY_AT = re.compile(rf"(?:^|(?<=[\s;；,，。）)】\]]))((?:\d{{1,2}}[.、．]|[一二三四五六七八九十]{{1,3}}[、．.])?\s*)([{CJK}（）()/]{{2,16}})\s*([:：])")
_HEADING_NUMBER = re.compile(r"^\s*([一二三四五六七八九十]{1,3}|\d{1,2})\s*([、．.])\s*")
_CN = "一二三四五六七八九十"


@dataclass(frozen=True)
class Transform:
    name: str
    what: str
    apply: Callable[[etree._Element], int]


# -- reading the tree ------------------------------------------------------------------------------
def squeeze(text: str) -> str:
    return _WS.sub("", text or "")


def cell_text(element) -> str:
    """The text of an element with a space where a block element or a <br> breaks it."""
    parts: list[str] = []

    def walk(node) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _BLOCKS or tag == "br":
            parts.append(" ")
        if node.text and tag:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if tag in _BLOCKS:
            parts.append(" ")

    walk(element)
    return _WS.sub(" ", "".join(parts)).strip()


def is_label(text: str) -> bool:
    bare = squeeze(text).rstrip(":：")
    return bool(_LABEL.match(bare)) and not _ORG_TAIL.search(bare)


def cells(row) -> list:
    return [c for c in row if c.tag in ("td", "th")]


def rows_of(table) -> list:
    return [r for r in table.iter("tr") if _owner(r) is table]


def _owner(node):
    parent = node.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


def label_value_rows(table) -> list[list[tuple[str, str]]] | None:
    """The rows of a label/value table as [(label, value) or ("", text), …] per row, or None when the
    table is not one (a grid with a header row, a layout table, a nested table). Real label/value
    tables mix 2 and 4 columns, rowspans and empty cells: each label cell takes the cell after it as
    its value; a cell that is no label stands alone."""
    if table.find(".//table") is not None or grid_rows(table):
        return None
    out: list[list[tuple[str, str]]] = []
    starts_with_label = nonempty = 0
    for row in rows_of(table):
        texts = _unspanned(row)
        if not any(texts):
            continue
        nonempty += 1
        starts_with_label += is_label(texts[0]) and len(texts) > 1
        pairs, index = [], 0
        while index < len(texts):
            if is_label(texts[index]) and index + 1 < len(texts):
                pairs.append((texts[index].strip(), texts[index + 1]))
                index += 2
            else:
                if texts[index]:
                    pairs.append(("", texts[index]))
                index += 1
        out.append(pairs)
    return out if starts_with_label and 2 * starts_with_label >= nonempty else None


def _simple_rows(table) -> list[bool]:
    """Per row: no cell of it spans rows and no cell above spans into it (it may be regrouped)."""
    return [free and all(str(c.get("rowspan") or "1") in ("", "1") for c in cells(row))
            for row, free in zip(rows_of(table), _uncovered(table))]


def _unspanned(row) -> list[str]:
    """Cell texts of a row, a cell spanning several columns counted once."""
    return [cell_text(c) for c in cells(row)]


def grid_rows(table) -> tuple[list[str], list[list[str]]] | None:
    """(header, data rows) of a grid: a first row of labels over rows of as many cells, not label/value."""
    if table.find(".//table") is not None:
        return None
    rows = rows_of(table)
    if len(rows) < 2:
        return None
    header = _unspanned(rows[0])
    if len(header) < 2 or not all(is_label(h) for h in header):
        return None
    body = [texts for texts in (_unspanned(r) for r in rows[1:]) if any(texts)]
    if not body or any(len(r) != len(header) for r in body):
        return None
    if len(header) % 2 == 0 and all(all(is_label(t) for t in r[::2]) for r in body):
        return None  # label, value, label, value on every row: a label/value table
    return header, body


# -- building ----------------------------------------------------------------------------------
def _el(tag: str, text: str = "", **attrs):
    element = etree.Element(tag, **attrs)
    element.text = text
    return element


def _replace(old, new_nodes: list) -> None:
    parent = old.getparent()
    if parent is None:
        return
    index = parent.index(old)
    tail = old.tail
    parent.remove(old)
    for offset, node in enumerate(new_nodes):
        parent.insert(index + offset, node)
    if new_nodes:
        new_nodes[-1].tail = (new_nodes[-1].tail or "") + (tail or "")


def _table(rows: list[list[tuple[str, int]]]):
    table = _el("table", border="1")
    body = etree.SubElement(table, "tbody")
    for row in rows:
        tr = etree.SubElement(body, "tr")
        for text, span in row:
            td = etree.SubElement(tr, "td")
            td.text = text
            if span > 1:
                td.set("colspan", str(span))
    return table


def _text_nodes(root):
    """(element, 'text'|'tail') of every non-empty text node in the body, scripts left out."""
    body = root.find(".//body")
    for element in (body if body is not None else root).iter():
        if not isinstance(element.tag, str) or element.tag in ("script", "style", "title"):
            continue
        if element.text and element.text.strip():
            yield element, "text"
        if element.tail and element.tail.strip() and element is not body:
            yield element, "tail"


def _edit_text(root, edit: Callable[[str], str]) -> int:
    changed = 0
    for element, where in list(_text_nodes(root)):
        old = getattr(element, where)
        new = edit(old)
        if new != old:
            setattr(element, where, new)
            changed += 1
    return changed


def _edit_labels(root, edit_label: Callable[[str], str]) -> int:
    """Apply `edit_label` to every `key：` of the text and to every label cell of a table."""
    def in_text(text: str) -> str:
        return _KEY_AT.sub(lambda m: m.group(1) + edit_label(m.group(2)) + m.group(3), text)

    changed = _edit_text(root, in_text)
    for cell in root.iter("td", "th"):
        if len(cell) == 0 and cell.text and is_label(cell.text):
            new = edit_label(cell.text.strip())
            if new != cell.text.strip():
                cell.text = new
                changed += 1
    return changed


# -- the transforms ----------------------------------------------------------------------------
def table_to_lines(root) -> int:
    """Label/value tables rewritten as `key：value` <p> lines."""
    changed = 0
    for table in list(root.iter("table")):
        rows = label_value_rows(table)
        if not rows:
            continue
        lines = [_el("p", f"{label}：{value}" if label else value) for row in rows for label, value in row]
        _replace(table, lines)
        changed += 1
    return changed


def grid_to_lines(root) -> int:
    """Grids (a header row over data rows) rewritten as one `header：cell` block of lines per row."""
    changed = 0
    for table in list(root.iter("table")):
        grid = grid_rows(table)
        if not grid:
            continue
        header, body = grid
        blocks = []
        for row in body:
            block = _el("p")
            parts = [f"{h}：{v}" for h, v in zip(header, row) if v]
            block.text = parts[0] if parts else ""
            for part in parts[1:]:
                br = etree.SubElement(block, "br")
                br.tail = part
            blocks.append(block)
        _replace(table, blocks)
        changed += 1
    return changed


def _line_units(root) -> list:
    """Leaf block elements (<p>, <div> without blocks inside) outside tables."""
    units = []
    for element in root.iter("p", "div"):
        if _owner(element) is not None or any(isinstance(c.tag, str) and c.tag in _BLOCKS for c in element.iterdescendants()):
            continue
        units.append(element)
    return units


def _pairs_of(text: str) -> list[tuple[str, str]] | None:
    keys = list(_KEY_AT.finditer(text))
    if not keys or text[:keys[0].start()].strip():
        return None
    out = []
    for index, match in enumerate(keys):
        end = keys[index + 1].start() if index + 1 < len(keys) else len(text)
        out.append(((match.group(1) + match.group(2)).strip(), text[match.end():end].strip()))
    return out


def lines_to_table(root) -> int:
    """Runs of `key：value` lines rewritten as a 2-column label/value table (one row per pair)."""
    changed = 0
    for unit in _line_units(root):
        segments = _br_segments(unit)
        rows = []
        for segment in segments:
            pairs = _pairs_of(segment)
            if pairs is None:
                rows.append([(segment, 2)])
            else:
                rows.extend([[(label, 1), (value, 1)] for label, value in pairs])
        if any(len(r) == 2 for r in rows):
            _replace(unit, [_table(rows)])
            changed += 1
    return changed


def _br_segments(unit) -> list[str]:
    """The lines of one leaf block, split where a <br> stands."""
    pieces, current = [], [unit.text or ""]
    for node in unit.iter():
        if node is unit:
            continue
        if node.tag == "br":
            pieces.append("".join(current))
            current = [node.tail or ""]
        else:
            current.append((node.text or "") if isinstance(node.tag, str) else "")
            current.append(node.tail or "")
    pieces.append("".join(current))
    return [_WS.sub(" ", p).strip() for p in pieces if p.strip()]


def _pair_row(row, simple: bool) -> bool:
    texts = _unspanned(row)
    return simple and len(texts) >= 2 and len(texts) % 2 == 0 and all(is_label(t) for t in texts[::2])


def two_to_four_columns(root) -> int:
    """Consecutive one-pair rows of label/value tables merged two by two (2 columns -> 4)."""
    changed = 0
    for table in list(root.iter("table")):
        if not label_value_rows(table):
            continue
        previous = None
        for row, simple in zip(rows_of(table), _simple_rows(table)):
            single = _pair_row(row, simple) and len(cells(row)) == 2
            if single and previous is not None:
                for cell in cells(row):
                    cell.attrib.pop("colspan", None)
                    previous.append(cell)
                for cell in cells(previous):
                    cell.attrib.pop("colspan", None)
                row.getparent().remove(row)
                previous = None
                changed += 1
            else:
                previous = row if single else None
    return changed


def four_to_two_columns(root) -> int:
    """Rows of two pairs or more in label/value tables split into one row per pair (4 columns -> 2)."""
    changed = 0
    for table in list(root.iter("table")):
        if not label_value_rows(table):
            continue
        for row, simple in zip(rows_of(table), _simple_rows(table)):
            if not _pair_row(row, simple) or len(cells(row)) < 4:
                continue
            row_cells = cells(row)
            parent, index = row.getparent(), row.getparent().index(row)
            for offset in range(2, len(row_cells), 2):
                new_row = etree.Element("tr")
                for cell in row_cells[offset:offset + 2]:
                    cell.attrib.pop("colspan", None)
                    new_row.append(cell)
                parent.insert(index + offset // 2, new_row)
            changed += 1
    return changed


def spaced_labels(root) -> int:
    """Labels spaced out one character at a time ("项 目 名 称"), in lines and in label cells."""
    return _edit_labels(root, lambda label: " ".join(label) if len(label) <= 8 else label)


_WIDTH = str.maketrans({"（": "(", "）": ")", "(": "（", ")": "）"})


def colons_and_brackets(root) -> int:
    """Full-width colons made half-width and the other way round, brackets in labels swapped likewise."""
    changed = _edit_labels(root, lambda label: label.translate(_WIDTH))
    return changed + _edit_text(root, lambda text: re.sub(r"(?<=[\u4e00-\u9fff）)])\s*([:：])",
                                                         lambda m: ":" if m.group(1) == "：" else "：", text))


# Synonyms of the same meaning (SOURCES.md "Label synonyms seen"); each is swapped for the next one.
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("项目名称", "采购项目名称", "工程名称"),
    ("项目编号", "采购项目编号", "招标编号", "采购编号"),
    ("采购单位", "采购人", "采购人名称", "招标人"),
    ("中标供应商名称", "成交供应商名称"),
    ("中标供应商", "成交供应商", "中标人"),
    ("总中标金额", "总成交金额"),
    ("中标金额", "成交金额", "中标（成交）金额", "中标价格"),
    ("公告时间", "发布日期"),
)
_NEXT = {word: group[(i + 1) % len(group)] for group in SYNONYMS for i, word in enumerate(group)}


def label_synonyms(root) -> int:
    """Each label of a synonym group swapped for the next synonym of the same meaning."""
    def swap(label: str) -> str:
        key = squeeze(label)
        if key in _NEXT:
            return _NEXT[key]
        unit = re.match(r"^(.+?)([(（][^()（）]{1,6}[)）])$", key)  # "中标金额（万元）"
        return _NEXT[unit.group(1)] + unit.group(2) if unit and unit.group(1) in _NEXT else label
    return _edit_labels(root, swap)


def _renumber(match: re.Match) -> str:
    number, _ = match.group(1), match.group(2)
    if number.isdigit():
        value = int(number)
        cn = _CN[value - 1] if value <= 10 else "十" + _CN[value - 11] if value < 20 else number
        return f"（{cn}）"
    value = _CN.index(number) + 1 if len(number) == 1 else (10 + (_CN.index(number[1]) + 1 if len(number) == 2 else 0))
    return f"{value}."


def headings_renumbered(root) -> int:
    """Numbered lines renumbered: 一、→ 1.  and  1. → （一）."""
    return _numbered_blocks(root, lambda unit: _set_first_text(unit, lambda t: _HEADING_NUMBER.sub(_renumber, t, count=1)))


def heading_numbers_dropped(root) -> int:
    """The numbering of numbered lines dropped ("三、采购代理机构信息" → "采购代理机构信息")."""
    return _numbered_blocks(root, lambda unit: _set_first_text(unit, lambda t: _HEADING_NUMBER.sub("", t, count=1)))


def headings_dropped(root) -> int:
    """Section heading lines (a short numbered line with no value, "四、成交信息") removed."""
    changed = 0
    for unit in _line_units(root):
        text = squeeze("".join(unit.itertext()))
        if _HEADING_NUMBER.match(text) and len(text) <= 20 and not re.search(r"[:：].", text):
            _replace(unit, [_el("span")])
            changed += 1
    return changed


def _numbered_blocks(root, edit) -> int:
    changed = 0
    for unit in _line_units(root):
        if _HEADING_NUMBER.match("".join(unit.itertext())):
            changed += edit(unit)
    return changed


def _set_first_text(unit, edit) -> int:
    for node in unit.iter():
        if isinstance(node.tag, str) and node.text and node.text.strip():
            new = edit(node.text)
            if new != node.text:
                node.text = new
                return 1
            return 0
    return 0


WORD_MARK = "tuoke-o-p"  # serialised as <o:p></o:p> (lxml cannot name a tag with a prefix)


def word_noise(root) -> int:
    """Word-export markup: every text run split at random inside nested <span><font>, <o:p> at the
    end of each paragraph and cell."""
    rng = random.Random(18)
    changed = 0
    for element, where in list(_text_nodes(root)):
        text = getattr(element, where)
        if len(text.strip()) < 2 or element.tag in ("option", "textarea"):
            continue
        cut = rng.randint(1, len(text) - 1)
        span = _el("span", style="font-family:宋体;font-size:10.5pt")
        font = etree.SubElement(span, "font", face="宋体")
        font.text = text[:cut]
        inner = etree.SubElement(span, "span", lang="EN-US")
        inner.text = text[cut:]
        if where == "text":
            element.text = None
            element.insert(0, span)
        else:
            parent = element.getparent()
            element.tail = None
            parent.insert(parent.index(element) + 1, span)
        changed += 1
    for block in list(root.iter("p", "td")):
        etree.SubElement(block, WORD_MARK)
    return changed


def _uncovered(table) -> list[bool]:
    """Per row: no cell above spans rows into it (a table may be cut before it)."""
    covered: list[int] = []
    out = []
    for row in rows_of(table):
        out.append(not covered)
        spans = [int(c.get("rowspan")) if str(c.get("rowspan") or "").isdigit() else 1 for c in cells(row)]
        covered = [left - 1 for left in covered if left > 1] + [s - 1 for s in spans if s > 1]
    return out


def split_tables(root) -> int:
    """Tables of four rows or more split in two at the first row from the middle on that no merged
    cell spans (a page break in a Word export); the second table has no header row."""
    changed = 0
    for table in list(root.iter("table")):
        rows = rows_of(table)
        if len(rows) < 4 or table.find(".//table") is not None:
            continue
        free = _uncovered(table)
        cut = next((i for i in range(len(rows) // 2, len(rows)) if free[i]), None)
        if cut is None:
            continue
        second = _el("table", border="1")
        body = etree.SubElement(second, "tbody")
        for row in rows[cut:]:
            row.getparent().remove(row)
            body.append(row)
        parent = table.getparent()
        second.tail, table.tail = table.tail, None
        parent.insert(parent.index(table) + 1, second)
        changed += 1
    return changed


_CHROME_TOP = """<div class="ewb-top"><div class="ewb-logo">宁波市公共资源交易网</div><ul class="ewb-nav-list">
<li><a href="/">首页</a></li><li><a href="/jyxx/">交易信息</a></li><li><a href="/zbgg/">招标公告</a></li>
<li><a href="/zbgs/">中标候选人公示</a></li><li><a href="/zbjg/">中标公告</a></li><li><a href="/cjgg/">成交公告</a></li>
<li><a href="/gzgg/">更正公告</a></li><li><a href="/fbgg/">废标公告</a></li><li><a href="/zcfg/">政策法规</a></li></ul></div>
<div class="ewb-location">当前位置：<a href="/">首页</a> &gt; <a href="/jyxx/">交易信息</a> &gt; <a href="/zbjg/">中标公告</a> &gt; 正文</div>"""
_CHROME_SIDE = """<div class="ewb-right"><h4>相关公告</h4><ul><li><a href="/a1.html">关于采购项目的中标公告</a></li>
<li><a href="/a2.html">关于采购项目的成交公告</a></li><li><a href="/a3.html">中标候选人公示</a></li></ul></div>"""
_CHROME_FOOT = """<div class="ewb-bottom"><p>主办单位：宁波市公共资源交易中心 地址：宁波市宁穿路1901号 电话：0574-87187999</p>
<p>技术支持：国泰新点软件股份有限公司 版权所有 浙ICP备05034226号</p></div>"""


def portal_chrome(root) -> int:
    """The page wrapped in another portal's chrome: a nav menu and breadcrumb of kind words, a side
    list of notice links, a footer naming the host centre and its software vendor."""
    body = root.find(".//body")
    if body is None:
        return 0
    article = _el("div", **{"class": "ewb-article"})
    article.text, body.text = body.text, None
    for child in list(body):
        article.append(child)
    for fragment in (_CHROME_TOP, None, _CHROME_SIDE, _CHROME_FOOT):
        if fragment is None:
            body.append(article)
            continue
        for node in etree.fromstring(f"<div>{fragment}</div>", etree.HTMLParser()).find(".//body/div"):
            body.append(node)
    return 1


def combined(root) -> int:
    """An unseen portal differs in several ways at once: chrome, Word markup, spaced labels,
    synonyms, colon widths and 2 <-> 4 columns together."""
    return sum(step(root) for step in (label_synonyms, colons_and_brackets, spaced_labels, two_to_four_columns,
                                       word_noise, portal_chrome))


TRANSFORMS: tuple[Transform, ...] = tuple(Transform(f.__name__, (f.__doc__ or "").strip().split("\n")[0], f) for f in (
    table_to_lines, lines_to_table, grid_to_lines, two_to_four_columns, four_to_two_columns, spaced_labels,
    colons_and_brackets, label_synonyms, headings_renumbered, heading_numbers_dropped, headings_dropped, word_noise,
    split_tables, portal_chrome, combined,
))
