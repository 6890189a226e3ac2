"""The dbt_like_sql models, transpiled by sqlglot and run on Spark (local mode), give the same tables
as DuckDB on the demo, row for row. One source of truth: the DuckDB-dialect .sql files."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

pytest.importorskip("pyspark", reason="the `scale` extra is not installed")

from demo.generate import generate_site
from demo.server import DemoServer
from kernel.paths import DataPaths, demo_sources_dir, sql_models_dir
from pipelines.sql_models import discover_models
from tuoke.commands.demo import drop_demo_feeds
from warehouse.engines.spark import compare_outputs, run_on_spark

pytestmark = [
    pytest.mark.scaleout,
    pytest.mark.skipif(shutil.which("java") is None, reason="no Java for Spark"),
]


@pytest.fixture(scope="module")
def demo_warehouse(tmp_path_factory):
    from pipelines.assemble import build_definitions
    from pipelines.runner import run_build, run_crawls

    root = tmp_path_factory.mktemp("spark")
    saved = dict(os.environ)
    os.environ.update({"TUOKE_DATA_DIR": str(root / "data"), "TUOKE_SOURCES_DIR": str(demo_sources_dir())})
    generate_site(root / "site", seed=42)
    try:
        with DemoServer(root / "site") as web:
            os.environ["TUOKE_DEMO_BASE_URL"] = web.base_url
            paths = DataPaths.from_env()
            drop_demo_feeds(paths)
            defs = build_definitions()
            run_crawls(defs=defs)
            outcome = run_build(defs=defs)
        assert outcome.success, outcome.failures
        yield paths.working_db, root
    finally:
        os.environ.clear()
        os.environ.update(saved)


def test_every_model_on_spark_equals_duckdb_row_for_row(demo_warehouse):
    working_db, root = demo_warehouse
    models = discover_models(sql_models_dir())
    run, outputs = run_on_spark(working_db, models, Path(root) / "spark")
    assert sorted(run.models) == sorted(m.table for m in models)
    diffs = compare_outputs(working_db, outputs)
    assert all(d.duckdb_rows > 0 for d in diffs if d.table.startswith("marts.prospects")), diffs
    assert [d for d in diffs if not d.equal] == []
