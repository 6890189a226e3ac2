"""A crawler's saved JSON record, or an API answer, that holds the notice HTML in one of its fields.

`{"title": "…结果公告", "content": "<p>…</p>", …}` becomes the page a browser would show:
`<html><head><title>T</title></head><body><h1>T</h1>CONTENT</body></html>` (the corpus' unwrap.py
does the same), so `tuoke extract record.json` reads the notice, not the JSON punctuation.
"""

from __future__ import annotations

import html
import json
import re

_HTML_KEYS = ("content", "html", "body", "noticeContent", "detail", "text", "contentHtml")
_TITLE_KEYS = ("title", "noticeTitle", "name", "subject")
_TAG = re.compile(r"<\s*[a-zA-Z][^>]{0,200}>")
_MAX_DEPTH = 4


def json_record_html(text: str) -> str | None:
    """The page inside a JSON record, or None when `text` is not such a record."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped.startswith("{"):
        return None
    try:
        record = json.loads(stripped)
    except ValueError:
        return None
    found = _record_with_html(record, 0)
    if found is None:
        return None
    record, content = found
    title = next((str(record[k]) for k in _TITLE_KEYS if isinstance(record.get(k), str) and record[k].strip()), "")
    title = html.escape(title, quote=False)
    return f"<html><head><title>{title}</title></head><body><h1>{title}</h1>{content}</body></html>"


def _record_with_html(value, depth: int) -> tuple[dict, str] | None:
    """(the dict, its HTML field) for the first dict, breadth first, whose known field holds markup."""
    if depth > _MAX_DEPTH:
        return None
    if isinstance(value, dict):
        for key in _HTML_KEYS:
            field = value.get(key)
            if isinstance(field, str) and _TAG.search(field):
                return value, field
        children = list(value.values())
    elif isinstance(value, list):
        children = value[:50]
    else:
        return None
    for child in children:
        found = _record_with_html(child, depth + 1) if isinstance(child, (dict, list)) else None
        if found:
            return found
    return None
