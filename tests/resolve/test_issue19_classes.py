"""The recall and precision classes of issue 19, each as a small resolution case.

Real names (../shared/real-names, pairs.csv) where the corpus has the shape; the issue's invented
examples where it has none (the corpus holds no branch written two ways, and no 个体工商户).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from warehouse.resolve import resolve_records
from warehouse.resolve.bulk_join import components
from warehouse.resolve.name_parts import parse_company_name
from warehouse.resolve.name_text import display_text, displays_and_keys, name_key

from .test_name_rules import companies


# ---------------------------------------------------------------- branches: parent's 字号 + own place
def test_a_branch_with_and_without_its_parents_region_and_legal_form():
    assert companies(["鞍山市航伦瑞建筑工程股份有限公司济南分公司", "鞍山航伦瑞建筑工程股份有限公司济南分公司",
                      "航伦瑞建筑工程济南分公司"]) == [0, 0, 0]


def test_a_branch_whose_parent_is_bracketed_prefixed_or_a_province():
    assert companies(["曦瑶教育咨询（南京）有限公司惠州分公司", "南京市曦瑶教育咨询有限公司惠州分公司",
                      "江苏省曦瑶教育咨询有限公司惠州分公司"]) == [0, 0, 0]


def test_a_branch_keeps_both_parts_apart_from_other_places_and_other_parents():
    got = companies(["南京市曦瑶教育咨询有限公司惠州分公司", "南京市曦瑶教育咨询有限公司深圳分公司",
                     "苏州市曦瑶教育咨询有限公司惠州分公司", "南京市曦瑶教育咨询有限公司"])
    assert len(set(got)) == 4
    parsed = parse_company_name("曦瑶教育咨询（南京）有限公司惠州分公司")
    assert (parsed.city, parsed.parent_city, parsed.core) == ("4413", "3201", "曦瑶教育咨询#分公司")


# ---------------------------------------------------------------- 个体工商户 and bare 字号 + industry
def test_individual_business_endings_are_legal_form_like_suffixes():
    for name, form in (("成都市晗达贸易经营部", "经营部"), ("遵义市汇川区心聿五金商行", "商行"),
                       ("心聿五金门市部", "门市部"), ("心聿五金店", "店")):
        parsed = parse_company_name(name)
        assert parsed.legal_form == form and parsed.legal_class == "individual" and not parsed.core.endswith(form)
    assert parse_company_name("泰来县新华书店").core == "新华书店"  # 店 after no industry word is the trade's


def test_a_bare_trade_name_and_industry_finds_the_one_individual_business():
    assert companies(["晗达贸易", "成都市晗达贸易经营部"]) == [0, 0]
    assert companies(["心聿五金", "遵义市汇川区心聿五金商行"]) == [0, 0]
    assert companies(["宏达五金店", "宏达五金有限公司"]) == [0, 1]  # an individual business is no 有限公司
    assert companies(["心聿五金", "遵义市心聿五金商行", "成都市心聿五金经营部"]) == [0, 1, 2]  # two fit: neither


def test_a_legal_form_dropped_with_a_bracketed_region():
    assert companies(["美金陶瓷有限责任公司", "美金陶瓷（西安）有限责任公司"]) == [0, 0]
    assert companies(["美金陶瓷", "美金陶瓷（西安）有限责任公司"]) == [0, 0]


# ---------------------------------------------------------------- real short names (证券简称)
def test_real_short_names_of_joint_stock_companies():
    """NEEQ and SSE pairs from ../shared/real-names: 字号 + 股份, and a short name without the form."""
    assert companies(["德凯股份", "重庆德凯实业股份有限公司"]) == [0, 0]
    assert companies(["润华股份", "江苏润华电缆股份有限公司"]) == [0, 0]
    assert companies(["琥珀股份", "厦门琥珀日化科技股份有限公司"]) == [0, 0]


def test_industry_words_alone_keep_their_place():
    """南京银行 and 江苏银行 (SSE) are two banks; 南京银行 is 南京银行股份有限公司."""
    assert companies(["南京银行", "南京银行股份有限公司", "江苏银行", "江苏银行股份有限公司"]) == [0, 0, 1, 1]
    assert companies(["上海机电", "上海机电股份有限公司"]) == [0, 0]


def test_a_district_several_cities_have_is_placed_by_the_address():
    got = companies(["朝阳区尔辉医疗器械有限公司", "北京尔辉医疗器械有限责任公司", "长春尔辉医疗器械有限公司"],
                    address=["北京市朝阳区放幸路422号", "北京市朝阳区放幸路422号", ""])
    assert got == [0, 0, 1]
    assert parse_company_name("朝阳区尔辉医疗器械有限公司").core == "尔辉医疗器械"  # not 朝阳(市) + 区尔辉…


# ---------------------------------------------------------------- the machinery
def test_names_normalised_in_bulk_equal_one_at_a_time():
    fixture = Path(__file__).resolve().parent.parent / "fixtures" / "real_names_sample.csv"
    sample = pd.read_csv(fixture, dtype=str, keep_default_na=False)["name"].tolist()
    odd = [" 杭州（宏達）機械\u200b有限公司\t", "ＡＢＣ　科技", "café Ltd", "x\ny", "a\u3000b\x1c c\x85d", ""]
    displays, keys = displays_and_keys(sample + odd)
    assert displays == [display_text(n) for n in sample + odd]
    assert keys == [name_key(d) for d in displays]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_components_are_the_connected_groups(seed: int):
    rng = np.random.default_rng(seed)
    n = 60
    u, v = rng.integers(0, n, 40), rng.integers(0, n, 40)
    label = components(n, u, v)
    parent = list(range(n))

    def find(x):
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b in zip(u.tolist(), v.tolist()):
        parent[max(find(a), find(b))] = min(find(a), find(b))
    assert label.tolist() == [find(i) for i in range(n)]


def test_bulk_joins_give_the_clusters_of_one_union_at_a_time(monkeypatch):
    """With every group sent down the one-at-a-time path, the clusters are the same."""
    from warehouse.resolve import evidence

    rng = np.random.default_rng(4)
    names = [f"{rng.choice(['杭州', '宁波', ''])}{rng.choice(['宏达', '华信'])}机械有限公司" for _ in range(200)]
    addresses = [rng.choice(["", "杭州市西湖区文三路1号", "杭州市西湖区文三路2号", "宁波市江北区中山路3号"]) for _ in names]
    frame = pd.DataFrame({"record_id": [f"r{i}" for i in range(len(names))], "source": "s", "name": names,
                          "uscc": "", "address": addresses})
    bulk = resolve_records(frame)["company_id"].tolist()
    monkeypatch.setattr(evidence.ClusterEvidence, "conflicted_groups",
                        lambda self, members, group, n_groups: np.ones(n_groups, dtype=bool))
    one_by_one = resolve_records(frame)["company_id"].tolist()
    assert bulk == one_by_one and len(set(bulk)) < len(bulk)
