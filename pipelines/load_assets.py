"""The Python steps of the warehouse as assets whose keys are the tables they write.

Each step is one `multi_asset` (one op, one DuckDB write connection) with one AssetSpec per table
it writes, so the sqlglot-derived deps of the SQL models connect to them (`raw/mentions`,
`core/entity_records`, …). The step's module is imported when it runs, not when the definitions
load, so `dagster dev` starts fast and a missing module fails one step, not the whole code location.
"""


import importlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import dagster as dg

from kernel.contracts import REFERENCE_TABLES
from kernel.feeds import feed_names
from pipelines.resources import DUCKDB_WRITE_OP_TAGS, DUCKDB_WRITE_POOL, BuildEngine, TuokeWarehouse
from pipelines.sql_models import table_metadata


def _key(table: str) -> dg.AssetKey:
    return dg.AssetKey(table.split("."))


@dataclass(frozen=True)
class PythonStep:
    """One call `module.function(con, ...)` that writes `produces` and reads `reads`."""

    name: str
    function: str  # "module:function"
    produces: tuple[str, ...]
    reads: tuple[str, ...] = ()
    pass_paths: bool = False
    description: str = ""
    extra_deps: tuple[dg.AssetKey, ...] = field(default=())
    spark_method: str | None = None  # the SparkBuild method that computes the step under the spark engine

    @property
    def group(self) -> str:
        return self.produces[0].split(".")[0]

    @property
    def keys(self) -> list[dg.AssetKey]:
        return [_key(t) for t in self.produces]

    def call(self, con, paths, spark_build=None) -> dict[str, Any]:
        """The step's function, or under the spark engine its `spark_method` (same arguments)."""
        if spark_build is not None and self.spark_method:
            method = getattr(spark_build, self.spark_method)
            return dict((method(con, paths) if self.pass_paths else method(con)) or {})
        module_name, func_name = self.function.split(":")
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            raise dg.Failure(f"step {self.name}: cannot import {module_name} ({exc})") from exc
        func = getattr(module, func_name, None)
        if func is None:
            raise dg.Failure(f"step {self.name}: {module_name} has no function {func_name}")
        result = func(con, paths) if self.pass_paths else func(con)
        return dict(result or {})


def default_steps(feeds: Sequence[str] | None = None, reference_tables: Sequence[str] = REFERENCE_TABLES) -> list[PythonStep]:
    feeds = feed_names() if feeds is None else feeds  # configs/feeds.yaml is their one definition
    return [
        PythonStep(
            name="load_landing",
            function="warehouse.landing_loader:load_landing",
            produces=("raw.mentions", "raw.landing_files", "raw.crawl_stats"),
            pass_paths=True,
            description="Landing JSONL files (one per crawl run) loaded into raw.*, idempotently per file.",
        ),
        PythonStep(
            name="load_feeds",
            function="warehouse.feeds:load_feeds",
            produces=(*(f"raw.feed_{feed}" for feed in feeds), "raw.feed_files"),
            pass_paths=True,
            spark_method="load_feeds",
            description="The bank's internal feeds from data/inbox/<feed>/ after their contract (feeds.yaml).",
        ),
        PythonStep(
            name="load_reference",
            function="warehouse.refdata:load_reference",
            produces=tuple(reference_tables),
            description="Config files as tables: territories → branch, the branches' core enterprises; scoring.yaml as rule tables (signals, "
            "dimensions, rules, products, exclusions, suppressions, segments, alerts, sizing) and the reason macros; "
            "size_standard.yaml and large_enterprises.yaml as the ref.size_* and ref.large_enterprise* tables.",
        ),
        PythonStep(
            name="build_entity_links",
            function="warehouse.entity_links:build_entity_links",
            produces=("core.entity_links", "core.entity_records"),
            reads=("staging.stg_entity_records", "staging.stg_mentions"),
            spark_method="build_entity_links",
            description="Entity resolution: every record naming a company linked to a stable company_id.",
        ),
    ]


def _metadata_value(value: Any) -> Any:
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    return dg.MetadataValue.json(json.loads(json.dumps(value, default=str)))


def step_asset(step: PythonStep, upstream: Iterable[dg.AssetKey] = ()) -> dg.AssetsDefinition:
    deps = [*(_key(t) for t in step.reads), *step.extra_deps, *upstream]
    specs = [
        dg.AssetSpec(
            key=_key(table),
            deps=deps,
            description=f"{table} — {step.description}" if step.description else table,
            group_name=step.group,
            kinds={"duckdb", "python"},
            metadata={"step": step.function},
        )
        for table in step.produces
    ]

    @dg.multi_asset(name=step.name, specs=specs, pool=DUCKDB_WRITE_POOL, op_tags=DUCKDB_WRITE_OP_TAGS, can_subset=False)
    def _run(context: dg.AssetExecutionContext, warehouse: TuokeWarehouse, engine: BuildEngine):
        spark_build = engine.spark_build(warehouse.paths().root) if step.spark_method else None
        with warehouse.open_write() as con:
            summary = step.call(con, warehouse.paths(), spark_build)
            results = []
            for table in step.produces:
                schema, name = table.split(".")
                metadata = table_metadata(con, schema, name)
                if not metadata:
                    context.log.warning(f"{step.function} did not create {table}")
                results.append((table, metadata))
        step_meta = {f"step/{k}": _metadata_value(v) for k, v in summary.items()}
        for table, metadata in results:
            yield dg.MaterializeResult(asset_key=_key(table), metadata={**metadata, **step_meta})

    return _run


def build_step_assets(steps: Sequence[PythonStep], crawl_keys: Sequence[dg.AssetKey] = ()) -> list[dg.AssetsDefinition]:
    """Assets for the Python steps; the landing load depends on every crawl asset."""
    assets = []
    for step in steps:
        upstream = crawl_keys if step.name == "load_landing" else ()
        assets.append(step_asset(step, upstream))
    return assets


def check_step_dependencies(steps: Sequence[PythonStep], produced: Iterable[dg.AssetKey]) -> None:
    """Raise when a Python step reads a table that no asset produces (names the step)."""
    from pipelines.sql_models import ModelError

    produced = set(produced)
    problems = [
        f"step {step.name} ({step.function}): reads {table}, which no asset produces"
        for step in steps
        for table in step.reads
        if _key(table) not in produced
    ]
    if problems:
        raise ModelError("; ".join(problems))
