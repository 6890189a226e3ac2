"""The Spark engine of a build: the build job's heavy steps computed on one SparkSession.

`tuoke build --engine spark` (or `TUOKE_ENGINE=spark` for a Dagster run) runs the same `build` job,
asset for asset; the engine only changes who computes three kinds of step:

- `load_feeds`: each feed file's rows are checked on Spark (warehouse/engines/spark_feeds.py) by the
  loader's own row check; files are refused, and rows quarantined, by the same code as on DuckDB;
- `build_entity_links`: resolution components on Spark, each partition resolved by the local
  resolver (warehouse/engines/spark_resolve.py); records described on the driver;
- every SQL model: transpiled and run on Spark (warehouse/engines/spark.py) over Parquet tables.

The working DuckDB stays the build's catalogue: each step's tables land there, so the asset
checks, the rank history and the publish step (the read-only `data/tuoke.duckdb` regional heads
query) are the DuckDB engine's own. Spark reads the tables that DuckDB steps wrote as Parquet
exports (once per build) and keeps the tables its models write, so a model reads its upstream
models' Spark tables, not a round trip through DuckDB.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from kernel.engine_config import SparkSettings, load_engine_config
from kernel.paths import DataPaths
from warehouse.engines.spark_resolve import under
from warehouse.engines.sql_models import SqlModel


def _is_uri(location: str) -> bool:
    return "://" in location and not location.startswith("file://")


class SparkBuild:
    """One build's Spark side: the session (started on first use), its workdir, the tables it holds."""

    def __init__(self, data_root: Path, spark=None, settings: SparkSettings | None = None):
        self.settings = settings or load_engine_config().spark
        self.workdir = self.settings.workdir_under(Path(data_root))
        self._spark = spark
        self._own_session = spark is None
        self.tables: dict[str, str] = {}  # schema.table → location, every table registered in the session
        self.last_resolution: dict = {}

    @property
    def spark(self):
        if self._spark is None:
            from pyspark.sql import SparkSession

            from warehouse.engines.spark import spark_session

            # a session already running (a notebook's) is used with tuoke's SQL settings, never stopped
            self._own_session = SparkSession.getActiveSession() is None
            self._spark = spark_session(under(self.workdir, "tables"), app_name="tuoke-build")
            # Spark's WARNs (one per window without a partition) would drown the build's report
            self._spark.sparkContext.setLogLevel("ERROR")
            for folder in ("tables", "in"):  # a build starts from its own inputs; a table's folder
                self._delete(under(self.workdir, folder))  # left by the last build would refuse CREATE TABLE
        return self._spark

    def _delete(self, location: str) -> None:
        """Remove a folder through Hadoop's file system: a local path and an hdfs:// URI alike."""
        jvm = self._spark._jvm
        path = jvm.org.apache.hadoop.fs.Path(location)
        path.getFileSystem(self._spark._jsc.hadoopConfiguration()).delete(path, True)

    def stop(self) -> None:
        """Stop the session if this build started it (a JVM must not outlive its build)."""
        if self._spark is not None and self._own_session:
            self._spark.stop()
        self._spark = None

    # -- feeds ------------------------------------------------------------------------------

    def load_feeds(self, con: duckdb.DuckDBPyConnection, paths: DataPaths) -> dict:
        from warehouse.engines.spark_feeds import spark_row_checker
        from warehouse.feeds import load_feeds

        result = load_feeds(con, paths, check_rows=spark_row_checker(self.spark, self.settings.feed_partitions))
        return {**result, "engine": "spark"}

    # -- resolution -------------------------------------------------------------------------

    def resolve(self, records: pd.DataFrame, judgements: Path | None, previous: pd.DataFrame | None
                ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """`warehouse.entity_links.Resolver` on Spark: the links partition by partition, the records'
        name fields (core.entity_records) described on the driver."""
        from warehouse.engines.spark_resolve import resolve_on_spark
        from warehouse.resolve import describe_records

        links, stats = resolve_on_spark(self.spark, records, under(self.workdir, "resolve"), judgements=judgements,
                                        previous=previous, partitions=self.settings.resolve_partitions)
        self.last_resolution = stats
        return links, describe_records(records)

    def build_entity_links(self, con: duckdb.DuckDBPyConnection) -> dict:
        from warehouse.entity_links import build_entity_links

        summary = build_entity_links(con, resolver=self.resolve)
        return {**summary, "engine": "spark", **{f"spark_{k}": v for k, v in self.last_resolution.items()}}

    # -- SQL models -------------------------------------------------------------------------

    def _export(self, con: duckdb.DuckDBPyConnection, table: str) -> str:
        """A table a DuckDB step wrote, as Parquet Spark can read (once per build)."""
        schema, name = table.split(".")
        location = under(self.workdir, f"in/{schema}/{name}")
        if _is_uri(location):  # DuckDB cannot write there: through the driver
            self.spark.createDataFrame(con.execute(f'SELECT * FROM "{schema}"."{name}"').df()) \
                .write.mode("overwrite").parquet(location)
        else:
            Path(location).mkdir(parents=True, exist_ok=True)
            for old in Path(location).glob("*.parquet"):
                old.unlink()
            con.execute(f"COPY (SELECT * FROM \"{schema}\".\"{name}\") TO '{location}/part-0.parquet' (FORMAT parquet)")
        return location

    def run_model(self, con: duckdb.DuckDBPyConnection, model: SqlModel) -> list[str]:
        """The model on Spark, its table then copied into the working DuckDB; the statements run."""
        from warehouse.engines.spark import load_macros, macros_dir, run_models

        inputs = {}
        for schema, name in model.upstream:
            table = f"{schema}.{name}"
            if table not in self.tables:
                inputs[table] = self._export(con, table)
        run = run_models(self.spark, [model], inputs, load_macros(macros_dir([model])))
        self.tables.update(inputs)
        self.tables[model.table] = self._location(model.table)
        if model.is_view:  # a view computes nothing: DuckDB's own over the tables it already holds
            con.execute(model.sql)
        else:
            self._copy_into_duckdb(con, model.table, duckdb_types(con, model))
        return run.statements[model.table]

    def _location(self, table: str) -> str:
        rows = self.spark.sql(f"DESCRIBE TABLE EXTENDED {table}").collect()
        found = [r.data_type for r in rows if r.col_name == "Location"]
        return found[0] if found else ""

    def _copy_into_duckdb(self, con: duckdb.DuckDBPyConnection, table: str, types: dict[str, str]) -> None:
        """The Spark table as a DuckDB table, each column in the type DuckDB's run would give it
        (JSON stays JSON, a BIGINT rank a BIGINT); unsigned integers keep Spark's signed values."""
        schema, name = table.split(".")
        location = self.tables[table].removeprefix("file:")
        files = sorted(Path(location).glob("*.parquet")) if location and not _is_uri(location) else []
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
        if files:
            listed = ", ".join("'" + str(f).replace("'", "''") + "'" for f in files)  # a view takes no parameters
            con.execute(f"CREATE OR REPLACE TEMP VIEW spark_table_frame AS SELECT * FROM read_parquet([{listed}])")
        else:  # a URI, or a table without part files
            con.register("spark_table_frame", self.spark.table(table).toArrow())
        try:
            columns = [r[0] for r in con.execute("DESCRIBE spark_table_frame").fetchall()]
            typed = ", ".join(_typed(c, types.get(c)) for c in columns)
            try:
                con.execute(f"CREATE OR REPLACE TABLE {schema}.{name} AS SELECT {typed} FROM spark_table_frame")
            except duckdb.Error:  # a value DuckDB's type cannot hold: Spark's types, not a failed build
                con.execute(f"CREATE OR REPLACE TABLE {schema}.{name} AS SELECT * FROM spark_table_frame")
        finally:
            if files:
                con.execute("DROP VIEW IF EXISTS spark_table_frame")
            else:
                con.unregister("spark_table_frame")


UNSIGNED = ("UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT")


def _typed(column: str, duck_type: str | None) -> str:
    quoted = f'"{column}"'
    if duck_type is None or duck_type in UNSIGNED:
        return quoted
    return f"CAST({quoted} AS {duck_type}) AS {quoted}"


def duckdb_types(con: duckdb.DuckDBPyConnection, model: SqlModel) -> dict[str, str]:
    """Column → type of the model's query as DuckDB binds it (DESCRIBE binds, it runs nothing);
    empty when the query reads a table of the model's own earlier statements."""
    import sqlglot
    from sqlglot import exp

    for statement in sqlglot.parse(model.sql, read="duckdb"):
        if isinstance(statement, exp.Create) and statement.expression is not None and \
                statement.this.sql(dialect="duckdb").lower() == model.table:
            try:
                rows = con.execute(f"DESCRIBE {statement.expression.sql(dialect='duckdb')}").fetchall()
            except duckdb.Error:
                return {}
            return {row[0]: row[1] for row in rows}
    return {}
