"""Width folding: the first step of reading any Chinese value."""

from __future__ import annotations

import re
import unicodedata

_WS = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")


def fold(text: str) -> str:
    """NFKC (full-width digits, brackets, colons, ￥ become ASCII) and single spaces."""
    return _WS.sub(" ", unicodedata.normalize("NFKC", text)).strip()
