"""Lot and rank values as pages write them: "第1包" / "A包" / "标段二"; "第一名" / "第2中标候选人"."""

from __future__ import annotations

import re

import cn2an

_RANK = re.compile(r"第?\s*([一二三四五六七八九十\d]{1,3})\s*(?:名|中标|候选|成交|$)")


def lot_key(text: str | None) -> str | None:
    """The lot as written, without spaces (at most 40 characters), or None."""
    if not text:
        return None
    text = re.sub(r"\s+", "", text)
    return text[:40] or None


def rank_of(text: str | None) -> int | None:
    if not text:
        return None
    match = _RANK.search(text.strip())
    if not match:
        return None
    try:
        value = int(match.group(1)) if match.group(1).isdigit() else int(cn2an.cn2an(match.group(1), "smart"))
    except (ValueError, KeyError, TypeError):
        return None
    return value if 0 < value < 100 else None
