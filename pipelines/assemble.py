"""Builds the Definitions from data: source YAMLs, SQL model files and the Python step table.

Every argument defaults to the project's own folders; tests pass small folders of their own.
Load-time validation: every table a SQL model reads must be produced by some asset, else a
ModelError naming the file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import dagster as dg

from kernel.paths import REPO_ROOT, sources_dir, sql_models_dir
from kernel.sources import SourceConfig, load_sources
from pipelines.checks import build_crawl_checks, build_warehouse_checks
from pipelines.crawl_assets import build_crawl_assets, crawl_key
from pipelines.executors import executor_from_env
from pipelines.jobs import build_jobs
from pipelines.load_assets import PythonStep, build_step_assets, check_step_dependencies, default_steps
from pipelines.publish import build_publish_asset
from pipelines.resources import BuildEngine, CrawlRunner, TuokeWarehouse
from pipelines.schedules import build_schedules
from pipelines.sensors import internal_feed_sensor
from pipelines.sql_models import ModelError, build_sql_model_assets, check_model_dependencies


def _asset_keys(assets: Sequence[dg.AssetsDefinition]) -> list[dg.AssetKey]:
    return [key for a in assets for key in a.keys]


def default_resources() -> dict[str, Any]:
    # No env read here: both resources read TUOKE_DATA_DIR when used.
    return {"warehouse": TuokeWarehouse(), "crawler": CrawlRunner(), "engine": BuildEngine()}


def build_definitions(
    *,
    sources: Sequence[SourceConfig] | None = None,
    sources_folder: Path | None = None,
    models_dir: Path | None = None,
    steps: Sequence[PythonStep] | None = None,
    resources: Mapping[str, Any] | None = None,
) -> dg.Definitions:
    if sources is None:
        folder = Path(sources_folder) if sources_folder else sources_dir()
        sources = load_sources(folder) if folder.is_dir() else []
    steps = default_steps() if steps is None else list(steps)

    crawl_assets = build_crawl_assets(sources)
    crawl_keys = [crawl_key(s.id) for s in sources]
    step_assets = build_step_assets(steps, crawl_keys)
    models, model_assets = build_sql_model_assets(Path(models_dir) if models_dir else sql_models_dir(), REPO_ROOT)

    produced = _asset_keys(crawl_assets) + _asset_keys(step_assets) + _asset_keys(model_assets)
    duplicates = sorted({k.to_user_string() for k in produced if produced.count(k) > 1})
    if duplicates:
        raise ModelError(f"tables produced by two assets: {', '.join(duplicates)}")
    check_model_dependencies(models, produced)
    check_step_dependencies(steps, produced)

    warehouse_keys = _asset_keys(step_assets) + _asset_keys(model_assets)
    publish_asset = build_publish_asset(warehouse_keys)

    return dg.Definitions(
        assets=[*crawl_assets, *step_assets, *model_assets, publish_asset],
        asset_checks=[*build_crawl_checks(sources), *build_warehouse_checks(warehouse_keys)],
        jobs=build_jobs(sources),
        schedules=build_schedules(sources),
        sensors=[internal_feed_sensor],
        # a caller's resources without an engine get the default one (env TUOKE_ENGINE, else duckdb)
        resources={"engine": BuildEngine(), **resources} if resources is not None else default_resources(),
        executor=executor_from_env(),
    )
