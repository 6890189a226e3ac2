"""Real crawls of the generated demo site, one per demo source YAML, each in its own process."""

from __future__ import annotations

import inspect
import json
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from crawl_helpers import cached_urls, crawl_env, landing_rows, quarantine_rows

from kernel.paths import demo_sources_dir
from scrapers.landing import MENTION_KEYS, ROLES
from scrapers.run import run_crawl_subprocess
from scrapers.spider_loader import spider_base_for

generate = pytest.importorskip("demo.generate", reason="demo site generator not available")
demo_server = pytest.importorskip("demo.server", reason="demo server not available")

INCREMENTAL_SOURCE = "demo_zj_award"
# Sources pointing at the demo server's /_test/ robustness endpoints (start URLs are fetched as
# list pages, so every failure mode meets the spider's error path).
TEST_ENDPOINT_SOURCES = {
    "demo_test_errors": """\
id: demo_test_errors
kind: procurement_award
start_urls: ["{demo_base}/_test/500", "{demo_base}/_test/slow?ms=5000", "{demo_base}/_test/truncated",
             "{demo_base}/zfcg/zbgg/index.htm"]
list: {item_links: "ul.news-list li a::attr(href)", max_pages: 1}
politeness: {download_delay: 0, concurrency: 4, download_timeout: 1.5, retry_times: 1}
""",
    "demo_test_antibot": """\
id: demo_test_antibot
kind: procurement_award
start_urls: ["{demo_base}/_test/antibot", "{demo_base}/zfcg/zbgg/index.htm"]
list: {item_links: "ul.news-list li a::attr(href)", max_pages: 1}
politeness: {download_delay: 0, concurrency: 1, download_timeout: 5}
""",
}


def _small_site(site_dir):
    params = inspect.signature(generate.generate_site).parameters
    if "notices" in params:
        return generate.generate_site(site_dir, notices=120)
    return generate.generate_site(site_dir)


@pytest.fixture(scope="module")
def demo_crawls(tmp_path_factory):
    import os

    site = tmp_path_factory.mktemp("site")
    data = tmp_path_factory.mktemp("data")
    _small_site(site)
    with demo_server.DemoServer(site) as server:
        env = crawl_env(server.base_url, demo_sources_dir(), data)
        old = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        try:
            from kernel.sources import load_sources

            sources = {s.id: s for s in load_sources()}
        finally:
            for k, v in old.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        test_sources = tmp_path_factory.mktemp("test_sources")
        for sid, text in TEST_ENDPOINT_SOURCES.items():
            (test_sources / f"{sid}.yaml").write_text(text, encoding="utf-8")
        test_env = crawl_env(server.base_url, test_sources, data)
        with ThreadPoolExecutor(max_workers=5) as pool:
            futures = {sid: pool.submit(run_crawl_subprocess, sid, env=test_env, timeout=120)
                       for sid in TEST_ENDPOINT_SOURCES}
            futures.update({sid: pool.submit(run_crawl_subprocess, sid, env=env, timeout=120) for sid in sources})
            first = {sid: f.result() for sid, f in futures.items()}
        second = run_crawl_subprocess(INCREMENTAL_SOURCE, env=env, timeout=120)
    return data, sources, first, second


def test_every_demo_source_lands_valid_mentions(demo_crawls):
    data, sources, first, _ = demo_crawls
    assert sources, "no demo source YAMLs"
    for sid, stats in first.items():
        if sid in TEST_ENDPOINT_SOURCES:
            continue
        assert stats["finish_reason"] == "finished", sid
        assert stats["blocked"] == 0, f"{sid}: {stats}"
        # the demo links a few dead attachments on purpose; nothing else may fail over HTTP
        assert stats["http_errors"] == stats["quarantine_reasons"].get("http_404", 0), f"{sid}: {stats}"
        # every page reached either landing or quarantine (extraction quality is tested in extract's tests)
        assert stats["items"] + stats["quarantined"] > 0, f"{sid} produced nothing: {stats}"
        rows = landing_rows(data, stats)
        assert len(rows) == stats["items"]
        for row in rows:
            assert set(row) == set(MENTION_KEYS), sid
            assert row["source_id"] == sid and row["source_kind"] == sources[sid].kind
            assert row["role"] in ROLES and row["name"].strip() == row["name"] and row["name"]
            assert re.fullmatch(r"[0-9a-f]{40}", row["mention_id"]) and re.fullmatch(r"[0-9a-f]{40}", row["content_hash"])
            assert row["uscc"] is None or len(row["uscc"]) == 18
        assert len({r["mention_id"] for r in rows}) == len(rows)


def test_each_generic_spider_kind_is_exercised(demo_crawls):
    _, sources, first, _ = demo_crawls
    crawled_by = {spider_base_for(sources[sid]).__name__ for sid, s in first.items() if s["items"] and sid in sources}
    assert {"NoticeSpider", "ApiSpider", "DirectorySpider"} <= crawled_by


def test_stats_are_consistent_with_the_files(demo_crawls):
    data, _, first, _ = demo_crawls
    for sid, stats in first.items():
        if sid in TEST_ENDPOINT_SOURCES:
            continue
        assert stats["pages"] == stats["list_pages"] + stats["detail_pages"] + stats["attachments"]
        assert stats["quarantined"] == len(quarantine_rows(data, stats)) == sum(stats["quarantine_reasons"].values())
        on_disk = json.loads((data / "landing" / stats["source_id"] / f"{stats['run_id']}.stats.json").read_text())
        assert on_disk["items"] == stats["items"]
        assert not list((data / "landing" / stats["source_id"]).glob("*.tmp"))


def test_second_crawl_of_unchanged_site_fetches_no_detail_page(demo_crawls):
    _, _, first, second = demo_crawls
    assert first[INCREMENTAL_SOURCE]["detail_pages"] > 0
    assert second["finish_reason"] == "finished"
    assert second["detail_pages"] == 0 and second["attachments"] == 0
    assert second["list_pages"] >= 1  # list pages are always re-read …
    assert first[INCREMENTAL_SOURCE]["list_pages"] > 1  # the test site pages its award list …
    assert second["list_pages"] < first[INCREMENTAL_SOURCE]["list_pages"]  # … and the walk stops at seen links


def test_list_pages_never_land_in_the_http_cache_but_detail_pages_do(demo_crawls):
    data, sources, first, _ = demo_crawls
    stats = first[INCREMENTAL_SOURCE]
    cached = cached_urls(data, INCREMENTAL_SOURCE)
    detail_urls = {r["url"] for r in landing_rows(data, stats)}
    assert detail_urls and detail_urls <= cached
    assert not set(sources[INCREMENTAL_SOURCE].start_urls) & cached
    assert not any(re.search(r"/index(_\d+)?\.html?$", u) for u in cached)


def test_demo_500_slow_and_truncated_endpoints_are_counted_and_the_crawl_goes_on(demo_crawls):
    data, _, first, _ = demo_crawls
    stats = first["demo_test_errors"]
    assert stats["finish_reason"] == "finished"
    reasons = stats["quarantine_reasons"]
    assert reasons.get("http_500") == 1 and reasons.get("timeout") == 1
    assert reasons.get("truncated_response", 0) + reasons.get("truncated_html", 0) == 1
    assert stats["http_errors"] >= 2
    assert stats["detail_pages"] > 0 and stats["items"] > 0  # the real list was crawled regardless


def test_demo_anti_bot_challenge_is_recorded_as_blocked_never_bypassed(demo_crawls):
    data, _, first, _ = demo_crawls
    stats = first["demo_test_antibot"]
    assert stats["blocked"] == 1 and stats["quarantine_reasons"].get("blocked") == 1
    assert stats["skipped_backed_off"] >= 1  # nothing more is sent to the host after the block
    rows = quarantine_rows(data, stats)
    assert any(r["reason"] == "blocked" and "/_test/antibot" in r["url"] for r in rows)
