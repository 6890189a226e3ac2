"""A small HTTP server for the demo web, on 127.0.0.1 and a free port.

    python -m demo.server --site demo/site --port 0     # first stdout line: the base URL

    with DemoServer(site_dir) as server:                 # in tests / the CLI
        requests.get(server.base_url + "/zfcg/zbgg/index.htm")

Serves the generated files with the Content-Type recorded in `_headers.json` (so some GBK pages
name their charset and some do not), the grid platform's POST list API, robots.txt, and test
endpoints under /_test/ for crawler robustness tests: 500, slow, truncated, anti-bot, big.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Self
from urllib.parse import parse_qs, unquote, urlsplit

GUESSED_TYPES = {
    ".htm": "text/html; charset=utf-8", ".html": "text/html; charset=utf-8", ".json": "application/json",
    ".txt": "text/plain; charset=utf-8", ".pdf": "application/pdf",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xls": "application/vnd.ms-excel", ".csv": "text/csv; charset=utf-8",
}
NOTE_API = "/ecp/api/noteList"
ANTIBOT_COOKIE = "__jsl_clearance_s"
ANTIBOT_VALUE = "1732780800.123|0|demo"


class DemoHandler(BaseHTTPRequestHandler):
    server_version = "nginx"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    # Without this each small response waits ~40 ms for delayed ACKs (Nagle), which dominated crawl benchmarks.
    disable_nagle_algorithm = True

    # -- plumbing -------------------------------------------------------------------------------
    def log_message(self, format: str, *args) -> None:  # quiet
        pass

    @property
    def site_dir(self) -> Path:
        return self.server.site_dir  # type: ignore[attr-defined]

    def _send(self, status: int, body: bytes, content_type: str, extra: dict | None = None,
              head_only: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if not head_only:
            self.wfile.write(body)

    def _not_found(self, head_only: bool = False) -> None:
        body = "<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center></body></html>"
        self._send(404, body.encode(), "text/html", head_only=head_only)

    # -- GET/HEAD -----------------------------------------------------------------------------
    def do_HEAD(self) -> None:
        self._get(head_only=True)

    def do_GET(self) -> None:
        self._get(head_only=False)

    def _get(self, head_only: bool) -> None:
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        query = parse_qs(parts.query)
        if path.startswith("/_test/"):
            return self._test_endpoint(path, query, head_only)
        if path.startswith("/admin/"):
            return self._send(403, b"<html><body>403 Forbidden</body></html>", "text/html", head_only=head_only)
        if path.startswith("/_") or ".." in path:
            return self._not_found(head_only)
        if path == NOTE_API:
            return self._send(405, b'{"successful":false,"resultHint":"Request method GET not supported"}',
                              "application/json;charset=UTF-8", head_only=head_only)
        self._static(path, parts.query, head_only)

    def _static(self, path: str, raw_query: str, head_only: bool) -> None:
        if path.endswith("/"):
            for index in ("index.htm", "index.html"):
                if (self.site_dir / path.lstrip("/") / index).is_file():
                    path += index
                    break
        # A query string maps to a file saved as `<path>__<query>` (list.htm?page_index=2).
        candidates = [f"{path}__{raw_query}", path] if raw_query else [path]
        for candidate in candidates:
            file = self.site_dir / candidate.lstrip("/")
            if file.is_file():
                body = file.read_bytes()
                ctype = self.server.headers_map.get(candidate)  # type: ignore[attr-defined]
                if ctype is None:
                    ctype = GUESSED_TYPES.get(file.suffix.lower(), "application/octet-stream")
                return self._send(200, body, ctype, head_only=head_only)
        self._not_found(head_only)

    # -- POST -----------------------------------------------------------------------------------
    def do_POST(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if parts.path != NOTE_API:
            return self._not_found()
        try:
            body = json.loads(raw or b"{}")
            index = int(body.get("index", 1))
            size = int(body.get("size", 20))
            menu = str(body.get("firstPageMenuId", ""))
        except (ValueError, TypeError, AttributeError):
            return self._send(400, json.dumps({"successful": False, "resultHint": "参数格式错误"},
                                              ensure_ascii=False).encode(), "application/json;charset=UTF-8")
        notes = self.server.notes  # type: ignore[attr-defined]
        if menu not in notes:
            answer = {"successful": False, "resultHint": "菜单不存在", "resultValue": None}
        else:
            size = max(1, min(size, 100))
            index = max(1, index)
            items = notes[menu][(index - 1) * size: index * size]
            answer = {"successful": True, "resultHint": "", "resultValue": {"noteList": items,
                                                                           "total": len(notes[menu]),
                                                                           "index": index, "size": size}}
        self._send(200, json.dumps(answer, ensure_ascii=False).encode("utf-8"), "application/json;charset=UTF-8")

    # -- robustness endpoints -------------------------------------------------------------------
    def _test_endpoint(self, path: str, query: dict, head_only: bool) -> None:
        if path == "/_test/500":
            return self._send(500, b"<html><body><h1>500 Internal Server Error</h1></body></html>", "text/html",
                              head_only=head_only)
        if path == "/_test/slow":
            ms = min(int((query.get("ms") or ["1000"])[0]), 60_000)
            time.sleep(ms / 1000)
            return self._send(200, f"<html><body>slow page after {ms} ms</body></html>".encode(),
                              "text/html; charset=utf-8", head_only=head_only)
        if path == "/_test/truncated":
            body = ("<html><head><meta charset='utf-8'><title>中标结果公告</title></head><body><table><tr>"
                    "<td>供应商名称：杭州云帆信息科技有限公司</td>" * 20).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body) * 10))
            self.send_header("Connection", "close")
            self.end_headers()
            if not head_only:
                self.wfile.write(body)
                self.wfile.flush()
            self.close_connection = True
            return
        if path == "/_test/antibot":
            return self._antibot(query, head_only)
        if path == "/_test/big":
            mb = min(int((query.get("mb") or ["10"])[0]), 50)
            chunk = ("<p>" + "填充内容" * 250 + "</p>\n").encode()
            head = b"<html><head><meta charset='utf-8'><title>big</title></head><body>\n"
            tail = b"</body></html>"
            repeat = (mb * 1024 * 1024 - len(head) - len(tail)) // len(chunk)
            tail = b" " * (mb * 1024 * 1024 - len(head) - len(tail) - repeat * len(chunk)) + tail  # exactly mb MiB
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(head) + len(chunk) * repeat + len(tail)))
            self.end_headers()
            if not head_only:
                self.wfile.write(head)
                for _ in range(repeat):
                    self.wfile.write(chunk)
                self.wfile.write(tail)
            return
        self._not_found(head_only)

    def _antibot(self, query: dict, head_only: bool) -> None:
        """A 加速乐-style JS challenge: tiny body, a script that sets a cookie and reloads."""
        cookies = self.headers.get("Cookie") or ""
        if f"{ANTIBOT_COOKIE}={ANTIBOT_VALUE}" in cookies:
            page = ("<html><head><meta charset='utf-8'><title>中标结果公告</title></head><body>"
                    "<p>供应商名称：杭州云帆信息科技有限公司</p></body></html>")
            return self._send(200, page.encode(), "text/html; charset=utf-8", head_only=head_only)
        status = int((query.get("status") or ["412"])[0])
        script = (f"<script>document.cookie=('{ANTIBOT_COOKIE}=')+('{ANTIBOT_VALUE}')+';max-age=3600;path=/';"
                  "location.href=location.pathname+location.search</script>")
        self._send(status if status in (200, 412, 521) else 412, script.encode(), "text/html",
                   extra={"Set-Cookie": "__jsluid_s=3f2a9c0d1e; max-age=31536000; path=/; HttpOnly"},
                   head_only=head_only)


class DemoHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, site_dir: Path, host: str = "127.0.0.1", port: int = 0) -> None:
        self.site_dir = Path(site_dir).resolve()
        if not self.site_dir.is_dir():
            raise FileNotFoundError(f"demo site folder {self.site_dir} does not exist; run demo.generate first")
        headers_file = self.site_dir / "_headers.json"
        self.headers_map = json.loads(headers_file.read_text("utf-8")) if headers_file.exists() else {}
        notes_file = self.site_dir / "_api" / "ecp_notes.json"
        self.notes = json.loads(notes_file.read_text("utf-8")) if notes_file.exists() else {}
        super().__init__((host, port), DemoHandler)

    def handle_error(self, request, client_address) -> None:  # clients hanging up are normal here
        pass


class DemoServer:
    """Context manager: serves site_dir in a background thread; `.base_url` once started."""

    def __init__(self, site_dir: Path | str, host: str = "127.0.0.1", port: int = 0) -> None:
        self.site_dir, self.host, self.port = Path(site_dir), host, port
        self.httpd: DemoHTTPServer | None = None
        self.thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        if self.httpd is None:
            raise RuntimeError("DemoServer is not started")
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> DemoServer:
        self.httpd = DemoHTTPServer(self.site_dir, self.host, self.port)
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.1},
                                       name="demo-server", daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None
        if self.thread is not None:
            self.thread.join(timeout=5)
            self.thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def serve_forever(site_dir: Path | str, host: str = "127.0.0.1", port: int = 0) -> None:
    httpd = DemoHTTPServer(Path(site_dir), host, port)
    bound_host, bound_port = httpd.server_address[:2]
    print(f"http://{bound_host}:{bound_port}", flush=True)
    try:
        httpd.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the tuoke demo web on localhost.")
    parser.add_argument("--site", default=str(Path(__file__).resolve().parent / "site"))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--generate", action="store_true", help="(re)generate the site first (seed 42)")
    args = parser.parse_args(argv)
    if args.generate or not Path(args.site).is_dir():
        from demo.generate import generate_site

        generate_site(Path(args.site))
    try:
        serve_forever(args.site, args.host, args.port)
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
