"""Incremental-crawl state: detail URLs and notice ids already fetched, per source.

Kept in `data/state/<source_id>/seen.json` and rewritten only when a crawl closes with
finish_reason `finished`, so a crashed or killed run never marks pages it did not land as seen.
"""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path

from scrapers.provenance import utc_now_iso


class SeenState:
    def __init__(self, path: Path):
        self.path = path
        self.urls: set[str] = set()
        self.notice_ids: set[str] = set()
        self._loaded_urls = 0
        if path.exists():
            data = json.loads(path.read_text(encoding="utf-8"))
            self.urls = set(data.get("urls") or [])
            self.notice_ids = set(data.get("notice_ids") or [])
            self._loaded_urls = len(self.urls)

    @classmethod
    def for_source(cls, state_root: Path, source_id: str) -> SeenState:
        return cls(state_root / source_id / "seen.json")

    def seen_url(self, url: str) -> bool:
        return url in self.urls

    def seen_notice(self, notice_id: object) -> bool:
        return notice_id is not None and str(notice_id) in self.notice_ids

    def add(self, url: str | None = None, notice_id: object = None) -> None:
        if url:
            self.urls.add(url)
        if notice_id is not None and notice_id != "":
            self.notice_ids.add(str(notice_id))

    def save(self) -> None:
        """Atomic, and merged with what is on disk under a lock: several processes crawling one
        source (shared frontier) each add what they fetched, none overwrites the others."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_suffix(".json.lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if self.path.exists():
                on_disk = json.loads(self.path.read_text(encoding="utf-8"))
                self.urls |= set(on_disk.get("urls") or [])
                self.notice_ids |= set(on_disk.get("notice_ids") or [])
            tmp = self.path.with_suffix(f".json.{os.getpid()}.tmp")
            payload = {
                "updated_at": utc_now_iso(),
                "urls": sorted(self.urls),
                "notice_ids": sorted(self.notice_ids),
            }
            tmp.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, self.path)
