"""Each recall and precision class of issue #10 as a small resolution case (invented names, real shapes)."""

from __future__ import annotations

import pandas as pd

from warehouse.resolve import resolve_records
from warehouse.resolve.name_parts import parse_company_name

ADDRESS = "昆明市五华区人民中路10号"


def companies(names: list[str], uscc: list[str] | None = None, address: list[str] | None = None) -> list[int]:
    """Company of each name as small integers in order of first appearance (0, 0, 1 = first two together)."""
    n = len(names)
    frame = pd.DataFrame({"record_id": [f"r{i}" for i in range(n)], "source": "test", "name": names,
                          "uscc": uscc or [""] * n, "address": address or [""] * n})
    ids = resolve_records(frame)["company_id"].tolist()
    label = {c: i for i, c in enumerate(dict.fromkeys(ids))}
    return [label[c] for c in ids]


# ---------------------------------------------------------------- recall classes
def test_same_name_with_and_without_uscc():
    assert companies(["昆明云海科技有限公司", "昆明云海科技有限公司 "], uscc=["91530100MA6K0Q5X3B", ""]) == [0, 0]


def test_every_region_form_of_one_company():
    forms = ["昆明市云海科技有限公司", "呈贡区云海科技有限公司", "云海科技（昆明）有限公司",
             "（昆明）云海科技有限公司", "云海科技有限公司"]
    assert companies(forms) == [0] * len(forms)
    # the province's name is another registration unless an address or code says otherwise
    assert companies(["昆明市云海科技有限公司", "云南云海科技有限公司"]) == [0, 1]
    assert companies(["昆明市云海科技有限公司", "云南云海科技有限公司"], address=[ADDRESS, ADDRESS]) == [0, 0]


def test_a_province_company_is_not_its_city_namesake():
    """Real pairs from ../shared/real-names: different taxpayers (a provincial company and the city's)."""
    assert companies(["黑龙江九州通医药有限公司", "哈尔滨九州通医药有限公司"]) == [0, 1]
    assert companies(["江苏红人实业股份有限公司", "扬州红人实业股份有限公司"]) == [0, 1]


def test_incompatible_regions_stay_apart_and_make_a_region_less_name_ambiguous():
    forms = ["昆明市云海科技有限公司", "云南云海科技有限公司", "曲靖市云海科技有限公司", "云海科技有限公司"]
    got = companies(forms)
    assert got[0] != got[2]  # two cities, two companies
    assert got[1] not in (got[0], got[2])  # the province holds both cities: 云南X picks neither
    assert got[3] not in (got[0], got[2])  # nor does the region-less mention


def test_bracketed_region_that_contradicts_the_front_word_wins():
    parsed = parse_company_name("青岛啤酒（哈尔滨）有限公司")
    assert parsed.core == "青岛啤酒" and parsed.city == "2301"
    refined = parse_company_name("黑龙江省烟草公司哈尔滨市公司")
    assert refined.province == "23" and refined.city == "2301"


def test_traditional_characters_in_name_and_address():
    got = companies(["信德檢測技術有限公司", "山西省信德检测技术有限公司"],
                    address=["山西省太原市小店區長治路1號", "山西省太原市小店区长治路1号"])
    assert got == [0, 0]


def test_abbreviations_join_only_without_a_competing_candidate():
    assert companies(["佛山市东华公司", "佛山市东华机械有限公司"]) == [0, 0]  # 字号 + 公司
    assert companies(["赫利苗木", "云南赫利苗木有限公司"]) == [0, 0]  # legal form dropped
    assert companies(["佛山市东华有限公司", "佛山市东华机械有限公司"]) == [0, 0]  # industry dropped
    assert companies(["佛山市东华公司", "佛山市东华机械有限公司", "佛山市东华纺织有限公司"]) == [0, 1, 2]


def test_whitespace_of_every_kind():
    assert companies(["昆明市\u3000云海科技有限公司", "昆明市云海科技\t有限公司  ", "昆明市 云海 科技有限公司"]) == [0, 0, 0]


def test_one_character_typo_where_the_address_agrees():
    assert companies(["昆明华信科技有限公司", "昆明华兴科技有限公司"], address=[ADDRESS, ADDRESS]) == [0, 0]
    # one district and industry is no evidence: two look-alike 字号 there are as likely two companies (会云 / 汇云)
    assert companies(["五华区华信科技有限公司", "五华区华兴科技有限公司"]) == [0, 1]


# ---------------------------------------------------------------- precision classes
def test_sound_alike_trade_names_without_evidence_stay_apart():
    assert companies(["昆明华信科技有限公司", "昆明华兴科技有限公司", "昆明华鑫科技有限公司"]) == [0, 1, 2]
    assert companies(["天成科技有限公司", "天辰科技有限公司", "天晟科技有限公司"]) == [0, 1, 2]


def test_typo_never_outranks_a_different_known_region():
    assert companies(["昆明华信科技有限公司", "大理华兴科技有限公司"], address=[ADDRESS, ADDRESS]) == [0, 1]


def test_a_branch_is_not_its_parent_nor_its_sibling():
    got = companies(["中国建设银行股份有限公司", "中国建设银行股份有限公司宾县支行",
                     "中国建设银行股份有限公司呼兰支行", "内蒙古银行股份有限公司哈尔滨分行", "营口银行股份有限公司哈尔滨分行"])
    assert len(set(got)) == 5


def test_a_county_company_is_not_the_city_company():
    assert companies(["哈尔滨市新华书店有限公司", "通河县新华书店有限公司"]) == [0, 1]


def test_names_failing_validation_never_link_by_the_typo_rule():
    assert companies(["昆明华信科技有限公司;", "昆明华兴科技有限公司;"], address=[ADDRESS, ADDRESS]) == [0, 1]


def test_two_short_forms_do_not_link_each_other():
    assert companies(["华夏科技", "華夏"]) == [0, 1]


def test_a_bare_two_character_name_without_a_place_is_not_attached():
    assert companies(["熊猫", "南京熊猫电子股份有限公司"]) == [0, 1]
    assert companies(["熊猫电子", "南京熊猫电子股份有限公司"]) == [0, 0]  # three and more characters do


def test_stock_list_markers_are_not_part_of_a_short_name():
    for marked, plain in (("*ST中达", "中达"), ("ST华信", "华信"), ("大名城B", "大名城"), ("黄山B股", "黄山"), ("长白5", "长白")):
        assert parse_company_name(marked).core == plain
    assert parse_company_name("华信5号科技有限公司").core.startswith("华信5")  # a registered name keeps its digits


def test_sister_outlets_numbered_apart_are_two_companies():
    """Real names (real-names, two 个体 fuel stations with their own USCCs): 四 and 十 sound alike once
    sh/s is folded, but a numeral for another numbers a sister outlet, never a typo."""
    frame = pd.DataFrame({"record_id": ["a", "b"], "source": "t", "name": ["安达市农机第四加油站", "安达市农机第十加油站"],
                          "uscc": "", "address": ""})
    assert resolve_records(frame)["company_id"].nunique() == 2
