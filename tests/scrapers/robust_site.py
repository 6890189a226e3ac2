"""A tiny hostile web site for spider robustness tests, run in its own process on port 0.

    python robust_site.py   → prints its base URL on the first stdout line, serves until killed.

Endpoints (all under /_test/): a list page linking to good detail pages, a GBK page served
without any charset (header or meta), an always-500 page, a slow page, a JS cookie challenge,
a tiny 412 answer, plus a second list that leads to the challenge first.
"""

from __future__ import annotations

import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

GOOD = "<html><head><meta charset='utf-8'><title>{t}</title></head><body><h1>{t}</h1>" \
       "<p>项目名称：测试项目{n}</p><p>项目编号：ZJ-2025-{n:04d}</p><p>采购人：杭州市测试局</p>" \
       "<p>中标供应商名称：{name}</p><p>中标金额：{amount}元</p><p>公告时间：2025年05月{n:02d}日</p></body></html>"
NAMES = {1: "杭州甲乙科技有限公司", 2: "宁波丙丁贸易有限公司", 3: "温州戊己建设有限公司"}
GBK_NAME = "绍兴庚辛纺织有限公司"
CHALLENGE = ("<html><head><script>document.cookie='__jsl_clearance=1588_x;path=/';"
             "window.location.reload();</script></head><body></body></html>")


def list_page(links: list[str]) -> bytes:
    items = "".join(f"<li><a href='{href}'>中标结果公告{i}</a></li>" for i, href in enumerate(links))
    return f"<html><head><meta charset='utf-8'></head><body><ul class='news-list'>{items}</ul></body></html>".encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # keep test output quiet
        pass

    def send(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path.split("?")[0]
        if path == "/robots.txt":
            return self.send(200, b"User-agent: *\nDisallow: /_test/private/\n", "text/plain")
        if path == "/_test/list.htm":
            return self.send(200, list_page(["ok/1.htm", "500.htm", "slow.htm", "ok/2.htm", "gbk.htm", "ok/3.htm",
                                             "private/secret.htm"]))
        if path == "/_test/blocked_list.htm":
            return self.send(200, list_page(["antibot.htm", "ok/1.htm", "ok/2.htm", "412.htm"]))
        if path.startswith("/_test/ok/"):
            n = int(path.rsplit("/", 1)[1].split(".")[0])
            body = GOOD.format(t=f"测试项目{n}中标结果公告", n=n, name=NAMES[n], amount=1000 * n)
            return self.send(200, body.encode("utf-8"))
        if path == "/_test/gbk.htm":  # GBK bytes, no charset anywhere
            body = GOOD.format(t="测试项目9中标结果公告", n=9, name=GBK_NAME, amount=9000).replace(
                "<meta charset='utf-8'>", "")
            return self.send(200, body.encode("gbk"), "text/html")
        if path == "/_test/500.htm":
            return self.send(500, b"<html><body>Internal Server Error</body></html>")
        if path == "/_test/slow.htm":
            time.sleep(6)
            return self.send(200, GOOD.format(t="慢", n=8, name="台州慢慢有限公司", amount=1).encode())
        if path == "/_test/antibot.htm":
            return self.send(200, CHALLENGE.encode())
        if path == "/_test/412.htm":
            return self.send(412, b"<html></html>")
        return self.send(404, b"not found")


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1]) if len(sys.argv) > 1 else 0), Handler)
    server.daemon_threads = True
    print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
