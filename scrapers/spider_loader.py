"""SPIDER_LOADER_CLASS: one spider per source YAML, built from a few generic spider classes.

`scrapy list` lists `kernel.sources.load_sources()` ids; `scrapy crawl <id>` gets a subclass of
NoticeSpider / ApiSpider / DirectorySpider carrying the source config and its politeness as
`custom_settings`. No spider module is ever copied per site.
"""

from __future__ import annotations

from typing import Any

from scrapy import Spider

from kernel.paths import DataPaths
from kernel.sources import SourceConfig, load_sources
from scrapers.frontier import frontier_settings
from scrapers.operator import crawler_user_agent
from scrapers.spiders.api import ApiSpider
from scrapers.spiders.base import SourceSpider
from scrapers.spiders.directory import DirectorySpider
from scrapers.spiders.notice import NoticeSpider


def spider_base_for(source: SourceConfig) -> type[SourceSpider]:
    """The generic spider that can walk this source's lists (decided by the list's shape)."""
    if source.list.get("api"):
        return ApiSpider
    if source.list.get("tiers") or source.list.get("page_index") or source.kind == "directory":
        return DirectorySpider
    return NoticeSpider


def politeness_settings(source: SourceConfig) -> dict[str, Any]:
    """Per-source Scrapy settings from the YAML `politeness` block (and the data root)."""
    p = source.politeness or {}
    concurrency = int(p.get("concurrency", 4))
    settings: dict[str, Any] = {
        "DOWNLOAD_DELAY": float(p.get("download_delay", 0.5)),
        "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
        "CONCURRENT_REQUESTS": max(concurrency, int(p.get("concurrent_requests", concurrency))),
        "AUTOTHROTTLE_ENABLED": bool(p.get("autothrottle", True)),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(p.get("autothrottle_target_concurrency", max(1.0, concurrency / 2))),
        "HTTPCACHE_DIR": str(DataPaths.from_env().httpcache),
    }
    for key, setting, cast in (
        ("download_timeout", "DOWNLOAD_TIMEOUT", float),
        ("retry_times", "RETRY_TIMES", int),
        ("autothrottle_max_delay", "AUTOTHROTTLE_MAX_DELAY", float),
        ("autothrottle_start_delay", "AUTOTHROTTLE_START_DELAY", float),
    ):
        if key in p:
            settings[setting] = cast(p[key])
    # Not the source's to choose: robots.txt is always obeyed and the user agent names the operator.
    settings["ROBOTSTXT_OBEY"] = True
    settings["USER_AGENT"] = crawler_user_agent()
    if "autothrottle_start_delay" not in p:
        settings["AUTOTHROTTLE_START_DELAY"] = max(settings["DOWNLOAD_DELAY"], 0.1)
    return settings


def build_spider_class(source: SourceConfig) -> type[SourceSpider]:
    base = spider_base_for(source)
    class_name = "".join(part.title() for part in source.id.split("_")) + base.__name__
    return type(class_name, (base,), {
        "name": source.id,
        "source": source,
        "custom_settings": {**politeness_settings(source), **frontier_settings(source)},
        "__module__": base.__module__,
        "__doc__": f"{source.title} ({source.kind}), built from {source.path}",
    })


class SourceSpiderLoader:
    def __init__(self, settings=None):
        self.settings = settings
        self._classes: dict[str, type[SourceSpider]] | None = None

    @classmethod
    def from_settings(cls, settings):
        return cls(settings)

    def _spiders(self) -> dict[str, type[SourceSpider]]:
        # Built lazily: TUOKE_SOURCES_DIR / TUOKE_DEMO_BASE_URL are read when a spider is asked for.
        if self._classes is None:
            self._classes = {s.id: build_spider_class(s) for s in load_sources()}
        return self._classes

    def load(self, spider_name: str) -> type[Spider]:
        try:
            return self._spiders()[spider_name]
        except KeyError:
            raise KeyError(f"Spider not found: {spider_name}") from None

    def list(self) -> list[str]:
        return sorted(self._spiders())

    def find_by_request(self, request) -> list[str]:
        return [name for name, cls in self._spiders().items() if cls.handles_request(request)]
