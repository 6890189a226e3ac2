"""Each comparison level of warehouse/resolve/pair_rules.py on its own, then the list as a whole."""

from __future__ import annotations

import numpy as np
import pytest

from kernel.resolution_config import ResolutionConfig
from warehouse.resolve.blocking import PREFIX, SAME_CORE, TRADE_NAME, TYPO
from warehouse.resolve.pair_features import FEATURES
from warehouse.resolve.pair_rules import LEVELS, ReadOutsideLevel, decide, verdicts

CFG = ResolutionConfig()
BY_NAME = {level.name: level for level in LEVELS}


def verdict_of(name: str, cfg: ResolutionConfig = CFG, **features) -> list[bool]:
    """The level's condition on the given feature columns (each a list, one value per pair)."""
    level = BY_NAME[name]
    columns = {k: np.asarray(v) for k, v in features.items()}
    assert set(level.reads) <= set(columns), f"{name} reads {level.reads}"
    n = len(next(iter(columns.values()))) if columns else 1
    hit = np.broadcast_to(np.asarray(level.test(lambda f: columns[f], cfg), dtype=bool), (n,))
    return hit.tolist()


def test_every_level_is_declared_once_with_features_that_exist_and_thresholds_in_the_config():
    names = [level.name for level in LEVELS]
    assert len(names) == len(set(names))
    for level in LEVELS:
        assert set(level.reads) <= set(FEATURES), level.name
        assert level.verdict in ("apart", "strong", "weak")
        assert level.doc
        if level.threshold:
            assert isinstance(CFG.threshold(level.threshold), (int, float)), level.name
    assert LEVELS[-1].name == "one_candidate_only" and LEVELS[-1].reads == ()


def test_the_order_is_hard_apart_then_strong_then_soft_apart_then_weak():
    verdict = [level.verdict for level in LEVELS]
    first_strong = verdict.index("strong")
    assert set(verdict[:first_strong]) == {"apart"}
    assert verdict[-1] == "weak"


def test_different_uscc():
    assert verdict_of("different_uscc", uscc=[-1, 0, 1]) == [True, False, False]


def test_branch_against_non_branch():
    assert verdict_of("branch_against_non_branch", branch_mismatch=[True, False]) == [True, False]


def test_different_legal_forms():
    assert verdict_of("different_legal_forms", legal_forms_differ=[True, False]) == [True, False]


def test_incompatible_regions():
    assert verdict_of("incompatible_regions", regions_compatible=[True, False]) == [False, True]


def test_different_parents():
    assert verdict_of("different_parents", parent_regions_compatible=[True, False]) == [False, True]


def test_branches_in_named_places():
    assert verdict_of("branches_in_named_places", is_branch=[True, True, False],
                      names_in_other_places=[True, False, True]) == [True, False, False]


def test_county_against_city():
    assert verdict_of("county_against_city", county_apart=[True, False]) == [True, False]


def test_different_streets_unless_one_code_vouches_for_both():
    assert verdict_of("different_streets", streets=[-1, -1, 1, 0], uscc=[0, 1, 0, 0]) == [True, False, False, False]


def test_prefix_of_a_registered_name():
    assert verdict_of("prefix_of_a_registered_name", prefix_is_short=[True, False]) == [False, True]


def test_branches_sharing_trade_name():
    assert verdict_of("branches_sharing_trade_name", is_branch=[True, False]) == [True, False]


def test_typo_without_evidence_and_its_address_threshold():
    features = dict(uscc=[0, 1, 0, 0, 0], streets=[0, 0, 1, 0, 0], address_similarity=[-1, -1, -1, 90, 80])
    assert verdict_of("typo_without_evidence", **features) == [True, False, False, False, True]
    strict = ResolutionConfig.model_validate({"comparison": {"address_similarity": 95}})
    assert verdict_of("typo_without_evidence", strict, **features) == [True, False, False, True, True]


def test_typo_between_non_names():
    assert verdict_of("typo_between_non_names", names_valid=[True, False]) == [False, True]


def test_same_uscc():
    assert verdict_of("same_uscc", uscc=[1, 0, -1]) == [True, False, False]


def test_same_address_by_street_key_or_similarity():
    assert verdict_of("same_address", streets=[1, 0, 0, -1], address_similarity=[-1, 90, 50, 100]) == [
        True, True, False, False]


def test_parent_region_less_specific():
    assert verdict_of("parent_region_less_specific", is_branch=[True, True, False],
                      parent_regions_equal=[False, True, False]) == [True, False, False]


def test_same_named_region():
    assert verdict_of("same_named_region", name_regions_equal=[True, False]) == [True, False]


def test_regions_agree_to_city():
    assert verdict_of("regions_agree_to_city", regions_agree=[True, False]) == [True, False]


def test_code_issued_in_named_place():
    got = verdict_of("code_issued_in_named_place", code_in_named_place=[True, True, False],
                     same_legal_class=[True, False, True])
    assert got == [True, False, False]


def test_crowded_short_name():
    assert verdict_of("crowded_short_name", crowded_short=[True, False]) == [True, False]


def test_other_script_registry():
    assert verdict_of("other_script_registry", other_script_registry=[True, False]) == [True, False]


def test_two_short_forms():
    assert verdict_of("two_short_forms", short_forms=[2, 1, 0]) == [True, False, False]


def test_two_registrations_apart_unless_a_place_industry_or_district_was_dropped():
    base = dict(short_forms=[0] * 6, candidates=[SAME_CORE, SAME_CORE, TRADE_NAME, SAME_CORE, SAME_CORE, SAME_CORE],
                same_legal_class=[True, True, True, True, False, True],
                same_name_place=[False, False, False, True, False, False],
                one_name_without_place=[True, False, False, False, True, False],
                places_in_one_city=[False, False, False, False, False, True],
                industry_dropped=[False, False, True, False, False, False])
    assert verdict_of("two_registrations", **base) == [False, True, False, False, True, False]
    assert verdict_of("two_registrations", **{**base, "short_forms": [1] * 6}) == [False] * 6


def test_stock_short_against_limited_company():
    assert verdict_of("stock_short_against_limited_company", stock_short_against_other=[True, False]) == [True, False]


def test_joint_stock_against_other_registration():
    assert verdict_of("joint_stock_against_other_registration", joint_stock_against_other=[True, False]) == [True, False]


def test_short_names_other_industry():
    assert verdict_of("short_names_other_industry", short_names_other_industry=[True, False]) == [True, False]


def test_mainland_listing_against_taiwan():
    assert verdict_of("mainland_listing_against_taiwan", mainland_listing_against_taiwan=[True, False]) == [True, False]


def test_group_short_against_non_group():
    assert verdict_of("group_short_against_non_group", group_short_against_non_group=[True, False]) == [True, False]


def test_bare_short_name():
    assert verdict_of("bare_short_name", bare_short_name=[True, False]) == [True, False]


def test_name_in_the_same_place():
    assert verdict_of("name_in_the_same_place", name_regions_equal=[True, False]) == [True, False]


def test_one_candidate_only_takes_the_rest():
    assert verdict_of("one_candidate_only") == [True]


def _decide(columns: dict, candidates: list[int]) -> list[str]:
    n = len(candidates)
    table = {"candidates": np.asarray(candidates, dtype=np.int8), **{k: np.asarray(v) for k, v in columns.items()}}
    decided = decide(lambda feature, at: table[feature][at], n, CFG)
    return [LEVELS[i].name for i in decided]


NEUTRAL = dict(uscc=[0], branch_mismatch=[False], legal_forms_differ=[False], regions_compatible=[True],
               parent_regions_compatible=[True], is_branch=[False], names_in_other_places=[False],
               county_apart=[False], streets=[0], address_similarity=[-1.0], prefix_is_short=[True],
               names_valid=[True], parent_regions_equal=[True],
               name_regions_equal=[False], regions_agree=[False], crowded_short=[False], short_forms=[1],
               same_legal_class=[True], same_name_place=[False], one_name_without_place=[False],
               places_in_one_city=[False], industry_dropped=[False], stock_short_against_other=[False],
               bare_short_name=[False], other_script_registry=[False], joint_stock_against_other=[False],
               short_names_other_industry=[False], mainland_listing_against_taiwan=[False],
               group_short_against_non_group=[False], code_in_named_place=[False])


def test_the_first_level_that_holds_decides():
    assert _decide(NEUTRAL, [SAME_CORE]) == ["one_candidate_only"]
    assert _decide({**NEUTRAL, "uscc": [-1], "name_regions_equal": [True]}, [SAME_CORE]) == ["different_uscc"]
    assert _decide({**NEUTRAL, "name_regions_equal": [True]}, [SAME_CORE]) == ["same_named_region"]
    # a level applies to the candidate rules it names: a shared trade name is never strong by place
    assert _decide({**NEUTRAL, "name_regions_equal": [True]}, [TRADE_NAME]) == ["name_in_the_same_place"]
    assert _decide(NEUTRAL, [TYPO]) == ["typo_without_evidence"]
    # a code of the named place is strong for one whole core only, and before two registrations are apart
    assert _decide({**NEUTRAL, "code_in_named_place": [True], "short_forms": [0]}, [SAME_CORE]) == [
        "code_issued_in_named_place"]
    assert _decide({**NEUTRAL, "code_in_named_place": [True]}, [TRADE_NAME]) == ["one_candidate_only"]
    assert _decide({**NEUTRAL, "streets": [1]}, [TYPO]) == ["typo_with_evidence"]
    assert _decide({**NEUTRAL, "prefix_is_short": [False]}, [PREFIX]) == ["prefix_of_a_registered_name"]
    # a 股份有限公司 against another legal form is apart before any place can make the pair strong
    assert _decide({**NEUTRAL, "joint_stock_against_other": [True], "name_regions_equal": [True]},
                   [SAME_CORE]) == ["joint_stock_against_other_registration"]
    assert set(verdicts(np.array([0, len(LEVELS) - 1]))) == {"apart", "weak"}


def test_a_level_cannot_read_what_it_does_not_declare():
    from warehouse.resolve.pair_rules import Level

    sneaky = Level("sneaky", ("uscc",), "apart", lambda g, c: g("streets") == -1, doc="reads streets undeclared")
    with pytest.raises(ReadOutsideLevel):
        decide(lambda feature, at: np.zeros(len(at)), 1, CFG, levels=(sneaky,))


def test_the_docs_table_lists_the_levels_in_order():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "resolution.md").read_text(encoding="utf-8")
    rows = [line.split("|")[2].strip().strip("`") for line in doc.splitlines() if line.startswith("| ") and "| `" in line
            and line.split("|")[1].strip().isdigit()]
    assert rows == [level.name for level in LEVELS]
