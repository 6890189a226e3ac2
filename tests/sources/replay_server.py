"""Replay server: answers the production sources' real URLs with recorded responses, on 127.0.0.1.

    python replay_server.py [MANIFEST]   → prints {"<real origin>": "<local base URL>", …} as its
                                           first stdout line, then serves until killed.

One listener per real origin (scheme + host), each on its own free port, so root-relative links
(/cggg/…) resolve as on the live site. A request matches a route by method and path; the route's
query parameters must all be present with the same values (the spider may add more, e.g. ps and
type on an API); a POST route with `match_body` also needs that text in the request body. Text
answers have every real origin rewritten to its local base, as a recording proxy would. Anything
else is a 404 (robots.txt too: everything allowed).
"""

from __future__ import annotations

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

DEFAULT_MANIFEST = Path(__file__).resolve().parent.parent / "fixtures" / "replay" / "manifest.json"


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def load_routes(manifest: Path) -> dict[str, list[dict]]:
    data = json.loads(manifest.read_text(encoding="utf-8"))
    routes: dict[str, list[dict]] = {}
    for source in data["sources"].values():
        for route in source["routes"]:
            parts = urlsplit(route["url"])
            routes.setdefault(origin_of(route["url"]), []).append({
                **route, "path": parts.path, "query": dict(parse_qsl(parts.query, keep_blank_values=True)),
                "body": (manifest.parent / route["file"]).read_bytes()})
    return routes


def make_handler(routes: list[dict], rewrites: list[tuple[bytes, bytes]]):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # quiet test output
            pass

        def answer(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            sent = self.rfile.read(length).decode("utf-8", "replace") if length else ""
            parts = urlsplit(self.path)
            query = dict(parse_qsl(parts.query, keep_blank_values=True))
            for route in routes:
                if route["method"] != method or route["path"] != parts.path:
                    continue
                if any(query.get(k) != v for k, v in route["query"].items()):
                    continue
                if route.get("match_body") and route["match_body"] not in sent:
                    continue
                body = route["body"]
                if not route["content_type"].startswith("application/pdf") and "spreadsheet" not in route["content_type"]:
                    for real, local in rewrites:
                        body = body.replace(real, local)
                return self.send(200, body, route["content_type"])
            self.send(404, b"not recorded", "text/plain")

        def send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):  # noqa: N802 (http.server's names)
            self.answer("GET")

        def do_POST(self):  # noqa: N802
            self.answer("POST")

    return Handler


def main(argv: list[str]) -> int:
    manifest = Path(argv[1]) if len(argv) > 1 else DEFAULT_MANIFEST
    routes = load_routes(manifest)
    servers = {origin: ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler) for origin in routes}
    bases = {origin: f"http://127.0.0.1:{server.server_address[1]}" for origin, server in servers.items()}
    rewrites = [(origin.encode(), base.encode()) for origin, base in bases.items()]
    # the same host under the other scheme is the same site to a page that links it absolutely
    rewrites += [(origin.replace("https://", "http://").encode() if origin.startswith("https") else
                  origin.replace("http://", "https://").encode(), base.encode()) for origin, base in bases.items()]
    for origin, server in servers.items():
        server.RequestHandlerClass = make_handler(routes[origin], rewrites)
        threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdout.write(json.dumps(bases) + "\n")
    sys.stdout.flush()
    threading.Event().wait()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
