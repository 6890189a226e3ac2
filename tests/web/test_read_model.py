"""The read model gives the same answers from the published copy's serving tables (positions,
masks, names; signal rows with their reasons) as from the marts alone, for every filter and sort
and every prospect page; scope is applied everywhere; a prospect page is index lookups only."""

from __future__ import annotations

import dataclasses
import itertools
import re

import pytest

from tuoke.prospects import FilterError, ProspectFilter, ProspectReader, PublishedWarehouse, Scope

FILTERS = [
    ProspectFilter(), ProspectFilter(branch="杭州分行"), ProspectFilter(segment="new_to_bank"),
    ProspectFilter(product="政采贷", sort="fit"), ProspectFilter(product="政采贷"), ProspectFilter(signal="srdi_listed"),
    ProspectFilter(new_only=True), ProspectFilter(q="测试1"), ProspectFilter(q="测试1", branch="杭州分行"),
    ProspectFilter(q="uscc-91330100MA2B000001"), ProspectFilter(min_score=5, sort="score"),
    ProspectFilter(sort="name", page=2, page_size=25), ProspectFilter(page=2, page_size=25),
    ProspectFilter(include_held=True), ProspectFilter(include_held=True, q="测试1", page_size=100),
    ProspectFilter(product="政采贷", sort="fit", page=2, page_size=25),
    ProspectFilter(product="政采贷", sort="fit", branch="杭州分行", page_size=25),
]
SCOPES = [Scope.everything(), Scope(("杭州分行",)), Scope(("宁波分行",))]


@pytest.fixture(scope="module")
def readers(small_site):
    published = PublishedWarehouse(small_site.published_db)
    working = PublishedWarehouse(small_site.root.parent / "work.duckdb")  # no serving tables
    with published.reading() as served, working.reading() as marts:
        assert served.catalog.serving and not marts.catalog.serving
        yield served, marts
    published.close()
    working.close()


@pytest.mark.parametrize("f, scope", list(itertools.product(FILTERS, SCOPES)))
def test_served_and_unserved_lists_agree(readers, f, scope):
    served, marts = readers
    a, b = served.page(scope, f), marts.page(scope, f)
    assert a.total == b.total
    assert [r["company_id"] for r in a.rows] == [r["company_id"] for r in b.rows]
    assert all(scope.allows(r["branch"]) for r in a.rows)


def test_held_companies_are_on_a_page_that_includes_them(readers):
    """serving.prospect_list holds ranked rows only: a page with the held ones reads the marts."""
    served, _ = readers
    ranked = served.page(Scope.everything(), ProspectFilter()).total
    first = served.page(Scope.everything(), ProspectFilter(include_held=True, page_size=100))
    rows = [r for page in range(1, first.pages + 1)
            for r in served.page(Scope.everything(), ProspectFilter(include_held=True, page_size=100, page=page)).rows]
    assert first.total > ranked and len(rows) == first.total
    assert sum(r["rank"] is None for r in rows) == first.total - ranked


def test_within_one_branch_the_default_order_is_the_rank_order(readers):
    served, _ = readers
    rows = served.page(Scope(("杭州分行",)), ProspectFilter(page_size=100)).rows
    assert [r["rank"] for r in rows] == sorted(r["rank"] for r in rows) and len(rows) > 10


def test_a_prospect_outside_the_scope_is_not_there(readers):
    served, _ = readers
    assert served.prospect(Scope(("杭州分行",)), "name-00000000000000b1") is None
    view = served.prospect(Scope(("宁波分行",)), "name-00000000000000b1")
    assert view.company["name"] == "宁波乙精密有限公司"
    assert [d.label for d in view.dimensions][:1] == [served.catalog.dimensions[0].label]


def test_unknown_products_and_signals_are_refused(readers):
    served, _ = readers
    for f in (ProspectFilter(product="不存在"), ProspectFilter(signal="nope")):
        with pytest.raises(FilterError):
            served.page(Scope.everything(), f)


def test_a_prospects_points_add_up_to_its_score(readers):
    served, _ = readers
    for company_id in ("uscc-91330100MA2B000001", "name-00000000000000b1"):
        view = served.prospect(Scope.everything(), company_id)
        points = sum(float(s["points"]) for s in view.signals) + sum(float(d["points"]) for d in view.derived)
        assert view.derived and abs(points - view.company["score"]) < 0.01, (company_id, points, view.company["score"])


def _plain(view):
    fields = {f.name: getattr(view, f.name) for f in dataclasses.fields(view)}
    fields["signals"] = [{**s, "points": float(s["points"])} for s in fields["signals"]]
    return fields


def test_served_and_unserved_prospect_pages_agree(readers):
    served, marts = readers
    company_ids = [r[0] for r in served.cursor.execute("SELECT company_id FROM marts.prospects_ranked").fetchall()]
    assert served.catalog.has("serving.prospect_signals") and not marts.catalog.has("serving.prospect_signals")
    seen = 0
    for company_id, scope in itertools.product(company_ids, SCOPES):
        a, b = served.prospect(scope, company_id), marts.prospect(scope, company_id)
        assert (a is None) == (b is None), (company_id, scope)
        if a is not None:
            assert _plain(a) == _plain(b), company_id
            seen += bool(a.signals and a.derived)
    assert seen > len(company_ids)  # pages with signals and derived points, under more than one scope


class RecordingCursor:
    """The reader's cursor, keeping every statement sent through it."""

    def __init__(self, cursor):
        self.cursor, self.sent = cursor, []

    def execute(self, sql, params=None):
        self.sent.append((sql, list(params or [])))
        return self.cursor.execute(sql, params or [])


@pytest.mark.parametrize("scope", [Scope.everything(), Scope(("杭州分行",))])
def test_a_prospect_page_reads_its_tables_through_their_indexes(readers, scope):
    """A condition beside the key (the scope: an RM's page) made DuckDB scan a million rows instead
    of using the index; every table a page reads is now read by an index scan (the small ref
    tables of the build's vocabulary aside)."""
    served, _ = readers
    recorder = RecordingCursor(served.cursor)
    view = ProspectReader(recorder, served.catalog).prospect(scope, "uscc-91330100MA2B000001")
    assert view is not None and view.signals and view.relations  # (the small world has no entity records)
    scans = []
    for sql, params in recorder.sent:
        plan = served.cursor.execute("EXPLAIN ANALYZE " + sql, params).fetchall()[0][1]
        scans += re.findall(r"Table: \w+\.(\w+\.\w+).*?Type: (\w+ Scan)", plan, re.S)
    assert len(recorder.sent) >= 5
    # signals and their points in one lookup of serving.prospect_signals: no points table, no key lookup
    assert not any("signal_points_rows" in sql or "company_segments" in sql for sql, _ in recorder.sent)
    assert {table for table, kind in scans if kind != "Index Scan" and not table.startswith("ref.")} == set(), scans


def test_served_masks_are_64_bit(readers):
    """DuckDB widens `UBIGINT << INTEGER` to HUGEINT; a 128-bit mask costs every masked page scan."""
    served, _ = readers
    types = dict(served.cursor.execute(
        "SELECT table_name || '.' || column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'serving' AND column_name IN ('mask', 'signal_mask', 'product_mask')").fetchall())
    assert set(types) == {"signal_bits.mask", "product_bits.mask", "prospect_list.signal_mask",
                          "prospect_list.product_mask"}
    assert set(types.values()) == {"UBIGINT"}


def test_the_page_reads_with_the_configured_duckdb_threads(small_site, monkeypatch):
    """configs/engine.yaml's serve.duckdb_threads reaches the page's connection (concurrent requests
    are the parallelism; docs/benchmarks.md)."""
    from kernel.engine_config import load_engine_config
    from tuoke.web.site import Site, WebSettings

    monkeypatch.setenv("TUOKE_WEB_SECRET", "test-secret")
    settings = WebSettings.from_configs(paths=small_site, secure_cookies=False)
    assert settings.duckdb_threads == load_engine_config().serve.duckdb_threads == 1
    site = Site(settings)
    with site.warehouse.reading() as reader:
        assert reader.cursor.execute("SELECT current_setting('threads')").fetchone()[0] == 1
    site.warehouse.close()


def test_a_page_sorted_by_fit_reads_the_served_fit_order(readers):
    """serving.prospect_list carries each product's fit order; the served fit pages above agree
    with the marts' `product_fit[...] DESC, score` order because of it."""
    from tuoke.prospects.lists import _page_order
    from warehouse.serving import fit_order_column

    served, _ = readers
    bit = served.catalog.product_bits["政采贷"]
    assert served.catalog.has_column("serving.prospect_list", fit_order_column(bit))
    order, _ = _page_order(served.catalog, ProspectFilter(product="政采贷", sort="fit"), masks=True)
    assert order == f"p.{fit_order_column(bit)}"
