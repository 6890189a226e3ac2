"""The pair decision as data: an ordered list of named comparison levels (in the manner of
Splink's comparison levels: the first level whose condition holds decides the pair).

Each `Level` has a name (it becomes the link's `rule`), the pair features it reads (from
pair_features.py; a level can read nothing else), its threshold (a key of configs/resolution.yaml,
or none) and its verdict:
- `apart`: no link — evidence contradicts (hard), or a name-only link would say too little (soft);
- `strong`: evidence beyond the name agreed; the clustering joins such pairs best score first;
- `weak`: the name alone; the clustering attaches it only to the one compatible candidate.
The order: hard `apart` levels, then `strong` ones, then soft `apart` ones, then the else level
`one_candidate_only`. docs/resolution.md shows the list as a table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from kernel.resolution_config import ResolutionConfig
from warehouse.resolve.blocking import NAME_ONLY, PREFIX, SAME_CORE, TRADE_NAME, TYPO

Verdict = Literal["apart", "strong", "weak"]
WHOLE_NAME = (SAME_CORE, TYPO)  # rules that compare the whole core
Get = Callable[[str], np.ndarray]  # feature name -> values for the pairs being decided


@dataclass(frozen=True)
class Level:
    name: str
    reads: tuple[str, ...]
    verdict: Verdict
    test: Callable[[Get, ResolutionConfig], np.ndarray]
    threshold: str | None = None  # "section.key" in configs/resolution.yaml
    doc: str = ""
    only: tuple[int, ...] | None = None  # the candidate rules (blocking.RULES) it applies to; None: all


def _alike(get: Get, cfg: ResolutionConfig) -> np.ndarray:
    """Two addresses name one place: the same street key, or (no keys) a ratio over the threshold."""
    streets = get("streets")
    return (streets == 1) | ((streets == 0) & (get("address_similarity") >= cfg.comparison.address_similarity))


LEVELS: tuple[Level, ...] = (
    # ---- hard: evidence contradicts
    Level("different_uscc", ("uscc",), "apart", lambda g, c: g("uscc") == -1,
          doc="two different valid USCCs"),
    Level("branch_against_non_branch", ("branch_mismatch",), "apart", lambda g, c: g("branch_mismatch"),
          doc="a branch (分公司) is not its parent"),
    Level("different_legal_forms", ("legal_forms_differ",), "apart", lambda g, c: g("legal_forms_differ"),
          doc="legal forms of different groups (有限公司 / 合作社 / 经营部)"),
    Level("joint_stock_against_other_registration", ("joint_stock_against_other",), "apart",
          lambda g, c: g("joint_stock_against_other"),
          doc="a 股份有限公司 and a registered name of another legal form (…股份有限公司 / …集团有限责任公司)"),
    Level("incompatible_regions", ("regions_compatible",), "apart", lambda g, c: ~g("regions_compatible"),
          doc="name, address or USCC regions disagree (district → city → province)"),
    Level("different_parents", ("parent_regions_compatible",), "apart",
          lambda g, c: ~g("parent_regions_compatible"), doc="branches of parents in disagreeing regions"),
    Level("branches_in_named_places", ("is_branch", "names_in_other_places"), "apart",
          lambda g, c: g("is_branch") & g("names_in_other_places"),
          doc="two branches whose names carry different places (哈尔滨分行 / 宾县支行)"),
    Level("county_against_city", ("county_apart",), "apart", lambda g, c: g("county_apart"),
          doc="a name in a county against the same name at the city or province above it"),
    Level("different_streets", ("streets", "uscc"), "apart", lambda g, c: (g("streets") == -1) & (g("uscc") != 1),
          doc="two street addresses, and no valid USCC that vouches for both"),
    Level("prefix_of_a_registered_name", ("prefix_is_short",), "apart", lambda g, c: ~g("prefix_is_short"),
          doc="the shorter name of a prefix pair is a registered name, not a short form (江苏阳光股份 / 阳光眼科)",
          only=(PREFIX,)),
    Level("branches_sharing_trade_name", ("is_branch",), "apart", lambda g, c: g("is_branch"),
          doc="branches of one parent share its trade name", only=NAME_ONLY),
    Level("typo_without_evidence", ("uscc", "streets", "address_similarity"), "apart",
          lambda g, c: ~((g("uscc") == 1) | _alike(g, c)), threshold="comparison.address_similarity",
          doc="look/sound-alike 字号 (华信/华兴) without the same USCC or address (one district and industry is "
              "no evidence: 会云 / 汇云医疗科技 are two companies there)", only=(TYPO,)),
    Level("typo_between_non_names", ("names_valid",), "apart", lambda g, c: ~g("names_valid"),
          doc="a look-alike string that fails organisation-name validation", only=(TYPO,)),
    # ---- strong: evidence beyond the name agrees
    Level("typo_with_evidence", (), "strong", lambda g, c: True,
          doc="a one-character typo with a second, independent piece of evidence", only=(TYPO,)),
    Level("same_uscc", ("uscc",), "strong", lambda g, c: g("uscc") == 1, doc="the same valid USCC"),
    Level("same_address", ("streets", "address_similarity"), "strong", _alike,
          threshold="comparison.address_similarity", doc="the same street key, or alike addresses"),
    Level("parent_region_less_specific", ("is_branch", "parent_regions_equal"), "weak",
          lambda g, c: g("is_branch") & ~g("parent_regions_equal"),
          doc="a branch whose parent is written with a coarser region (江苏省X… / 南京市X…)"),
    Level("same_named_region", ("name_regions_equal",), "strong", lambda g, c: g("name_regions_equal"),
          doc="both names carry the same place", only=WHOLE_NAME),
    Level("regions_agree_to_city", ("regions_agree",), "strong", lambda g, c: g("regions_agree"),
          doc="regions from names, addresses and codes agree to the city", only=WHOLE_NAME),
    Level("code_issued_in_named_place", ("code_in_named_place", "same_legal_class"), "strong",
          lambda g, c: g("code_in_named_place") & g("same_legal_class"),
          doc="one side's USCC was issued in the city or district the other's name names (河南省普克物流 coded "
              "411103 / 郾城区普克物流): one registration authority registers a 字号 and industry once",
          only=(SAME_CORE,)),
    # ---- soft: a name-only link that says too little
    Level("crowded_short_name", ("crowded_short",), "apart", lambda g, c: g("crowded_short"),
          threshold="blocking.max_block",
          doc="a short form whose characters start more than max_block registered names (华信)"),
    Level("other_script_registry", ("other_script_registry",), "apart", lambda g, c: g("other_script_registry"),
          doc="a placeless traditional-script name against a simplified-script one: two registries (臺灣 / 大陸)"),
    Level("short_names_other_industry", ("short_names_other_industry",), "apart",
          lambda g, c: g("short_names_other_industry"),
          doc="a short form names an industry the registered name does not hold (首创证券 / 北京首创股份有限公司)"),
    Level("mainland_listing_against_taiwan", ("mainland_listing_against_taiwan",), "apart",
          lambda g, c: g("mainland_listing_against_taiwan"),
          doc="a short form with a mainland stock list's mark (ST, B股, 股份, a mainland place) against a "
              "Taiwan list's traditional-script name (大江B股 / 大江生醫股份有限公司)"),
    Level("two_short_forms", ("short_forms",), "apart", lambda g, c: g("short_forms") == 2,
          doc="two abbreviations (华夏科技 / 華夏) never link each other"),
    Level("two_registrations", ("short_forms", "candidates", "same_legal_class", "same_name_place",
                                "one_name_without_place", "places_in_one_city", "industry_dropped"), "apart",
          lambda g, c: (g("short_forms") == 0) & ~(g("same_legal_class") & (
              g("industry_dropped") | g("places_in_one_city")
              | ((g("candidates") == SAME_CORE) & (g("same_name_place") | g("one_name_without_place"))))),
          doc="two registered names that differ by more than a dropped place, industry or district "
              "(黑龙江九州通医药 / 哈尔滨九州通医药, 哈尔滨海格集团 / 哈尔滨海格科技发展: a group and its subsidiary)"),
    Level("stock_short_against_limited_company", ("stock_short_against_other",), "apart",
          lambda g, c: g("stock_short_against_other"),
          doc="a 证券简称 names a joint-stock company, not a 有限公司 sharing its trade name"),
    Level("group_short_against_non_group", ("group_short_against_non_group",), "apart",
          lambda g, c: g("group_short_against_non_group"),
          doc="a 集团 short form names a group, not a 有限公司 without 集团 (雪龙集团 / 大庆雪龙石化技术开发有限公司)"),
    Level("bare_short_name", ("bare_short_name",), "apart", lambda g, c: g("bare_short_name"),
          threshold="comparison.bare_name_max_length", doc="a placeless two-character short form (熊猫)"),
    # ---- weak: the name alone
    Level("name_in_the_same_place", ("name_regions_equal",), "weak", lambda g, c: g("name_regions_equal"),
          doc="names of the same place: a better-supported candidate than one that only does not contradict"),
    Level("one_candidate_only", (), "weak", lambda g, c: True,
          doc="the name alone: attached only when it has one compatible candidate"),
)
LEVEL_NAMES = tuple(level.name for level in LEVELS)
# how well a linking level supports a link: strong before weak (attach.py adds the candidate rule
# next, so an exact core beats a look-alike one whatever else agreed, then the level's position)
_BY_SUPPORT = sorted(range(len(LEVELS)), key=lambda i: (LEVELS[i].verdict != "strong", i))
SUPPORT_RANK = np.array([_BY_SUPPORT.index(i) for i in range(len(LEVELS))], dtype=np.int64)
STRENGTH_RANK = np.array([0 if level.verdict == "strong" else 1 for level in LEVELS], dtype=np.int64)
APART, STRONG, WEAK = "apart", "strong", "weak"


class ReadOutsideLevel(KeyError):
    """A level asked for a feature it does not declare in `reads`."""


def decide(values: Callable[[str, np.ndarray], np.ndarray], n: int, config: ResolutionConfig,
           levels: tuple[Level, ...] = LEVELS) -> np.ndarray:
    """The deciding level (index into `levels`) of each of n pairs; `values(feature, at)` reads features."""
    decided = np.full(n, -1, dtype=np.int16)
    candidates = values("candidates", np.arange(n))
    for position, level in enumerate(levels):
        at = np.flatnonzero(decided < 0)
        if level.only is not None:
            at = at[np.isin(candidates[at], level.only)]
        if not len(at):
            continue
        allowed = set(level.reads)

        def get(feature: str, at=at, allowed=allowed, level=level) -> np.ndarray:
            if feature not in allowed:
                raise ReadOutsideLevel(f"level {level.name} reads {feature!r} but declares {level.reads}")
            return values(feature, at)

        hit = np.broadcast_to(np.asarray(level.test(get, config), dtype=bool), at.shape)  # True: every pair
        decided[at[hit]] = position
    return decided


def verdicts(decided: np.ndarray, levels: tuple[Level, ...] = LEVELS) -> np.ndarray:
    table = np.array([level.verdict for level in levels], dtype=object)
    return table[decided]


def link_score(candidates: np.ndarray, similarity: np.ndarray, strong: np.ndarray, config: ResolutionConfig) -> np.ndarray:
    s = config.scores
    base = np.array([s.same_core, s.typo, s.trade_name, s.prefix], dtype=float)[candidates]
    assert (SAME_CORE, TYPO, TRADE_NAME, PREFIX) == (0, 1, 2, 3)
    score = base * (1 - s.similarity_share + s.similarity_share * similarity) + np.where(strong, s.strong_bonus, 0.0)
    return np.round(np.minimum(1.0, score), 4)
