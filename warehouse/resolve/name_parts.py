"""Company-name normalisation: `parse_company_name(raw) -> CompanyName`.

A Chinese company name is region + 字号 (trade name) + industry + legal form. The region may also
sit in brackets after the trade name (澳妆（上海）国际贸易有限公司) or just before the legal form
(…技术上海有限公司); "（中国）" marks a foreign-invested firm; the bracket in 合伙企业（有限合伙）
belongs to the legal form. The 个体工商户 endings 经营部 / 商行 / 门市部 / 店 are legal-form-like
suffixes (lookups/legal_forms.csv says which endings leave the core). Branches (…有限公司杭州分公司,
…银行杭州分行) are entities of their own: a branch is its parent's 字号 + industry plus its own
place, and the parent's region and legal form are kept apart (parent_province/city/district,
legal_form) so 鞍山市X股份有限公司济南分公司 and X济南分公司 can be compared on both parts. Public
bodies (医院, 学校, 局, 协会…) are flagged non-enterprise.

Steps: characters (name_text: NFKC, traditional→simplified, one bracket form) → branch split →
legal form (longest first) → region from the front, from brackets and before the legal form →
core (字号 + industry) → trade name / industry split. `parse_key(key)` does the steps after the
characters, so the bulk path (warehouse/resolve/parse_bulk.py) normalises many names at once
and parses each distinct key once. Every word list is a data file in `warehouse/lookups`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from warehouse.lookups import read_rows, read_words
from warehouse.regions import (
    _FIRST as REGION_FIRST,
)
from warehouse.regions import (
    AMBIGUOUS_DISTRICTS,
    COUNTY_SHORT_LENGTHS,
    COUNTY_SHORTS,
    Region,
    lookup_region,
    match_region_prefix,
    match_region_suffix,
)
from warehouse.regions import (
    EMPTY as EMPTY_REGION,
)
from warehouse.regions import (
    INDEX as REGION_INDEX,
)
from warehouse.regions import (
    compatible as compatible_region,
)
from warehouse.regions import (
    merge as merge_region,
)
from warehouse.resolve.name_text import display_text, name_key, script, to_text

_AMBIGUOUS_LENGTHS = sorted({len(name) for name in AMBIGUOUS_DISTRICTS}, reverse=True)

# Names are mostly distinct, so a per-text cache of the region scans would only miss (and cost
# more than the scan, which memoises its steps itself): call the uncached functions.
_region_prefix = match_region_prefix.__wrapped__
_region_suffix = match_region_suffix.__wrapped__


@dataclass(frozen=True)
class CompanyName:
    raw: str
    display: str
    match_key: str
    core: str
    trade_name: str
    industry: str
    region: str
    province: str | None  # 2-digit division code
    city: str | None  # 4-digit
    district: str | None  # 6-digit
    legal_form: str
    legal_class: str  # company|joint_stock|partnership|sole|coop|individual|group|"" (unknown)
    is_branch: bool
    parent_key: str | None
    branch_label: str
    is_non_enterprise: bool
    parent_province: str | None  # a branch's parent's region (the branch's own is province/city/district)
    parent_city: str | None
    parent_district: str | None

    @property
    def region_codes(self) -> Region:
        return Region(self.province, self.city, self.district)


# ---------------------------------------------------------------- character level
_BRACKET_GROUP = re.compile(r"\(([^()]*)\)")
_BRACKET_CHARS = re.compile(r"[()]")


# ---------------------------------------------------------------- lookups
def _by_length(words) -> dict[str, list[tuple[int, dict]]]:
    """last character -> [(length, {word: value})] longest first: a suffix test is a few dict gets."""
    buckets: dict[str, dict[int, dict]] = {}
    for word, value in words:
        buckets.setdefault(word[-1], {}).setdefault(len(word), {})[word] = value
    return {c: sorted(b.items(), reverse=True) for c, b in buckets.items()}


_LEGAL = _by_length((r["form"], (r["class"], r["key"], r["core"])) for r in read_rows("legal_forms.csv"))
_BRANCH = _by_length((w, w) for w in read_words("branch_words.csv"))
_NON_ENTERPRISE = _by_length((w, w) for w in read_words("non_enterprise_words.csv"))
_INDUSTRY = _by_length((w, w) for w in read_words("industry_words.csv"))
_INDUSTRY_WORDS = frozenset(read_words("industry_words.csv"))
_ENTERPRISE_CLASSES = {"company", "joint_stock", "partnership", "sole", "coop", "group"}
_COMPANY_FORMS_INSIDE = re.compile(r"(股份有限公司|有限责任公司|有限公司|公司|合伙企业\([^()]*\)|合伙企业|个人独资企业)")
_GROUP_MARK = re.compile(r"\(集团\)|\(控股\)")
ABBREVIATED_FORMS = ("", "公司", "股份", "集团")  # endings of short forms (东华公司, 华信股份, 海汽集团)
SHORT_PARENT_CORE = 2  # a parent core this short (银行, 烟草) names no company without its place


def _suffix(text: str, table) -> tuple[str, object] | None:
    n = len(text)
    for length, words in table.get(text[-1:], ()):
        if length < n:
            hit = words.get(text[-length:])
            if hit is not None:
                return text[-length:], hit
    return None


# ---------------------------------------------------------------- parsing
FIELDS = tuple(CompanyName.__dataclass_fields__)  # the order parse_name_fields returns
KEY_FIELDS = FIELDS[2:]  # what parse_key returns (everything but raw and display)


@lru_cache(maxsize=200_000)
def parse_company_name(raw: str) -> CompanyName:
    return CompanyName(*parse_name_fields(raw))


def parse_name_fields(raw: str) -> tuple:
    """The CompanyName fields as a plain tuple (in FIELDS order), uncached."""
    raw_text = to_text(raw)
    display = display_text(raw_text)
    return (raw_text, display, *parse_key(name_key(display), script(raw_text) != "traditional"))


def parse_key(key: str, county_shorts: bool = True) -> tuple:
    """The KEY_FIELDS of a normalised name (name_text.name_key), uncached. `county_shorts`: a
    county's short form at the front may be the place (_county_prefix); not for a name written in
    traditional script, which Taiwan's registry writes without mainland places (德昌營造 is no
    company of 德昌县), and whose key cannot tell it from a mainland name."""
    branch = _split_branch(key)
    if branch is not None:
        return _branch_name(key, *branch, county_shorts)
    return _parse_plain(key, county_shorts)


# Stock-list markers around a 证券简称 (ST华信, *ST中达, S上石化, 大名城B, 黄山B股, 长白5, 水仙A5): never part of
# a registered name, so only stripped from names without a legal form
STOCK_MARKS = re.compile(r"^(?:S?\*?ST|SST|[SGNC]|XD|XR|DR)(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])(?:B股|[AB]?\d|[AB])$")

_STOCK_FIRST = frozenset("SGNCXD")  # first / last characters a stock marker can have: most names skip the regex
_STOCK_LAST = frozenset("0123456789AB股")


def _legal_form(key: str) -> tuple[str, str, str, str]:
    """(legal form, class, its match-key spelling, the key without the form's words)."""
    legal = _suffix(key, _LEGAL)
    if legal is None:
        return "", "", "", key
    form, (legal_class, form_key, core) = legal
    rest = key[: -len(form)]
    if core == "keep":
        return form, legal_class, "", key  # 宏达超市, 宏达加工厂: the ending is the business itself
    if core == "after_industry" and _suffix(rest, _INDUSTRY) is None:
        return "", "", "", key  # 新华书店: 店 belongs to the trade, and says nothing of the legal form
    return form, legal_class, form_key, rest


def _parse_plain(key: str, county_shorts: bool = True) -> tuple:
    if (key[-1:] in _STOCK_LAST or key[:1] in _STOCK_FIRST) and STOCK_MARKS.search(key) and _suffix(key, _LEGAL) is None:
        key = STOCK_MARKS.sub("", key)
    legal_form, legal_class, form_key, rest = _legal_form(key)
    match_key = rest + form_key
    non_enterprise = legal_class not in _ENTERPRISE_CLASSES and _suffix(key, _NON_ENTERPRISE) is not None
    if "(" in rest:
        rest = _GROUP_MARK.sub("", rest)
    core, region_text, region = _strip_region(rest, legal_form not in ABBREVIATED_FORMS, county_shorts)
    if "(" in core or ")" in core:
        core = _BRACKET_CHARS.sub("", core)
    if not core:
        core = _BRACKET_CHARS.sub("", rest) or key
    trade, industry = _split_industry(core)
    if trade in _INDUSTRY_WORDS and not region.empty:
        # industry words alone (上海机电, 南京银行) name no company without their place: the place
        # becomes part of the core, so 江苏银行 and 南京银行 are two cores and 南京银行 one
        trade = core = f"{region.district or region.city or region.province}:{core}"
        industry = ""
    return (match_key, core, trade, industry, region_text, region.province, region.city, region.district,
            legal_form, legal_class, False, None, "", non_enterprise, None, None, None)


def _strip_region(rest: str, registered: bool = False, county_shorts: bool = True) -> tuple[str, str, Region]:
    """Remove the region from the front, from brackets and before the legal form.

    A county's short form at the front (张家港, 大余) is read as the place when it leaves a name:
    see _county_prefix.

    The regions found are reconciled: one that names a part of another refines it (黑龙江省烟草
    公司哈尔滨市公司 is in Harbin); a bracketed region that contradicts the front one means the
    front word was part of the trade name (青岛啤酒（哈尔滨）有限公司 is a Harbin company)."""
    found: list[str] = []
    consumed, region = 0, EMPTY_REGION
    for length in _AMBIGUOUS_LENGTHS:  # 朝阳区X: a district several cities have (not 朝阳 + 区X); an
        if len(rest) - length >= 2 and rest[:length] in AMBIGUOUS_DISTRICTS:  # address may settle which
            consumed = length
            break
    else:
        consumed, region = _region_prefix(rest, 2)
        if county_shorts:
            consumed, region = _county_prefix(rest, consumed, region, registered)
    prefix = rest[:consumed]
    if consumed:
        found.append(prefix)
        rest = rest[consumed:]
    # brackets after the trade name: （上海）, （中国）, （浙江杭州）
    if "(" in rest:
        def bracket(match: re.Match) -> str:
            nonlocal region, prefix
            inner = match.group(1)
            if inner == "中国":
                found.append(inner)
                return ""
            hit = lookup_region(inner) if 2 <= len(inner) <= 12 else None
            if hit is not None:
                found.append(inner)
                if region.empty or compatible_region(region, hit):
                    region = merge_region(region, hit)
                elif prefix:  # the front "region" was a word of the trade name
                    if found and found[0] == prefix:
                        found.pop(0)
                    region, prefix = hit, "\x00" + prefix
                return ""
            return match.group(0)

        rest = _BRACKET_GROUP.sub(bracket, rest)
        if prefix.startswith("\x00"):
            rest = prefix[1:] + rest
    # just before the legal form: …技术上海有限公司
    if len(rest) >= 4:
        length, tail = _region_suffix(rest, 2)
        if length and rest[-length - 1] != "(" and (region.empty or compatible_region(region, tail)):
            found.append(rest[-length:])
            rest = rest[:-length]
            region = merge_region(region, tail)
    return rest, "".join(found), region


def _county_prefix(rest: str, consumed: int, region: Region, registered: bool) -> tuple[int, Region]:
    """The front place, with a county's short form read too (张家港汉龙新能源科技, 大余京桥混凝土) when
    what it leaves is a name. Registration puts the place first (行政区划 + 字号 + 行业 + 组织形式),
    and a name needs a 字号: when the county's characters would leave industry words alone, they are
    the 字号 (东方电气, 兴业银行, 方正证券). A name without a registered legal form (`registered`:
    one that is not a short form's, ABBREVIATED_FORMS) keeps its industry words when it is the
    registered name written short (张家港汉龙新能源科技); a 证券简称 or a merchant's short name often
    has none, and there the characters are the 字号 (固安信通, 东方金钰, 安达物流)."""
    if consumed or not any(rest[:length] in COUNTY_SHORTS for length in COUNTY_SHORT_LENGTHS):
        return consumed, region  # after a province or city a county's short form is read anyway
    wider, place = _region_prefix(rest, 2, False, True)
    if not wider:
        return consumed, region
    trade, industry = _split_industry(_BRACKET_CHARS.sub("", _BRACKET_GROUP.sub("", rest[wider:])))
    if len(trade) < 2 or trade in _INDUSTRY_WORDS or not (registered or industry):
        return consumed, region
    return wider, place


@lru_cache(maxsize=100_000)  # one core has many raw spellings (region forms, brackets, legal forms)
def _split_industry(core: str) -> tuple[str, str]:
    """字号 + industry: peel generic industry words off the end while >= 2 characters remain."""
    trade = core
    while len(trade) > 2:
        hit = _suffix(trade, _INDUSTRY)
        if hit is None or len(trade) - len(hit[0]) < 2:
            break
        trade = trade[: -len(hit[0])]
    return trade, core[len(trade):]


# ---------------------------------------------------------------- branches
_STREET_OFFICE = ("街道办事处", "人民政府办事处")


def _split_branch(key: str) -> tuple[str, str, str] | None:
    """(parent, label, branch word) when the name ends with a branch word and has a parent part."""
    hit = _suffix(key, _BRANCH)
    if hit is None:
        return _sub_unit(key)
    if key.endswith(_STREET_OFFICE):
        return None
    word = hit[0]
    body = key[: -len(word)]
    # parent = up to the last company legal form inside the name (…有限公司 杭州 分公司)
    last = None
    for match in _COMPANY_FORMS_INSIDE.finditer(body):
        last = match
    if last is not None and last.end() >= 3:
        return body[: last.end()], body[last.end():], word
    # no legal form: parent = up to the first region name after the trade name (招商银行 杭州 分行)
    for start in range(2, len(body) - 1):
        for length in REGION_FIRST.get(body[start], ()):
            if start + length > len(body):
                continue
            candidates = REGION_INDEX.get(body[start:start + length])
            if candidates and any(level < 2 or not short for level, _c, short in candidates):
                return body[:start], body[start:], word
    if len(body) >= 2:
        return body, "", word
    return None


def _sub_unit(key: str) -> tuple[str, str, str] | None:
    """A unit named after a company that does not end with a legal form itself (…有限公司梨树药房,
    …股份有限公司齐齐哈尔分行营业室, …石油公司汇源加油站) is a branch of that company."""
    inside = key.rfind("公司", 2, len(key) - 2)
    if inside < 0 or key.endswith("公司"):  # most names: no company before the end, or one at the end
        return None
    last = None
    for match in _COMPANY_FORMS_INSIDE.finditer(key):
        last = match
    if last is None or last.end() < 4 or len(key) - last.end() < 2 or not last.group(0).endswith("公司"):
        return None
    if _suffix(key, _LEGAL) is not None or lookup_region(key[: last.start()]) is not None:
        return None  # …有限公司 at the end, or 北京公司化… (no company before the form)
    return key[: last.end()], key[last.end():], ""


@lru_cache(maxsize=50_000)
def _parent_name(parent: str, county_shorts: bool) -> CompanyName:
    """A branch's parent, parsed as the branch's script allows (parse_key)."""
    return CompanyName(parent, parent, *parse_key(parent, county_shorts))


def _branch_name(key: str, parent: str, label: str, word: str, county_shorts: bool = True) -> tuple:
    """A branch: its parent's core plus its own place. The parent's region is kept apart (so the
    parent written with or without it, bracketed or as a province, is one parent) unless the
    parent's core is too short to name a company alone (内蒙古银行 / 营口银行 哈尔滨分行)."""
    parent_name = _parent_name(parent, county_shorts)
    consumed, region = match_region_prefix(label, 0, True) if label else (0, EMPTY_REGION)
    if consumed == 0 and label:
        consumed, region = match_region_prefix(label, 0, False)
    label_rest = _BRACKET_CHARS.sub("", label[consumed:])
    parent_region = parent_name.region_codes
    if region.empty:
        region = parent_region
    parent_core = parent_name.core
    if len(parent_core) <= SHORT_PARENT_CORE and not parent_region.empty:
        parent_core = f"{parent_region.district or parent_region.city or parent_region.province}:{parent_core}"
    return (parent_name.match_key + label + word, f"{parent_core}#{label_rest}{word}", parent_name.trade_name,
            parent_name.industry, label[:consumed], region.province, region.city, region.district,
            parent_name.legal_form, parent_name.legal_class, True, parent_name.match_key, label + word,
            parent_name.is_non_enterprise, *parent_region)
