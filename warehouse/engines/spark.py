"""The dbt_like_sql models on Spark: one source of truth (the DuckDB-dialect .sql files), transpiled
with sqlglot, run in dependency order on a SparkSession (local mode here, a bank's cluster there).

The Python steps (loading, name resolution, scoring rules) stay on DuckDB. Every table a model reads
that no model produces is exported from the working DuckDB as Parquet and registered in Spark under
the same `schema.table` name; each model is then materialized as a Parquet table. `export_results`
writes the models' outputs back as Parquet so DuckDB (or anyone) can compare or load them.

Dialect constructs that need more than sqlglot's own transpilation are rewritten in
warehouse/engines/spark_sql.py, each in one function, and listed in its `REWRITES`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from graphlib import TopologicalSorter
from pathlib import Path

import duckdb

from warehouse.engines.spark_sql import (  # noqa: F401 (the transpiler's names, for the engine's callers)
    REWRITES,
    Macros,
    Spark35,
    SparkModelError,
    load_macros,
    rewrite_for_spark,
    spark_statements,
)
from warehouse.engines.sql_models import SqlModel


@dataclass
class SparkRun:
    """What a Spark run of the models did: inputs registered, models materialized, statements run."""

    inputs: list[str] = field(default_factory=list)
    models: list[str] = field(default_factory=list)
    statements: dict[str, list[str]] = field(default_factory=dict)


def model_order(models: Sequence[SqlModel]) -> list[SqlModel]:
    by_table = {m.table: m for m in models}
    graph = {m.table: {f"{s}.{t}" for s, t in m.upstream if f"{s}.{t}" in by_table} for m in models}
    return [by_table[t] for t in TopologicalSorter(graph).static_order()]


def input_tables(models: Iterable[SqlModel]) -> list[str]:
    models = list(models)
    produced = {m.table for m in models}
    return sorted({f"{s}.{t}" for m in models for s, t in m.upstream} - produced)


def export_inputs(working_db: Path, tables: Iterable[str], folder: Path) -> dict[str, Path]:
    """Each input table as a Parquet folder `<folder>/<schema>/<table>/part-0.parquet`."""
    locations: dict[str, Path] = {}
    con = duckdb.connect(str(working_db), read_only=True)
    try:
        for table in tables:
            schema, name = table.split(".")
            target = folder / schema / name
            target.mkdir(parents=True, exist_ok=True)
            con.execute(f"COPY (SELECT * FROM \"{schema}\".\"{name}\") TO '{target / 'part-0.parquet'}' (FORMAT parquet)")
            locations[table] = target
    finally:
        con.close()
    return locations


def spark_session(warehouse_dir: Path | str, app_name: str = "tuoke-models"):
    """The SparkSession of configs/engine.yaml `spark` (a local one by default). A session that is
    already active (spark-submit, a notebook) is reused with its own master; the settings tuoke's
    SQL depends on are set on it either way."""
    import os
    import sys

    from pyspark.sql import SparkSession

    from kernel.engine_config import load_engine_config

    settings = load_engine_config().spark
    # Python workers (applyInPandas) must be this interpreter: it has the resolver installed
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app_name)
    if settings.master:
        builder = builder.master(settings.master)
    for key, value in {**SESSION_SETTINGS, "spark.sql.warehouse.dir": str(warehouse_dir),
                       "spark.sql.shuffle.partitions": str(settings.shuffle_partitions),
                       "spark.driver.memory": settings.driver_memory, **settings.conf}.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


# What the transpiled SQL and the Python steps assume of every session, local or on a cluster.
SESSION_SETTINGS = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.legacy.createHiveTableByDefault": "false",
    "spark.sql.session.timeZone": "UTC",
    # DuckDB's semantics: a list index past the end is NULL, not an error (Spark 4 turns ANSI on)
    "spark.sql.ansi.enabled": "false",
    # pandas <-> Spark through Arrow (resolution's record and edge frames), not row by row
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    # feed rows carry personal cells until they are checked: shuffle and spill files are encrypted,
    # and PySpark then hands frames to the JVM over a socket, not a plain temporary file
    "spark.io.encryption.enabled": "true",
}


def run_models(spark, models: Sequence[SqlModel], inputs: dict[str, Path], macros: Macros | None = None) -> SparkRun:
    """Register the Parquet inputs and materialize every model, upstream first."""
    run = SparkRun()
    schemas = {t.split(".")[0] for t in inputs} | {m.layer for m in models}
    for schema in sorted(schemas):
        spark.sql(f"CREATE DATABASE IF NOT EXISTS {schema}")
    for table, location in sorted(inputs.items()):
        spark.sql(f"DROP TABLE IF EXISTS {table}")
        spark.sql(f"CREATE TABLE {table} USING parquet LOCATION '{location}'")
        run.inputs.append(table)
    for model in model_order(models):
        statements = spark_statements(model, macros)
        for _, sql in statements:
            try:
                spark.sql(sql)
            except Exception as exc:  # Spark's analysis errors: name the model, keep the first line
                lines = [ln.strip(": ") for ln in str(exc).splitlines()
                         if ln.strip() and not ln.startswith(("An error occurred", "\tat "))]
                first = lines[0] if lines else type(exc).__name__
                raise SparkModelError(f"{model.path.name}: {first}\n{sql}") from None
        run.statements[model.table] = [sql for _, sql in statements]
        run.models.append(model.table)
    return run


def export_results(spark, tables: Iterable[str], folder: Path) -> dict[str, Path]:
    """Each model's Spark table written as Parquet under `<folder>/<schema>/<table>/`."""
    out: dict[str, Path] = {}
    for table in tables:
        schema, name = table.split(".")
        target = folder / schema / name
        spark.table(table).write.mode("overwrite").parquet(str(target))
        out[table] = target
    return out


def macros_dir(models: Sequence[SqlModel]) -> Path:
    """dbt_like_sql/macros beside the models' layer folders."""
    return models[0].path.parent.parent / "macros" if models else Path("macros")


def run_on_spark(working_db: Path, models: Sequence[SqlModel], workdir: Path, spark=None) -> tuple[SparkRun, dict[str, Path]]:
    """Inputs out of DuckDB as Parquet, every model on Spark, results as Parquet under `workdir/out`.

    `workdir` is emptied first: a Spark run starts from the exported inputs only.
    """
    import shutil

    shutil.rmtree(workdir, ignore_errors=True)
    inputs = export_inputs(working_db, input_tables(models), workdir / "in")
    own_session = spark is None
    spark = spark or spark_session(workdir / "spark-warehouse")
    try:
        run = run_models(spark, models, inputs, load_macros(macros_dir(models)))
        return run, export_results(spark, run.models, workdir / "out")
    finally:
        if own_session:
            spark.stop()


@dataclass(frozen=True)
class TableDiff:
    table: str
    duckdb_rows: int
    spark_rows: int
    only_duckdb: int  # rows (with multiplicity) DuckDB has and Spark lacks
    only_spark: int

    @property
    def equal(self) -> bool:
        return self.only_duckdb == 0 and self.only_spark == 0


def _comparable(column: str, duck_type: str) -> str:
    """One column as both engines' values compare: Spark's Parquet cast to DuckDB's type; floats to 1e-6."""
    quoted = f'"{column}"'
    if duck_type in ("DOUBLE", "FLOAT", "REAL") or duck_type.startswith("DECIMAL"):
        return f"round(CAST({quoted} AS DOUBLE), 6) AS {quoted}"
    return f"CAST({quoted} AS {duck_type}) AS {quoted}"


# Not compared: surrogate keys (an engine's own 64-bit hash of company_id or of a signal's evidence;
# DuckDB's hash() and Spark's xxhash64() differ by design) and the moment a build ran.
NOT_COMPARED = frozenset({"company_key", "key_hash", "first_seen_at", "first_seen", "built_at", "build_id"})


def compare_outputs(working_db: Path, outputs: dict[str, Path]) -> list[TableDiff]:
    """Each model's Spark output against DuckDB's table of the same name, row for row (as multisets),
    all columns but `NOT_COMPARED`."""
    diffs = []
    con = duckdb.connect(str(working_db), read_only=True)
    try:
        for table, folder in sorted(outputs.items()):
            columns = [c for c in con.execute(f"DESCRIBE {table}").fetchall() if c[0] not in NOT_COMPARED]
            select = ", ".join(_comparable(name, dtype) for name, dtype, *_ in columns) or "1 AS one"
            duck = f"SELECT {select} FROM {table}"
            spark = f"SELECT {select} FROM read_parquet('{folder}/*.parquet')"
            count = lambda sql: con.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0]  # noqa: E731
            diffs.append(TableDiff(table, count(duck), count(spark),
                                   count(f"{duck} EXCEPT ALL {spark}"), count(f"{spark} EXCEPT ALL {duck}")))
    finally:
        con.close()
    return diffs
