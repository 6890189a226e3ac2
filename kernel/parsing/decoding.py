"""Bytes -> text. The bytes and the HTTP header decide; the <meta> charset is only a weak hint.

Order: a byte-order mark (UTF-8, UTF-16 and UTF-32, either byte order: a BOM is proof, and a
UTF-16 page read as GB18030 "decodes" into NULs and nothing); UTF-16 without a BOM when every other
byte is NUL; strict UTF-8 when the bytes are valid UTF-8 and hold non-ASCII (many pages declare
gb2312 but are UTF-8); else the header charset; else the meta charset; else GB18030 (a
superset of GBK/GB2312). When nothing decodes cleanly the page is decoded with replacement
characters and `decode_report` says so (problem `bad_encoding`). Never raises: any bytes give text.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping

_META = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_HEADER = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.IGNORECASE)
_WIDEN = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030", "big5": "big5hkscs"}
# Longest first: the UTF-32-LE mark begins with the UTF-16-LE one.
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_NUL_SHARE_UTF16 = 0.4  # of the even (BE) or odd (LE) bytes: ASCII markup in UTF-16 is half NULs


def _bom(body: bytes) -> tuple[str, int] | None:
    for mark, encoding in _BOMS:
        if body.startswith(mark):
            return encoding, len(mark)
    return None


def _utf16_without_bom(body: bytes) -> str | None:
    sample = body[:4096]
    if len(sample) < 8 or b"\x00" not in sample:
        return None
    half = len(sample) // 2
    odd, even = sample[1::2].count(0), sample[0::2].count(0)  # NULs in the high byte of each unit
    if odd >= _NUL_SHARE_UTF16 * half and odd > 4 * even:
        return "utf-16-le"
    if even >= _NUL_SHARE_UTF16 * half and even > 4 * odd:
        return "utf-16-be"
    return None


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


def _decode(body: bytes, encoding: str, errors: str = "strict") -> str:
    # Only text encodings: a charset "rot13" or "base64" in a header is a lookup error, not a transform.
    if not _is_text(encoding):
        raise LookupError(f"{encoding} is not a text encoding")
    return body.decode(encoding, errors)


def _is_text(encoding: str) -> bool:
    try:
        return bool(getattr(codecs.lookup(encoding), "_is_text_encoding", True))
    except LookupError:
        return False


def decode_report(body: bytes, headers: Mapping | None = None) -> tuple[str, str, int]:
    """(text, encoding used, replacement characters inserted)."""
    marked = _bom(body)
    if marked:
        body = body[marked[1]:]
        candidates = [marked[0]]
    else:
        candidates = [enc for enc in (_utf16_without_bom(body),) if enc]
        if not body.isascii():
            candidates.append("utf-8")
        for hint in (_header_charset(headers), _codec((_META.search(body[:4096]) or [None, b""])[1].decode("ascii", "ignore"))):
            if hint and hint not in candidates and _is_text(hint):
                candidates.append(hint)
        if "gb18030" not in candidates:
            candidates.append("gb18030")
    for encoding in candidates:
        try:
            return _decode(body, encoding), encoding, 0
        except UnicodeDecodeError as exc:
            # A body cut inside its last character (truncated download) is still this encoding.
            if exc.start >= len(body) - 4:
                try:
                    return _decode(body[: exc.start], encoding), encoding, 0
                except (UnicodeError, ValueError):
                    pass
        except (UnicodeError, ValueError, LookupError):
            continue
    # Nothing decodes cleanly: take the candidate that loses fewest characters.
    decoded = {}
    for encoding in candidates:
        try:
            decoded[encoding] = _decode(body, encoding, "replace")
        except (UnicodeError, ValueError, LookupError):
            continue
    if not decoded:
        decoded["gb18030"] = body.decode("gb18030", "replace")
    best = min(decoded, key=lambda enc: decoded[enc].count("\ufffd"))
    text = decoded[best]
    return text, best, text.count("\ufffd")


def decode_body(body: bytes, headers: Mapping | None = None) -> str:
    return decode_report(body, headers)[0]
