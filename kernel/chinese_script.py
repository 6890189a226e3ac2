"""Traditional and simplified Chinese: one OpenCC converter each way for the whole process.

Names are compared after traditional -> simplified (warehouse/resolve/name_text.py), and every
other reader of a name — the region index (warehouse/regions.py), the extractor's name endings
(scrapers/extract/org_names.py) — must convert exactly as they do, so they all call this module.
"""

from __future__ import annotations

import functools

try:  # the C++ binding; called without the Python wrapper's extra frame (names are converted in bulk)
    import opencc

    _T2S = opencc.OpenCC("t2s.json")
    _T2S_CALL = type(_T2S).__mro__[1].convert  # the pybind11 method: (self, utf-8 bytes, length)
except Exception:  # pragma: no cover - opencc is a declared dependency
    _T2S = _T2S_CALL = None

AVAILABLE = _T2S_CALL is not None


def to_simplified(text: str) -> str:
    """`text` in simplified characters (unchanged when OpenCC is missing or the text is ASCII)."""
    if _T2S_CALL is None or text.isascii():
        return text
    data = text.encode("utf-8")
    return _T2S_CALL(_T2S, data, len(data))


@functools.cache
def _s2t():
    return opencc.OpenCC("s2t.json")  # made on first use: only the script test needs it


def to_traditional(text: str) -> str:
    """`text` in traditional characters (unchanged when OpenCC is missing or the text is ASCII)."""
    if _T2S_CALL is None or text.isascii():
        return text
    return _s2t().convert(text)
