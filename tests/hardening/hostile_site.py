"""A local site that challenges, rate-limits and hides pages behind robots.txt, on port 0.

    python hostile_site.py   → prints its base URL on the first stdout line, serves until killed.

Two challenge pages (20 KB each, HTTP 200: a vendor marker padded with script, and a generic
安全验证 page), a real 20 KB notice whose login box mentions 验证码, a page that answers 429 with
Retry-After twice before it answers, a 503 without Retry-After twice, a page that always answers
429, and a page robots.txt forbids. GET /_heal makes the challenge pages serve their notice;
GET /_log returns {path: [monotonic request times]}.
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

NOTICE = ("<html><head><meta charset='utf-8'><title>{t}</title></head><body><h1>{t}</h1>{extra}"
          "<p>项目名称：测试项目{n}</p><p>项目编号：HB-2025-{n:04d}</p><p>采购人：杭州市测试局</p>"
          "<p>中标供应商名称：{name}</p><p>中标金额：{amount}元</p><p>公告时间：2025年06月{n:02d}日</p></body></html>")
NAMES = {1: "杭州山水科技有限公司", 2: "宁波海风贸易有限公司", 3: "温州远帆建设有限公司", 4: "嘉兴青禾农业有限公司",
         5: "湖州竹影文化有限公司", 6: "台州明月机械有限公司", 7: "金华星火电子有限公司"}
PADDING = "<script>var _0x1=[" + ",".join(f"'{i:04x}'" for i in range(3000)) + "];</script>"
CHALLENGES = {
    "vendor": ("<html><head><title>请稍候</title><script>var arg1='3A5F';document.cookie='acw_sc__v2='+arg1;"
               "location.reload();</script></head><body>" + PADDING + "</body></html>"),
    "generic": ("<html><head><title>安全验证</title></head><body><div id='slider'>请完成安全验证后继续访问</div>"
                + PADDING + "</body></html>"),
}
LOGIN_BOX = ("<form class='login'><label>用户名</label><input name='u'><label>验证码</label><input name='captcha'>"
             "<img src='/captcha.jpg' alt='验证码'></form>" + "<p>本公告依据《政府采购法》发布，欢迎各供应商监督。</p>" * 200)

STATE = {"healed": False, "hits": defaultdict(int)}
LOG: dict[str, list[float]] = defaultdict(list)


def list_page(links: list[str]) -> bytes:
    items = "".join(f"<li><a href='{href}'>中标结果公告{i}</a></li>" for i, href in enumerate(links))
    return f"<html><head><meta charset='utf-8'></head><body><ul class='news-list'>{items}</ul></body></html>".encode()


def notice(n: int, extra: str = "") -> bytes:
    return NOTICE.format(t=f"测试项目{n}中标结果公告", n=n, name=NAMES[n], amount=1000 * n, extra=extra).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8", headers=None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path.split("?")[0]
        LOG[path].append(time.monotonic())
        STATE["hits"][path] += 1
        hits = STATE["hits"][path]
        if path == "/robots.txt":
            return self.send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        if path == "/_heal":
            STATE["healed"] = True
            return self.send(200, b"ok", "text/plain")
        if path == "/_log":
            return self.send(200, json.dumps(LOG).encode(), "application/json")
        if path == "/challenge_list.htm":
            return self.send(200, list_page(["challenge/vendor.htm"]))
        if path == "/generic_list.htm":
            return self.send(200, list_page(["challenge/generic.htm"]))
        if path == "/slow_list.htm":
            return self.send(200, list_page(["ok/1.htm", "rate/2.htm", "busy/3.htm", "login/4.htm",
                                             "private/5.htm"]))
        if path == "/limit_list.htm":
            return self.send(200, list_page(["always429/6.htm"]))
        if path.startswith("/challenge/"):
            kind = path.rsplit("/", 1)[1].split(".")[0]
            if STATE["healed"]:
                return self.send(200, notice(7 if kind == "vendor" else 1))
            return self.send(200, CHALLENGES[kind].encode())
        n = int(path.rsplit("/", 1)[1].split(".")[0]) if path.endswith(".htm") else 0
        if path.startswith("/ok/") or path.startswith("/private/"):
            return self.send(200, notice(n))
        if path.startswith("/rate/"):
            if hits <= 2:
                return self.send(429, b"slow down", "text/plain", {"Retry-After": "1"})
            return self.send(200, notice(n))
        if path.startswith("/busy/"):
            if hits <= 2:
                return self.send(503, b"busy", "text/plain")
            return self.send(200, notice(n))
        if path.startswith("/login/"):
            return self.send(200, notice(n, LOGIN_BOX))
        if path.startswith("/always429/"):
            return self.send(429, b"slow down", "text/plain", {"Retry-After": "0"})
        return self.send(404, b"not found", "text/plain")


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
    sys.stdout.flush()
    server.serve_forever()
