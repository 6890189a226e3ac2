"""Size class per company from its best evidence, with the reason naming it (docs/sizing.md): the real
SQL models over a small warehouse, with the shipped configs/size_standard.yaml and scoring.yaml."""

from __future__ import annotations

import datetime as dt

from size_world import AS_OF


def test_declaration_gives_its_class_and_names_its_figures(world):
    firm = world.company("c1", "杭州恒达机械制造有限公司", industry="通用设备制造业")
    world.win(firm)
    world.declaration(firm, "小型企业", employees=35, revenue_yuan=12_000_000)
    world.build()
    row = world.row(firm)
    assert row["size_class"] == "small" and row["size_evidence"] == "sme_declaration"
    assert row["size_reason"] == "小型企业（2025-06 中小企业声明函：从业人员 35 人，营业收入 1,200 万元）"
    assert row["size_conflict"] is None and row["rank"] is not None


def test_payroll_alone_leaves_size_unknown_and_says_what_there_is(world):
    firm = world.company("c2", "杭州小王五金有限公司")
    world.win(firm)
    world.payroll(firm, headcount=18)
    world.build()
    row = world.row(firm)
    assert row["size_class"] == "unknown" and row["size_reason"] == "规模待核实（仅有代发人数 18 人）"
    assert row["rank"] is not None  # unknown stays on the list, flagged


def test_no_evidence_at_all_is_unknown_with_what_is_missing(world):
    firm = world.company("c3", "杭州某某科技有限公司")
    world.win(firm)
    world.build()
    assert world.row(firm)["size_reason"] == "规模待核实（无从业人员、营业收入信息）"


def test_annual_report_figures_are_classed_by_the_standard_for_the_registry_industry(world):
    software = world.company("c4", "杭州甲乙软件有限公司")
    world.win(software)
    # 软件和信息技术服务业: 中型 = 从业人员 100 人及以上 且 营业收入 1000 万元及以上
    world.registry(software, employees=150, revenue_yuan=30_000_000, industry_code="I6510", report_year=2024)
    shop = world.company("c5", "杭州丙丁商贸有限公司")
    world.win(shop)
    # 零售业 (F52): 8 人 < 10 → micro whatever the revenue (微型 = 10 人以下或 100 万元以下)
    world.registry(shop, employees=8, industry_code="F5211", report_year=2024)
    world.build()
    assert world.row(software)["size_class"] == "medium"
    assert world.row(software)["size_reason"] == "中型企业（2024 年报：从业人员 150 人，营业收入 3,000 万元）"
    assert world.row(shop)["size_class"] == "micro"


def test_one_figure_does_not_decide_a_class_it_cannot_prove(world):
    firm = world.company("c6", "杭州戊己机械有限公司")
    world.win(firm)
    # 工业: 50 人 is small by headcount, but 小型 needs 营业收入 300 万元 too, which the report hides
    world.registry(firm, employees=50, industry_code="C3411", report_year=2024)
    world.build()
    row = world.row(firm)
    assert row["size_class"] == "unknown"
    assert row["size_reason"] == "规模待核实（2024 年报：从业人员 50 人，按划型标准为微型企业至小型企业）"


def test_conflicting_evidence_is_shown_not_averaged(world):
    firm = world.company("c7", "杭州庚辛电气有限公司", industry="电气机械和器材制造业")
    world.win(firm)
    world.declaration(firm, "小型企业", employees=35, revenue_yuan=12_000_000)
    world.registry(firm, employees=420, revenue_yuan=90_000_000, industry_code="C3811", report_year=2024)
    world.build()
    row = world.row(firm)
    assert row["size_class"] == "small"  # the 声明函 is the better evidence
    assert row["size_conflict"] == "2024 年报：从业人员 420 人，营业收入 9,000 万元 → 中型企业"


def test_declared_class_the_figures_contradict_is_flagged(world):
    firm = world.company("c8", "杭州壬癸装备有限公司")
    world.win(firm)
    world.declaration(firm, "微型企业", industry="工业", employees=80, revenue_yuan=25_000_000)
    world.build()
    row = world.row(firm)
    assert row["size_class"] == "micro"
    assert row["size_conflict"] == ("2025-06 中小企业声明函：从业人员 80 人，营业收入 2,500 万元"
                                    "（所填数据按划型标准为小型企业）")  # 80 人 < 300: not medium


def test_bank_lower_bounds_that_prove_medium_make_it_medium(world):
    firm = world.company("c9", "杭州子丑制造有限公司", industry="通用设备制造业")
    world.win(firm)
    world.payroll(firm, headcount=350)
    world.pos(firm, monthly=2_000_000)  # × 12 = 2,400 万元 ≥ 2,000 万元
    world.build()
    row = world.row(firm)
    assert row["size_class"] == "medium" and row["size_segment"] == "medium"
    assert row["size_reason"] == "中型企业（代发人数 350 人，收单月均 200 万元）"
    assert not row["puhui_eligible"] and row["credit_ceiling_yuan"] is None
    assert row["rank"] is not None  # medium: rank (the shipped default), in its own segment


def test_medium_configured_out_leaves_the_list_with_its_reason(world):
    firm = world.company("c10", "杭州寅卯软件有限公司")
    world.win(firm)
    world.registry(firm, employees=150, revenue_yuan=30_000_000, industry_code="I6510", report_year=2024)
    world.build(medium="exclude")
    row = world.row(firm)
    assert row["excluded"] and row["rank"] is None
    assert row["exclusion_reason"] == ("中型企业（2024 年报：从业人员 150 人，营业收入 3,000 万元）"
                                       "——中型企业——非普惠型小微企业口径")


def test_uscc_kind_digit_makes_an_individual_business_with_its_products(world):
    shop = world.company("c11", "杭州市上城区老李面馆", uscc="92330102MA2KX7F30Y")  # a valid 92… code
    world.pos(shop, monthly=80_000)
    world.build()
    row = world.row(shop)
    assert row["is_individual_business"] and row["size_segment"] == "individual_business"
    assert row["size_class"] == "micro"
    assert row["size_reason"] == "微型企业（个体工商户：统一社会信用代码 92 开头，无规模数据，按微型对待）"
    assert "个体经营贷" in row["products"] and "政采贷" not in row["products"]


def test_micro_firm_gets_the_micro_product_not_the_small_ones(world):
    firm = world.company("c12", "杭州辰巳信息技术有限公司")
    world.win(firm)
    world.declaration(firm, "微型企业", industry="软件和信息技术服务业", employees=6, revenue_yuan=400_000)
    world.build()
    products = world.row(firm)["products"]
    assert "小微快贷" in products and "政采贷" not in products


def test_two_years_in_business_rule_keeps_the_product_off_a_young_firm(world):
    young = world.company("c13", "杭州午未信息技术有限公司")
    world.win(young)
    world.declaration(young, "微型企业", industry="软件和信息技术服务业", employees=6, revenue_yuan=400_000)
    world.registry(young, established_on=AS_OF - dt.timedelta(days=500))
    old = world.company("c14", "杭州申酉信息技术有限公司")
    world.win(old)
    world.declaration(old, "微型企业", industry="软件和信息技术服务业", employees=6, revenue_yuan=400_000)
    world.registry(old, established_on=AS_OF - dt.timedelta(days=900))
    world.build()
    assert "小微快贷" not in world.row(young)["products"]  # min_years_in_business: 2
    assert "小微快贷" in world.row(old)["products"]


def test_credit_ceiling_is_the_puhui_limit_less_what_we_lend(world):
    firm = world.company("c15", "杭州戌亥科技有限公司")
    world.win(firm)
    world.credit(firm, balance=3_000_000)
    world.build()
    row = world.row(firm)
    assert row["puhui_eligible"] and row["credit_ceiling_yuan"] == 7_000_000
    assert world.check("credit_ceiling_within_puhui_limit") == []


def test_company_size_row_for_every_company_and_core_companies_carry_it(world):
    firm = world.company("c16", "杭州甲子有限公司")
    world.win(firm)
    world.build()
    assert world.size(firm)["size_class"] == "unknown"
    assert world.check("ranked_prospect_has_size") == []
