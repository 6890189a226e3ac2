"""Chinese administrative regions: names (full and short forms) and division codes.

The table is `warehouse/lookups/adcodes.csv` (6-digit GB/T 2260 codes). A region is a triple of
codes (province 2 digits, city 4 digits, district 6 digits), any of which may be unknown.

- `match_region_prefix(text)` finds a province → city → district chain at the front of a name.
- `lookup_region(text)` reads a whole string as one region name (brackets, suffixes, hints).
- `division_region(code6)` turns a USCC division code into a region.
- `resolve_region_hint(hint)` turns a source's region tag (浙江省, 慈溪) into names for the warehouse.

Short district forms (余杭 for 余杭区) are only read after a province or city, because alone they
are common trade names (光明, 东方, 新华).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from kernel.chinese_script import to_simplified
from warehouse.lookups import read_rows, read_words

MUNICIPALITIES = {"11", "12", "31", "50"}
_PROVINCE_SUFFIX = re.compile(r"(壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区|省|市)$")
_ETHNIC = (
    "朝鲜|苗|侗|布依|土家|彝|藏|羌|傣|景颇|白|哈尼|壮|回|蒙古|哈萨克|柯尔克孜|傈僳|维吾尔|满|瑶|黎|畲|"
    "仡佬|水|毛南|仫佬|纳西|普米|怒|独龙|拉祜|佤|布朗|阿昌|德昂|基诺|撒拉|保安|东乡|土|裕固|达斡尔|"
    "鄂温克|鄂伦春|锡伯|塔吉克|俄罗斯|京|各"
)
_CITY_SUFFIX = re.compile(rf"((?:(?:{_ETHNIC})族)+自治州|自治州|地区|盟|市)$")
_DISTRICT_SUFFIX = re.compile(rf"((?:(?:{_ETHNIC})族)+自治县|(?:(?:{_ETHNIC})族)+自治旗|自治县|自治旗|新区|林区|区|县|市|旗)$")


class Region(NamedTuple):
    province: str | None = None  # 2-digit code
    city: str | None = None  # 4-digit code
    district: str | None = None  # 6-digit code

    @property
    def empty(self) -> bool:
        return self.province is None

    def names(self) -> dict:
        return {
            "province": NAMES.get(self.province) if self.province else None,
            "city": city_name(self.city) if self.city else None,
            "district": NAMES.get(self.district) if self.district else None,
        }


EMPTY = _EMPTY = Region()  # NamedTuple construction costs ~1 µs: hot paths share this one


SHORT_CITY_SUFFIXES = ("市", "地区")  # city-level divisions whose short form names the place
SHORTS_NOT_PLACES = frozenset(read_words("region_shorts_not_places.csv"))
PLACE_LIKE_WORDS = tuple(read_words("place_like_words.csv"))  # 和田玉: no place at the front of a name


class _Table:
    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        # name -> list of (level, code, is_short)
        self.index: dict[str, list[tuple[int, str, bool]]] = {}
        for row in read_rows("adcodes.csv"):
            code, name = row["adcode"].strip(), row["name"].strip()
            if code.endswith("0000"):
                self._add(name, 0, code[:2], _PROVINCE_SUFFIX)
                self.names[code[:2]] = name
            elif code.endswith("00"):
                self._add(name, 1, code[:4], _CITY_SUFFIX)
                self.names[code[:4]] = name
            else:
                self._add(name, 2, code, _DISTRICT_SUFFIX)
                self.names[code] = name
        self.max_len = max(len(k) for k in self.index)
        # first / last character -> candidate lengths, longest first (most characters start none)
        first: dict[str, set] = {}
        last: dict[str, set] = {}
        for name in self.index:
            first.setdefault(name[0], set()).add(len(name))
            last.setdefault(name[-1], set()).add(len(name))
        self.first = {c: tuple(sorted(v, reverse=True)) for c, v in first.items()}
        self.last = {c: tuple(sorted(v, reverse=True)) for c, v in last.items()}

    def _add(self, name: str, level: int, code: str, suffix: re.Pattern) -> None:
        for spelling in dict.fromkeys((name, to_simplified(name))):  # names are read after t2s: 乾安县 -> 干安县
            self.index.setdefault(spelling, []).append((level, code, False))
            short = suffix.sub("", spelling)
            # 市-cities and 地区 prefectures are written by their short form (昆明, 喀什); a 自治州 or 盟's
            # is a trade word or a county's (海西, 兴安), and some prefectures' are too (阿里巴巴)
            if level == 1 and (not spelling.endswith(SHORT_CITY_SUFFIXES) or short in SHORTS_NOT_PLACES):
                continue
            if short != spelling and len(short) >= 2:
                self.index.setdefault(short, []).append((level, code, True))


_TABLE = _Table()
NAMES = _TABLE.names
INDEX = _TABLE.index
_FIRST = _TABLE.first
_LAST = _TABLE.last


# County-level divisions that are not urban districts (县, 旗, county-level 市…): each runs its own
# local enterprises (通河县新华书店 is not 哈尔滨市新华书店), unlike a city's 区 (呈贡区X is 昆明市X)
COUNTY_CODES = frozenset(int(code) for code, name in NAMES.items() if len(code) == 6 and not name.endswith("区"))


# A county's short forms (张家港, 大余): the front of most names is none, so a second read is rare
COUNTY_SHORTS = frozenset(name for name, entries in INDEX.items()
                          if any(level == 2 and short and int(code) in COUNTY_CODES for level, code, short in entries))
COUNTY_SHORT_LENGTHS = tuple(sorted({len(name) for name in COUNTY_SHORTS}))


# District names (full form) that several divisions carry (朝阳区: Beijing, Changchun; 鼓楼区: five
# cities): alone at the front of a name they say "one of these", which an address or USCC can settle
AMBIGUOUS_DISTRICTS: dict[str, tuple[int, ...]] = {
    name: tuple(sorted(int(code) for level, code, short in entries if level == 2 and not short))
    for name, entries in INDEX.items()
    if len(name) >= 3 and name[-1] in "区县" and sum(1 for level, _c, short in entries if level == 2 and not short) > 1
}


def city_name(city: str) -> str | None:
    if city[:2] in MUNICIPALITIES:
        return NAMES.get(city[:2])
    return NAMES.get(city)


def _fits(region: Region, level: int, code: str) -> bool:
    if level == 0:
        return region.province is None
    if level == 1:
        return region.city is None and region.district is None and (region.province in (None, code[:2]))
    return region.district is None and (region.province in (None, code[:2])) and (
        region.city in (None, code[:4]) or (region.city and region.city[:2] in MUNICIPALITIES and code[:2] == region.city[:2])
    )


def _extend(region: Region, level: int, code: str) -> Region:
    if level == 0:
        return Region(code, code + "01" if code in MUNICIPALITIES else None, None)
    if level == 1:
        return Region(code[:2], code, None)
    city = code[:4]
    if code[:2] in MUNICIPALITIES:
        city = code[:2] + "01"
    elif city not in NAMES:  # county-level city directly under a province (仙桃市)
        city = None
    return Region(code[:2], city, code)


def _pick(region: Region, candidates: list, allow_short_district: bool,
          allow_short_county: bool = False) -> tuple[int, str] | None:
    fitting = []
    for level, code, is_short in candidates:
        if level == 2 and is_short and region.empty and not allow_short_district and not (
                allow_short_county and int(code) in COUNTY_CODES):
            continue
        if _fits(region, level, code):
            fitting.append((level, code))
    if not fitting:
        return None
    if region.empty:
        # Alone, prefer the highest level (吉林 = the province); among equals take it only if unique.
        top = min(level for level, _ in fitting)
        fitting = [f for f in fitting if f[0] == top]
    else:
        # After a province/city prefer the candidate under it, most specific chain first.
        fitting.sort(key=lambda f: f[0])
    if len(fitting) > 1 and len({c for _, c in fitting}) > 1 and region.empty:
        return None
    return fitting[0]


_STEP: dict[tuple, Region | None] = {}  # (region so far, name, short districts / counties allowed) -> region after it


def _step(region: Region, piece: str, allow_short_district: bool, allow_short_county: bool = False) -> Region | None:
    """The region after reading one more name (None: the name does not continue the chain)."""
    key = (region, piece, allow_short_district, allow_short_county)
    try:
        return _STEP[key]
    except KeyError:
        pass
    pick = _pick(region, INDEX[piece], allow_short_district, allow_short_county)
    after = _extend(region, *pick) if pick else None
    if len(_STEP) > 500_000:  # states x names actually met stay few; this only bounds a pathological input
        _STEP.clear()
    _STEP[key] = after
    return after


@lru_cache(maxsize=200_000)
def match_region_prefix(text: str, keep: int = 2, allow_short_district: bool = False,
                        allow_short_county: bool = False) -> tuple[int, Region]:
    """Longest province → city → district chain at the front of text, leaving >= keep characters.
    Alone at the front, a district's short form is a place only with `allow_short_district`, and a
    county's (县, 旗, county-level 市: 张家港, 大余) with `allow_short_county` too."""
    region = _EMPTY
    pos = 0
    limit = len(text) - keep
    if PLACE_LIKE_WORDS and text.startswith(PLACE_LIKE_WORDS):
        return 0, region
    first, index = _FIRST, INDEX
    while pos < limit:
        lengths = first.get(text[pos])
        if lengths is None:
            break
        found = None
        room = limit - pos
        allow = allow_short_district or region.province is not None
        for length in lengths:
            if length > room:
                continue
            piece = text[pos:pos + length]
            if piece in index:
                after = _step(region, piece, allow, allow_short_county)
                if after is not None:
                    found = length, after
                    break
        if not found:
            break
        pos += found[0]
        region = found[1]
        if region.district:
            break
    return pos, region


@lru_cache(maxsize=100_000)
def lookup_region(text: str, allow_short_district: bool = True) -> Region | None:
    """The whole text read as one region (a chain like 浙江杭州 too); None if it is not one."""
    if not text:
        return None
    consumed, region = match_region_prefix(text, 0, allow_short_district)
    if consumed == len(text) and not region.empty:
        return region
    return None


@lru_cache(maxsize=100_000)
def match_region_suffix(text: str, keep: int = 2) -> tuple[int, Region]:
    """A province or city name (full or short) at the end of text (…技术上海 → 上海)."""
    lengths = _LAST.get(text[-1:])
    if lengths is None:
        return 0, _EMPTY
    room = len(text) - keep
    for length in lengths:
        if length > room:
            continue
        candidates = INDEX.get(text[-length:])
        if candidates:
            for level, code, _short in candidates:
                if level < 2:
                    return length, _extend(_EMPTY, level, code)
            for level, code, is_short in candidates:
                if not is_short and len(candidates) == 1:
                    return length, _extend(_EMPTY, level, code)
    return 0, _EMPTY


@lru_cache(maxsize=50_000)
def division_region(code6: str) -> Region:
    """Region of a 6-digit administrative division code (USCC positions 3-8); unknown parts None."""
    if not code6 or len(code6) != 6 or not code6.isdigit():
        return _EMPTY
    province = code6[:2] if code6[:2] in NAMES else None
    if province is None:
        return _EMPTY
    city = code6[:4] if code6[:4] in NAMES else (province + "01" if province in MUNICIPALITIES else None)
    district = code6 if code6 in NAMES and not code6.endswith("00") else None
    return Region(province, city, district)


def compatible(a: Region, b: Region) -> bool:
    """No level where both are known and differ."""
    if a.province and b.province and a.province != b.province:
        return False
    if a.city and b.city and a.city != b.city:
        return False
    if a.district and b.district and a.district != b.district:
        return False
    return True


def merge(a: Region, b: Region) -> Region:
    return Region(a.province or b.province, a.city or b.city, a.district or b.district)


def resolve_region_hint(hint: str | None) -> dict | None:
    """A source's region tag or a directory's district (浙江省, 慈溪, 杭州市余杭区) as names."""
    if not hint or not isinstance(hint, str):
        return None
    text = re.sub(r"\s+", "", hint)
    region = lookup_region(text)
    if region is None:
        _, region = match_region_prefix(text, 0, True)
    if region is None or region.empty:
        return None
    return region.names()
