"""The crawl's pure parts: cache policy, anti-bot detection, mention validation, spider building."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.settings import Settings

from kernel.sources import parse_source
from scrapers.antibot import detect_block
from scrapers.cache import DetailOnlyCachePolicy
from scrapers.landing import valid_uscc
from scrapers.provenance import mention_id, new_run_id
from scrapers.spider_loader import SourceSpiderLoader, build_spider_class
from scrapers.spiders.api import ApiSpider
from scrapers.spiders.base import fill_template
from scrapers.spiders.directory import DirectorySpider
from scrapers.spiders.notice import NoticeSpider

REPO = Path(__file__).resolve().parents[2]


def test_only_requests_marked_cacheable_are_cached():
    policy = DetailOnlyCachePolicy(Settings())
    detail = Request("http://x/detail/1.htm", meta={"cacheable": True})
    listing = Request("http://x/list/index_2.htm", meta={"cacheable": False})
    assert policy.should_cache_request(detail)
    assert not policy.should_cache_request(listing)
    assert not policy.should_cache_request(Request("http://x/robots.txt"))
    ok = HtmlResponse(detail.url, status=200, body=b"<html></html>")
    error = HtmlResponse(detail.url, status=500, body=b"<html></html>")
    assert policy.should_cache_response(ok, detail) and not policy.should_cache_response(error, detail)


@pytest.mark.parametrize("status,body", [
    (200, b"<html><script>document.cookie='__jsl_clearance=1;path=/';location.reload();</script></html>"),
    (200, b"<html><script>var x=1;document.cookie='k='+x; window.location.href=window.location.href</script></html>"),
    (200, "<html><title>安全验证</title><body>请完成验证</body></html>".encode()),
    (412, b"<html></html>"),
    (403, b""),
    (200, b"<html><body>acw_sc__v2 challenge</body></html>"),
])
def test_anti_bot_answers_are_recognised(status, body):
    assert detect_block(status, {"content-type": "text/html"}, body)


def test_real_pages_and_attachments_are_not_taken_for_blocks():
    notice = ("<html><title>中标结果公告</title><body>" + "<p>供应商名称：杭州甲乙科技有限公司</p>" * 500
              + "<form>验证码<input></form></body></html>").encode()
    assert detect_block(200, {"content-type": "text/html"}, notice) is None
    assert detect_block(200, {"content-type": "application/pdf"}, b"%PDF-1.4 captcha") is None
    assert detect_block(404, {"content-type": "text/html"}, b"<html>not found</html>") is None


def test_uscc_check_character():
    from scrapers.extract import is_valid_uscc

    assert valid_uscc("91350100M000100Y43") and valid_uscc("91330100MA27XL0E2G")
    assert not valid_uscc("91330100MA27XL0E2P")
    for code in ("91350100M000100Y43", "91330100MA27XL0E2G", "91330100MA27XL0E2P"):
        assert valid_uscc(code) == bool(is_valid_uscc(code))  # agrees with the extractor's check
    assert not valid_uscc("91350100M000100Y44")
    assert not valid_uscc("74901211-8")
    assert not valid_uscc("330100000012345")


def test_mention_id_hashes_raw_values_and_run_ids_follow_the_contract():
    a = mention_id("s", "http://x/1", "winner", " 杭州甲乙科技有限公司 ", None, 1)
    b = mention_id("s", "http://x/1", "winner", "杭州甲乙科技有限公司", None, 1)
    assert a != b and len(a) == 40
    import re
    assert re.fullmatch(r"\d{8}T\d{6}Z-[0-9a-f]{6}", new_run_id())


def test_fill_template_leaves_unknown_braces_alone():
    assert fill_template("{base}/n/{noticeId}?p={page}", {"noticeId": 7, "page": 2}) == "{base}/n/7?p=2"


def _source(**extra):
    data = {"id": "x_src", "kind": "procurement_award", "start_urls": ["http://h/l.htm"], **extra}
    return parse_source(data)


def test_each_source_gets_the_generic_spider_its_list_shape_needs():
    assert issubclass(build_spider_class(_source(list={"item_links": "a::attr(href)"})), NoticeSpider)
    api = _source(kind="winner_list", list={"api": {"url": "http://h/api", "items_path": "a.b"}})
    assert issubclass(build_spider_class(api), ApiSpider)
    directory = _source(kind="directory", list={"tiers": [{"url": "http://h/t.htm", "tier": "会长单位"}]})
    assert issubclass(build_spider_class(directory), DirectorySpider)


def test_politeness_becomes_per_spider_settings():
    cls = build_spider_class(_source(politeness={"download_delay": 2, "concurrency": 1, "download_timeout": 7}))
    assert cls.name == "x_src"
    assert cls.custom_settings["DOWNLOAD_DELAY"] == 2.0
    assert cls.custom_settings["CONCURRENT_REQUESTS_PER_DOMAIN"] == 1
    assert cls.custom_settings["DOWNLOAD_TIMEOUT"] == 7.0
    assert cls.custom_settings["HTTPCACHE_DIR"].endswith("httpcache")


def test_loader_lists_one_spider_per_yaml(tmp_path, monkeypatch):
    for sid in ("b_src", "a_src"):
        (tmp_path / f"{sid}.yaml").write_text(
            f"id: {sid}\nkind: tender_notice\nstart_urls: ['{{demo_base}}/x.htm']\n", encoding="utf-8")
    monkeypatch.setenv("TUOKE_SOURCES_DIR", str(tmp_path))
    loader = SourceSpiderLoader.from_settings(Settings())
    assert loader.list() == ["a_src", "b_src"]
    assert loader.load("a_src").source.start_urls[0].endswith("/x.htm")
    with pytest.raises(KeyError):
        loader.load("nope")


def test_scrapy_list_inside_scrapers_lists_the_sources(tmp_path):
    (tmp_path / "c_src.yaml").write_text("id: c_src\nkind: tender_notice\nstart_urls: ['{demo_base}/x.htm']\n",
                                         encoding="utf-8")
    env = {**os.environ, "TUOKE_SOURCES_DIR": str(tmp_path)}
    scrapy = Path(sys.executable).with_name("scrapy")
    out = subprocess.run([str(scrapy), "list"], cwd=REPO / "scrapers", env=env, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["c_src"]
