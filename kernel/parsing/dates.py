"""Dates in every common form: 2026年10月27日 20:20, 2026-10-27, 2026/10/27, 2026.10.27, 二〇二六年十月…"""

from __future__ import annotations

import re
from datetime import date, datetime

import cn2an

from kernel.parsing.text import fold

_ARABIC = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})(?!\d)")
_COMPACT = re.compile(r"(?<!\d)((?:19|20)\d{2})(0[1-9]|1[0-2])([0-2]\d|3[01])(?!\d)")
_CHINESE = re.compile(r"([〇零一二三四五六七八九○Ｏ]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*[日号]")
_TIME = re.compile(r"^\s*[日号]?\s*(\d{1,2})\s*[:：时点]\s*(\d{1,2})?")
_YEAR_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0", "Ｏ": "0"}


def _make(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _find(text: str) -> tuple[date | None, str]:
    text = fold(text)
    match = _ARABIC.search(text)
    if match:
        return _make(*(int(g) for g in match.groups())), text[match.end():]
    match = _CHINESE.search(text)
    if match:
        try:
            year = int("".join(_YEAR_DIGIT.get(c, c) for c in match.group(1)))
            month, day = int(cn2an.cn2an(match.group(2), "smart")), int(cn2an.cn2an(match.group(3), "smart"))
        except (ValueError, KeyError, TypeError):
            return None, ""
        return _make(year, month, day), text[match.end():]
    match = _COMPACT.search(text)
    if match:
        return _make(*(int(g) for g in match.groups())), text[match.end():]
    return None, ""


def parse_date(text: str | None) -> date | None:
    """First date written in `text`, or None."""
    if not text:
        return None
    return _find(text)[0]


def parse_datetime_iso(text: str | None) -> str | None:
    """'2026年10月27日 09:30' -> '2026-10-27T09:30'; a date alone -> '2026-10-27'."""
    if not text:
        return None
    day, rest = _find(text)
    if day is None:
        return None
    match = _TIME.match(rest)
    if match and int(match.group(1)) < 24:
        minute = int(match.group(2) or 0)
        return datetime(day.year, day.month, day.day, int(match.group(1)), min(minute, 59)).isoformat(timespec="minutes")
    return day.isoformat()


def find_dates(text: str) -> list[date]:
    """Every Arabic-numeral date in `text` (for fallbacks such as the signing date at the foot)."""
    found = []
    for match in _ARABIC.finditer(fold(text)):
        made = _make(*(int(g) for g in match.groups()))
        if made:
            found.append(made)
    return found


_TIME_TAIL = re.compile(r"(?:[ T]\d{1,2}[:：]\d{1,2}(?:[:：]\d{1,2}(?:\.\d+)?)?)?")
_MONTH = re.compile(r"((?:19|20)\d{2})\s*(?:[-/.年]\s*(\d{1,2})\s*月?|(0[1-9]|1[0-2]))")


def parse_date_cell(text: str) -> date:
    """A cell that must hold one date (2026-10-08, 2026/10/8, 20261008, 2026年10月8日, 二〇二六年十月八日),
    optionally with a time of day; anything else raises ValueError (a table cell is not prose)."""
    folded = fold(text)
    for pattern in (_ARABIC, _COMPACT, _CHINESE):
        match = pattern.match(folded)
        rest = folded[match.end():] if match else ""
        if rest[:1] in ("日", "号"):
            rest = rest[1:]
        if match and _TIME_TAIL.fullmatch(rest.rstrip()):
            found, _ = _find(folded[: match.end()])
            if found is not None:
                return found
            break
    raise ValueError(f"{text!r} is not a date (YYYY-MM-DD)")


def parse_month_cell(text: str) -> date:
    """A cell naming a month (2026-10, 202610, 2026年10月) as the month's first day; a full date
    names its month too. Raises ValueError."""
    folded = fold(text)
    match = _MONTH.fullmatch(folded)
    if match:
        made = _make(int(match.group(1)), int(match.group(2) or match.group(3)), 1)
        if made is not None:
            return made
    try:
        return parse_date_cell(folded).replace(day=1)
    except ValueError:
        raise ValueError(f"{text!r} is not a month (YYYY-MM)") from None
