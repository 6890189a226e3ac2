"""`tuoke build --engine spark`: the same build job with feed rows, resolution and every SQL model
computed on Spark (local mode) gives the same warehouse as the DuckDB engine on the demo — raw
feeds, core, marts, the quarantine — and publishes the same kind of DuckDB file."""

from __future__ import annotations

import shutil

import duckdb
import pytest

pytest.importorskip("pyspark", reason="the `scale` extra is not installed")

from typer.testing import CliRunner
from warehouse_diff import compare_warehouses

pytestmark = [
    pytest.mark.scaleout,
    pytest.mark.skipif(shutil.which("java") is None, reason="no Java for Spark"),
]


@pytest.fixture(scope="module")
def spark_built(demo_warehouse, tmp_path_factory):
    """The demo's landing files and inbox built again with `tuoke build --engine spark`, twice."""
    from tuoke.cli import app

    _working, root = demo_warehouse
    data = tmp_path_factory.mktemp("spark-build") / "data"
    for folder in ("landing", "inbox"):  # copy2: the feed files keep their dates (raw.feed_*.feed_date)
        shutil.copytree(root / "data" / folder, data / folder)
    command = ["build", "--engine", "spark", "--no-progress", "--data-dir", str(data)]
    first = CliRunner().invoke(app, command)
    assert first.exit_code == 0, first.output
    again = CliRunner().invoke(app, command)  # idempotent: a second build leaves what one left
    return root / "data", data, again


def test_the_spark_build_publishes(spark_built):
    _duck, data, result = spark_built
    assert result.exit_code == 0, result.output
    assert "built and published" in result.output
    with duckdb.connect(str(data / "tuoke.duckdb"), read_only=True) as con:
        ranked = con.execute("SELECT count(*) FROM marts.prospects_ranked").fetchone()[0]
    assert ranked > 0


def test_every_raw_core_and_mart_table_equals_the_duckdb_build(spark_built):
    duck, data, result = spark_built
    assert result.exit_code == 0, result.output
    missing, diffs = compare_warehouses(duck / "tuoke.duckdb", data / "tuoke.duckdb",
                                        ("raw", "ref", "staging", "core", "marts"))
    compared = {d.table for d in diffs}
    assert {"core.entity_links", "core.companies", "marts.prospects_ranked", "raw.feed_payroll"} <= compared
    assert all(d.rows[0] > 0 for d in diffs if d.table.startswith(("marts.prospects", "core.entity")))
    assert missing == []
    assert [d for d in diffs if not d.equal] == []
    assert [(d.table, d.other_types) for d in diffs if d.other_types] == []


def test_the_quarantine_is_the_same_file_for_file(spark_built):
    duck, data, _result = spark_built
    def feed_quarantine(root):  # the crawls' own quarantine came with the crawl, not the build
        folder = root / "quarantine" / "feeds"
        return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*.jsonl")}
    theirs = feed_quarantine(duck)
    assert theirs  # the demo inbox has quarantined feed rows
    assert feed_quarantine(data) == theirs


def test_no_spark_session_outlives_the_build(spark_built):
    from pyspark.sql import SparkSession

    assert SparkSession.getActiveSession() is None
