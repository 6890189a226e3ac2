"""What a table's cells are: a header row, a label cell, a value cell, a rank group (no lxml here)."""

from __future__ import annotations

import re

from scrapers.extract.fields import HEADER_FIELDS
from scrapers.extract.labels import IGNORED, field_for, looks_like_label
from scrapers.extract.org_names import looks_like_org

_INLINE_VALUE = re.compile(r"[:：]\s*\S")


def int_in(value, default: int, cap: int) -> int:
    """An integer attribute (colspan, rowspan) within [1, cap], else the default."""
    try:
        return max(1, min(int(str(value).strip()), cap))
    except (TypeError, ValueError):
        return default


def is_label_cell(text: str) -> bool:
    stripped = text.strip().rstrip(":：")
    if not stripped or len(stripped) > 30:
        return False
    field, _ = field_for(stripped)
    if field:
        return True
    return looks_like_label(stripped) and (text.strip().endswith(("：", ":")) or len(stripped) <= 10)


def is_known_label_cell(text: str) -> bool:
    field, _ = field_for(text)
    return field is not None and field != IGNORED and len(text.strip()) <= 16


def rank_group(row: list[tuple[str, list[str]]]) -> str | None:
    """The supplier field of a row that starts with a rank label followed by another label cell."""
    if len(row) < 3:
        return None
    field = field_for(row[0][0])[0] if len(row[0][0]) <= 16 else None
    if not (field == "winner_name" or (field or "").startswith("candidate_")):
        return None
    return field if len(row[1][0]) <= 16 and field_for(row[1][0])[0] is not None else None


def is_value_cell(text: str) -> bool:
    return bool(re.search(r"\d", text)) or looks_like_org(text.strip())


def header_row(matrix, last_ok: bool = False) -> int | None:
    """The index of a table's header row among its first four, or None. `last_ok`: the header may be the
    table's last row (its data rows in the next table, cut off by a page break)."""
    for index, row in enumerate(matrix[:4]):
        texts = [text for text, _ in row]
        nonempty = [t for t in dict.fromkeys(texts) if t]
        if len(nonempty) < 2 or (index + 1 >= len(matrix) and not last_ok):
            continue
        # a "单位名称：X" cell carries its own value: it is no column header
        fields = [field_for(t)[0] if len(t) <= 24 and not _INLINE_VALUE.search(t) else None for t in nonempty]
        known = {f for f in fields if f and f != IGNORED}
        failed_lot_table = "fail_reason" in known  # "废标原因 | 备注": a lot that failed, no supplier
        if sum(f.startswith("candidate_") for f in known) >= 2:  # 第一中标候选人 | 第二中标候选人 columns
            known.add("name")
        if (len(known) < 2 and not failed_lot_table) or not (known & HEADER_FIELDS or {"lot", "budget"} <= known or {"lot", "amount"} <= known or failed_lot_table):
            continue
        # A label/value row (label, value, label, value) is not a header: most cells must be labels,
        # or at least half of them while none holds a value (a company, a number, a date).
        labelled = sum(1 for f in fields if f)
        if (labelled >= max(2, len(nonempty) - 1) and not any(is_value_cell(t) for t, f in zip(nonempty, fields) if not f)) or (
                2 * labelled >= len(nonempty) and not any(map(is_value_cell, nonempty))):
            return index
    return None
