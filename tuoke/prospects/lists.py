"""The prospect list, read one way for every screen.

`read_page` gives one page of ranked prospects and how many match (the page, "my list");
`read_frame` gives every matching row with every column of marts.prospects_ranked as a DataFrame
(`tuoke rank`, `tuoke export`, the page's download). Both apply the scope and the filter here.

A published copy carries `serving.prospect_list` (warehouse/serving.py): the ranked rows in the
default order (`pos`: score, then rank, then branch) with bit masks of their signal types and
products and the is_new flag, so a filtered page is one scan of narrow columns, never a join
against ten million signal rows. A warehouse without it (a working file, an older build) is read
from the marts with the same answers.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from tuoke.prospects.catalog import Catalog
from tuoke.prospects.columns import PAGE_COLUMNS, with_derived
from tuoke.prospects.counts import ListCounts
from tuoke.prospects.filters import ProspectFilter
from tuoke.prospects.name_search import NAMES_TABLE, LazyNameIndex, may_be_code
from tuoke.prospects.scope import Scope
from tuoke.prospects.where import Where
from warehouse.serving import fit_order_column

EXPORT_LIMIT = 50_000  # rows of one download from the page
# the default order: what serving.prospect_list's `pos` numbers (ties broken by rank, then branch)
DEFAULT_ORDER = "p.score DESC, p.rank, p.branch"
FRAME_ORDER = "branch, rank NULLS LAST, score DESC, company_id"


@dataclass(frozen=True)
class ProspectList:
    """One page of the list: rows (dicts of PAGE_COLUMNS plus `fit`), how many match in all."""

    rows: list[dict]
    total: int
    filter: ProspectFilter

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.filter.page_size))


def _filters(where: Where, catalog: Catalog, scope: Scope, f: ProspectFilter, *, masks: bool,
             name_hits: list[int] | None = None) -> Where:
    """The scope and the filter as conditions on `p`; `masks`: p is serving.prospect_list, and
    `name_hits` the positions whose name, USCC or id matched `f.q` (`_name_hits`)."""
    where.add_condition(scope.condition("p.branch"))
    if not f.include_held:
        where.add("p.rank IS NOT NULL")
    if f.branch:
        where.add("p.branch = ?", f.branch)
    if f.segment:
        where.add("p.segment = ?", f.segment)
    if f.min_score is not None:
        where.add("p.score >= ?", f.min_score)
    if f.product and masks and f.product in catalog.product_bits:
        where.add("p.product_mask & ?::UBIGINT <> 0", 1 << catalog.product_bits[f.product])
    elif f.product:
        where.add("list_contains(p.products, ?)", f.product)
    if f.signal and masks:  # a signal type without a bit: no company has it
        where.add("p.signal_mask & ?::UBIGINT <> 0", catalog.signal_masks[f.signal]) \
            if f.signal in catalog.signal_masks else where.add("FALSE")
    elif f.signal:
        where.add("p.company_id IN (SELECT company_id FROM core.company_signals WHERE signal = ?)", f.signal)
    if f.new_only:
        where.add("p.is_new" if masks else "p.company_id IN (SELECT company_id FROM marts.new_signals)")
    if f.q and name_hits is not None:  # the bounds let the zone maps of pos skip the other row groups
        where.add("p.pos BETWEEN ? AND ? AND p.pos IN (SELECT unnest(?::INTEGER[]))", min(name_hits), max(name_hits),
                  name_hits) if name_hits else where.add("FALSE")
    elif f.q:
        where.add("contains(p.name, ?) OR p.uscc = upper(?) OR p.company_id = ?", f.q, f.q, f.q)
    return where


def _name_hits(cur, scope: Scope, f: ProspectFilter, names: LazyNameIndex | None = None,
               first: int | None = None) -> list[int]:
    """Positions in scope (and in `f.branch`) whose name contains `f.q`, or whose USCC or
    company_id is `f.q`, in the default order: from the file's name index (name_search.py: only
    the `first` of them, when given), else one scan of the uncompressed names (all of them,
    serving.prospect_names)."""
    index = names.get(cur) if names is not None else None
    if index is not None:
        branches = set(scope.branches) if scope.branches is not None else None
        if f.branch:
            branches = {f.branch} & branches if branches is not None else {f.branch}
        found = index.search(cur, f.q, branches, first)
        if found is not None:
            return found
    where = Where().add_condition(scope.condition("n.branch"))
    if f.branch:
        where.add("n.branch = ?", f.branch)
    if may_be_code(f.q):
        where.add("contains(n.name, ?) OR n.uscc = upper(?) OR n.company_id = ?", f.q, f.q, f.q)
    else:
        where.add("contains(n.name, ?)", f.q)
    return [r[0] for r in cur.execute(f"SELECT n.pos FROM {NAMES_TABLE} AS n WHERE {where.sql}",
                                      where.params).fetchall()]


def _searched_page(cur, scope: Scope, f: ProspectFilter, names: LazyNameIndex | None, counts: ListCounts | None,
                   offset: int, limit: int) -> tuple[int, list[int]]:
    """How many names hold the search (every hit, counted once per file when `counts` remembers
    it) and the positions of the page's hits (the first offset + limit hits only, once counted)."""
    every: list[list[int]] = []

    def count() -> int:
        every.append(_name_hits(cur, scope, f, names))
        return len(every[0])

    total = counts.total(scope, f, count) if counts is not None else count()
    hits = every[0] if every else _name_hits(cur, scope, f, names, first=offset + limit)
    return total, hits[offset:offset + limit]


def _searched_only(f: ProspectFilter) -> bool:
    """Nothing but the name search (and branch) narrows the list, in the default order."""
    return (f.segment, f.product, f.signal, f.min_score) == (None, None, None, None) and not f.new_only \
        and not f.include_held and f.sort in ("rank", "score")


def _page_order(catalog: Catalog, f: ProspectFilter, masks: bool) -> tuple[str, list]:
    default = "p.pos" if masks else DEFAULT_ORDER
    if f.ranks_by_fit and masks and f.product in catalog.product_bits:
        bit = int(catalog.product_bits[f.product])
        if catalog.has_column("serving.prospect_list", fit_order_column(bit)):
            return f"p.{fit_order_column(bit)}", []
        return f"p.fit_{bit} DESC NULLS LAST, {default}", []  # a file published before the fit order
    if f.ranks_by_fit:
        return f"p.product_fit[?] DESC NULLS LAST, {default}", [f.product]
    if f.sort == "name":
        return "p.name, p.company_id", []
    return default, []  # rank and score: within one branch the score order is the rank order


def _fit_column(catalog: Catalog, f: ProspectFilter, masks: bool) -> tuple[str, list]:
    """The chosen product's fit for each row: its fit_<bit> column when served, else from the map."""
    if not f.product:
        return "NULL::INTEGER", []
    if masks and f.product in catalog.product_bits:
        return f"p.fit_{int(catalog.product_bits[f.product])}", []
    return "p.product_fit[?]", [f.product]


def read_page(cur, catalog: Catalog, scope: Scope, f: ProspectFilter, limit: int | None = None,
              offset: int | None = None, names: LazyNameIndex | None = None,
              counts: ListCounts | None = None) -> ProspectList:
    """One page under the scope and filter (`limit`/`offset` override the filter's page; `names`
    the file's name index, for a search; `counts` the file's remembered totals, counts.py)."""
    masks = catalog.serving and not f.include_held  # serving.prospect_list holds the ranked rows only
    table = "serving.prospect_list" if masks else "marts.prospects_ranked"
    limit = f.page_size if limit is None else limit
    offset = f.offset if offset is None else offset
    if masks and f.q and _searched_only(f):  # count and page from the names, without the list
        total, hits = _searched_page(cur, scope, f, names, counts, offset, limit)
        where = _filters(Where(), catalog, Scope.everything(), replace(f, branch=None), masks=masks, name_hits=hits)
        offset = 0
    else:
        hits = _name_hits(cur, scope, f, names) if masks and f.q else None
        where = _filters(Where(), catalog, scope, f, masks=masks, name_hits=hits)

        def count() -> int:
            return cur.execute(f"SELECT count(*) FROM {table} AS p WHERE {where.sql}", where.params).fetchone()[0]

        total = counts.total(scope, f, count) if counts is not None else count()
    order, order_params = _page_order(catalog, f, masks)
    fit, fit_params = _fit_column(catalog, f, masks)
    cursor = cur.execute(
        f"SELECT {_page_columns(catalog)}, {fit} AS fit FROM {table} AS p "
        f"WHERE {where.sql} ORDER BY {order} LIMIT ? OFFSET ?",
        [*fit_params, *where.params, *order_params, limit, offset])
    return ProspectList(rows=with_derived(catalog, records(cursor)), total=int(total), filter=f)


def _page_columns(catalog: Catalog) -> str:
    """PAGE_COLUMNS of `p`; one the build lacks (an older build: the size columns) reads NULL."""
    return ", ".join(f"p.{c}" if catalog.has_column("marts.prospects_ranked", c) else f"NULL AS {c}"
                     for c in PAGE_COLUMNS)


def read_frame(cur, catalog: Catalog, scope: Scope, f: ProspectFilter, limit: int | None = None) -> pd.DataFrame:
    """Every matching row with every column of marts.prospects_ranked, per branch in rank order.
    Ranked by the product's fit (rank renumbered per branch) when the filter says so."""
    where = _filters(Where(), catalog, scope, f, masks=False)
    rank, rank_params = "p.rank", []
    if f.ranks_by_fit:
        rank = ("CASE WHEN p.rank IS NOT NULL THEN row_number() OVER (PARTITION BY p.branch, p.rank IS NULL "
                "ORDER BY p.product_fit[?] DESC, p.score DESC, p.company_id) END")
        rank_params = [f.product]
    top = f"WHERE rank <= {int(f.top_per_branch)}" if f.top_per_branch else ""
    cap = f"LIMIT {int(limit)}" if limit else ""
    sql = (f"SELECT * FROM (SELECT p.* REPLACE ({rank} AS rank) FROM marts.prospects_ranked AS p "
           f"WHERE {where.sql}) {top} ORDER BY {FRAME_ORDER} {cap}")
    return with_derived(catalog, cur.execute(sql, [*rank_params, *where.params]).df())


def read_branch_summary(cur, catalog: Catalog, scope: Scope, branch: str | None = None) -> pd.DataFrame | None:
    """marts.branch_summary rows in scope (the workbook's 汇总 sheet); None on a build without it."""
    if not catalog.has("marts.branch_summary"):
        return None
    where = Where().add_condition(scope.condition("s.branch"))
    if branch:
        where.add("s.branch = ?", branch)
    return cur.execute(f"SELECT * FROM marts.branch_summary AS s WHERE {where.sql} ORDER BY branch",
                       where.params).df()


def records(cursor) -> list[dict]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]
