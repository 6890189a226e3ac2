"""An amount with its provenance: the label it stood under and the unit it was written in.

`kernel.parsing.amounts.parse_amount` reads the number; this module decides whether it is an
award or bid amount at all (issue 18): only under a label that means bid or award (the fields
`amount`, `price`, `total_amount` of labels.yaml), never a unit price (元/天, 协议价, 单价) and
never a fee rate or a discount (费率 2.8%, 下浮率 5%), which are kept apart. A wrong amount is
worse than none: it reaches a loan officer as "中标 4,683 万元".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scrapers.extract.amounts import parse_amount
from scrapers.extract.lookups import words_pattern
from scrapers.extract.text import fold

AMOUNT_FIELDS = ("amount", "price", "total_amount")  # labels that mean an award or a bid
_SLASHES = str.maketrans({"∕": "/", "⁄": "/", "╱": "/"})  # 元∕天: NFKC keeps the division slash
_UNIT = re.compile(r"\d\s*[(（]?\s*(亿元|万元|亿|万|元)")
_SIGN = re.compile(r"[¥￥$]|RMB|CNY|人民币")
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*[%％‰]")


@dataclass(frozen=True)
class Money:
    yuan: float | None  # an award or bid amount in 元, or None
    unit: str | None = None  # 元 / 万元 / 亿元: as written, or as the label's unit said
    label: str | None = None  # the label it stood under, as written (中标金额, 投标报价 …)
    rate: float | None = None  # a unit price (元/天): never an amount
    rate_unit: str | None = None
    percent: float | None = None  # a fee rate or discount bid (费率 2.8%): never an amount


def read_money(text: str | None, unit_hint: str | None = None, label: str | None = None) -> Money:
    """The amount of one value under one label, with its unit and label (see the module doc)."""
    label = label.strip(" :：") if label else label
    if not text:
        return Money(None, label=label)
    text = fold(text).translate(_SLASHES)
    label_text = fold(label or "")
    percent = _PERCENT.search(text)
    if words_pattern("rate_labels").search(label_text) or (percent and not _UNIT.search(text) and not _SIGN.search(text)):
        return Money(None, label=label, percent=float(percent.group(1)) if percent else None)
    amount = parse_amount(text, unit_hint)
    if amount.rate is not None or (amount.yuan is not None and words_pattern("unit_price_labels").search(label_text)):
        return Money(None, label=label, rate=amount.rate if amount.rate is not None else amount.yuan,
                     rate_unit=amount.rate_unit or "单价")
    if not amount.yuan:  # 0.000000 / 0.0 万元: a placeholder, not an award of nothing
        return Money(None, label=label)
    written = _UNIT.search(text)
    unit = written.group(1) if written else (unit_hint.split("/")[0] if unit_hint else "元")
    return Money(amount.yuan, unit={"万": "万元", "亿": "亿元"}.get(unit, unit), label=label)
