"""The features of a candidate pair, computed only for the pairs a comparison level asks about.

`PairFrame` holds the candidate node pairs; `frame.values(name, at)` gives one feature for the
pairs at positions `at`, computing it once per pair on first use (address similarity and name
validation are costly, and only the pairs that reach the levels reading them need them). Every
feature is a small function below, registered under the name the levels in pair_rules.py read.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
from rapidfuzz import fuzz, process

from kernel.name_validation import is_org_name
from kernel.resolution_config import ResolutionConfig
from warehouse.lookups import read_rows
from warehouse.regions import COUNTY_CODES
from warehouse.resolve.blocking import NAME_ONLY, CorePairs, NodePairs
from warehouse.resolve.name_text import display_name, name_key, script
from warehouse.resolve.nodes import GROUP_SHORT, NO_FORM, OTHER_FORM, STOCK_SHORT, Nodes
from warehouse.resolve.prepare import compatible

FEATURES: dict[str, Callable[[PairFrame, np.ndarray], np.ndarray]] = {}


def feature(name: str):
    def register(function):
        FEATURES[name] = function
        return function
    return register


class PairFrame:
    """Candidate node pairs (a < b) with their core pair's rule, detail and similarity."""

    def __init__(self, nodes: Nodes, cp: CorePairs, pairs: NodePairs, addresses: np.ndarray,
                 config: ResolutionConfig) -> None:
        self.nodes, self.addresses, self.config = nodes, addresses, config
        self.a, self.b = pairs.a, pairs.b
        self.candidates = cp.rule[pairs.core_pair]
        self.detail = cp.detail[pairs.core_pair]
        self.similarity = cp.similarity[pairs.core_pair]
        self.crowded_core = cp.crowded if cp.crowded is not None else np.zeros(len(nodes.cores), dtype=bool)
        self._cache: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def __len__(self) -> int:
        return len(self.a)

    def values(self, name: str, at: np.ndarray) -> np.ndarray:
        if name not in self._cache:
            self._cache[name] = (None, np.zeros(len(self), dtype=bool))
        values, done = self._cache[name]
        need = at[~done[at]]
        if len(need):
            computed = np.asarray(FEATURES[name](self, need))
            if values is None:
                values = np.zeros(len(self), dtype=computed.dtype)
                self._cache[name] = (values, done)
            values[need] = computed
            done[need] = True
        return values[at] if values is not None else np.zeros(0, dtype=bool)

    def keep_only(self, names: tuple[str, ...]) -> None:
        """Forget the cached features but these (what the explaining edges read later)."""
        self._cache = {k: v for k, v in self._cache.items() if k in names}

    def sides(self, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return self.a[at], self.b[at]

    def per_node(self, name: str, test, nodes_needed: np.ndarray, dtype=bool) -> np.ndarray:
        """test(raw name) of the given nodes, computed once per node (an array indexed by node id)."""
        key = "node:" + name
        if key not in self._cache:
            self._cache[key] = (np.zeros(len(self.nodes), dtype=dtype), np.zeros(len(self.nodes), dtype=bool))
        values, done = self._cache[key]
        need = np.unique(nodes_needed[~done[nodes_needed]])
        if len(need):
            raw = self.nodes.raw_name
            values[need] = np.fromiter((test(x) for x in raw[need].tolist()), dtype=dtype, count=len(need))
            done[need] = True
        return values


# ---------------------------------------------------------------- the blocking rule
@feature("candidates")
def _candidates(f: PairFrame, at):
    return f.candidates[at]


# ---------------------------------------------------------------- codes and addresses
@feature("uscc")
def _uscc(f: PairFrame, at):
    """1 the same valid USCC, -1 two different ones, 0 one side without."""
    ua, ub = f.nodes.uscc[f.a[at]], f.nodes.uscc[f.b[at]]
    both = (ua >= 0) & (ub >= 0)
    return np.where(both, np.where(ua == ub, 1, -1), 0).astype(np.int8)


@feature("streets")
def _streets(f: PairFrame, at):
    """1 the same street key, -1 two different ones (a coded node's several streets differ from
    any other), 0 one side without."""
    sa, sb = f.nodes.street[f.a[at]], f.nodes.street[f.b[at]]
    known = (sa != -1) & (sb != -1)
    same = known & (sa == sb) & (sa >= 0)
    return np.where(known, np.where(same, 1, -1), 0).astype(np.int8)


@feature("address_similarity")
def _address_similarity(f: PairFrame, at):
    """rapidfuzz ratio (0-100) of the two normalised addresses; -1 where a side has none."""
    aa, ab = f.nodes.address_id[f.a[at]], f.nodes.address_id[f.b[at]]
    out = np.full(len(at), -1.0)
    both = (aa >= 0) & (ab >= 0)
    if both.any():
        out[both] = process.cpdist(list(f.addresses[aa[both]]), list(f.addresses[ab[both]]), scorer=fuzz.ratio,
                                   workers=1)
    return out


# ---------------------------------------------------------------- legal form, branch
@feature("branch_mismatch")
def _branch_mismatch(f: PairFrame, at):
    return f.nodes.branch[f.a[at]] != f.nodes.branch[f.b[at]]


@feature("is_branch")
def _is_branch(f: PairFrame, at):
    return f.nodes.branch[f.a[at]] & f.nodes.branch[f.b[at]]


@feature("legal_forms_differ")
def _legal_forms_differ(f: PairFrame, at):
    la, lb = f.nodes.legal[f.a[at]], f.nodes.legal[f.b[at]]
    return (la > 0) & (lb > 0) & (la != lb)


# ---------------------------------------------------------------- regions
@feature("regions_compatible")
def _regions_compatible(f: PairFrame, at):
    return compatible(f.nodes.region[f.a[at]], f.nodes.region[f.b[at]])


@feature("parent_regions_compatible")
def _parent_regions_compatible(f: PairFrame, at):
    return compatible(f.nodes.parent_region[f.a[at]], f.nodes.parent_region[f.b[at]])


@feature("parent_regions_equal")
def _parent_regions_equal(f: PairFrame, at):
    return (f.nodes.parent_region[f.a[at]] == f.nodes.parent_region[f.b[at]]).all(axis=1)


@feature("names_in_other_places")
def _names_in_other_places(f: PairFrame, at):
    na, nb = f.nodes.name_key[f.a[at]], f.nodes.name_key[f.b[at]]
    return (na > 0) & (nb > 0) & (na != nb)


_COUNTY = np.zeros(1_000_000, dtype=bool)
_COUNTY[list(COUNTY_CODES)] = True


@feature("county_apart")
def _county_apart(f: PairFrame, at):
    """Names in different places, one of them a county (县, 旗, county-level 市), unless the other's
    address places it in that county (霍城县X / 伊犁州X at a 霍城县 address)."""
    a, b = f.sides(at)
    da, db = f.nodes.name_region[a, 2], f.nodes.name_region[b, 2]
    placed = (f.nodes.region[a, 2] > 0) & (f.nodes.region[a, 2] == f.nodes.region[b, 2])
    county = _COUNTY[np.maximum(da, 0)] | _COUNTY[np.maximum(db, 0)]
    return _names_in_other_places(f, at) & (da != db) & ~placed & county


@feature("name_regions_equal")
def _name_regions_equal(f: PairFrame, at):
    na, nb = f.nodes.name_key[f.a[at]], f.nodes.name_key[f.b[at]]
    return (na > 0) & (na == nb)


@feature("regions_agree")
def _regions_agree(f: PairFrame, at):
    """Derived regions that agree to the city (or entirely), where the names do not both name a place."""
    a, b = f.sides(at)
    ra, rb = f.nodes.region[a], f.nodes.region[b]
    named = (f.nodes.name_key[a] > 0) & (f.nodes.name_key[b] > 0)
    return ~named & (ra[:, 0] > 0) & ((ra == rb).all(axis=1) | ((ra[:, 1] > 0) & (ra[:, 1] == rb[:, 1])))


@feature("code_in_named_place")
def _code_in_named_place(f: PairFrame, at):
    """One side has a valid USCC, and its region (completed by that code) lies in the city, or the
    district, the other side's name names (河南省普克物流 coded 411103 / 郾城区普克物流): the code says
    which authority registered the company, and one authority registers a 字号 and industry once."""
    a, b = f.sides(at)
    return _coded_within(f.nodes, a, b) | _coded_within(f.nodes, b, a)


def _coded_within(nodes: Nodes, coded: np.ndarray, named: np.ndarray) -> np.ndarray:
    place, region = nodes.name_region[named], nodes.region[coded]
    district = (place[:, 2] == 0) | (place[:, 2] == region[:, 2])
    return (nodes.uscc[coded] >= 0) & (place[:, 1] > 0) & (region[:, 1] == place[:, 1]) & district


@feature("no_region")
def _no_region(f: PairFrame, at):
    return (f.nodes.region[f.a[at], 0] == 0) & (f.nodes.region[f.b[at], 0] == 0)


@feature("same_name_place")
def _same_name_place(f: PairFrame, at):
    """Both names name the same place, or neither names one."""
    return f.nodes.name_key[f.a[at]] == f.nodes.name_key[f.b[at]]


@feature("one_name_without_place")
def _one_name_without_place(f: PairFrame, at):
    na, nb = f.nodes.name_key[f.a[at]], f.nodes.name_key[f.b[at]]
    return (na == 0) != (nb == 0)


@feature("places_in_one_city")
def _places_in_one_city(f: PairFrame, at):
    """Both names name a place in one city, one of them a district in it (昆明市X / 呈贡区X)."""
    a, b = f.sides(at)
    ra, rb = f.nodes.name_region[a], f.nodes.name_region[b]
    return (ra[:, 1] > 0) & (ra[:, 1] == rb[:, 1]) & ((ra[:, 2] == 0) != (rb[:, 2] == 0))


@feature("same_legal_class")
def _same_legal_class(f: PairFrame, at):
    """Both names have the same kind of legal form (股份有限公司 / 股份有限公司, not 股份有限公司 / 有限公司)."""
    return f.nodes.form[f.a[at]] == f.nodes.form[f.b[at]]


@feature("other_script_registry")
def _other_script_registry(f: PairFrame, at):
    """One name is in traditional script only, without a mainland place or a mainland-only legal form,
    and the other in simplified script only: two registries (TWSE 光寶科技股份有限公司 / NEEQ 光宝科技),
    not one name written twice. 有限責任公司 or 門市部 is no Taiwan, Hong Kong or Macau form: such a
    name is a mainland company's, in traditional script."""
    a, b = f.sides(at)
    traditional, placeless = f.nodes.traditional, f.nodes.name_key == 0
    placeless = placeless & ~_mainland(f.nodes.region[:, 0])  # an address or USCC in the mainland: its registry
    out = np.zeros(len(at), dtype=bool)
    maybe = np.flatnonzero((traditional[a] & placeless[a] & ~traditional[b]) | (traditional[b] & placeless[b] & ~traditional[a]))
    if len(maybe):  # only then are the costly tests needed: is the other side simplified-only?
        x, y = a[maybe], b[maybe]
        other, written = np.where(traditional[x], y, x), np.where(traditional[x], x, y)
        scripts = f.per_node("script", lambda raw: _SCRIPTS[script(raw)], other, dtype=np.int8)
        # a form only a mainland registry gives (有限責任公司, 門市部) names its registry, like a mainland place
        mainland_form = f.per_node("mainland_form", _mainland_form, written)
        out[maybe] = (scripts[other] == _SIMPLIFIED) & ~mainland_form[written]
    return out


MAINLAND_FORMS = tuple(r["form"] for r in read_rows("legal_forms.csv") if r.get("registry") == "mainland")


def _mainland_form(raw: str) -> bool:
    """The name ends in a legal form only mainland registries give (lookups/legal_forms.csv `registry`)."""
    return name_key(display_name(raw)).endswith(MAINLAND_FORMS)


OTHER_REGISTRIES = (71, 81, 82)  # GB/T 2260 province codes of 台湾, 香港, 澳门: registries of their own


def _mainland(province: np.ndarray) -> np.ndarray:
    return (province > 0) & ~np.isin(province, OTHER_REGISTRIES)


@feature("industry_dropped")
def _industry_dropped(f: PairFrame, at):
    """A side is a 有限公司 name without industry words: such a name must have one (企业名称登记管理
    规定: 行政区划 + 字号 + 行业 + 组织形式), so the industry was dropped (joint-stock companies and
    groups are registered without one: 诚志股份有限公司, 哈尔滨海格集团有限公司). Two names of one core
    dropped nothing against each other (黑龙江省炎麟经贸 / 哈尔滨炎麟经贸: two registrations)."""
    a, b = f.sides(at)
    return (f.nodes.no_industry[a] | f.nodes.no_industry[b]) & (f.nodes.core_id[a] != f.nodes.core_id[b])


@feature("same_named_city")
def _same_named_city(f: PairFrame, at):
    a, b = f.sides(at)
    ca = f.nodes.name_region[a, 1]
    return (f.nodes.name_key[a] > 0) & (ca > 0) & (ca == f.nodes.name_region[b, 1])


# ---------------------------------------------------------------- the names themselves
_PLAIN_NAME = re.compile(r"[\u4e00-\u9fff()（）]{2,80}")  # what the validator passes anyway, without it


def _valid_name(raw: str) -> bool:
    shown = display_name(raw)
    return _PLAIN_NAME.fullmatch(shown) is not None or is_org_name(shown)


@feature("names_valid")
def _names_valid(f: PairFrame, at):
    """Both names pass organisation-name validation (judged as shown: layout characters cleaned)."""
    a, b = f.sides(at)
    valid = f.per_node("valid_name", _valid_name, np.concatenate([a, b]))
    return valid[a] & valid[b]


@feature("short_forms")
def _short_forms(f: PairFrame, at):
    """How many sides are short forms (no legal form, or 公司 / 股份 alone): 0, 1 or 2."""
    return f.nodes.abbreviated[f.a[at]].astype(np.int8) + f.nodes.abbreviated[f.b[at]]


@feature("prefix_is_short")
def _prefix_is_short(f: PairFrame, at):
    """The side with the shorter core is a short form or has no industry words (金沙股份 / 金沙窖酒酒业,
    川健福 / 川健福房地产开发): the prefix is the abbreviation, not a registered name."""
    nodes, a, b = f.nodes, f.a[at], f.b[at]
    length = nodes.core_length()
    shorter = np.where(length[a] <= length[b], a, b)
    bare = (nodes.industries[nodes.industry_id[shorter]] == "") & (length[shorter] >= f.config.blocking.prefix_min_length)
    return nodes.abbreviated[shorter] | (bare & nodes.no_industry[shorter])


@feature("crowded_short")
def _crowded_short(f: PairFrame, at):
    """A side is a short form whose core starts more than blocking.max_block cores."""
    nodes = f.nodes
    crowded = f.crowded_core[nodes.core_id] & nodes.abbreviated
    return crowded[f.a[at]] | crowded[f.b[at]]


@feature("stock_short_against_other")
def _stock_short_against_other(f: PairFrame, at):
    """A 证券简称 (华信股份, or a trade name alone) against a registered non-joint-stock company."""
    a, b = f.sides(at)
    fa, fb = f.nodes.form[a], f.nodes.form[b]
    trade = np.isin(f.candidates[at], NAME_ONLY)
    stock_a = (fa == STOCK_SHORT) | ((fa == NO_FORM) & trade)
    stock_b = (fb == STOCK_SHORT) | ((fb == NO_FORM) & trade)
    return (stock_a & (fb == OTHER_FORM)) | (stock_b & (fa == OTHER_FORM))


_SCRIPTS = {"both": 0, "simplified": 1, "traditional": 2}
_SIMPLIFIED, _TRADITIONAL = _SCRIPTS["simplified"], _SCRIPTS["traditional"]
MARKED_FORMS = (STOCK_SHORT, GROUP_SHORT)


@feature("bare_short_name")
def _bare_short_name(f: PairFrame, at):
    """A side is a placeless short form with a core of at most comparison.bare_name_max_length
    characters (熊猫), unless one side is in traditional script and the other can be (one Taiwan
    list's 简称 and 全称: 京鼎 / 京鼎精密科技股份有限公司, a far smaller crowd)."""
    a, b = f.sides(at)
    length = f.nodes.core_length()
    limit = f.config.comparison.bare_name_max_length
    # 股份 / 集团 say which kind of company it is (a listed joint-stock company, a group): a far smaller crowd
    marked_a, marked_b = np.isin(f.nodes.form[a], MARKED_FORMS), np.isin(f.nodes.form[b], MARKED_FORMS)
    bare = ((length[a] <= limit) & f.nodes.abbreviated[a] & (f.nodes.name_key[a] == 0) & ~marked_a) | (
        (length[b] <= limit) & f.nodes.abbreviated[b] & (f.nodes.name_key[b] == 0) & ~marked_b)
    at_bare = np.flatnonzero(bare)
    if len(at_bare):
        scripts = f.per_node("script", lambda raw: _SCRIPTS[script(raw)], np.concatenate([a[at_bare], b[at_bare]]),
                             dtype=np.int8)
        sa, sb = scripts[a[at_bare]], scripts[b[at_bare]]
        taiwan = (sa != _SIMPLIFIED) & (sb != _SIMPLIFIED) & ((sa == _TRADITIONAL) | (sb == _TRADITIONAL))
        bare[at_bare[taiwan]] = False
    return bare


from warehouse.resolve import listing_features  # noqa: E402,F401  (registers its features)
