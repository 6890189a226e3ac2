"""Every production source (configs/sources/*.yaml) crawls its recorded responses through to landing.

The replay server answers the sources' real URLs with recorded pages (tests/fixtures/replay, written
by record.py from ../shared/real-pages and the sites' real list structures); the shipped YAML runs
unchanged except for its origins and politeness. What each replay proves, and what only the first
live run can, is in README "Sources".
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from replay_helpers import MANIFEST, PRODUCTION_SOURCES, replay_source_dir

from scrapers.run import run_crawl_subprocess

SOURCE_IDS = sorted(p.stem for p in PRODUCTION_SOURCES.glob("*.yaml"))
RECORDED = json.loads(MANIFEST.read_text(encoding="utf-8"))["sources"]


# winner and candidate are one group, as the corpus' score.py counts them (a lone ranked supplier is either)
ROLE_GROUP = {"winner": "supplier", "candidate": "supplier"}


def _key(name: str) -> str:
    text = unicodedata.normalize("NFKC", name or "")
    return "".join(text.split()).replace("(", "（").replace(")", "）").casefold()


def _landed(data_dir: Path, stats: dict) -> list[dict]:
    path = data_dir / "landing" / stats["source_id"] / f"{stats['run_id']}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_at_least_eight_production_sources_each_with_a_recording():
    assert len(SOURCE_IDS) >= 8
    assert sorted(RECORDED) == SOURCE_IDS, "every production source needs recorded responses (record.py)"


@pytest.mark.parametrize("source_id", SOURCE_IDS)
def test_source_crawls_its_recorded_site_to_landing(source_id, replay_bases, tmp_path):
    recorded = RECORDED[source_id]
    sources = replay_source_dir(source_id, replay_bases, tmp_path / "sources", page_size=recorded.get("page_size"))
    data_dir = tmp_path / "data"
    stats = run_crawl_subprocess(source_id, env={"TUOKE_SOURCES_DIR": str(sources), "TUOKE_DATA_DIR": str(data_dir)},
                                 timeout=180)
    assert stats["finish_reason"] == "finished"
    assert stats["blocked"] == 0 and stats["http_errors"] == 0, stats
    if "detail_pages" in recorded:
        assert stats["detail_pages"] == recorded["detail_pages"], stats
    if "list_pages" in recorded:  # the last one is the 404 that ends the paging
        assert stats["list_pages"] == recorded["list_pages"] - 1, stats
    if "attachments" in recorded:
        assert stats["attachments"] == recorded["attachments"], stats
    if "pages_by_kind" in recorded:
        assert stats["pages_by_kind"] == recorded["pages_by_kind"], stats
    landed = _landed(data_dir, stats)
    by_name: dict[str, set[str]] = {}
    for mention in landed:
        by_name.setdefault(_key(mention["name"]), set()).add(ROLE_GROUP.get(mention["role"], mention["role"]))
    missing = []
    for expected in recorded["expect"]:
        names = [expected["name"], *expected["alt_names"]]
        roles = {ROLE_GROUP.get(r, r) for r in (expected["role"], *expected["alt_roles"])}
        if not any(by_name.get(_key(n), set()) & roles for n in names):
            missing.append(f"{expected['role']} {expected['name']}")
    assert not missing, f"{source_id}: not landed: {missing}; landed: {sorted((m['role'], m['name']) for m in landed)}"
    assert len(recorded["expect"]) > 0
