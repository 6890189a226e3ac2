"""Landing: validates mentions, adds provenance, writes landing JSONL, quarantine and run stats.

A Scrapy item pipeline (Scrapy's name; not the Dagster `pipelines/` folder). Per run it writes
`data/landing/<source_id>/<run_id>.jsonl` (one mention per line), `<run_id>.stats.json` and
`data/quarantine/<source_id>/<run_id>.jsonl`. Files are written as `.tmp` and renamed when the
spider closes, so a killed crawl never leaves a half landing file the warehouse could load.

Validation policy (fail loudly, never guess):
- a mention without a usable name, or with a role outside the contract, is quarantined with the
  reason (`missing_name`, `bad_name`, `bad_role`, or the border check's `markup`,
  `control_characters`, `formula_prefix`, `bad_characters`, `not_a_name` from kernel.name_validation);
- an amount outside the plausible range of one award (`kernel.limits.amount_problem`: not positive,
  not finite, or above `MAX_AWARD_YUAN`) does not lose the mention either, and is never scored: the
  mention lands without it (`extra.invalid_amount` keeps the raw value) and the amount is
  quarantined with reason `implausible_amount` and the sentence why;
- an invalid USCC does *not* lose the mention: `uscc` becomes null and the raw text is kept in
  `extra.invalid_uscc` (the name is still evidence; a wrong code must not join companies);
- keys outside the Mention contract are moved into `extra` and counted, so a parser change shows.
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
from collections import Counter
from pathlib import Path

from scrapy import signals

from kernel.contracts import HEALTH_COUNT_KEYS, MENTION_KEYS, ROLES
from kernel.limits import MAX_NAME_LENGTH, amount_problem
from kernel.name_validation import org_name_problem
from kernel.paths import DataPaths
from scrapers.extract import is_valid_uscc
from scrapers.items import Quarantined
from scrapers.provenance import mention_id, utc_now_iso

logger = logging.getLogger(__name__)

# A name is a company / person / organisation name, not a label, a sentence or a number.
_LABEL_LIKE = re.compile(r"(名称|供应商|中标人|候选人|单位)[:：]?$")
_HAS_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z]")


# The landing check is the extractor's (python-stdnum), so a code the parser found is never rejected here.
valid_uscc = is_valid_uscc


def name_problem(name: object) -> tuple[str, str] | None:
    """(reason, detail) when `name` may not become a company: the shared border check
    (kernel.name_validation: markup, control characters, formula prefixes, SQL fragments), then the
    landing's own (a label or a sentence is not a name)."""
    problem = org_name_problem(name)
    if problem is not None:
        return problem.reason, problem.detail
    text = str(name).strip()
    if len(text) > MAX_NAME_LENGTH or "\n" in text or not _HAS_WORD.search(text) or _LABEL_LIKE.search(text):
        return "bad_name", f"name {text!r} is not a usable company name"
    return None


class LandingWriter:
    """Validates and lands mentions; quarantines rejects; writes the run's stats at close."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.paths = DataPaths.from_env()
        self._mention_ids: set[str] = set()
        self.unused_labels: Counter[str] = Counter()
        self.quarantine_reasons: Counter[str] = Counter()
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    # -- lifecycle ----------------------------------------------------------------------------
    def open_spider(self, spider=None):
        spider = spider or self.crawler.spider
        self.source_id = spider.name
        self.source_kind = spider.source.kind
        self.run_id = spider.run_id
        self.started_at = utc_now_iso()
        self.landing_path = self.paths.source_landing(self.source_id) / f"{self.run_id}.jsonl"
        self.quarantine_path = self.paths.source_quarantine(self.source_id) / f"{self.run_id}.jsonl"
        self.stats_path = self.paths.source_landing(self.source_id) / f"{self.run_id}.stats.json"
        for path in (self.landing_path, self.quarantine_path):
            path.parent.mkdir(parents=True, exist_ok=True)
        self._landing = open(_tmp(self.landing_path), "w", encoding="utf-8")
        self._quarantine = open(_tmp(self.quarantine_path), "w", encoding="utf-8")
        self._quarantine_rows = 0

    def spider_closed(self, spider, reason):
        self._landing.close()
        self._quarantine.close()
        os.replace(_tmp(self.landing_path), self.landing_path)
        if self._quarantine_rows:
            os.replace(_tmp(self.quarantine_path), self.quarantine_path)
        else:
            _tmp(self.quarantine_path).unlink(missing_ok=True)
        stats = self.run_stats(reason)
        tmp = _tmp(self.stats_path)
        tmp.write_text(json.dumps(stats, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, self.stats_path)
        logger.info("landed %s mentions in %s (%s quarantined)", stats["items"], self.landing_path,
                    stats["quarantined"])

    def run_stats(self, finish_reason: str) -> dict:
        s = self.stats
        list_pages = s.get_value("tuoke/list_pages", 0)
        detail_pages = s.get_value("tuoke/detail_pages", 0)
        attachments = s.get_value("tuoke/attachments", 0)
        return {
            "source_id": self.source_id,
            "run_id": self.run_id,
            "started_at": self.started_at,
            "finished_at": utc_now_iso(),
            "finish_reason": finish_reason,
            "pages": list_pages + detail_pages + attachments,
            "list_pages": list_pages,
            "detail_pages": detail_pages,
            "attachments": attachments,
            "items": s.get_value("tuoke/items", 0),
            "quarantined": self._quarantine_rows,
            "blocked": s.get_value("tuoke/blocked", 0),
            "http_errors": s.get_value("tuoke/http_errors", 0),
            "unused_labels": dict(self.unused_labels.most_common()),
            "quarantine_reasons": dict(self.quarantine_reasons.most_common()),
            # detail pages per page kind, for sources of kind `auto` (scrapers.extract.pagekind)
            "pages_by_kind": {key.rsplit("/", 1)[1]: value for key, value in sorted(s.get_stats().items())
                              if key.startswith("tuoke/pages_by_kind/")},
            # extraction health (issue 18): what a silent miss would otherwise hide
            **{key: s.get_value(f"tuoke/health/{key}", 0) for key in HEALTH_COUNT_KEYS},
            # Beyond the contract, for monitors and the benchmark (loaders ignore unknown keys).
            "skipped_seen": s.get_value("tuoke/skipped_seen", 0),
            "skipped_backed_off": s.get_value("tuoke/skipped_backed_off", 0),
            "duplicate_mentions": s.get_value("tuoke/duplicate_mentions", 0),
            "downloader_requests": s.get_value("downloader/request_count", 0),
            "cache_hits": s.get_value("httpcache/hit", 0),
            "landing_file": str(self.landing_path),
            "peak_rss_mb": round(_peak_rss_mb(), 1),
        }

    # -- items ----------------------------------------------------------------------------------
    def process_item(self, item, spider=None):
        if isinstance(item, Quarantined):
            self.quarantine(item)
            return item
        page_kind = item.pop("_page_kind", None)  # sources of kind `auto`: the kind of this page
        for label in item.pop("_unused_labels", None) or ():
            self.unused_labels[label] += 1
        if item.pop("_unused_labels_only", False):
            return item
        mention, problem, dropped = self.validate(item)
        if page_kind:
            mention["source_kind"] = page_kind
        for reason, detail in ([problem] if problem else dropped):
            self.quarantine(Quarantined(url=item.get("url") or "", reason=reason, detail=detail,
                                        fetched_at=item.get("fetched_at"), content_hash=item.get("content_hash"),
                                        snippet=json.dumps(_jsonable(item), ensure_ascii=False)[:500]))
        if problem:
            return item
        if mention["mention_id"] in self._mention_ids:
            self.stats.inc_value("tuoke/duplicate_mentions")
            return item
        self._mention_ids.add(mention["mention_id"])
        self._landing.write(json.dumps(mention, ensure_ascii=False, default=str) + "\n")
        self.stats.inc_value("tuoke/items")
        return item

    def quarantine(self, record: Quarantined) -> None:
        row = {
            "source_id": self.source_id,
            "run_id": self.run_id,
            "url": record.url,
            "reason": record.reason,
            "detail": record.detail,
            "fetched_at": record.fetched_at or utc_now_iso(),
            "content_hash": record.content_hash,
            "snippet": record.snippet,
        }
        self._quarantine.write(json.dumps(row, ensure_ascii=False) + "\n")
        self._quarantine_rows += 1
        self.quarantine_reasons[record.reason] += 1

    def validate(self, item: dict) -> tuple[dict, tuple[str, str] | None, list[tuple[str, str]]]:
        """The mention with every contract key; the (reason, detail) it is rejected for, if it is;
        and the (reason, detail) of each value dropped from a mention that still lands."""
        raw = dict(item)
        extra = dict(raw.pop("extra", None) or {})
        mention = {key: raw.pop(key, None) for key in MENTION_KEYS if key != "extra"}
        if raw:  # keys the contract does not know: keep them visible, not silently dropped
            extra.update({k: _jsonable(v) for k, v in raw.items()})
            self.stats.inc_value("tuoke/unknown_mention_keys", len(raw))
        mention["source_id"] = self.source_id
        mention["source_kind"] = self.source_kind
        mention["run_id"] = self.run_id
        if not mention["url"]:
            return mention, ("missing_url", "mention has no url"), []
        problem = name_problem(mention["name"])
        if problem:
            return mention, problem, []
        if mention["role"] not in ROLES:
            return mention, ("bad_role", f"role {mention['role']!r} is not one of {', '.join(sorted(ROLES))}"), []
        dropped: list[tuple[str, str]] = []
        mention["mention_id"] = mention_id(self.source_id, mention["url"], mention["role"], mention["name"],
                                           mention["lot"], mention["rank"])
        mention["name"] = str(mention["name"]).strip()
        if mention["uscc"] is not None:
            candidate = re.sub(r"\s+", "", str(mention["uscc"])).upper()
            if valid_uscc(candidate):
                mention["uscc"] = candidate
            else:
                extra["invalid_uscc"] = str(mention["uscc"])
                mention["uscc"] = None
                self.stats.inc_value("tuoke/invalid_uscc")
        if mention["amount_yuan"] is not None:
            try:
                amount = float(mention["amount_yuan"])
            except (TypeError, ValueError, OverflowError):
                amount = math.nan
            why = amount_problem(amount)
            if why:
                extra["invalid_amount"] = str(mention["amount_yuan"])
                dropped.append(("implausible_amount", f"{mention['name']}: {why}; the mention is kept without it"))
                amount = None
            mention["amount_yuan"] = amount
        if mention["rank"] is not None:
            try:
                mention["rank"] = int(mention["rank"])
            except (TypeError, ValueError):
                extra["invalid_rank"] = str(mention["rank"])
                mention["rank"] = None
        mention["is_correction"] = bool(mention["is_correction"])
        for key in ("published_at", "lot", "notice_id", "supersedes"):
            if mention[key] is not None and not isinstance(mention[key], str):
                mention[key] = mention[key].isoformat() if hasattr(mention[key], "isoformat") else str(mention[key])
        mention["extra"] = extra
        return mention, None, dropped


def _peak_rss_mb() -> float:
    """Peak resident memory of this crawl process.

    Linux: VmHWM of this process image (ru_maxrss would carry over the high-water mark of the
    parent that forked us, e.g. a benchmark holding a generated site). Elsewhere: ru_maxrss.
    """
    import resource
    import sys

    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _tmp(path: Path) -> Path:
    return path.with_name(path.name + ".tmp")


def _jsonable(value):
    try:
        json.dumps(value)
        return value
    except TypeError:
        return str(value)
