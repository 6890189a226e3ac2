"""Large firms leave the 普惠 lists with their reason; their suppliers stay (docs/sizing.md)."""

from __future__ import annotations

import pytest

from kernel.large_enterprises import LargeEnterprisesError, load_large_enterprises
from warehouse.sizing import group_stem

REFERRAL = "——建议转介公司金融部"


def test_listed_company_is_excluded_with_its_code_and_the_referral(world):
    listed = world.company("l1", "浙江钱潮智能装备股份有限公司")
    world.win(listed)
    world.payroll(listed, headcount=60)
    world.build()
    row = world.row(listed)
    assert row["excluded"] and row["rank"] is None and row["size_class"] == "large"
    assert row["exclusion_reason"] == "大型企业（上市公司 609001）" + REFERRAL
    flags = world.con.execute(
        "SELECT signal, label, reason_text FROM marts.company_flags WHERE company_id = ? AND kind = 'exclusion'",
        [listed]).fetchall()
    assert flags == [("large_enterprise", "大型企业", "大型企业（上市公司 609001）" + REFERRAL)]
    assert world.check("no_large_enterprise_ranked") == []


def test_group_subsidiary_branch_and_brand_prefix_are_large_by_stated_rules(world):
    subsidiary = world.company("l2", "中国恒通信息集团浙江有限公司")
    branch = world.company("l3", "浙江钱潮智能装备股份有限公司宁波分公司")
    brand = world.company("l4", "之江交建第三工程有限公司")
    for firm in (subsidiary, branch, brand):
        world.win(firm)
    world.build()
    assert world.row(subsidiary)["exclusion_reason"] == (
        "大型企业（中央企业 中国恒通信息集团有限公司下属企业，名称以“中国恒通信息集团”开头）" + REFERRAL)
    assert world.row(branch)["exclusion_reason"] == "大型企业（上市公司 浙江钱潮智能装备股份有限公司的分支机构）" + REFERRAL
    assert world.row(brand)["exclusion_reason"] == "大型企业（省属国企 浙江省之江交通建设集团有限公司下属企业）" + REFERRAL


def test_same_trade_name_without_the_group_name_stays_a_prospect(world):
    # 恒通 and 钱潮 are the groups' 字号, but neither name begins with the group's name: no rule applies
    lookalike = world.company("l5", "杭州恒通信息技术有限公司")
    other = world.company("l6", "杭州钱潮装备有限公司")
    for firm in (lookalike, other):
        world.win(firm)
    world.build()
    assert not world.row(lookalike)["excluded"] and world.row(lookalike)["rank"] is not None
    assert not world.row(other)["excluded"]


def test_registry_type_of_a_listed_company_is_large_and_non_listed_is_not(world):
    listed = world.company("l7", "杭州某上市股份有限公司")
    world.win(listed)
    world.registry(listed, enterprise_type="股份有限公司(上市、自然人投资或控股)")
    unlisted = world.company("l8", "杭州某非上市股份有限公司")
    world.win(unlisted)
    world.registry(unlisted, enterprise_type="股份有限公司(非上市、自然人投资或控股)")
    world.build()
    assert world.row(listed)["exclusion_reason"] == "大型企业（上市公司 股份有限公司(上市、自然人投资或控股)）" + REFERRAL
    assert world.row(unlisted)["size_class"] == "unknown" and not world.row(unlisted)["excluded"]


def test_list_entry_matches_by_uscc_whatever_the_name(tmp_path):
    from size_world import TEST_LISTS, SizeWorld

    lists = {**TEST_LISTS, "lists": [*TEST_LISTS["lists"], {
        "id": "t_uscc", "kind": "listed", "label": "上市公司", "title": "深圳证券交易所 股票列表", "publisher": "深交所",
        "entries": [{"name": "某某控股股份有限公司", "code": "000999", "uscc": "92330102MA2KX7F30Y"}]}]}
    world = SizeWorld(tmp_path / "t.duckdb", lists)
    firm = world.company("l9", "另一个名字有限公司", uscc="92330102MA2KX7F30Y")
    world.win(firm)
    world.build()
    assert world.row(firm)["exclusion_reason"] == "大型企业（上市公司 000999）" + REFERRAL


def test_suppliers_of_a_large_core_enterprise_stay_prospects(world):
    core = world.company("l10", "浙江钱潮智能装备股份有限公司")
    supplier = world.company("l11", "杭州供货五金有限公司")
    world.win(core)
    world.con.execute("INSERT INTO ref.core_enterprises VALUES (?, ?, '杭州分行')",
                      ["浙江钱潮智能装备股份有限公司", "浙江钱潮智能装备股份有限公司"])
    world.feed_row("counterparties", supplier, counterparty_name="杭州供货五金有限公司",
                   customer_name="浙江钱潮智能装备股份有限公司", inflow_yuan=0.0, outflow_yuan=800_000.0)
    world.build()
    assert world.row(core)["excluded"]
    row = world.row(supplier)
    assert not row["excluded"] and row["rank"] is not None and "供应链金融" in row["products"]


def test_a_list_entry_alone_makes_no_prospect(world):
    world.company("l12", "浙江钱潮智能装备股份有限公司")  # named by nothing but the list
    world.build()
    assert world.row("l12") == {}


def test_blocking_check_catches_a_large_firm_on_a_list(world):
    listed = world.company("l13", "浙江钱潮智能装备股份有限公司")
    world.win(listed)
    world.build()
    world.con.execute("UPDATE marts.prospects_ranked SET rank = 1, excluded = false WHERE company_id = ?", [listed])
    assert [r[0] for r in world.check("no_large_enterprise_ranked")] == [listed]


@pytest.mark.parametrize(("name", "stem"), [
    ("中国移动通信集团有限公司", "中国移动通信集团"),
    ("中国集团有限公司", None),            # 中国 alone names no group
    ("浙江省能源集团有限公司", "浙江省能源集团"),
    ("杭州恒达机械有限公司", None),
])
def test_group_stem_rule(name, stem):
    assert group_stem(name, "集团", 4) == stem


def test_a_list_needs_entries_or_a_file_with_columns():
    with pytest.raises(LargeEnterprisesError, match=r"lists\[0\].*either `file`"):
        load_large_enterprises({"lists": [{"id": "x", "kind": "listed", "label": "上市公司", "title": "t", "publisher": "p"}]})
    with pytest.raises(LargeEnterprisesError, match=r"lists\[0\]\.kind"):
        load_large_enterprises({"lists": [{"id": "x", "kind": "big", "label": "l", "title": "t", "publisher": "p",
                                           "entries": [{"name": "某某有限公司"}]}]})


def test_missing_list_file_is_reported_not_fatal(world, monkeypatch):
    # the shipped lists, whatever sources folder an earlier session fixture left active (tests/scaleout's demo)
    monkeypatch.delenv("TUOKE_SOURCES_DIR", raising=False)
    rows = world.con.execute("SELECT list_id, status, rows FROM ref.large_enterprise_lists ORDER BY list_id").fetchall()
    assert rows == [("t_central", "loaded", 1), ("t_listed", "loaded", 1), ("t_province", "loaded", 1)]
    from warehouse.sizing import write_size_reference

    summary = write_size_reference(world.con)  # the shipped configs/large_enterprises.yaml: files not shipped
    assert summary["missing_lists"] == ["sse_listed", "szse_listed", "bse_listed", "sasac_central_soe",
                                        "zj_provincial_soe"]
    assert len(world.check("large_enterprise_lists_loaded")) == 5
