"""Jobs: `build` (everything downstream of landing files and internal feeds, no crawl),
`crawl_all`, and one `crawl_<source_id>` per source (that crawl, then the rebuild it feeds)."""

from __future__ import annotations

from collections.abc import Sequence

import dagster as dg

from kernel.sources import SourceConfig
from pipelines.crawl_assets import LANDING_PREFIX, crawl_key

BUILD_JOB = "build"
CRAWL_ALL_JOB = "crawl_all"


def build_selection() -> dg.AssetSelection:
    """Every asset except the crawls (and their checks)."""
    return dg.AssetSelection.all() - dg.AssetSelection.key_prefixes([LANDING_PREFIX])


def crawl_job_name(source_id: str) -> str:
    return f"crawl_{source_id}"


def build_jobs(sources: Sequence[SourceConfig]) -> list[dg.UnresolvedAssetJobDefinition]:
    jobs = [
        dg.define_asset_job(
            BUILD_JOB,
            selection=build_selection(),
            description="Load landing files, internal feeds and reference tables, resolve, rank, "
            "check, and publish data/tuoke.duckdb. No crawl.",
            tags={"tuoke/job": "build"},
        ),
    ]
    if sources:
        jobs.append(
            dg.define_asset_job(
                CRAWL_ALL_JOB,
                selection=dg.AssetSelection.key_prefixes([LANDING_PREFIX]),
                description="Crawl every source (no build). Backfill-style re-crawl of all sources.",
                tags={"tuoke/job": "crawl"},
            )
        )
    for source in sources:
        jobs.append(
            dg.define_asset_job(
                crawl_job_name(source.id),
                selection=dg.AssetSelection.assets(crawl_key(source.id)).downstream(),
                description=f"Crawl {source.id} ({source.title}), then rebuild and publish what it feeds.",
                tags={"tuoke/job": "crawl", "tuoke/source": source.id},
            )
        )
    return jobs
