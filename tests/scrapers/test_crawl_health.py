"""A real crawl of real pages served on localhost: the run stats carry the extraction health
(issue 18) and `tuoke crawl` prints it.

The site is four pages of ../shared/real-pages served as they were saved (batch2/10 as GBK bytes
with no charset): an award, a 定点 framework list, an association directory no headline names,
and a notice whose lots all failed. The source is `kind: auto`, so each page's kind is decided
by the page itself.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from crawl_helpers import crawl_env, landing_rows

from benchmarks.eval_pages import corpus_dir, page_html
from kernel.contracts import HEALTH_COUNT_KEYS, RUN_STATS_KEYS
from scrapers.run import run_crawl_subprocess

CORPUS = corpus_dir()
pytestmark = pytest.mark.skipif(CORPUS is None, reason="real-pages corpus not found (set TUOKE_REAL_PAGES or put it at ../shared/real-pages)")
PAGES = {
    "award.htm": "batch2/pages/05_ccgp_zbgg_2016_qingdao_jimo.html",
    "framework.htm": "batch2/pages/10_ccgp_shanxi_zbgg_2015.html",
    "members.htm": "batch2/pages/15_association_member_directory_ningbo_hyzz2.html",
    "failed.htm": "pages/17_cqgp_failed_2016_3766691236.json",
}
SOURCE = """\
id: health_auto
kind: auto
region: 山西省
start_urls: ["{demo_base}/list.htm"]
list: {item_links: "ul.news-list li a::attr(href)"}
politeness: {download_delay: 0, concurrency: 4, download_timeout: 5, retry_times: 0}
"""
SERVER = """
import sys
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

class Quiet(SimpleHTTPRequestHandler):
    extensions_map = {".htm": "text/html"}  # no charset: the crawler decides from the bytes
    def log_message(self, *args):
        pass

server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=sys.argv[1]))
print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
server.serve_forever()
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    for name, relative in PAGES.items():
        body, _ = page_html(CORPUS / relative)  # a saved crawler record becomes the page it held
        (root / name).write_bytes(body)
    links = "".join(f"<li><a href='{name}'>公告{i}</a></li>" for i, name in enumerate(PAGES))
    (root / "list.htm").write_bytes(f"<html><head><meta charset='utf-8'></head><body><ul class='news-list'>{links}</ul></body></html>".encode())
    (root / "server.py").write_text(SERVER, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(root / "server.py"), str(root)], stdout=subprocess.PIPE, text=True)
    try:
        yield proc.stdout.readline().strip()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def crawl(site, tmp_path_factory):
    sources = tmp_path_factory.mktemp("sources")
    (sources / "health_auto.yaml").write_text(SOURCE, encoding="utf-8")
    data = tmp_path_factory.mktemp("data")
    env = crawl_env(site, sources, data)
    return data, env, run_crawl_subprocess("health_auto", env=env, timeout=120)


def test_run_stats_carry_the_extraction_health(crawl):
    data, _, stats = crawl
    assert stats["finish_reason"] == "finished" and stats["detail_pages"] == 4
    assert set(HEALTH_COUNT_KEYS) <= set(stats) and set(RUN_STATS_KEYS) <= set(stats)
    assert stats["pages_by_kind"] == {"procurement_award": 2, "directory": 1, "failed": 1}
    assert stats["unknown_kind_pages"] == 0  # the directory's structure named it
    assert stats["award_pages"] == 3  # the failed notice is read as an award whose lots failed
    assert stats["award_pages_without_winner"] == 0
    winners = [r for r in landing_rows(data, stats) if r["role"] == "winner"]
    assert stats["winners"] == len(winners) == 38
    assert stats["winners_without_amount"] == 0  # 37 daily rates and one 万元 amount
    assert 0 < stats["names_without_role"] < stats["names_found"]
    on_disk = json.loads((data / "landing" / "health_auto" / f"{stats['run_id']}.stats.json").read_text(encoding="utf-8"))
    assert {k: on_disk[k] for k in HEALTH_COUNT_KEYS} == {k: stats[k] for k in HEALTH_COUNT_KEYS}


def test_landed_amounts_carry_their_label_and_unit(crawl):
    data, _, stats = crawl
    winner = next(r for r in landing_rows(data, stats) if r["name"] == "青岛迈瑞办公设备有限公司")
    assert (winner["amount_yuan"], winner["amount_label"], winner["amount_unit"]) == (848651.0, "中标金额", "万元")
    member = next(r for r in landing_rows(data, stats) if r["role"] == "member")
    assert member["source_kind"] == "directory"


def test_tuoke_crawl_prints_the_extraction_health(site, tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "health_auto.yaml").write_text(SOURCE, encoding="utf-8")
    env = {**crawl_env(site, sources, tmp_path / "data"), "COLUMNS": "250"}
    tuoke = shutil.which("tuoke", path=str(Path(sys.executable).parent))
    done = subprocess.run([tuoke, "crawl", "health_auto", "--timeout", "120"], env={**os.environ, **env},
                          capture_output=True, text=True, encoding="utf-8", timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "extraction health" in done.stdout
    assert "award pages without a winner" in done.stdout and "0/3" in done.stdout
