"""Bytes -> text. The bytes and the HTTP header decide; the <meta> charset is only a weak hint.

Order: strict UTF-8 when the bytes are valid UTF-8 and hold non-ASCII (many pages declare
gb2312 but are UTF-8); else the header charset; else the meta charset; else GB18030 (a
superset of GBK/GB2312). When nothing decodes cleanly the page is decoded with replacement
characters and `decode_report` says so (problem `bad_encoding`).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping

_META = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_HEADER = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.IGNORECASE)
_WIDEN = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030", "big5": "big5hkscs"}


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    name = _WIDEN.get(name.strip().lower(), name.strip().lower())
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _header_charset(headers: Mapping | None) -> str | None:
    if not headers:
        return None
    for key, value in headers.items():
        key = key.decode("latin-1") if isinstance(key, bytes) else str(key)
        if key.lower() != "content-type":
            continue
        if isinstance(value, (list, tuple)):
            value = value[0] if value else b""
        value = value.decode("latin-1") if isinstance(value, bytes) else str(value)
        match = _HEADER.search(value)
        return _codec(match.group(1)) if match else None
    return None


def decode_report(body: bytes, headers: Mapping | None = None) -> tuple[str, str, int]:
    """(text, encoding used, replacement characters inserted)."""
    if body.startswith(codecs.BOM_UTF8):
        body = body[3:]
    candidates: list[str] = []
    if not body.isascii():
        candidates.append("utf-8")
    for hint in (_header_charset(headers), _codec((_META.search(body[:4096]) or [None, b""])[1].decode("ascii", "ignore"))):
        if hint and hint not in candidates:
            candidates.append(hint)
    if "gb18030" not in candidates:
        candidates.append("gb18030")
    for encoding in candidates:
        try:
            return body.decode(encoding), encoding, 0
        except UnicodeDecodeError as exc:
            # A body cut inside its last character (truncated download) is still this encoding.
            if exc.start >= len(body) - 4:
                try:
                    return body[: exc.start].decode(encoding), encoding, 0
                except UnicodeDecodeError:
                    pass
        except LookupError:
            continue
    # Nothing decodes cleanly: take the candidate that loses fewest characters.
    best = min(candidates, key=lambda enc: body.decode(enc, "replace").count("\ufffd"))
    text = body.decode(best, "replace")
    return text, best, text.count("\ufffd")


def decode_body(body: bytes, headers: Mapping | None = None) -> str:
    return decode_report(body, headers)[0]
