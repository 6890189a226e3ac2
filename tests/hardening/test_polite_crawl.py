"""Finding 5: the crawler loses no notice to a challenge page and backs off when asked.

Real crawls (Scrapy in a subprocess) of tests/hardening/hostile_site.py on localhost."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from kernel.errors import UserError
from kernel.sources import load_sources
from scrapers.antibot import detect_block, retry_after_seconds
from scrapers.run import run_crawl_subprocess

HERE = Path(__file__).resolve().parent

SOURCE = """\
id: {id}
kind: procurement_award
region: 浙江省
start_urls: ["{base}/{list}"]
list: {{item_links: "ul.news-list li a::attr(href)"}}
politeness: {{download_delay: 0, concurrency: 1, download_timeout: 5, autothrottle: false}}
"""


@contextmanager
def hostile_site():
    proc = subprocess.Popen([sys.executable, str(HERE / "hostile_site.py")], stdout=subprocess.PIPE, text=True)
    try:
        base = proc.stdout.readline().strip()
        assert base.startswith("http://")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


@pytest.fixture(scope="module")
def crawls(tmp_path_factory):
    sources = tmp_path_factory.mktemp("sources")
    data = tmp_path_factory.mktemp("data")
    with hostile_site() as base:
        # the challenge host is "localhost": its back-off for the run must not touch 127.0.0.1
        other = base.replace("127.0.0.1", "localhost")
        for source_id, host, page in (("hostile_challenge", other, "challenge_list.htm"),
                                      ("hostile_generic", other, "generic_list.htm"),
                                      ("hostile_slow", base, "slow_list.htm"),
                                      ("hostile_limit", base, "limit_list.htm")):
            (sources / f"{source_id}.yaml").write_text(SOURCE.format(id=source_id, base=host, list=page), encoding="utf-8")
        env = {"TUOKE_SOURCES_DIR": str(sources), "TUOKE_DATA_DIR": str(data), "TUOKE_BACKOFF_BASE": "0.3",
               "TUOKE_OPERATOR_CONTACT": "mailto:ops@bank.example"}
        runs = {sid: run_crawl_subprocess(sid, env=env, timeout=90)
                for sid in ("hostile_challenge", "hostile_generic", "hostile_slow", "hostile_limit")}
        runs["seen_before_heal"] = {sid: seen_urls(data, sid) for sid in ("hostile_challenge", "hostile_generic")}
        runs["cached_before_heal"] = {sid: len(list((data / "httpcache" / sid).rglob("response_body")))
                                      for sid in ("hostile_challenge", "hostile_generic")}
        urllib.request.urlopen(f"{base}/_heal").read()
        runs["hostile_challenge_again"] = run_crawl_subprocess("hostile_challenge", env=env, timeout=90)
        log = json.loads(urllib.request.urlopen(f"{base}/_log").read())
    return data, runs, log


def seen_urls(data: Path, source_id: str) -> list[str]:
    path = data / "state" / source_id / "seen.json"
    return json.loads(path.read_text(encoding="utf-8"))["urls"] if path.exists() else []


@pytest.mark.parametrize("source_id", ["hostile_challenge", "hostile_generic"])
def test_a_20kb_challenge_is_blocked_not_cached_not_seen(crawls, source_id):
    data, runs, _ = crawls
    stats = runs[source_id]
    assert stats["blocked"] == 1 and stats["items"] == 0
    rows = read_jsonl(data / "quarantine" / source_id / f"{stats['run_id']}.jsonl")
    assert [r["reason"] for r in rows] == ["blocked"]
    assert not any("challenge/" in u for u in runs["seen_before_heal"][source_id])
    assert runs["cached_before_heal"][source_id] == 0


def test_the_notice_behind_a_challenge_is_fetched_when_the_challenge_stops(crawls):
    data, runs, _ = crawls
    again = runs["hostile_challenge_again"]
    assert again["items"] >= 1 and again["blocked"] == 0
    names = [m["name"] for m in read_jsonl(data / "landing" / "hostile_challenge" / f"{again['run_id']}.jsonl")]
    assert "金华星火电子有限公司" in names


def test_a_real_notice_mentioning_a_captcha_login_is_not_a_challenge(crawls):
    data, runs, _ = crawls
    stats = runs["hostile_slow"]
    names = {m["name"] for m in read_jsonl(data / "landing" / "hostile_slow" / f"{stats['run_id']}.jsonl")}
    assert "嘉兴青禾农业有限公司" in names  # login/4.htm, 20 KB with 验证码 in its login box


def test_429_and_503_wait_retry_after_and_back_off_exponentially(crawls):
    data, runs, log = crawls
    stats = runs["hostile_slow"]
    names = {m["name"] for m in read_jsonl(data / "landing" / "hostile_slow" / f"{stats['run_id']}.jsonl")}
    assert {"宁波海风贸易有限公司", "温州远帆建设有限公司"} <= names  # both pages arrive in the end
    rate = log["/rate/2.htm"]
    assert len(rate) == 3
    assert min(b - a for a, b in zip(rate, rate[1:])) >= 0.9  # Retry-After: 1 was honoured
    busy = log["/busy/3.htm"]
    assert len(busy) == 3
    gaps = [b - a for a, b in zip(busy, busy[1:])]
    assert gaps[0] >= 0.28 and gaps[1] >= 0.58  # 0.3 s, then 0.6 s: exponential without Retry-After


def test_a_host_that_keeps_refusing_counts_as_blocked_and_is_not_seen(crawls):
    data, runs, log = crawls
    stats = runs["hostile_limit"]
    assert stats["blocked"] == 1
    assert len(log["/always429/6.htm"]) == 4  # the first answer and three patient retries, no more
    rows = read_jsonl(data / "quarantine" / "hostile_limit" / f"{stats['run_id']}.jsonl")
    assert [r["reason"] for r in rows] == ["blocked"]
    assert not any("always429" in u for u in seen_urls(data, "hostile_limit"))


def test_robots_txt_is_obeyed(crawls):
    _, _, log = crawls
    assert "/private/5.htm" not in log


def test_a_source_cannot_turn_robots_off_or_set_its_user_agent(tmp_path, monkeypatch):
    for politeness in ("{robots_txt_obey: false}", "{user_agent: 'Mozilla/5.0'}"):
        (tmp_path / "bad.yaml").write_text(
            f"id: bad\nkind: procurement_award\nstart_urls: ['http://x/']\npoliteness: {politeness}\n", encoding="utf-8")
        monkeypatch.setenv("TUOKE_SOURCES_DIR", str(tmp_path))
        with pytest.raises(UserError, match="robots.txt|user agent"):
            load_sources()


def test_user_agent_names_the_operator_contact(monkeypatch):
    from scrapers.operator import crawler_user_agent

    monkeypatch.setenv("TUOKE_OPERATOR_CONTACT", "mailto:ops@bank.example")
    assert "mailto:ops@bank.example" in crawler_user_agent()
    monkeypatch.setenv("TUOKE_OPERATOR_CONTACT", "nobody")
    with pytest.raises(UserError, match="operator.contact"):
        crawler_user_agent()


def test_detection_is_by_markers_not_size():
    from hostile_site import CHALLENGES, LOGIN_BOX, notice

    html = {"content-type": "text/html"}
    for body in CHALLENGES.values():
        assert len(body) > 16 * 1024
        assert detect_block(200, html, body.encode()) is not None
    assert detect_block(200, html, notice(4, LOGIN_BOX)) is None
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert retry_after_seconds("soon") is None
