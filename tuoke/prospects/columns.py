"""The columns of a prospect list, defined once: what a page row carries and what the workbook's
branch sheets show, with their headers. A new column of marts.prospects_ranked (the size class, say)
is one `Column` here: warehouse/serving.py copies every column into serving.prospect_list, the
page reads PAGE_COLUMNS, the workbook `sheet_columns`, `tuoke rank --format json|csv` every column.
A derived column (the size label) is made by the read model from a column of the table and the
build's vocabulary (`with_derived`), for every face alike."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from tuoke.prospects.catalog import Catalog, Dimension


@dataclass(frozen=True)
class Column:
    name: str  # the column of marts.prospects_ranked (or, derived, made from `derived_from`)
    header: str  # the workbook's header
    width: int  # the workbook's column width
    on_page: bool = True  # read for a page row of the list
    kind: str = "text"  # text | number | list | segment | links | wrap | yes_no | wan (yuan shown in 万元)
    derived_from: str | None = None  # derived by the read model from this column (with_derived)


COLUMNS: tuple[Column, ...] = (
    Column("branch", "网点", 14),
    Column("rank", "排名", 6, kind="number"),
    Column("name", "企业名称", 34, kind="wrap"),
    Column("score", "综合得分", 9, kind="number"),
    Column("segment", "客群", 10, kind="segment"),
    Column("size_segment", "规模分组", 12),
    Column("size_label", "规模", 11, derived_from="size_segment"),
    Column("size_reason", "规模依据", 44, kind="wrap"),
    Column("size_conflict", "规模存疑", 30, kind="wrap"),
    Column("puhui_eligible", "普惠", 6, kind="yes_no"),
    Column("credit_ceiling_yuan", "普惠授信上限(万元)", 12, kind="wan"),
    Column("products", "适配产品", 22, kind="list"),
    Column("reasons", "推荐理由", 70, kind="list"),
    Column("uscc", "统一社会信用代码", 21),
    Column("company_id", "企业编号", 26),
    # the list page shows no links (the prospect page does): a page row leaves this list column
    # unread, which costs a fifth of a page's fetch (docs/benchmarks.md)
    Column("evidence_urls", "证据链接", 40, kind="links", on_page=False),
)
# the columns a page row reads from the table (a derived one is made from its source)
PAGE_COLUMNS: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.on_page and not c.derived_from)
# the columns the size work added (docs/sizing.md): a build before it lacks them, and reads NULL
SIZE_COLUMNS: tuple[str, ...] = ("size_segment", "size_reason", "size_conflict", "puhui_eligible",
                                 "credit_ceiling_yuan")
# the branch sheets leave the branch out (it is the sheet's name) and show the 五好 after the reasons
_SHEET_HEAD = ("rank", "name", "score", "segment", "size_label", "size_reason", "products", "credit_ceiling_yuan",
               "reasons")
_SHEET_TAIL = ("size_conflict", "puhui_eligible", "uscc", "company_id", "evidence_urls")
# the exclusions sheet: why a company is off the list, and its size (a large firm is referred on)
HELD_SHEET = ("branch", "name", "size_label", "size_reason", "excluded", "exclusion_reason", "suppressed",
              "suppression_reason", "score", "company_id")
_HELD_HEADERS = {"name": "企业名称", "excluded": "不得受理", "exclusion_reason": "不得受理原因", "suppressed": "暂缓",
                 "suppression_reason": "暂缓原因", "score": "得分"}
_HELD_WIDTHS = {"exclusion_reason": 50, "suppression_reason": 40, "excluded": 9, "suppressed": 7, "score": 8}


def _derive(catalog: Catalog, column: Column, value):
    if column.name == "size_label":
        return catalog.size_label(value)
    raise KeyError(column.name)


def with_derived(catalog: Catalog, rows: list[dict] | pd.DataFrame):
    """`rows` (page rows or a frame) with the derived columns added from their sources."""
    for column in COLUMNS:
        if column.derived_from is None:
            continue
        if isinstance(rows, pd.DataFrame):
            if column.derived_from in rows:
                rows[column.name] = [_derive(catalog, column, v if pd.notna(v) else None)
                                     for v in rows[column.derived_from]]
        else:
            for row in rows:
                row[column.name] = _derive(catalog, column, row.get(column.derived_from))
    return rows


def sheet_columns(dimensions: Sequence[Dimension]) -> list[Column]:
    """The workbook's branch-sheet columns: the list's, with one per 五好 dimension (and risk),
    headed by scoring.yaml's label."""
    by_name = {c.name: c for c in COLUMNS}
    scores = [Column(d.column, d.label, max(7, 2 * len(d.label) + 1), kind="number") for d in dimensions]
    return [by_name[n] for n in _SHEET_HEAD] + scores + [by_name[n] for n in _SHEET_TAIL]


def held_columns() -> list[Column]:
    """The 排除及暂缓 sheet's columns: the list's where it has them, with the sheet's own headers."""
    by_name = {c.name: c for c in COLUMNS}
    sheet = []
    for name in HELD_SHEET:
        base = by_name.get(name, Column(name, name, 10))
        width = _HELD_WIDTHS.get(name, base.width)
        kind = "yes_no" if name in ("excluded", "suppressed") else ("wrap" if width >= 40 else base.kind)
        sheet.append(Column(name, _HELD_HEADERS.get(name, base.header), width, kind=kind))
    return sheet
