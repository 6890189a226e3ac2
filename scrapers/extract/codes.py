"""Unified social credit codes (GB 32100-2015) found by shape and check digit, wherever they stand."""

from __future__ import annotations

import re

from kernel.uscc import is_valid_uscc
from scrapers.extract.text import fold

_SHAPE = re.compile(r"(?<![0-9A-Z])([0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10})(?![0-9A-Z])")


def find_usccs(text: str | None) -> list[str]:
    """Every 18-character code with a valid check character, in order, without repeats."""
    if not text:
        return []
    found: list[str] = []
    for match in _SHAPE.finditer(fold(text).upper()):
        code = match.group(1)
        if code not in found and is_valid_uscc(code):
            found.append(code)
    return found


def uscc_shaped(text: str | None) -> list[str]:
    """18-character code shapes whatever their check character (to report invalid ones)."""
    return [m.group(1) for m in _SHAPE.finditer(fold(text or "").upper())]
