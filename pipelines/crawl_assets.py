"""One crawl asset per source YAML, made by a factory (never a copy per source).

Key `landing/<source_id>` (the asset is that source's landing folder), group = the source's kind.
The crawl runs in a subprocess through the `crawler` resource; its run stats come back as metadata.
"""


import json
from collections.abc import Sequence
from typing import Any

import dagster as dg

from kernel.sources import SourceConfig
from pipelines.resources import CrawlRunner

LANDING_PREFIX = "landing"

CRAWL_RETRY_POLICY = dg.RetryPolicy(max_retries=2, delay=60, backoff=dg.Backoff.EXPONENTIAL, jitter=dg.Jitter.PLUS_MINUS)

_COUNTERS = ("pages", "list_pages", "detail_pages", "attachments", "items", "quarantined", "blocked", "http_errors")


def crawl_key(source_id: str) -> dg.AssetKey:
    return dg.AssetKey([LANDING_PREFIX, source_id])


def stats_metadata(stats: dict[str, Any]) -> dict[str, Any]:
    """Run stats (contract "Run stats") as asset metadata; item count doubles as row count."""
    metadata: dict[str, Any] = {}
    for name in _COUNTERS:
        if stats.get(name) is not None:
            metadata[name] = dg.MetadataValue.int(int(stats[name]))
    if stats.get("items") is not None:
        metadata["dagster/row_count"] = dg.MetadataValue.int(int(stats["items"]))
    for name in ("run_id", "finish_reason", "started_at", "finished_at"):
        if stats.get(name) is not None:
            metadata[name] = dg.MetadataValue.text(str(stats[name]))
    for name in ("unused_labels", "quarantine_reasons"):
        if stats.get(name):
            metadata[name] = dg.MetadataValue.json(json.loads(json.dumps(stats[name], ensure_ascii=False)))
    return metadata


def _crawl_asset(source: SourceConfig) -> dg.AssetsDefinition:
    static_metadata = {
        "source_id": source.id,
        "kind": source.kind,
        "region": source.region or "",
        "publisher": source.publisher or "",
        "schedule": source.schedule or "",
        "start_urls": dg.MetadataValue.json(list(source.start_urls)),
        "assertions": dg.MetadataValue.json(dict(source.assertions)),
    }
    if source.path is not None:
        static_metadata["config_file"] = dg.MetadataValue.path(str(source.path))

    @dg.asset(
        key=crawl_key(source.id),
        description=f"{source.title} — landing JSONL of each crawl of source {source.id}",
        group_name=source.kind,
        kinds={"scrapy"},
        retry_policy=CRAWL_RETRY_POLICY,
        metadata=static_metadata,
        tags={"tuoke/source": source.id},
    )
    def _crawl(context: dg.AssetExecutionContext, crawler: CrawlRunner) -> dg.MaterializeResult:
        stats = crawler.crawl(context, source.id)
        if not stats:
            raise dg.Failure(f"crawl of {source.id} returned no run stats")
        finish = str(stats.get("finish_reason") or "")
        if finish and finish not in ("finished", "closespider_itemcount", "closespider_pagecount"):
            context.log.warning(f"crawl of {source.id} finished with reason {finish!r}")
        return dg.MaterializeResult(metadata=stats_metadata(stats))

    return _crawl


def build_crawl_assets(sources: Sequence[SourceConfig]) -> list[dg.AssetsDefinition]:
    return [_crawl_asset(source) for source in sources]
