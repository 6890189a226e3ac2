"""The columns of a prospect list, defined once: what a page row carries and what the workbook's
branch sheets show, with their headers. A new column of marts.prospects_ranked (the size class, say)
is one `Column` here: warehouse/serving.py copies every column into serving.prospect_list, the
page reads PAGE_COLUMNS, the workbook SHEET_COLUMNS, `tuoke rank --format json|csv` every column."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tuoke.prospects.catalog import Dimension


@dataclass(frozen=True)
class Column:
    name: str  # the column of marts.prospects_ranked
    header: str  # the workbook's header
    width: int  # the workbook's column width
    on_page: bool = True  # read for a page row of the list
    kind: str = "text"  # text | number | list | segment | links | wrap


COLUMNS: tuple[Column, ...] = (
    Column("branch", "网点", 14),
    Column("rank", "排名", 6, kind="number"),
    Column("name", "企业名称", 34, kind="wrap"),
    Column("score", "综合得分", 9, kind="number"),
    Column("segment", "客群", 10, kind="segment"),
    Column("products", "适配产品", 22, kind="list"),
    Column("reasons", "推荐理由", 70, kind="list"),
    Column("uscc", "统一社会信用代码", 21),
    Column("company_id", "企业编号", 26),
    Column("evidence_urls", "证据链接", 40, kind="links"),
)
PAGE_COLUMNS: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.on_page)
# the branch sheets leave the branch out (it is the sheet's name) and show the 五好 after the reasons
_SHEET_HEAD = ("rank", "name", "score", "segment", "products", "reasons")
_SHEET_TAIL = ("uscc", "company_id", "evidence_urls")


def sheet_columns(dimensions: Sequence[Dimension]) -> list[Column]:
    """The workbook's branch-sheet columns: the list's, with one per 五好 dimension (and risk),
    headed by scoring.yaml's label."""
    by_name = {c.name: c for c in COLUMNS}
    scores = [Column(d.column, d.label, max(7, 2 * len(d.label) + 1), kind="number") for d in dimensions]
    return [by_name[n] for n in _SHEET_HEAD] + scores + [by_name[n] for n in _SHEET_TAIL]
