"""Serves a folder on 127.0.0.1 port 0 for corpus crawls: python static_site.py DIR → prints base URL.

Files are served as they are (0-byte ones too); a missing file is a 404. Content types by suffix."""

from __future__ import annotations

import sys
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer


class Handler(SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    extensions_map = {".htm": "text/html; charset=utf-8", ".html": "text/html; charset=utf-8",
                      ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      ".pdf": "application/pdf", ".txt": "text/plain", "": "application/octet-stream"}

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=sys.argv[1]))
    print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()
