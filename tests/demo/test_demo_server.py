"""The demo HTTP server: static pages with the right charset headers, the POST list API, test endpoints."""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _get(url: str, **kw):
    try:
        with urllib.request.urlopen(url, timeout=kw.get("timeout", 10)) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def _post(url: str, body: dict):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_serves_gbk_page_with_and_without_charset_header(demo_server, demo_site):
    site_dir, _ = demo_site
    headers = json.loads((site_dir / "_headers.json").read_text("utf-8"))
    with_charset = next(p for p, t in headers.items() if t.endswith("charset=gbk") and p.startswith("/zfcg/zbgg/2"))
    status, head, body = _get(demo_server.base_url + with_charset)
    assert status == 200 and head["Content-Type"] == "text/html; charset=gbk"
    assert "公告" in body.decode("gbk")
    without = "/nbsh/hyml/hydw.html"
    status, head, body = _get(demo_server.base_url + without)
    assert head["Content-Type"] == "text/html"
    assert "会员单位" in body.decode("gbk")
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")


def test_award_list_pages_walk_with_next_links(demo_server):
    status, _, body = _get(demo_server.base_url + "/zfcg/zbgg/index.htm")
    text = body.decode("utf-8")
    assert status == 200 and text.count('<li><a href="/zfcg/zbgg/') == 20
    assert 'class="next" href="index_1.htm">下一页' in text


def test_post_api_pages_by_index_and_size(demo_server, demo_site):
    _, manifest = demo_site
    info = manifest.sources["demo_grid_ecp"]
    url = demo_server.base_url + info["api"]
    first = _post(url, {"index": 1, "size": 5, "firstPageMenuId": info["menu_award"]})
    assert first["successful"] is True
    total = first["resultValue"]["total"]
    assert total == info["detail_pages"] and len(first["resultValue"]["noteList"]) == 5
    seen = []
    for index in range(1, 10):
        page = _post(url, {"index": index, "size": 5, "firstPageMenuId": info["menu_award"]})
        seen += [n["noticeId"] for n in page["resultValue"]["noteList"]]
    assert len(seen) == total == len(set(seen))
    note = first["resultValue"]["noteList"][0]
    assert set(note) == {"noticeId", "title", "publishOrgName", "noticePublishTime"}
    status, _, body = _get(f"{demo_server.base_url}/ecp/notice/{note['noticeId']}.html")
    assert status == 200 and b".xlsx" in body
    assert _post(url, {"index": 1, "size": 5, "firstPageMenuId": "nope"})["successful"] is False


def test_park_query_string_pages(demo_server):
    _, _, page2 = _get(demo_server.base_url + "/park/qyml/list.htm?page_index=2")
    _, _, page1 = _get(demo_server.base_url + "/park/qyml/list.htm")
    assert b"qy-card" in page2 and page1 != page2
    assert b"javascript:goPage(2)" in page1
    _, _, page6 = _get(demo_server.base_url + "/park/qyml/list.htm?page_index=6")
    assert "暂无数据" in page6.decode()


def test_robots_disallows_admin_only(demo_server):
    status, _, body = _get(demo_server.base_url + "/robots.txt")
    assert status == 200 and b"Disallow: /admin/" in body
    assert _get(demo_server.base_url + "/admin/index.html")[0] == 403
    assert _get(demo_server.base_url + "/_truth.json")[0] == 404


def test_error_and_slow_endpoints(demo_server):
    assert _get(demo_server.base_url + "/_test/500")[0] == 500
    started = time.monotonic()
    status, _, _body = _get(demo_server.base_url + "/_test/slow?ms=300")
    assert status == 200 and time.monotonic() - started >= 0.3


def test_truncated_endpoint_sends_less_than_content_length(demo_server):
    host, port = demo_server.base_url.split("//")[1].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    conn.request("GET", "/_test/truncated")
    response = conn.getresponse()
    with pytest.raises(http.client.IncompleteRead):
        response.read()
    conn.close()


def test_antibot_challenge_then_page_with_cookie(demo_server):
    status, _head, body = _get(demo_server.base_url + "/_test/antibot")
    assert status == 412 and b"document.cookie" in body and len(body) < 400
    status, _, _ = _get(demo_server.base_url + "/_test/antibot?status=200")
    assert status == 200
    cookie = body.decode().split("('")[1].split("')")[0] + body.decode().split("+('")[1].split("')")[0]
    request = urllib.request.Request(demo_server.base_url + "/_test/antibot", headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=5) as response:
        assert "供应商名称" in response.read().decode()


def test_big_endpoint_is_ten_megabytes(demo_server):
    status, head, body = _get(demo_server.base_url + "/_test/big")
    assert status == 200 and len(body) == int(head["Content-Length"]) == 10 * 1024 * 1024


def test_cli_prints_base_url_first(demo_site):
    site_dir, _ = demo_site
    proc = subprocess.Popen([sys.executable, "-m", "demo.server", "--site", str(site_dir), "--port", "0"],
                            cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        base = proc.stdout.readline().strip()
        assert base.startswith("http://127.0.0.1:")
        assert _get(base + "/robots.txt")[0] == 200
    finally:
        proc.terminate()
        proc.wait(timeout=5)


def test_port_is_free_after_stop(demo_site):
    from demo.server import DemoServer

    site_dir, _ = demo_site
    with DemoServer(site_dir) as server:
        port = int(server.base_url.rsplit(":", 1)[1])
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))
