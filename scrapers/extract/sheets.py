"""Rows of cells (from xlsx / xls / pdf / csv) -> header + records.

Finds the header row by its text (title rows above it are kept as the list title), merges a
two-row header, forward-fills merged region and lot cells, skips repeated headers (PDF tables
broken across pages).
"""

from __future__ import annotations

import re

from scrapers.extract.fields import ENTITY_FIELDS
from scrapers.extract.labels import IGNORED, field_for

_WS = re.compile(r"\s+")
_FILL_DOWN = ("region", "district", "lot", "tier", "industry")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _WS.sub(" ", str(value)).strip()


def _fields(row: list[str]) -> list[str | None]:
    return [field_for(c)[0] if c and len(c) <= 30 else None for c in row]


def find_header(rows: list[list[str]], scan: int = 15) -> int | None:
    best, best_score = None, 1
    for index, row in enumerate(rows[:scan]):
        fields = [f for f in _fields(row) if f and f != IGNORED]
        if not any(f in ENTITY_FIELDS for f in fields):
            continue
        if len(set(fields)) > best_score:
            best, best_score = index, len(set(fields))
    return best


def table_records(rows: list[list], sheet_name: str | None = None) -> tuple[list[dict], str | None, list[str]]:
    """(records, title text above the header, unused header labels)."""
    rows = [[_cell(c) for c in row] for row in rows]
    rows = [r for r in rows if any(r)]
    header_at = find_header(rows)
    if header_at is None:
        return [], None, []
    title = " ".join(" ".join(dict.fromkeys(c for c in r if c)) for r in rows[:header_at]) or None
    header = rows[header_at]
    fields = _fields(header)
    units = [field_for(c)[1] if c else None for c in header]
    start = header_at + 1
    # Two-row header: the row below holds sub-labels (e.g. 所在地区 → 市 | 县（市、区）).
    if start < len(rows):
        sub = rows[start]
        sub_fields = _fields(sub)
        if sum(1 for f in sub_fields if f) >= 1 and not any(f in ENTITY_FIELDS for f in sub_fields) and \
                all((not c) or f for c, f in zip(sub, sub_fields)):
            for col, (child, child_field) in enumerate(zip(sub, sub_fields)):
                if child_field and child_field != IGNORED and col < len(fields):
                    parent = fields[col]
                    fields[col] = "district" if (parent == "region" and child_field == "region" and col > 0 and fields[col - 1] == "region" and sub[col - 1]) else child_field
                    header[col] = f"{header[col]}{child}" if header[col] != child else child
            start += 1
    unused = [h for h, f in zip(header, fields) if h and f is None]
    name_field = next(f for f in ENTITY_FIELDS if f in fields)
    records: list[dict] = []
    last: dict[str, str] = {}
    for row in rows[start:]:
        if _fields(row)[: len(fields)] == fields[: len(row)] and row[:3] == header[:3]:
            continue  # header repeated on the next page
        record: dict = {"_name_field": name_field, "_row": " ".join(c for c in row if c)}
        for col, field in enumerate(fields):
            if not field or field == IGNORED or col >= len(row):
                continue
            value = row[col]
            if not value and field in _FILL_DOWN:
                value = last.get(field, "")
            if value and field == "lot" and record.get("lot") and value != record["lot"]:
                record["lot"] = f"{record['lot']}/{value}"  # 分标 + 包号: both identify the lot
            elif value and field not in record:
                record[field] = value
                if units[col]:
                    record[f"{field}_unit"] = units[col]
                record[f"{field}_label"] = header[col]
        for field in _FILL_DOWN:
            if record.get(field):
                last[field] = record[field]
        if not record.get(name_field):
            continue
        if sheet_name and not record.get("region"):
            record["region"] = sheet_name
        records.append(record)
    return records, title, unused
