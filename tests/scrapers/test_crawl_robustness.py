"""Real crawls of a hostile local site: errors are counted, blocks recorded, the crawl goes on."""

from __future__ import annotations

import pytest
from crawl_helpers import crawl_env, landing_rows, quarantine_rows
from robust_site import GBK_NAME, NAMES

from scrapers.run import run_crawl_subprocess

AWARD_YAML = """\
id: robust_award
kind: procurement_award
region: 浙江省
start_urls: ["{demo_base}/_test/list.htm"]
list: {item_links: "ul.news-list li a::attr(href)"}
politeness: {download_delay: 0, concurrency: 8, download_timeout: 2, retry_times: 1}
"""
BLOCKED_YAML = """\
id: robust_blocked
kind: procurement_award
start_urls: ["{demo_base}/_test/blocked_list.htm"]
list: {item_links: "ul.news-list li a::attr(href)"}
politeness: {download_delay: 0, concurrency: 1, download_timeout: 2}
"""


@pytest.fixture(scope="module")
def robust_runs(tmp_path_factory, robust_site):
    sources = tmp_path_factory.mktemp("sources")
    (sources / "robust_award.yaml").write_text(AWARD_YAML, encoding="utf-8")
    (sources / "robust_blocked.yaml").write_text(BLOCKED_YAML, encoding="utf-8")
    data = tmp_path_factory.mktemp("data")
    env = crawl_env(robust_site, sources, data)
    award = run_crawl_subprocess("robust_award", env=env, timeout=60)
    blocked = run_crawl_subprocess("robust_blocked", env=env, timeout=60)
    return data, award, blocked


def test_5xx_and_slow_pages_are_counted_and_the_crawl_goes_on(robust_runs):
    data, stats, _ = robust_runs
    assert stats["finish_reason"] == "finished"
    assert stats["http_errors"] == 2
    assert stats["quarantine_reasons"].get("http_500") == 1
    assert stats["quarantine_reasons"].get("timeout") == 1
    assert stats["detail_pages"] == 4  # three good pages and the GBK one, despite the failures
    names = {row["name"] for row in landing_rows(data, stats)}
    assert set(NAMES.values()) <= names
    reasons = {row["reason"] for row in quarantine_rows(data, stats)}
    assert {"http_500", "timeout"} <= reasons


def test_gbk_page_without_charset_yields_correct_chinese_names(robust_runs):
    data, stats, _ = robust_runs
    rows = [r for r in landing_rows(data, stats) if r["url"].endswith("/gbk.htm")]
    assert {r["name"] for r in rows if r["role"] == "winner"} == {GBK_NAME}
    assert "杭州市测试局" in {r["name"] for r in rows if r["role"] == "purchaser"}


def test_robots_txt_disallowed_page_is_never_fetched(robust_runs):
    data, stats, _ = robust_runs
    assert not any("private" in r["url"] for r in landing_rows(data, stats) + quarantine_rows(data, stats))
    assert stats["http_errors"] == 2  # the robots refusal is not an error of the site


def test_stats_numbers_are_consistent(robust_runs):
    data, stats, _ = robust_runs
    assert stats["pages"] == stats["list_pages"] + stats["detail_pages"] + stats["attachments"]
    assert stats["items"] == len(landing_rows(data, stats))
    assert stats["quarantined"] == len(quarantine_rows(data, stats)) == sum(stats["quarantine_reasons"].values())
    for key in ("source_id", "run_id", "started_at", "finished_at", "unused_labels", "blocked"):
        assert key in stats


def test_anti_bot_answer_is_recorded_as_blocked_and_the_host_backed_off(robust_runs):
    data, _, stats = robust_runs
    assert stats["finish_reason"] == "finished"
    assert stats["blocked"] >= 1
    assert stats["quarantine_reasons"].get("blocked") == stats["blocked"]
    assert stats["skipped_backed_off"] >= 1  # no more requests to the host after the block
    assert stats["blocked"] + stats["skipped_backed_off"] + stats["detail_pages"] == 4
    rows = quarantine_rows(data, stats)
    assert all(r["reason"] == "blocked" and r["detail"] for r in rows)


def test_failed_and_blocked_pages_are_not_marked_seen(robust_runs):
    import json

    data, _, _ = robust_runs
    seen = json.loads((data / "state" / "robust_award" / "seen.json").read_text(encoding="utf-8"))
    assert not any(u.endswith(("500.htm", "slow.htm")) for u in seen["urls"])
    assert any(u.endswith("ok/1.htm") for u in seen["urls"])
    blocked_seen = json.loads((data / "state" / "robust_blocked" / "seen.json").read_text(encoding="utf-8"))
    assert not any(u.endswith(("antibot.htm", "412.htm")) for u in blocked_seen["urls"])
