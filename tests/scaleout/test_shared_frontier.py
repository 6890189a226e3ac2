"""One portal, three crawler processes, one frontier on Redis (`frontier: redis` in the source YAML).

Against the demo award portal served on localhost with a request log: every detail page is fetched
exactly once over the three processes, no two requests reach the host closer than the source's
download_delay, and the landing files together equal a single-process crawl. The host slots
themselves (scrapers.frontier.HostSlots) are checked on a real Redis: a slot stays taken while its
request is in flight, however long that is."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import yaml
from services import have_redis, redis_server

from demo.generate import generate_site
from demo.server import DemoHandler, DemoServer
from kernel.paths import REPO_ROOT, demo_sources_dir
from scrapers.frontier import HostSlots
from scrapers.run import run_crawl_subprocess

pytestmark = [pytest.mark.scaleout, pytest.mark.skipif(not have_redis(), reason="redis-server not installed")]

SOURCE = "demo_zj_award"
DELAY = 0.1
PROCESSES = 3
# Provenance differs between runs by design; everything else in a mention must match.
PROVENANCE = ("run_id", "fetched_at")


class LoggedHandler(DemoHandler):
    def _get(self, head_only: bool) -> None:
        with self.server.log_lock:
            self.server.request_log.append((time.monotonic(), self.path))
        super()._get(head_only)


class LoggedServer(DemoServer):
    def start(self) -> LoggedServer:
        super().start()
        self.httpd.RequestHandlerClass = LoggedHandler
        self.httpd.request_log, self.httpd.log_lock = [], threading.Lock()
        return self

    @property
    def log(self) -> list[tuple[float, str]]:
        return sorted(self.httpd.request_log)


def _sources_dir(folder: Path, frontier: str) -> Path:
    config = yaml.safe_load((demo_sources_dir() / f"{SOURCE}.yaml").read_text(encoding="utf-8"))
    config["frontier"] = frontier
    config["politeness"] = {**config.get("politeness", {}), "download_delay": DELAY, "autothrottle": False}
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{SOURCE}.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return folder


def _mentions(landing: Path) -> list[tuple]:
    rows = []
    for path in sorted(landing.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                rows.append(tuple(sorted((k, json.dumps(v, ensure_ascii=False, sort_keys=True))
                                         for k, v in row.items() if k not in PROVENANCE)))
    return sorted(rows)


def _is_detail(path: str) -> bool:
    return "/zfcg/zbgg/" in path and "index" not in path.rsplit("/", 1)[-1]


@pytest.fixture(scope="module")
def crawls(tmp_path_factory):
    root = tmp_path_factory.mktemp("frontier")
    site = root / "site"
    generate_site(site, seed=42)
    with redis_server() as redis_url, LoggedServer(site) as web:
        base = {"TUOKE_DEMO_BASE_URL": web.base_url}
        single_data = root / "single"
        run_crawl_subprocess(SOURCE, env={**base, "TUOKE_DATA_DIR": str(single_data),
                                          "TUOKE_SOURCES_DIR": str(_sources_dir(root / "src_local", "local"))},
                             timeout=300)
        web.httpd.request_log.clear()
        shared_data = root / "shared"
        env = {**os.environ, **base, "TUOKE_DATA_DIR": str(shared_data),
               "TUOKE_SOURCES_DIR": str(_sources_dir(root / "src_redis", "redis")),
               "TUOKE_REDIS_URL": redis_url, "TUOKE_FRONTIER_RUN": uuid.uuid4().hex[:8],
               "SCRAPY_SETTINGS_MODULE": "scrapers.settings", "PYTHONIOENCODING": "utf-8"}
        procs = [subprocess.Popen([sys.executable, "-m", "scrapers.run", SOURCE], cwd=REPO_ROOT, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(PROCESSES)]
        outputs = [p.communicate(timeout=300) for p in procs]
        for proc, (out, err) in zip(procs, outputs):
            assert proc.returncode == 0 and out.strip(), f"crawl process failed ({proc.returncode}):\n{err[-3000:]}"
        stats = [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs]
        yield {"single": single_data, "shared": shared_data, "log": web.log, "stats": stats,
               "stderr": [err[-2000:] for _, err in outputs]}


def test_every_process_finishes_and_the_work_is_shared(crawls):
    assert [s["finish_reason"] for s in crawls["stats"]] == ["finished"] * PROCESSES, crawls["stderr"]
    details = [s["detail_pages"] for s in crawls["stats"]]
    assert sum(1 for n in details if n > 0) >= 2, details


def test_every_detail_page_is_fetched_exactly_once(crawls):
    fetched = [path for _, path in crawls["log"] if _is_detail(path)]
    assert len(fetched) > 50
    repeated = {path for path in fetched if fetched.count(path) > 1}
    assert repeated == set()


def test_no_two_requests_to_the_host_are_closer_than_its_delay(crawls):
    times = [t for t, _ in crawls["log"]]
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert min(gaps) >= DELAY, sorted(gaps)[:5]


def test_landing_together_equals_a_single_process_crawl(crawls):
    single = _mentions(crawls["single"] / "landing" / SOURCE)
    shared = _mentions(crawls["shared"] / "landing" / SOURCE)
    assert len(single) > 100
    assert shared == single


@pytest.fixture
def slots():
    import redis

    with redis_server() as url:
        yield HostSlots(redis.Redis.from_url(url), "tuoke:hostslot:test", delay_ms=100, lease_ms=2000)


def test_a_host_slot_stays_taken_while_its_request_is_in_flight(slots):
    """The flake of the three-process crawl: a request that took its slot but reached the host late
    (a loaded machine) arrived together with the next process's request, because the slot was free
    again `delay` after it was taken. Now it is free only `delay` after the response."""
    key = slots.key("http://www.ccgp-zhejiang.gov.cn/zfcg/zbgg/index.htm")
    assert slots.take(key, "first") == 0
    time.sleep(0.25)  # longer than the delay: the first request is still on the wire
    assert slots.take(key, "second") > 0
    assert slots.release(key, "first")
    wait = slots.take(key, "second")
    assert 50 < wait <= 100  # the delay runs from the response
    time.sleep(wait / 1000 + 0.005)
    assert slots.take(key, "second") == 0
    assert slots.take(key, "third") > 0


def test_a_stale_holder_neither_blocks_nor_frees_the_slot_for_ever(slots):
    key = slots.key("http://portal.example.gov.cn/list")
    assert slots.take(key, "gone") == 0
    time.sleep(2.05)  # the lease (2 s) ran out: its process died mid-request
    assert slots.take(key, "next") == 0
    assert not slots.release(key, "gone")  # the late release of the old holder changes nothing
    assert slots.take(key, "other") > 0
    assert slots.take(slots.key("http://another.example.gov.cn/"), "other") == 0  # hosts are independent
