"""The tree side of the layout transforms (benchmarks/layout_transforms.py): reading a real page's
label/value tables, grids and lines with rules of its own (never the extractor's), and building new nodes."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

CJK = "\u4e00-\u9fff"
WS = re.compile(r"[\s\u3000\xa0]+")
_BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "table", "section", "center", "ul", "ol"}
_LABEL = re.compile(rf"^[{CJK}（）()/、]{{2,16}}$")
_ORG_TAIL = re.compile(r"(公司|集团|中心|院|局|厂|所|社|馆|店|委员会|政府|学校|大学|医院|部|处|站)$")
# "key：value" with an optional numbering before the key ("1.成交供应商名称：", "一、采购人名称：").
KEY_AT = re.compile(rf"(?:^|(?<=[\s;；,，。）)】\]]))((?:\d{{1,2}}[.、．]|[一二三四五六七八九十]{{1,3}}[、．.])?\s*)([{CJK}（）()/]{{2,16}})\s*([:：])")
HEADING_NUMBER = re.compile(r"^\s*([一二三四五六七八九十]{1,3}|\d{1,2})\s*([、．.])\s*")
CN = "一二三四五六七八九十"


@dataclass(frozen=True)
class Transform:
    name: str
    what: str
    apply: Callable[[etree._Element], int]


# -- reading the tree ------------------------------------------------------------------------------
def squeeze(text: str) -> str:
    return WS.sub("", text or "")


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
    return WS.sub(" ", "".join(parts)).strip()


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
        texts = unspanned(row)
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


def simple_rows(table) -> list[bool]:
    """Per row: no cell of it spans rows and no cell above spans into it (it may be regrouped)."""
    return [free and all(str(c.get("rowspan") or "1") in ("", "1") for c in cells(row))
            for row, free in zip(rows_of(table), uncovered(table))]


def unspanned(row) -> list[str]:
    """Cell texts of a row, a cell spanning several columns counted once."""
    return [cell_text(c) for c in cells(row)]


def grid_rows(table) -> tuple[list[str], list[list[str]]] | None:
    """(header, data rows) of a grid: a first row of labels over rows of as many cells, not label/value."""
    if table.find(".//table") is not None:
        return None
    rows = rows_of(table)
    if len(rows) < 2:
        return None
    header = unspanned(rows[0])
    if len(header) < 2 or not all(is_label(h) for h in header):
        return None
    body = [texts for texts in (unspanned(r) for r in rows[1:]) if any(texts)]
    if not body or any(len(r) != len(header) for r in body):
        return None
    if len(header) % 2 == 0 and all(all(is_label(t) for t in r[::2]) for r in body):
        return None  # label, value, label, value on every row: a label/value table
    return header, body


# -- building ----------------------------------------------------------------------------------
def new_element(tag: str, text: str = "", **attrs):
    element = etree.Element(tag, **attrs)
    element.text = text
    return element


def replace(old, new_nodes: list) -> None:
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


def build_table(rows: list[list[tuple[str, int]]]):
    table = new_element("table", border="1")
    body = etree.SubElement(table, "tbody")
    for row in rows:
        tr = etree.SubElement(body, "tr")
        for text, span in row:
            td = etree.SubElement(tr, "td")
            td.text = text
            if span > 1:
                td.set("colspan", str(span))
    return table


def text_nodes(root):
    """(element, 'text'|'tail') of every non-empty text node in the body, scripts left out."""
    body = root.find(".//body")
    for element in (body if body is not None else root).iter():
        if not isinstance(element.tag, str) or element.tag in ("script", "style", "title"):
            continue
        if element.text and element.text.strip():
            yield element, "text"
        if element.tail and element.tail.strip() and element is not body:
            yield element, "tail"


def edit_text(root, edit: Callable[[str], str]) -> int:
    changed = 0
    for element, where in list(text_nodes(root)):
        old = getattr(element, where)
        new = edit(old)
        if new != old:
            setattr(element, where, new)
            changed += 1
    return changed


def edit_labels(root, edit_label: Callable[[str], str]) -> int:
    """Apply `edit_label` to every `key：` of the text and to every label cell of a table."""
    def in_text(text: str) -> str:
        return KEY_AT.sub(lambda m: m.group(1) + edit_label(m.group(2)) + m.group(3), text)

    changed = edit_text(root, in_text)
    for cell in root.iter("td", "th"):
        if len(cell) == 0 and cell.text and is_label(cell.text):
            new = edit_label(cell.text.strip())
            if new != cell.text.strip():
                cell.text = new
                changed += 1
    return changed



def line_units(root) -> list:
    """Leaf block elements (<p>, <div> without blocks inside) outside tables."""
    units = []
    for element in root.iter("p", "div"):
        if _owner(element) is not None or any(isinstance(c.tag, str) and c.tag in _BLOCKS for c in element.iterdescendants()):
            continue
        units.append(element)
    return units


def uncovered(table) -> list[bool]:
    """Per row: no cell above spans rows into it (a table may be cut before it)."""
    covered: list[int] = []
    out = []
    for row in rows_of(table):
        out.append(not covered)
        spans = [int(c.get("rowspan")) if str(c.get("rowspan") or "").isdigit() else 1 for c in cells(row)]
        covered = [left - 1 for left in covered if left > 1] + [s - 1 for s in spans if s > 1]
    return out

