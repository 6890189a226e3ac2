"""Money: 元 / 万元 / 亿元, ￥ ¥ $, full-width commas, spaced digits, 大写 numerals, template tags, rates.

A value keeps its sign ("-5元" is -5.0, never 5.0), and one outside the plausible range of a single
amount (`kernel.limits.amount_problem`: not positive, or above the largest plausible award) carries
the reason in `Amount.problem`, so the landing check quarantines it instead of scoring it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cn2an

from kernel.limits import amount_problem
from kernel.parsing.text import fold

_TEMPLATE = re.compile(r"\{\{|\}\}|\$\{[^}]*\}|\{%.*?%\}")
_NUMBER = r"(\d{1,3}(?:,\d{3})+(?:\s*\.\s*\d+)?|\d+(?:\s*\.\s*\d+)?)"
_WITH_UNIT = re.compile(_NUMBER + r"\s*[(（]?\s*(亿元|万元|亿|万|元)")  # "98.5（万元）" too
_WITH_SIGN = re.compile(r"(?:¥|\$|RMB|CNY|人民币)\s*[:：]?\s*" + _NUMBER)
_BARE = re.compile(r"(?<![\d.])" + _NUMBER + r"(?![\d.%])")
_RATE = re.compile(r"元\s*/\s*(天|日|月|年|次|小时|人|人次|台班|平方米|㎡|m2|吨|公里|件|张|份)|每(天|日|月|年|次)")
_CAPITAL = re.compile(r"[零壹贰叁肆伍陆柒捌玖拾佰仟万亿一二三四五六七八九十百千两〇]+(?:[元圆](?:[零壹贰叁肆伍陆柒捌玖一二三四五六七八九]角)?(?:[零壹贰叁肆伍陆柒捌玖一二三四五六七八九]分)?整?)")
_DIGIT = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")} | {c: i for i, c in enumerate("〇一二三四五六七八九")}
_SCALE = {"万元": 1e4, "万": 1e4, "亿元": 1e8, "亿": 1e8, "元": 1.0}
_SEE_ELSEWHERE = ("详见", "见附件", "见公告", "见附表", "见下表", "另行")


@dataclass(frozen=True)
class Amount:
    yuan: float | None
    rate: float | None = None  # e.g. 元/天 prices: kept apart, never summed as an amount
    rate_unit: str | None = None
    problem: str | None = None  # why `yuan` cannot be one amount (kernel.limits.amount_problem)


# A minus sign stands right before the number (or before its currency sign), and after something that
# is not an ASCII digit or letter: "-5元", "：-5元", "¥-5", "-¥5"; never the dash of a range ("1-5万元")
# or of a code ("ZJ-2026-5元").
_MINUS = re.compile(r"(?:^|[^0-9A-Za-z.])-\s*(?:(?:¥|\$|RMB|CNY|人民币)\s*[:：]?\s*)?$")


def _sign(text: str, number_start: int) -> float:
    return -1.0 if _MINUS.search(text[max(0, number_start - 12):number_start]) else 1.0


def _to_float(number: str) -> float:
    return float(re.sub(r"[\s,]", "", number))


def _capital_to_yuan(text: str) -> float | None:
    match = _CAPITAL.search(text)
    if not match:
        return None
    raw = match.group(0)
    head, sep, tail = re.split(r"([元圆])", raw, maxsplit=1) if re.search(r"[元圆]", raw) else (raw, "", "")
    if not head or not re.search(r"[拾佰仟万亿十百千壹贰叁肆伍陆柒捌玖一二三四五六七八九]", head):
        return None
    try:
        value = float(cn2an.cn2an(head.replace("两", "二"), "smart"))
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    for digit, unit in re.findall(r"(.)([角分])", tail):
        if digit in _DIGIT:
            value += _DIGIT[digit] * (0.1 if unit == "角" else 0.01)
    return round(value, 2)


def parse_amount(text: str | None, unit_hint: str | None = None) -> Amount:
    """Read one money value; `unit_hint` is the unit a label or column header carried ("万元")."""
    if not text:
        return Amount(None)
    text = fold(_TEMPLATE.sub(" ", text))
    rate = _RATE.search(text)
    if unit_hint and "/" in unit_hint:
        rate = rate or re.search(r"/(.)", unit_hint)
    match = _WITH_UNIT.search(text)
    if match:
        value = _sign(text, match.start(1)) * _to_float(match.group(1)) * _SCALE[match.group(2)]
    else:
        match = _WITH_SIGN.search(text) or _BARE.search(text)
        if match:
            unit = (unit_hint or "元").split("/")[0]
            value = _sign(text, match.start()) * _to_float(match.group(1)) * _SCALE.get(unit, 1.0)
        else:
            if any(w in text for w in _SEE_ELSEWHERE):
                return Amount(None)
            value = _capital_to_yuan(text)
            if value is None:
                return Amount(None)
    value = round(value, 2)
    if rate:
        return Amount(None, rate=value, rate_unit=next(g for g in rate.groups() if g))
    return Amount(value, problem=amount_problem(value))


_CELL = re.compile(r"(-)?\s*(?:¥|\$|RMB|CNY|人民币)?\s*(-)?\s*" + _NUMBER + r"\s*(亿元|万元|亿|万|元)?", re.IGNORECASE)


_PLAIN_CELL = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def parse_amount_cell(text: str) -> float:
    """A cell that must hold one amount and nothing else ("1,234.5", "¥1234", "31.2万", "-80元").

    Stricter than `parse_amount`, which finds a value inside prose: a bank export cell with other
    words in it is a bad value, not a number to guess. Raises ValueError.
    """
    if _PLAIN_CELL.fullmatch(text):  # most export cells ("12345", "880.5"): what any_amount_cell gives them
        return float(text)
    return any_amount_cell(text)


def any_amount_cell(text: str) -> float:
    """parse_amount_cell without its shortcut for plain numbers (tests hold the two equal)."""
    match = _CELL.fullmatch(re.sub(r"\s+", "", fold(text)))  # "1 234": exports space thousands
    if not match:
        raise ValueError(f"{text!r} is not a number")
    sign = -1.0 if match.group(1) or match.group(2) else 1.0
    return sign * _to_float(match.group(3)) * _SCALE[match.group(4) or "元"]


def parse_amount_yuan(text: str | None, unit_hint: str | None = None) -> float | None:
    """Amount in 元 as a float, or None (rates per day, 详见附件, no number)."""
    return parse_amount(text, unit_hint).yuan
