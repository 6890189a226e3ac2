"""The dbt_like_sql models, transpiled by sqlglot and run on Spark (local mode), give the same tables
as DuckDB on the demo, row for row. One source of truth: the DuckDB-dialect .sql files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest.importorskip("pyspark", reason="the `scale` extra is not installed")

from kernel.paths import sql_models_dir
from pipelines.sql_models import discover_models
from warehouse.engines.spark import compare_outputs, run_on_spark

pytestmark = [
    pytest.mark.scaleout,
    pytest.mark.skipif(shutil.which("java") is None, reason="no Java for Spark"),
]


def test_every_model_on_spark_equals_duckdb_row_for_row(demo_warehouse):
    working_db, root = demo_warehouse
    models = discover_models(sql_models_dir())
    run, outputs = run_on_spark(working_db, models, Path(root) / "spark")
    assert sorted(run.models) == sorted(m.table for m in models)
    diffs = compare_outputs(working_db, outputs)
    assert all(d.duckdb_rows > 0 for d in diffs if d.table.startswith("marts.prospects")), diffs
    assert [d for d in diffs if not d.equal] == []
