"""The organisation-name recogniser: every organisation a text names, found by how names end.

Names first (issue 18): a name is a run of name characters (CJK, Latin letters, brackets) that
ends in a legal form or an organisation form (有限公司, 集团, 宾馆, 大厦, 中心, 医院, 局 …).
Several endings in one run join into one name when nothing but name characters stands between
them ("太原铁路新创实业集团有限公司太原铁道大厦分公司"), unless a verb or a conjunction does
("A公司与B公司", "A公司中标B中心项目"). A run that starts inside a sentence loses its lead-in
("经评审确定", "由", "受"). Pronouns and generic references (本公司, 该中心, 招标公司) are no names.

The vocabulary is lookups/orgs.yaml. What role a name plays is decided elsewhere
(scrapers/extract/placement.py): this module only says where names are.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import yaml

from scrapers.extract.lookups import LOOKUP_DIR
from scrapers.extract.lots import LOT_MARKER

_NAME_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z（）()·&]")
_MAX_HEAD = 40  # characters a name may run before its first ending
_MAX_JOIN = 30  # characters between two endings of one name
_MIN_NAME = 4
_MAX_NAME = 60
_SEVERAL = re.compile(r"\s*[、；]\s*")  # not ";": "某公司;--DROP TABLE …" is one hostile value, not two names
_SENTENCE_GOES_ON = ("", "，", ",", "。", "（", "(", "因", "由", "的", " ")  # after a name that leads a value
_CONNECTORS = re.compile(r"[\s、，,；;与和及（）()：:]+")
_DATE_TAILS = "年月日号时点"
_REGION_HEAD = re.compile(r"[\u4e00-\u9fff]{1,4}?[省市县区旗州盟](?![场委局])")


@dataclass(frozen=True)
class OrgSpan:
    start: int
    end: int
    name: str


@functools.cache
def _vocabulary() -> dict:
    return yaml.safe_load((LOOKUP_DIR / "orgs.yaml").read_text(encoding="utf-8"))


@functools.cache
def _pattern(key: str) -> re.Pattern:
    words = sorted((str(w) for w in _vocabulary()[key]), key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words))


def _generic_heads() -> frozenset[str]:
    return _words("generic_heads")


def _lead_chars() -> frozenset[str]:
    return _words("lead_chars")


def endings() -> tuple[str, ...]:
    """The endings a name in running text may have (for looks_like_org and the page-kind rules)."""
    return tuple(str(w) for w in _vocabulary()["endings"])


def find_orgs(text: str) -> list[OrgSpan]:
    """Every organisation name in `text`, left to right, without overlaps."""
    return list(_find_orgs(text)) if text else []


@functools.lru_cache(maxsize=8192)  # a line is read by the list, prose and placement rules alike
def _find_orgs(text: str) -> tuple[OrgSpan, ...]:
    found: list[OrgSpan] = []
    groups = _ending_groups(text)
    floor = 0
    for first_start, end in groups:
        span = _span(text, max(floor, first_start - _MAX_HEAD), first_start, end)
        if span is not None:
            found.append(span)
            floor = span.end
        else:
            floor = max(floor, end)
    return tuple(found)


def lead_org(text: str, start: int = 0) -> OrgSpan | None:
    """The organisation a text starts with (at `start`), or None."""
    for span in find_orgs(text):
        if span.start == start:
            return span
        if span.start > start:
            return None
    return None


def names_in_value(value: str) -> tuple[list[str], bool]:
    """(names, whether they form a consortium) of one labelled value: several names joined by 、/与/和
    and consortium words ("A公司（牵头人）、B公司", "A公司与B公司联合体"); one name that leads the
    value ("某某公司，因…"); or none."""
    from scrapers.extract.org_names import clean_name, looks_like_org

    parts = [clean_name(p) for p in _SEVERAL.split(value)]
    if len(parts) > 1 and all(looks_like_org(p) for p in parts):  # "入围供应商：A公司、B公司、C公司"
        return parts, bool(_pattern("consortium_words").search(value))
    spans = find_orgs(value)
    if not spans:
        return [], False
    rest = "".join(value[a.end:b.start] for a, b in zip([OrgSpan(0, 0, ""), *spans], [*spans, OrgSpan(len(value), len(value), "")]))
    leftover = _pattern("consortium_words").sub("", rest)
    if len(spans) > 1 and not _CONNECTORS.sub("", leftover):
        return [s.name for s in spans], bool(_pattern("consortium_words").search(rest))
    lead = spans[0]
    if lead.start == len(value) - len(value.lstrip()) and value[lead.end:lead.end + 1] in _SENTENCE_GOES_ON:
        return [lead.name], False
    return [], False


def _ending_groups(text: str) -> list[tuple[int, int]]:
    """(start of the first ending, end of the last) of every run of endings that form one name."""
    chains: list[list[re.Match]] = []
    blockers = _pattern("join_blockers")
    for match in _pattern("endings").finditer(text):
        if chains:
            gap = text[chains[-1][-1].end():match.start()]
            if len(gap) <= _MAX_JOIN and all(_NAME_CHAR.match(c) for c in gap) and not blockers.search(gap):
                chains[-1].append(match)
                continue
        chains.append([match])
    groups: list[tuple[int, int]] = []
    for chain in chains:
        start = chain[0].start()
        for index, match in enumerate(chain[:-1]):
            if _second_name_starts(text, match, chain[index + 1:]):
                groups.append((start, match.end()))
                start = chain[index + 1].start()
        groups.append((start, chain[-1].end()))
    return groups


def _second_name_starts(text: str, match: re.Match, rest: list[re.Match]) -> bool:
    """A region right after a full legal form starts a second name, unless the run ends like a branch."""
    if match.group(0) not in _words("legal_forms"):
        return False
    if any(m.group(0) in _words("branch_endings") for m in rest):
        return False
    return _starts_with_region(text[match.end():rest[0].start() + 4])


def _starts_with_region(text: str) -> bool:
    return bool(_pattern("regions").match(text) or _REGION_HEAD.match(text))


@functools.cache
def _words(key: str) -> frozenset[str]:
    return frozenset(str(w) for w in _vocabulary()[key])


def _span(text: str, floor: int, first_start: int, end: int) -> OrgSpan | None:
    left = first_start
    while left > floor and _NAME_CHAR.match(text[left - 1]):
        left -= 1
    head = text[left:first_start]
    cut = None
    for match in _pattern("cut_words").finditer(head):
        cut = match.end()
    if cut is not None:
        left += cut
    if left and text[left - 1].isdigit() and text[left:left + 1] in _DATE_TAILS:
        left += 1  # "2016年11月16日在…": the date's last character is no part of a name
    if text[left:left + 1] in _lead_chars() and first_start - left >= 2:
        left += 1
    left = _after_lead_before_region(text, left, first_start)
    left = _after_lot_marker(text, left, first_start)
    left = _balance(text, left, end)
    name = text[left:end]
    head = text[left:first_start]
    if len(name) < _MIN_NAME or len(head) < 2 or head in _generic_heads() or len(name) > _MAX_NAME:
        return None
    return OrgSpan(left, end, name)


def _after_lead_before_region(text: str, left: int, first_start: int) -> int:
    """"…以书面形式向广西某某公司": a lead character just before a region starts the name after it."""
    leads = _lead_chars()
    for index in range(left + 1, first_start - 1):
        if text[index - 1] in leads and _starts_with_region(text[index:first_start]):
            return index
    return left


_PLACES_AFTER_BAO = ("头", "河区")  # 包头(市), 包河区: a 包 that starts a place, not a lot (包 + 河南 is one)


def _after_lot_marker(text: str, left: int, first_start: int) -> int:
    """"A包三门峡某某公司为第一成交候选供应商": a lot marker that leads the run is no part of the name —
    when a region starts right after it, or when the marker cannot start a registered name (a Latin
    letter or 第: names are written in Chinese characters) and no place (包头, 包河) goes on from its 包."""
    for start in range(max(0, left - 4), left + 1):  # "第2标段…": the marker may begin before the run
        marker = LOT_MARKER.match(text, start, first_start)
        if not marker or marker.end() <= left:
            continue
        rest = text[marker.end():first_start]
        if marker.group().endswith("包") and rest.startswith(_PLACES_AFTER_BAO):
            continue
        unnameable = text[marker.start()].isascii() or text[marker.start()] == "第"
        if unnameable or _starts_with_region(rest):
            return marker.end()
    return left


def _balance(text: str, left: int, end: int) -> int:
    """Move the start past a bracket the name does not close, or past one it never opened."""
    name = text[left:end]
    depth = 0
    for index, char in enumerate(name):
        if char in "（(":
            depth += 1
        elif char in "）)":
            depth -= 1
            if depth < 0:  # "…）某某公司": the bracket closed something before the name
                return _balance(text, left + index + 1, end)
    if depth > 0:  # "（某某公司": the name starts after the last bracket left open
        opened = [i for i, c in enumerate(name) if c in "（("]
        return left + opened[-depth] + 1 if depth <= len(opened) else left
    return left
