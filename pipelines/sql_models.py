"""One Dagster asset `[layer, name]` per dbt_like_sql model file (warehouse/engines/sql_models.py
reads the files): upstream assets are the tables the SQL reads, the header comment becomes the
description, and columns + row count become metadata. Adding a model is adding a file.
"""


from collections.abc import Iterable
from pathlib import Path

import dagster as dg

from pipelines.resources import DUCKDB_WRITE_OP_TAGS, DUCKDB_WRITE_POOL, BuildEngine, TuokeWarehouse
from warehouse.engines.sql_models import (  # noqa: F401 (the asset factory's callers import them here)
    LAYERS,
    ModelError,
    SqlModel,
    discover_models,
    header_comment,
    parse_model,
)


def model_key(model: SqlModel) -> dg.AssetKey:
    return dg.AssetKey([model.layer, model.name])


def upstream_keys(model: SqlModel) -> list[dg.AssetKey]:
    return [dg.AssetKey([schema, table]) for schema, table in model.upstream]


def check_model_dependencies(models: Iterable[SqlModel], produced: Iterable[dg.AssetKey]) -> None:
    """Raise naming the file when a model reads a table that no asset produces."""
    produced = set(produced)
    problems = []
    for model in models:
        missing = [".".join(k.path) for k in upstream_keys(model) if k not in produced]
        if missing:
            problems.append(f"{model.path}: reads {', '.join(missing)}, which no asset produces")
    if problems:
        raise ModelError("; ".join(problems))


def table_metadata(con, schema: str, table: str) -> dict:
    """Columns (as a Dagster table schema) and row count of a warehouse table."""
    columns = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position",
        [schema, table],
    ).fetchall()
    if not columns:
        return {}
    rows = con.execute(f'SELECT count(*) FROM "{schema}"."{table}"').fetchone()[0]
    return {
        "dagster/column_schema": dg.TableSchema(
            columns=[dg.TableColumn(name=c, type=t) for c, t in columns]
        ),
        "dagster/row_count": dg.MetadataValue.int(int(rows)),
        "table": dg.MetadataValue.text(f"{schema}.{table}"),
    }


def _model_asset(model: SqlModel, repo_root: Path | None) -> dg.AssetsDefinition:
    try:
        shown = model.path.relative_to(repo_root) if repo_root else model.path
    except ValueError:
        shown = model.path

    @dg.asset(
        key=model_key(model),
        deps=upstream_keys(model),
        description=model.description,
        group_name=model.layer,
        pool=DUCKDB_WRITE_POOL,
        op_tags=DUCKDB_WRITE_OP_TAGS,
        kinds={"duckdb", "sql"},
        code_version=model.code_version,
        metadata={"sql_file": dg.MetadataValue.path(str(shown))},
    )
    def _materialize(context: dg.AssetExecutionContext, warehouse: TuokeWarehouse,
                     engine: BuildEngine) -> dg.MaterializeResult:
        spark_build = engine.spark_build(warehouse.paths().root)
        with warehouse.open_write() as con:
            try:
                if spark_build is not None:  # transpiled, run on Spark, copied into the working DuckDB
                    spark_build.run_model(con, model)
                else:
                    con.execute(model.sql)
            except Exception as exc:
                raise dg.Failure(
                    description=f"{shown}: {str(exc).splitlines()[0]}",
                    metadata={"sql_file": str(shown)},
                ) from exc
            metadata = table_metadata(con, model.layer, model.name)
        if not metadata:
            raise dg.Failure(f"{shown} ran but {model.table} does not exist afterwards")
        return dg.MaterializeResult(metadata=metadata)

    return _materialize


def build_sql_model_assets(models_dir: Path, repo_root: Path | None = None) -> tuple[list[SqlModel], list[dg.AssetsDefinition]]:
    """One asset per model file under models_dir (the folder is a parameter, for tests)."""
    models = discover_models(models_dir)
    return models, [_model_asset(m, repo_root) for m in models]
