"""Text clean-up shared by every rule: width folding, whitespace, label keys."""

from __future__ import annotations

import functools
import re
import unicodedata

from kernel.parsing.text import fold  # noqa: F401  (the extract rules import fold from here)

_WS = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
_TAG = re.compile(r"<\s*(script|style)\b.*?(?:<\s*/\s*\1\s*>|$)|<[^<>]{0,500}>", re.IGNORECASE | re.DOTALL)
_NUMBERING = re.compile(
    r"^(?:[（(]?[一二三四五六七八九十]{1,3}[)）、.．]|[（(]?\d{1,2}[)）]|\d{1,2}(?:\.\d{1,2})*[.、．)）](?!\d)|[①-⑳]|[★*●·•■□◆◇>-])+"
)
_UNIT_SUFFIX = re.compile(r"[(（\[]\s*((?:人民币)?\s*(?:万元|亿元|元|万)(?:/[天日月年])?)\s*[)）\]]$")
_LABEL_JUNK = re.compile(r"[:：\s_*★●]+")
# Three or more CJK characters (or brackets) spaced out one at a time ("拟 中 标 人", "投 标 报 价 （ 万 元 ）"): a label as
# Word exports and trading centres print it. No name is written so; a two-character run ("张 三") stays.
_SPACED_RUN = re.compile(r"(?<![\u4e00-\u9fff（）()])[\u4e00-\u9fff（）()](?:[ \u3000\u00a0]{1,3}[\u4e00-\u9fff（）()](?![\u4e00-\u9fff（）()])){2,}")


def squash(text: str) -> str:
    """Fold and drop every space: for labels spaced out between characters ("项 目 名 称")."""
    return _WS.sub("", unicodedata.normalize("NFKC", text))


# Before a colon, groups of one or two characters ("拟中 标 人：", "联 系人："): a label too.
_SPACED_KEY = re.compile(r"(?<![\u4e00-\u9fff])[\u4e00-\u9fff]{1,2}(?:[ \u3000\u00a0]{1,3}[\u4e00-\u9fff]{1,2}){1,6}(?=\s*[:：])")

# A label and its bracketed unit apart before a colon ("中标金额 （万元）：590.198272").
_SPACED_UNIT = re.compile(r"([\u4e00-\u9fff])[ \u3000\u00a0]+([（(][^（）()]{1,8}[）)])(?=\s*[:：])")


def despace(line: str) -> str:
    """A line with its spaced-out labels closed up ("项 目 名 称：X" -> "项目名称：X", "拟中 标 人：X")."""
    if " " not in line and "\u3000" not in line and "\u00a0" not in line:
        return line
    line = _SPACED_RUN.sub(lambda m: _WS.sub("", m.group(0)), line)
    line = _SPACED_KEY.sub(lambda m: _WS.sub("", m.group(0)), line)
    return _SPACED_UNIT.sub(r"\1\2", line)


def strip_markup(text: str) -> str:
    """Remove HTML tags and script/style bodies that leaked into a value as text."""
    if "<" not in text:
        return text
    return _TAG.sub("", text)


@functools.lru_cache(maxsize=65536)  # labels repeat across pages: most calls are lookups
def label_key(label: str) -> tuple[str, str | None]:
    """Normalise a label: no spaces, numbering, colons; a trailing unit like (万元) is returned apart."""
    key = squash(label)
    key = _LABEL_JUNK.sub("", key)
    key = _NUMBERING.sub("", key)
    unit = None
    match = _UNIT_SUFFIX.search(key)
    if match:
        unit = match.group(1).replace("人民币", "")
        key = key[: match.start()]
    return key.strip(":："), unit


def has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)
