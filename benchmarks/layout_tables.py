"""Layout transforms of tables: label/value tables <-> `key：value` lines, grids -> record lines,
2 <-> 4 columns, tables split in two (see benchmarks/layout_transforms.py)."""

from __future__ import annotations

from lxml import etree

from benchmarks.layout_tree import (
    KEY_AT,
    WS,
    build_table,
    cells,
    grid_rows,
    is_label,
    label_value_rows,
    line_units,
    new_element,
    replace,
    rows_of,
    simple_rows,
    uncovered,
    unspanned,
)


def table_to_lines(root) -> int:
    """Label/value tables rewritten as `key：value` <p> lines."""
    changed = 0
    for table in list(root.iter("table")):
        rows = label_value_rows(table)
        if not rows:
            continue
        lines = [new_element("p", f"{label}：{value}" if label else value) for row in rows for label, value in row]
        replace(table, lines)
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
            block = new_element("p")
            parts = [f"{h}：{v}" for h, v in zip(header, row) if v]
            block.text = parts[0] if parts else ""
            for part in parts[1:]:
                br = etree.SubElement(block, "br")
                br.tail = part
            blocks.append(block)
        replace(table, blocks)
        changed += 1
    return changed


def _pairs_of(text: str) -> list[tuple[str, str]] | None:
    keys = list(KEY_AT.finditer(text))
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
    for unit in line_units(root):
        segments = _br_segments(unit)
        rows = []
        for segment in segments:
            pairs = _pairs_of(segment)
            if pairs is None:
                rows.append([(segment, 2)])
            else:
                rows.extend([[(label, 1), (value, 1)] for label, value in pairs])
        if any(len(r) == 2 for r in rows):
            replace(unit, [build_table(rows)])
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
    return [WS.sub(" ", p).strip() for p in pieces if p.strip()]


def _pair_row(row, simple: bool) -> bool:
    texts = unspanned(row)
    return simple and len(texts) >= 2 and len(texts) % 2 == 0 and all(is_label(t) for t in texts[::2])


def two_to_four_columns(root) -> int:
    """Consecutive one-pair rows of label/value tables merged two by two (2 columns -> 4)."""
    changed = 0
    for table in list(root.iter("table")):
        if not label_value_rows(table):
            continue
        previous = None
        for row, simple in zip(rows_of(table), simple_rows(table)):
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
        for row, simple in zip(rows_of(table), simple_rows(table)):
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


def split_tables(root) -> int:
    """Tables of four rows or more split in two at the first row from the middle on that no merged
    cell spans (a page break in a Word export); the second table has no header row."""
    changed = 0
    for table in list(root.iter("table")):
        rows = rows_of(table)
        if len(rows) < 4 or table.find(".//table") is not None:
            continue
        free = uncovered(table)
        cut = next((i for i in range(len(rows) // 2, len(rows)) if free[i]), None)
        if cut is None:
            continue
        second = new_element("table", border="1")
        body = etree.SubElement(second, "tbody")
        for row in rows[cut:]:
            row.getparent().remove(row)
            body.append(row)
        parent = table.getparent()
        second.tail, table.tail = table.tail, None
        parent.insert(parent.index(table) + 1, second)
        changed += 1
    return changed

