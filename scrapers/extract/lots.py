"""Lot and rank values as pages write them: "第1包" / "A包" / "标段二"; "第一名" / "第2中标候选人"."""

from __future__ import annotations

import re

import cn2an

# A lot written before what it is about: its designator first ("A包", "第2标段") or after ("标项1").
# A name never starts with one (orgspans); a sentence may ("A包某某公司为第一成交候选供应商", prose).
LOT_DESIGNATOR_FIRST = r"(?:第\s*)?(?:[A-Za-z]|[一二三四五六七八九十\d]{1,3})\s*(?:包|标段|标包|分包|标项)"
LOT_WORD_FIRST = r"(?:包|标段|标项)\s*[A-Za-z\d一二三四五六七八九十]{1,3}"
LOT_MARKER = re.compile(f"{LOT_DESIGNATOR_FIRST}|{LOT_WORD_FIRST}")
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
