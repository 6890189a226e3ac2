"""`key：value` pairs inside one line of text ("1.成交供应商名称：某公司 2.成交金额：…")."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from scrapers.extract.labels import field_for
from scrapers.extract.lookups import label_table, line_section_table, section_table, words
from scrapers.extract.text import label_key

_CJK = "\u4e00-\u9fff"
# A key is a run of CJK (or CJK spaced out one character at a time) followed by a colon.
_KEY = re.compile(
    rf"(?:(?<=[\s;；,，。、.)）\]】])|^|(?<=\d))"
    rf"((?:[{_CJK}](?:[ \u3000\u00a0]+[{_CJK}]{{1,2}}){{1,15}})|[{_CJK}A-Za-z(（\[【][{_CJK}A-Za-z()（）/、\[\]【】]{{1,23}})\s*[:：]"
)
_HAS_CJK = re.compile(rf"[{_CJK}]")
_UNIT_HEAD = re.compile(r"(?:万元|亿元|元|万)(?=[\s(（\[【]|$)")
_TRAILING_NOTE = re.compile(r"\([^()]{1,10}\)$")
_LOT_WORD = r"(?:包|标段|标包|分包|标项|合同包|包件)"
# "第1包：", "包2：", "第一包入围：" (a framework list's lot heading, its entries below it)
_LOT_PREFIX = re.compile(
    rf"^\s*((?:第\s*[\d一二三四五六七八九十A-Za-z]{{1,3}}\s*{_LOT_WORD})|(?:{_LOT_WORD}\s*[\dA-Za-z一二三四五六七八九十]{{1,3}}))"
    r"(?:入围|中标|成交|中选)?(?:结果|供应商|单位|名单)?\s*[:：]\s*"
)
_MAX_LINE = 4000
_TRAILING_NUMBER = re.compile(r"\s*(?:\d{1,2}[.、．]|[一二三四五六七八九十]{1,3}、|[(（]\d{1,2}[)）])\s*$")
# "九、…联系。" / "3.项目联系方式": a numbered line with no `key：` ends the section above it.
_NUMBERED_HEADING = re.compile(r"^\s*(?:[(（]?[一二三四五六七八九十]{1,3}[)）、.．]|[(（]?\d{1,2}[)）.、．](?!\d))")
_SECTION_PREFIX = r"(?:[(（]?[一二三四五六七八九十]{1,3}[)）、.．]|[(（]?\d{1,2}[)）.、．]?)?\s*"


@dataclass
class Pair:
    label: str  # as written
    value: str
    field: str | None  # None = a label nobody maps (reported as unused)
    unit: str | None = None
    origin: str = "line"  # line | cell
    section: str | None = None  # the role of the section heading the pair stands under
    rank: int | None = None  # "第一名 报价：…": the rank written before the label, without a name
    where: int | None = None  # the line or table row (a rowspan group is one) the pair stands in


@dataclass
class Section:
    """A section heading ("1.采购人信息"): the role generic labels below it take (None ends a section)."""

    role: str | None
    label: str


@functools.cache
def _section_pattern() -> re.Pattern:
    """Section headings inside a line ("…联系。1.采购人信息 名 称：… 2.采购代理机构信息 …")."""
    headings, _ = section_table()
    alternatives = sorted(headings, key=len, reverse=True)
    body = "|".join(re.escape(h).replace(r"\(", "[(（]").replace(r"\)", "[)）]") for h in alternatives)
    return re.compile(rf"(?:^|(?<=[\s。；;，,:：!！?？]))({_SECTION_PREFIX}(?:{body}))(?=\s|$|[:：]|名\s*称|地\s*址|单位名称)")


@functools.cache
def _heading_tails() -> frozenset[str]:
    """Last characters of the section headings: most lines skip the heading lookup at once."""
    return frozenset(h[-1] for h in section_table()[0] if h)


def line_events(line: str) -> list:
    """Pairs of one line, with Section markers where a section heading starts (whole line or inline)."""
    if len(line) > _MAX_LINE:
        line = line[:_MAX_LINE]
    lot = _LOT_PREFIX.match(line)
    if lot and lot.end() == len(line):
        return [Pair(lot.group(0).strip(" ：:"), lot.group(1), "lot")]
    if lot:  # "第1包：中标供应商：X" / "包2：废标（…）": the lot, then the line
        rest = line[lot.end():]
        events = line_events(rest)
        if not any(getattr(e, "field", None) for e in events) and any(w in rest for w in words("failed_lot")):
            events = [Pair(lot.group(1), rest, "status")]
        return [Pair(lot.group(1), lot.group(1), "lot"), *events]
    headings, _ = section_table()
    if len(line) <= 40:
        key = label_key(line)[0]
        if line.rstrip(" ：:")[-1:] in _heading_tails() and key in headings:
            return [Section(headings[key], line)]
        whole_line = line_section_table()
        role = whole_line.get(key) or whole_line.get(_TRAILING_NOTE.sub("", key))
        if role:
            return [Section(role, line)]
    events: list = []
    position = 0
    if len(line) > 8 and ("信息" in line or "联系" in line or "：" in line or ":" in line):
        for match in _section_pattern().finditer(line):
            events.extend(line_pairs(line[position:match.start()]))
            events.append(Section(headings.get(label_key(match.group(1))[0]), match.group(1)))
            position = match.end()
    if position == 0:
        pairs = line_pairs(line)
        if not pairs and len(line) <= 40 and _NUMBERED_HEADING.match(line):
            return [Section(None, line)]
        return pairs
    events.extend(line_pairs(line[position:]))
    return events


def section_field(field: str | None, role: str | None) -> str | None:
    """The field a generic label (名称, 地址) has inside a section of `role`."""
    if role is None or field is None:
        return field
    return section_table()[1].get(field, {}).get(role, field)


def classify(label: str) -> tuple[str | None, str | None]:
    """Field for a label, trying a known tail when the head is prose ('经评审确定中标供应商为')."""
    field, unit = field_for(label)
    if field:
        return field, unit
    key, unit = label_key(label)
    key = key.rstrip("为是")
    exact = label_table()[0]
    for start in range(1, min(len(key) - 1, 7)):
        if key[start:] in exact and len(key) - start >= 3:  # "中标标的名称" is not a 名称 (name) label
            return exact[key[start:]], unit
    return None, unit


def line_pairs(line: str) -> list[Pair]:
    """Every `key：value` in one line; text before the first key is not a pair."""
    if len(line) > _MAX_LINE:
        line = line[:_MAX_LINE]
    if "：" not in line and ":" not in line:
        return []
    keys = []  # (where the key starts, its label, where its value starts)
    for match in _KEY.finditer(line):
        start, label = match.start(1), match.group(1)
        unit = _UNIT_HEAD.match(label) if start and line[start - 1].isdigit() else None
        if unit:  # "84.8651万元（大写：…": the unit ends the number before it, it is no label
            start, label = start + unit.end(), label[unit.end():]
        if _HAS_CJK.search(label):
            keys.append((start, label, match.end()))
    pairs = []
    lead_rank = _rank_label(line[:keys[0][0]]) if keys else None  # "第一名 报价：…"
    for index, (_, label, value_start) in enumerate(keys):
        end = keys[index + 1][0] if index + 1 < len(keys) else len(line)
        field, unit = classify(label)
        rank = lead_rank
        head = _RANK_HEAD.match(label)
        if head and head.end() < len(label) and classify(label[head.end():])[0] in ("amount", "price"):
            field, unit = classify(label[head.end():])  # "第一名报价：…" / "第二中标候选人投标报价：…"
            rank = _rank_label(head.group(0))
        value = _TRAILING_NUMBER.sub("", line[value_start:end]).strip(" ;；,，")
        pairs.append(Pair(label.strip(), value, field, unit, rank=rank if field in ("amount", "price") else None))
    return pairs


# A rank written before a price label with no name beside it (第一名 / 第二中标候选人 / 排名第三).
_RANK_HEAD = re.compile(r"^(?:第[一二三四五六七八九十\d]{1,2}(?:名|中标候选人|成交候选人|候选人|中标排序单位|排序)|排名第[一二三四五\d])")


def _rank_label(text: str) -> int | None:
    """The rank a short lead-in states alone ("第一名", "第二中标候选人"), else None."""
    from scrapers.extract.lots import rank_of

    lead = label_key(text)[0]
    if not lead or len(lead) > 12 or not _RANK_HEAD.match(lead) or _RANK_HEAD.match(lead).end() != len(lead):
        return None
    return rank_of(lead)
