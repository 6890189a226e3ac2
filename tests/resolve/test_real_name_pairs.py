"""Issue 19's precision rules, each on the real names it was made from (../shared/real-names: the
group ids in the comments are the corpus' gold entities). Resolved by `resolve_records`, names only."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kernel.resolution_config import ResolutionConfig
from warehouse.resolve.attach import shared_target
from warehouse.resolve.blocking import candidate_pairs
from warehouse.resolve.nodes import assign_nodes
from warehouse.resolve.pair_features import PairFrame
from warehouse.resolve.prepare import record_features
from warehouse.resolve.records import read_records

from .test_name_rules import companies


# ---------------------------------------------------------------- a registered name takes one 证券简称
def test_a_joint_stock_name_takes_no_two_listed_short_names():
    # NEEQ-832511 河南科益气体 / 科益气体; 科益股份 is NEEQ-870871's: only the whole core attaches
    assert companies(["河南科益气体股份有限公司", "科益气体", "科益股份"]) == [0, 0, 1]
    # NEEQ-831146 上海建科建筑节能技术 / 建科节能; 建科股份 is NEEQ-834049's: neither is the whole core
    got = companies(["上海建科建筑节能技术股份有限公司", "建科节能", "建科股份"])
    assert got[0] not in got[1:]
    assert companies(["上海建科建筑节能技术股份有限公司", "建科节能"]) == [0, 0]  # alone, the short form attaches


def test_a_short_name_joined_by_its_place_keeps_out_a_second_one():
    # SSE-600561 江西长运股份有限公司 / 江西长运 (same core, same place: a strong edge); 长运股份 is NEEQ-839840
    got = companies(["江西长运股份有限公司", "江西长运", "长运股份"])
    assert got[0] == got[1] and got[2] != got[0]


def test_short_name_endings_are_two_listings():
    # 秋林股份 (NEEQ-834225) and 秋林集团 (SSE-600891) are two companies' 证券简称
    got = companies(["哈尔滨秋林集团股份有限公司", "秋林集团", "秋林股份"])
    assert got[2] != got[0]
    assert companies(["蓝天股份", "蓝天集团"]) == [0, 1]  # NEEQ-836579 / NEEQ-837443


def test_a_merchant_short_form_does_not_compete_with_the_name_without_its_form():
    # the synthetic world's shapes (benchmarks.resolve): 字号 + 公司 and the core without its form
    assert companies(["佛山市东华机械有限公司", "佛山市东华公司", "东华机械"]) == [0, 0, 0]


def test_shared_target_refuses_two_short_forms_and_a_second_one_later():
    src, dst = np.array([0, 1, 2, 3]), np.array([9, 9, 8, 7])
    form = np.array([10, 11, 12, 13])
    listed, pick, whole = np.ones(4, dtype=bool), np.ones(4, dtype=bool), np.zeros(4, dtype=bool)
    short_only = np.ones(10, dtype=bool)
    held = np.full(10, -1)
    held[7] = 99  # cluster 7 holds another short form already
    assert shared_target(src, dst, form, listed, whole, pick, short_only, held).tolist() == [True, True, False, True]
    held[7] = 13  # ... or the same one
    assert shared_target(src, dst, form, listed, whole, pick, short_only, held).tolist() == [True, True, False, False]
    # the one short form that is the whole core attaches; the other stays alone
    whole[0] = True
    assert shared_target(src, dst, form, listed, whole, pick, short_only, held).tolist() == [False, True, False, False]
    whole[1] = True  # two whole cores (two places' spellings of two short forms): neither
    assert shared_target(src, dst, form, listed, whole, pick, short_only, held).tolist() == [True, True, False, False]


# ---------------------------------------------------------------- comparison levels on real pairs
def _pair_feature(names: list[str], feature: str) -> dict[tuple[str, str], bool]:
    """The feature of every candidate pair among the names (by raw name)."""
    frame = pd.DataFrame({"record_id": [f"r{i}" for i in range(len(names))], "source": "t", "name": names,
                          "uscc": "", "address": ""})
    config = ResolutionConfig()
    features = record_features(read_records(frame), workers=1)
    _node, nodes = assign_nodes(features)
    cp, pairs, _stats = candidate_pairs(nodes, config.blocking)
    frame_ = PairFrame(nodes, cp, pairs, np.array([], dtype=object), config)
    values = frame_.values(feature, np.arange(len(frame_)))
    raw = nodes.raw_name
    return {(raw[a], raw[b]): bool(v) for a, b, v in zip(pairs.a, pairs.b, values)}


def _feature_of(a: str, b: str, feature: str) -> bool:
    got = _pair_feature([a, b], feature)
    assert len(got) == 1, got  # the two names are a candidate pair
    return next(iter(got.values()))


def test_a_short_form_names_its_own_industry():
    # 首创证券 (SSE-601136) is not 北京首创股份有限公司 (SSE-600008); 科达制造 (SSE-600499) not 科达集团
    assert _feature_of("首创证券", "北京首创股份有限公司", "short_names_other_industry")
    assert _feature_of("科达制造", "科达集团股份有限公司", "short_names_other_industry")
    assert not _feature_of("华康生物", "湖南华康生物科技股份有限公司", "short_names_other_industry")
    assert companies(["首创证券", "北京首创股份有限公司"]) == [0, 1]


def test_a_mainland_listing_is_not_a_taiwan_company():
    # SSE-600695 大江B股 / TPEX-8436 大江生醫; NEEQ-400067 欣泰3 / TPEX-8917 欣泰石油氣; 德昌股份 SSE-605555
    for short, full in (("大江B股", "大江生醫股份有限公司"), ("欣泰3", "欣泰石油氣股份有限公司"),
                        ("德昌股份", "德昌營造股份有限公司"), ("合肥三洋", "三洋實業股份有限公司")):
        assert _feature_of(short, full, "mainland_listing_against_taiwan"), short
        assert companies([short, full]) == [0, 1], short
    # a Taiwan list's own 简称 still attaches (TWSE-1472 三洋實業 / 三洋實業股份有限公司)
    assert not _feature_of("三洋實業", "三洋實業股份有限公司", "mainland_listing_against_taiwan")


def test_a_traditional_short_form_is_not_the_mainland_one_written_alike():
    # TPEX-4129 聯合 and SSE-600358 ST联合 share the simplified core; each is another registry's 简称
    assert companies(["聯合", "ST联合"]) == [0, 1]
    assert companies(["花王企業股份有限公司", "花王"]) == [0, 0]


def test_a_listed_company_is_not_its_parent_group():
    # SSE-600316 and its parent group (TAX-360101158261067); SSE-600029 and 中国南方航空集团 (TAX-9144…)
    assert companies(["江西洪都航空工业股份有限公司", "江西洪都航空工业集团有限责任公司"]) == [0, 1]
    assert companies(["中国南方航空股份有限公司", "中国南方航空集团有限公司"]) == [0, 1]
    assert _feature_of("江西洪都航空工业股份有限公司", "江西洪都航空工业集团有限责任公司", "joint_stock_against_other")


def test_a_group_short_names_a_group():
    # 雪龙集团 (SSE-603949) is not 大庆雪龙石化技术开发有限公司 (TAX-91230600733641024Q)
    assert _feature_of("雪龙集团", "大庆雪龙石化技术开发有限公司", "group_short_against_non_group")
    assert not _feature_of("东软集团", "东软集团股份有限公司", "group_short_against_non_group")
    assert companies(["雪龙集团", "大庆雪龙石化技术开发有限公司"]) == [0, 1]


def test_two_registrations_of_industry_words_or_one_core_in_two_places():
    # TAX-91230110078074624M / TAX-91230199078074616Q: a core of industry words dropped nothing
    assert companies(["哈尔滨交通集团能源有限公司", "哈尔滨交通集团能源运输有限公司"]) == [0, 1]
    # TAX-9123010469073035XC / TAX-9123011079308969XT: a province's company and a city's, one core
    assert companies(["黑龙江省炎麟经贸有限责任公司", "哈尔滨炎麟经贸有限公司"]) == [0, 1]
    # TAX-912301101273943182 / TAX-912301991270479655
    assert companies(["哈尔滨电机厂电力实业开发总公司", "哈尔滨电机厂有限责任公司"]) == [0, 1]
    # the industry that was dropped still joins (佛山市东华有限公司 / 佛山市东华机械有限公司)
    assert companies(["佛山市东华有限公司", "佛山市东华机械有限公司"]) == [0, 0]


def test_a_company_name_with_its_industry_is_registered_not_short():
    # TAX-91360000158264065X 江西铜业集团公司 / TAX-91360100794789751H …财务有限公司 (a subsidiary)
    assert companies(["江西铜业集团公司", "江西铜业集团财务有限公司"]) == [0, 1]
    assert companies(["佛山市东华公司", "佛山市东华机械有限公司"]) == [0, 0]  # 字号 + 公司 is the short form
