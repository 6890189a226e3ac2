"""The walking skeleton end to end: the demo web served on localhost, crawled by the real spiders
through Dagster's crawl assets, the warehouse built and published through the build job."""

from __future__ import annotations

import os
import shutil
import statistics

import duckdb
import pytest

from demo.generate import generate_site
from demo.server import DemoServer
from kernel.paths import DataPaths, demo_sources_dir
from tuoke.commands.demo import drop_demo_feeds

from .gold import score_resolution

MARTS_COMPARED = ("core.companies", "core.company_signals", "marts.prospects_ranked", "marts.branch_summary")


@pytest.fixture(scope="module")
def demo_build(tmp_path_factory):
    from pipelines.assemble import build_definitions
    from pipelines.runner import run_build, run_crawls

    root = tmp_path_factory.mktemp("e2e")
    saved = {k: os.environ.get(k) for k in ("TUOKE_DATA_DIR", "TUOKE_SOURCES_DIR", "TUOKE_DEMO_BASE_URL")}
    os.environ["TUOKE_DATA_DIR"] = str(root / "data")
    os.environ["TUOKE_SOURCES_DIR"] = str(demo_sources_dir())
    paths = DataPaths.from_env()
    site = root / "site"
    generate_site(site, seed=42)
    try:
        with DemoServer(site) as server:
            os.environ["TUOKE_DEMO_BASE_URL"] = server.base_url
            drop_demo_feeds(paths)
            defs = build_definitions()
            crawl_stats = run_crawls(defs=defs)
            first = run_build(defs=defs)
            published_first = root / "first.duckdb"
            shutil.copyfile(paths.published_db, published_first)
            second = run_build(defs=defs)
        yield {"paths": paths, "crawl_stats": crawl_stats, "first": first, "second": second,
               "published_first": published_first, "site": site}
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _query(db, sql, params=()):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def test_every_demo_source_crawls_items(demo_build):
    stats = demo_build["crawl_stats"]
    sources = {p.stem for p in demo_sources_dir().glob("*.yaml")}
    assert set(stats) == sources
    empty = {s for s, st in stats.items() if not st.get("items")}
    assert not empty, f"sources that yielded nothing: {empty}"


def test_the_build_passes_its_checks_and_publishes(demo_build):
    first = demo_build["first"]
    assert first.success, (first.failed_steps, [c for c in first.checks if not c.passed])
    assert demo_build["paths"].published_db.exists()
    failed_blocking = [c.name for c in first.checks if c.blocking and not c.passed]
    assert failed_blocking == []


def test_the_warehouse_holds_companies_mentions_and_ranked_prospects(demo_build):
    db = demo_build["paths"].published_db
    companies = _query(db, "SELECT count(*) FROM core.companies WHERE NOT is_non_enterprise")[0][0]
    mentions = _query(db, "SELECT count(*) FROM core.company_mentions")[0][0]
    ranked = _query(db, "SELECT count(*) FROM marts.prospects_ranked WHERE rank IS NOT NULL")[0][0]
    assert companies > 0 and mentions > 2 * companies
    assert ranked > 100


def test_resolution_finds_the_demo_generators_true_companies(demo_build):
    """Every record linked, scored against the generator's truth: the companies it made are the
    real ones (pairwise precision first), and almost every record can be checked."""
    score = score_resolution(demo_build["paths"].published_db, demo_build["site"] / "_truth.json")
    assert score.matched >= 0.9 * score.records, score  # records whose true company the truth names
    assert score.precision >= 0.97, score  # measured 0.992 (seed 42): a wrong merge reaches a loan officer
    assert score.recall >= 0.95, score  # measured 0.9996
    assert abs(score.companies - score.gold_companies) <= 0.05 * score.gold_companies, score


def test_a_winner_with_payroll_outranks_a_company_with_neither(demo_build):
    db = demo_build["paths"].published_db
    rows = _query(
        db,
        """
        WITH flags AS (
            SELECT company_id,
                   bool_or(signal = 'procurement_win') AS won,
                   bool_or(signal = 'payroll_employer') AS payroll
            FROM core.company_signals GROUP BY company_id
        )
        SELECT p.score, f.won AND f.payroll AS both, NOT f.won AND NOT f.payroll AS neither, p.branch, p.rank
        FROM marts.prospects_ranked AS p JOIN flags AS f USING (company_id)
        WHERE p.rank IS NOT NULL
        """,
    )
    both = [r for r in rows if r[1]]
    neither = [r for r in rows if r[2]]
    assert both and neither
    # in every branch that has both kinds, the winners with payroll rank above the companies with
    # neither at the median. Not every one above every one: since #14 a company without a win or
    # payroll can rightly lead on the other 五好 (A-level tax credit, a private-banking owner, a
    # guarantee referral, POS) — and one did in the demo.
    for branch in {r[3] for r in both}:
        ranks_both = sorted(r[4] for r in both if r[3] == branch)
        ranks_neither = sorted(r[4] for r in neither if r[3] == branch)
        if ranks_neither:
            assert statistics.median(ranks_both) < statistics.median(ranks_neither), branch


def test_no_bad_row_reaches_the_core_tables(demo_build):
    db = demo_build["paths"].published_db
    empty_names = _query(db, "SELECT count(*) FROM core.companies WHERE name IS NULL OR trim(name) = ''")[0][0]
    assert empty_names == 0
    quarantined = list((demo_build["paths"].quarantine / "feeds").rglob("*.jsonl"))
    assert quarantined, "the demo feeds carry deliberately bad rows that must be quarantined"


def test_building_twice_from_the_same_inputs_gives_identical_tables(demo_build):
    first_db, second_db = demo_build["published_first"], demo_build["paths"].published_db
    assert demo_build["second"].success
    for table in MARTS_COMPARED:
        columns = [r[0] for r in _query(first_db, f"DESCRIBE {table}")]
        order = ", ".join(f'"{c}"' for c in columns)
        select = f"SELECT * FROM {table} ORDER BY {order}"
        assert _query(first_db, select) == _query(second_db, select), table


def test_the_published_file_opens_in_the_duckdb_cli_the_venv_installs(demo_build):
    """Issue 20: README tells a regional head to run `duckdb -readonly data/tuoke.duckdb`. The CLI is
    duckdb-cli (pinned, older than the Python duckdb that builds), so publish writes an older storage
    version; every table and view of the real published file must read in that CLI."""
    import subprocess
    import sys
    from pathlib import Path

    cli = Path(sys.executable).parent / "duckdb"
    assert cli.exists(), "duckdb-cli is a dependency: .venv/bin/duckdb must exist"
    db = demo_build["paths"].published_db
    relations = _query(db, "SELECT table_schema || '.' || table_name FROM information_schema.tables "
                           "WHERE table_catalog = current_database() ORDER BY 1")
    sql = " UNION ALL ".join(f"SELECT '{name}' AS rel, count(*) AS n FROM {name}" for (name,) in relations)
    proc = subprocess.run([str(cli), "-readonly", str(db), "-csv", "-noheader", "-c", sql],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    counted = dict(line.rsplit(",", 1) for line in proc.stdout.strip().splitlines())
    expected = {name: str(_query(db, f"SELECT count(*) FROM {name}")[0][0]) for (name,) in relations}
    assert counted == expected and int(counted["marts.prospects_ranked"]) > 0


def test_entity_links_in_small_batches_equal_one_batch_on_the_demo(demo_build, tmp_path):
    """The build resolves in batches of whole components (warehouse/resolve/batches.py): cut into
    batches of a few records, the demo's core.entity_links and core.entity_records are the ones a
    single batch gives, row for row, stable ids included."""
    from warehouse.db import connect
    from warehouse.entity_links import build_entity_links

    tables = {}
    for label, batch_records in (("one", 10**9), ("many", 25)):
        db = tmp_path / label / "tuoke.duckdb"
        db.parent.mkdir()
        shutil.copyfile(demo_build["paths"].working_db, db)
        con = connect(db)
        try:
            stats = build_entity_links(con, batch_records=batch_records)
            tables[label] = {t: con.execute(f"SELECT * FROM core.{t} ORDER BY record_id").fetchall()
                             for t in ("entity_links", "entity_records")}
            for t in ("entity_links", "entity_records"):  # stored in record_id order, however it was written
                stored = [r[0] for r in con.execute(f"SELECT record_id FROM core.{t} ORDER BY rowid").fetchall()]
                assert stored == sorted(stored, key=lambda v: v.encode()), (label, t)
            assert not con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE '%_batches'").fetchone()[0]
        finally:
            con.close()
        if label == "many":
            assert stats["batches"] > 10
    assert len(tables["one"]["entity_links"]) > 100
    assert any(row[2] not in ("canonical", "same_key") for row in tables["one"]["entity_links"])  # linked records
    assert tables["many"] == tables["one"]
