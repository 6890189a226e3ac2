"""Helpers for crawl tests: real web servers in their own processes, real crawls in subprocesses."""

from __future__ import annotations

import gzip
import json
import os
import pickle
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent


@contextmanager
def robust_site_server():
    """tests/scrapers/robust_site.py on a free port; yields its base URL."""
    proc = subprocess.Popen([sys.executable, str(HERE / "robust_site.py")], stdout=subprocess.PIPE, text=True)
    try:
        base_url = proc.stdout.readline().strip()
        assert base_url.startswith("http://"), "robust test site did not start"
        yield base_url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def crawl_env(base_url: str, sources_dir: Path, data_dir: Path) -> dict[str, str]:
    return {"TUOKE_DEMO_BASE_URL": base_url, "TUOKE_SOURCES_DIR": str(sources_dir), "TUOKE_DATA_DIR": str(data_dir)}


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def landing_rows(data_dir: Path, stats: dict) -> list[dict]:
    return read_jsonl(data_dir / "landing" / stats["source_id"] / f"{stats['run_id']}.jsonl")


def quarantine_rows(data_dir: Path, stats: dict) -> list[dict]:
    path = data_dir / "quarantine" / stats["source_id"] / f"{stats['run_id']}.jsonl"
    return read_jsonl(path) if path.exists() else []


def cached_urls(data_dir: Path, source_id: str) -> set[str]:
    """URLs stored by Scrapy's FilesystemCacheStorage for one spider."""
    root = data_dir / "httpcache" / source_id
    urls = set()
    for meta in root.glob("*/*/pickled_meta"):
        raw = meta.read_bytes()
        urls.add(pickle.loads(gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw)["url"])
    return urls


def scrapy_env(extra: dict[str, str]) -> dict[str, str]:
    return {**os.environ, **extra}
