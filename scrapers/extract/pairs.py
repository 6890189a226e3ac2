"""`key：value` pairs inside one line of text ("1.成交供应商名称：某公司 2.成交金额：…")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from scrapers.extract.labels import field_for
from scrapers.extract.lookups import label_table
from scrapers.extract.text import label_key

_CJK = "\u4e00-\u9fff"
# A key is a run of CJK (or CJK spaced out one character at a time) followed by a colon.
_KEY = re.compile(
    rf"(?:(?<=[\s;；,，。、.)）\]】])|^|(?<=\d))"
    rf"((?:[{_CJK}](?:[ \u3000\u00a0]+[{_CJK}]){{1,15}})|[{_CJK}A-Za-z()（）/、\[\]【】]{{2,24}})\s*[:：]"
)
_HAS_CJK = re.compile(rf"[{_CJK}]")
_MAX_LINE = 4000
_TRAILING_NUMBER = re.compile(r"\s*(?:\d{1,2}[.、．]|[一二三四五六七八九十]{1,3}、|[(（]\d{1,2}[)）])\s*$")


@dataclass
class Pair:
    label: str  # as written
    value: str
    field: str | None  # None = a label nobody maps (reported as unused)
    unit: str | None = None
    origin: str = "line"  # line | cell


def classify(label: str) -> tuple[str | None, str | None]:
    """Field for a label, trying a known tail when the head is prose ('经评审确定中标供应商为')."""
    field, unit = field_for(label)
    if field:
        return field, unit
    key, unit = label_key(label)
    key = key.rstrip("为是")
    exact = label_table()[0]
    for start in range(1, min(len(key) - 1, 7)):
        if key[start:] in exact and len(key) - start >= 2:
            return exact[key[start:]], unit
    return None, unit


def line_pairs(line: str) -> list[Pair]:
    """Every `key：value` in one line; text before the first key is not a pair."""
    if len(line) > _MAX_LINE:
        line = line[:_MAX_LINE]
    if "：" not in line and ":" not in line:
        return []
    keys = [m for m in _KEY.finditer(line) if _HAS_CJK.search(m.group(1))]
    pairs = []
    for index, match in enumerate(keys):
        end = keys[index + 1].start() if index + 1 < len(keys) else len(line)
        label = match.group(1)
        field, unit = classify(label)
        value = _TRAILING_NUMBER.sub("", line[match.end():end]).strip(" ;；,，")
        pairs.append(Pair(label.strip(), value, field, unit))
    return pairs
