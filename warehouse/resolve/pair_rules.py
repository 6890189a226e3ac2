"""Scores candidate node pairs and turns them into explainable edges (all numpy, no per-pair Python).

Comparisons, in order (Splink-like levels; the first that decides wins):
1. different valid USCCs, branch vs non-branch, incompatible legal forms, regions that disagree
   (name, address and USCC regions; district → city → province), two branches whose names carry
   different regions, or a name in a county (县/旗/county-level 市) against the same name at the
   city or province above it → no edge;
2. the core-pair rule from blocking: `same_core` (equal cores), `typo` (one confusable character,
   or one character missing from a long core), `trade_name` (equal trade name, one industry
   contains the other: 宏达机械 / 宏达机械设备 / 宏达).
A `typo` edge exists only with a second, independent piece of evidence — the same USCC, alike
addresses, or the same district and the same industry — and only between strings that pass
organisation-name validation: 华信/华兴/华鑫 are different companies far more often than typos.
An edge is `strong` when the regions agree (both names carry the same region, or the derived
regions agree to the city, or the addresses are alike, or the USCCs are equal); two mentions
without any region agree on nothing, so their edge is `weak`, as is every `trade_name` edge: the
clustering attaches a weak edge only when it points at one company. Weak edges need a registered
name on one side (two abbreviations never link), a trade name alone (证券简称) links only to a
joint-stock company, and two registrations of one trade name with different industries link only
when both names place them in the same city. Tokens are weighted by rarity: the trade name counts
0.7 of the similarity, generic industry words 0.3.
Which fields agreed is kept as bit flags per edge and spelled out only for the edges that end up
explaining a record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from kernel.name_validation import is_org_name
from warehouse.regions import COUNTY_CODES
from warehouse.resolve.blocking import DETAILS, RULES, TRADE_NAME, TYPO, CorePairs, NodePairs
from warehouse.resolve.name_parts import display_name, script
from warehouse.resolve.prepare import NO_FORM, OTHER_FORM, STOCK_SHORT, Nodes, compatible

FLAGS = ("name_region", "region", "no_region", "uscc", "address", "core", "trade_name", "legal_form")
BIT = {name: np.int64(1 << i) for i, name in enumerate(FLAGS)}
BASE = np.array([0.9, 0.8, 0.7])  # same_core, typo, trade_name
ADDRESS_ALIKE = 85  # rapidfuzz ratio of two addresses from which they count as the same place


@dataclass
class Edges:
    a: np.ndarray
    b: np.ndarray
    strong: np.ndarray  # bool
    rule: np.ndarray  # int8 into RULES
    detail: np.ndarray  # int8 into DETAILS
    score: np.ndarray
    similarity: np.ndarray
    flags: np.ndarray  # int64 bit set over FLAGS
    address_checked: np.ndarray  # bool: the address comparison was made (flag is final)

    def __len__(self) -> int:
        return len(self.a)

    def rule_name(self, i: int) -> str:
        return RULES[int(self.rule[i])]

    def agreed(self, i: int) -> list[str]:
        return self.agreed_of(int(self.flags[i]), int(self.detail[i]))

    @staticmethod
    def agreed_of(flags: int, detail: int) -> list[str]:
        out = [name for bit, name in enumerate(FLAGS) if flags >> bit & 1]
        if detail:
            out.append(f"typo:{DETAILS[detail]}")
        return out


def addresses_alike(left: np.ndarray, right: np.ndarray, workers: int = 1) -> np.ndarray:
    if not len(left):
        return np.zeros(0, dtype=bool)
    return process.cpdist(list(left), list(right), scorer=fuzz.ratio, workers=workers) >= ADDRESS_ALIKE


_COUNTY = np.zeros(1_000_000, dtype=bool)
_COUNTY[list(COUNTY_CODES)] = True


# Chinese characters and brackets only: what the validator passes anyway, decided without it
_PLAIN_NAME = re.compile(r"[\u4e00-\u9fff()（）]{2,80}")


def _valid_name(raw: str) -> bool:
    shown = display_name(raw)
    return _PLAIN_NAME.fullmatch(shown) is not None or is_org_name(shown)


_SCRIPTS = {"both": 0, "simplified": 1, "traditional": 2}
_SIMPLIFIED, _TRADITIONAL = _SCRIPTS["simplified"], _SCRIPTS["traditional"]


def _per_node(nodes: Nodes, which: np.ndarray, test, dtype=bool) -> np.ndarray:
    """test(raw name) for each distinct node in `which`, as an array indexed by node id."""
    out = np.zeros(len(nodes), dtype=dtype)
    distinct = np.unique(which)
    out[distinct] = np.fromiter((test(raw) for raw in nodes.raw_name[distinct].tolist()), dtype=dtype,
                                count=len(distinct))
    return out


def _core_lengths(nodes: Nodes) -> np.ndarray:
    per_core = np.fromiter((len(c) for c in nodes.cores), dtype=np.int64, count=len(nodes.cores))
    return per_core[nodes.core_id]


def score_pairs(nodes: Nodes, cp: CorePairs, pairs: NodePairs, addresses: np.ndarray) -> Edges:
    """Edges for the node pairs that can be one company (see the module doc for the levels)."""
    a, b, k = pairs.a, pairs.b, pairs.core_pair
    ua, ub = nodes.uscc[a], nodes.uscc[b]
    la, lb = nodes.legal[a], nodes.legal[b]
    na, nb = nodes.name_key[a], nodes.name_key[b]
    keep = ~((ua >= 0) & (ub >= 0) & (ua != ub))
    keep &= nodes.branch[a] == nodes.branch[b]
    keep &= ~((la > 0) & (lb > 0) & (la != lb))
    keep &= compatible(nodes.region[a], nodes.region[b])  # name regions included: 昆明市X / 呈贡区X may meet
    # but a branch's region is its identity: 哈尔滨分行 and 宾县支行 of one bank are two branches;
    # and a name in a county is not the same name at the city or province above it
    named_apart = (na > 0) & (nb > 0) & (na != nb)
    keep &= ~(named_apart & nodes.branch[a])
    da, db = nodes.name_region[a, 2], nodes.name_region[b, 2]
    # (unless the other's address places it in that county: 霍城县X / 伊犁州X at a 霍城县 address)
    placed = (nodes.region[a, 2] > 0) & (nodes.region[a, 2] == nodes.region[b, 2])
    keep &= ~(named_apart & (da != db) & ~placed & (_COUNTY[np.maximum(da, 0)] | _COUNTY[np.maximum(db, 0)]))
    a, b, k, ua, ub, la, lb, na, nb = (x[keep] for x in (a, b, k, ua, ub, la, lb, na, nb))
    ra, rb = nodes.region[a], nodes.region[b]
    rule = cp.rule[k]

    flags = np.zeros(len(a), dtype=np.int64)
    both_named = (na > 0) & (na == nb)
    # two mentions without any region agree on nothing: such an edge is weak (attached only as
    # the one candidate), or the same core in Harbin and a region-less one would chain them all;
    # derived regions that agree to the city are strong, a province against its city weak
    # two names that spell different (compatible) regions (哈尔滨市新华书店 / 通河县新华书店) are
    # often a company per level: only the one candidate is attached
    region_agrees = ~both_named & ~((na > 0) & (nb > 0)) & (ra[:, 0] > 0) & (
        (ra == rb).all(axis=1) | ((ra[:, 1] > 0) & (ra[:, 1] == rb[:, 1])))
    flags |= np.where(both_named, BIT["name_region"], 0)
    flags |= np.where(region_agrees, BIT["region"], 0)
    flags |= np.where(~both_named & (ra[:, 0] == 0) & (rb[:, 0] == 0), BIT["no_region"], 0)
    same_code = (ua >= 0) & (ua == ub)
    flags |= np.where(same_code, BIT["uscc"], 0)
    strong = both_named | region_agrees | same_code
    # addresses decide the strength where nothing else did, and are the typo rule's evidence
    # (a trade_name edge stays weak)
    aa, ab = nodes.address_id[a], nodes.address_id[b]
    typo = rule == TYPO
    check = (aa >= 0) & (ab >= 0) & ((~strong & (rule != TRADE_NAME)) | (typo & ~same_code))
    alike = np.zeros(len(a), dtype=bool)
    alike[check] = addresses_alike(addresses[aa[check]], addresses[ab[check]])
    flags |= np.where(alike, BIT["address"], 0)
    strong |= alike
    # 华信/华兴/华鑫 are different companies far more often than typos: a look- or sound-alike core
    # links only with a second, independent piece of evidence (the same USCC, alike addresses, or
    # the same district and the same industry), and never for a string that is not a name
    same_district = (ra[:, 2] > 0) & (ra[:, 2] == rb[:, 2]) & (nodes.industry_id[a] == nodes.industry_id[b])
    evidenced = same_code | alike | same_district
    drop = typo & ~evidenced
    if nodes.raw_name is not None and (typo & ~drop).any():
        at = np.flatnonzero(typo & ~drop)
        # judged as shown (a zero-width space or a tab inside is layout, cleaned before matching)
        valid = _per_node(nodes, np.concatenate([a[at], b[at]]), _valid_name)
        drop[at[~(valid[a[at]] & valid[b[at]])]] = True
    if drop.any():
        a, b, k, ua, ub, la, lb, rule, flags, strong, alike, check = (
            x[~drop] for x in (a, b, k, ua, ub, la, lb, rule, flags, strong, alike, check))
        aa, ab = aa[~drop], ab[~drop]
    typo = rule == TYPO
    strong |= typo  # what is left of the typo rule has its evidence
    # an unconfirmed link needs one registered name: two abbreviations (华夏科技 / 華夏) say too
    # little; and two full registrations with one trade name but different industries (诚志股份有限
    # 公司 / 江西诚志生物工程有限公司) are two companies unless both names place them in one city
    # (佛山市东华有限公司 / 佛山市东华机械有限公司) or one is a short form (佛山市东华公司)
    if nodes.abbreviated is not None:
        short_a, short_b = nodes.abbreviated[a], nodes.abbreviated[b]
    else:
        short_a, short_b = la == 0, lb == 0
    registered = ~short_a & ~short_b
    same_named_city = (nodes.name_key[a] > 0) & (nodes.name_region[a, 1] > 0) & (nodes.name_region[a, 1] == nodes.name_region[b, 1])
    weak_drop = ~strong & ((short_a & short_b) | ((rule == TRADE_NAME) & registered & ~same_named_city))
    weak_drop |= (rule == TRADE_NAME) & nodes.branch[a]  # two branches of one parent share its trade name
    if nodes.form is not None:
        # a 证券简称 (华信股份, or a trade name without industry and legal form) belongs to a
        # joint-stock company: it does not name a 有限公司 that shares the trade name
        fa, fb = nodes.form[a], nodes.form[b]
        stock_a = (fa == STOCK_SHORT) | ((fa == NO_FORM) & (rule == TRADE_NAME))
        stock_b = (fb == STOCK_SHORT) | ((fb == NO_FORM) & (rule == TRADE_NAME))
        weak_drop |= ~strong & ((stock_a & (fb == OTHER_FORM)) | (stock_b & (fa == OTHER_FORM)))
        # a bare two-character name without a place (熊猫, 利華) is shared by too many companies to be
        # attached on its own (佛山市东华公司 names its city, 熊猫股份 nothing)
        core_len = _core_lengths(nodes)
        bare2_a = (core_len[a] <= 2) & short_a & (nodes.name_key[a] == 0)
        bare2_b = (core_len[b] <= 2) & short_b & (nodes.name_key[b] == 0)
        bare2 = ~strong & (bare2_a | bare2_b)
        if bare2.any() and nodes.raw_name is not None:
            # unless one is written in traditional script and the other can be: one Taiwan or Hong
            # Kong list's 简称 and 全称 (京鼎 / 京鼎精密科技股份有限公司), a far smaller crowd
            at = np.flatnonzero(bare2)
            scripts = _per_node(nodes, np.concatenate([a[at], b[at]]), lambda raw: _SCRIPTS[script(raw)], np.int8)
            sa, sb = scripts[a[at]], scripts[b[at]]
            # "simplified" not on either side, "traditional" on one
            both = (sa != _SIMPLIFIED) & (sb != _SIMPLIFIED) & ((sa == _TRADITIONAL) | (sb == _TRADITIONAL))
            bare2[at[both]] = False
        weak_drop |= bare2
    if weak_drop.any():
        a, b, k, ua, ub, la, lb, rule, flags, strong, alike, check, aa, ab = (
            x[~weak_drop] for x in (a, b, k, ua, ub, la, lb, rule, flags, strong, alike, check, aa, ab))
    flags |= np.where(rule == 0, BIT["core"], 0) | np.where(rule == TRADE_NAME, BIT["trade_name"], 0)
    strong &= rule != TRADE_NAME
    flags |= np.where((la > 0) & (la == lb), BIT["legal_form"], 0)
    similarity = cp.similarity[k]
    score = np.round(np.minimum(1.0, BASE[rule] * (0.8 + 0.2 * similarity) + np.where(strong, 0.1, 0.0)), 4)
    return Edges(a=a, b=b, strong=strong, rule=rule, detail=cp.detail[k], score=score, similarity=similarity,
                 flags=flags, address_checked=check | (aa < 0) | (ab < 0))


def complete_address_flags(edges: Edges, nodes: Nodes, addresses: np.ndarray, which: np.ndarray) -> None:
    """Fill the address flag of the given edges where it was not needed for the strength."""
    which = which[~edges.address_checked[which]]
    if not len(which):
        return
    a, b = edges.a[which], edges.b[which]
    alike = addresses_alike(addresses[nodes.address_id[a]], addresses[nodes.address_id[b]])
    edges.flags[which[alike]] |= BIT["address"]
    edges.address_checked[which] = True
