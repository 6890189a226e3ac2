"""Dry run of one source: one list page, one detail page (and up to two of its attachments), mentions
printed, nothing written (no landing file, no quarantine file, no seen state, no HTTP cache).

    python -m scrapers.dryrun SOURCE_ID   → one JSON object per line on stdout:
        {"mention": {...}} | {"quarantined": {...}} | last: {"dry_run": {source_id, pages, requests, ...}}

The first thing an operator runs against a live site: the shipped selectors, paging and decoding
meet the real pages, and a redesigned page shows up as no mentions or a quarantine reason.
`tuoke crawl SOURCE --dry-run` runs this in a subprocess (the Twisted reactor cannot restart).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from dataclasses import asdict, is_dataclass
from typing import Any

from scrapy import signals
from scrapy.exceptions import IgnoreRequest

from kernel.errors import UserError

# One page of each kind; a list page is a list or API page with no page number or page 1, plus the
# file-list call of an API notice (State Grid ECP).
LIMITS = {"list": 2, "detail": 1, "attachment": 2}


class DryRunLimiter:
    """Downloader middleware: refuses every request past one list page and one detail page."""

    def __init__(self):
        self.allowed: Counter[str] = Counter()
        self.refused: Counter[str] = Counter()

    @classmethod
    def from_crawler(cls, crawler):
        limiter = cls()
        crawler.dry_run_limiter = limiter  # read by CollectMentions for its summary
        return limiter

    def process_request(self, request, spider=None):
        if request.url.endswith("/robots.txt"):
            return None
        page_type = request.meta.get("page_type") or "detail"
        later_page = int(request.meta.get("page_no") or 1) > 1
        is_file_list = getattr(request.callback, "__name__", "") == "parse_files"
        if page_type == "list" and (later_page or (self.allowed["list_page"] >= 1 and not is_file_list)):
            self.refused[page_type] += 1
            raise IgnoreRequest(f"dry run: only one {page_type} page")
        if page_type == "list":
            self.allowed["list_page" if not is_file_list else "file_list"] += 1
            return None
        if self.allowed[page_type] >= LIMITS.get(page_type, 1):
            self.refused[page_type] += 1
            raise IgnoreRequest(f"dry run: only {LIMITS.get(page_type, 1)} {page_type} page(s)")
        self.allowed[page_type] += 1
        return None


class CollectMentions:
    """Item pipeline of a dry run: mentions and quarantines printed as JSON lines, never written."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.mentions: list[dict] = []
        self.quarantined: list[dict] = []

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.close, signal=signals.spider_closed)
        return pipeline

    def process_item(self, item, spider=None):
        if is_dataclass(item):
            self.quarantined.append(_jsonable(asdict(item)))
        elif isinstance(item, dict) and not item.get("_unused_labels_only"):
            self.mentions.append({k: _jsonable(v) for k, v in item.items() if not k.startswith("_") and v not in (None, "", {}, [])})
        return item

    def close(self, spider=None, reason: str = ""):
        out = sys.stdout
        for mention in self.mentions:
            out.write(json.dumps({"mention": mention}, ensure_ascii=False) + "\n")
        for row in self.quarantined:
            out.write(json.dumps({"quarantined": row}, ensure_ascii=False) + "\n")
        stats = self.crawler.stats.get_stats()
        limiter = getattr(self.crawler, "dry_run_limiter", None)
        summary = {
            "source_id": getattr(spider, "name", None),
            "finish_reason": reason,
            "list_pages": stats.get("tuoke/list_pages", 0),
            "detail_pages": stats.get("tuoke/detail_pages", 0),
            "attachments": stats.get("tuoke/attachments", 0),
            "mentions": len(self.mentions),
            "quarantined": len(self.quarantined),
            "pages_by_kind": {k.rsplit("/", 1)[1]: v for k, v in stats.items() if k.startswith("tuoke/pages_by_kind/")},
            "health": {k.rsplit("/", 1)[1]: v for k, v in stats.items() if k.startswith("tuoke/health/")},
            "not_fetched": dict(limiter.refused) if limiter else {},
            "responses": stats.get("downloader/response_count", 0),
        }
        out.write(json.dumps({"dry_run": summary}, ensure_ascii=False) + "\n")
        out.flush()


def _jsonable(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    return str(value)


def dry_run(source_id: str) -> None:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "scrapers.settings")
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    downloader = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
    downloader["scrapers.dryrun.DryRunLimiter"] = 50  # before the cache and the network
    for key, value in {"ITEM_PIPELINES": {"scrapers.dryrun.CollectMentions": 100}, "HTTPCACHE_ENABLED": False,
                       "DOWNLOADER_MIDDLEWARES": downloader, "LOG_LEVEL": "WARNING"}.items():
        settings.set(key, value, priority="cmdline")
    process = CrawlerProcess(settings)
    if source_id not in process.spider_loader.list():
        raise UserError(f"no source {source_id!r} in the source folder (TUOKE_SOURCES_DIR); see `tuoke sources`")
    process.crawl(source_id, dry_run=True)
    process.start()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scrapers.dryrun", description=__doc__.splitlines()[0])
    parser.add_argument("source_id")
    args = parser.parse_args(argv)
    try:
        dry_run(args.source_id)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
