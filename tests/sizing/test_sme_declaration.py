"""中小企业声明函 extraction (scrapers/extract/sme_declaration.py): real declaration text where it
exists, the 46号 annex layout otherwise, and the real policy sentence that declares nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from scrapers.extract import extract_page
from scrapers.extract.result import PageResult
from scrapers.extract.sme_declaration import find_declarations

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "sizing"
REAL_PAGES = Path(os.environ.get("TUOKE_REAL_PAGES", REPO.parent / "shared" / "real-pages"))


def _fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def test_real_goods_declaration_one_firm_per_manufacturer_with_its_items():
    # a real 货物 declaration (shubo.365trade.com.cn/info-723308760.html); its digits are masked (*)
    found = find_declarations(_fixture("sme_declaration_goods_masked.txt"))
    assert [(d["name"], d["declared"], d["industry"], d["items"]) for d in found] == [
        ("北京赛泰科技有限公司", "微型企业", "工业", ["超临界*氧化碳萃取设备", "分子蒸馏系统"]),
        ("上海寰彤科教设备有限公司", "微型企业", "工业", ["波谱分析教学平台"]),
    ]
    # a masked figure is unknown, never a number read off the mask
    assert all(d["employees"] is None and d["revenue_yuan"] is None and d["assets_yuan"] is None for d in found)


def test_real_works_declaration_and_its_blank_template_line():
    # a real 工程 declaration (shubo.365trade.com.cn/info-748597193.html): "承建企业为…", industry without 行业,
    # and a second line left blank ("承建企业为/") that declares nothing
    result = PageResult()
    found = find_declarations(_fixture("sme_declaration_works_masked.txt"), result)
    assert [(d["name"], d["declared"], d["industry"]) for d in found] == [("润煌建设工程有限公司", "小型企业", "建筑业")]


def test_annex_layout_figures_and_a_manufacturer_other_than_the_winner():
    page = (FIXTURES / "award_with_sme_declaration.html").read_bytes()
    result = extract_page(page, "https://zfcg.example.gov.cn/a.html", kind="procurement_award")
    winners = [m["name"] for m in result.mentions if m["role"] == "winner"]
    declared = {m["name"]: m["extra"]["size_declaration"] for m in result.mentions if m["role"] == "declarant"}
    assert winners == ["杭州恒达科教仪器有限公司"]
    assert declared["宁波甬达仪器设备有限公司"] == {
        "declaration": "中小企业声明函", "declared": "小型企业", "industry": "工业", "employees": 35,
        "revenue_yuan": 12_000_000.0, "assets_yuan": 8_600_000.0, "items": ["恒温培养箱", "超净工作台"]}
    assert declared["杭州恒达科教仪器有限公司"]["declared"] == "微型企业"


def test_disabled_unit_declaration_names_its_signer():
    page = (FIXTURES / "award_with_disabled_unit_declaration.html").read_bytes()
    result = extract_page(page, "https://zfcg.example.gov.cn/b.html", kind="procurement_award")
    declared = [(m["name"], m["extra"]["size_declaration"]) for m in result.mentions if m["role"] == "declarant"]
    assert declared == [("杭州和美保洁服务有限公司", {"declaration": "残疾人福利性单位声明函"})]


def test_prison_enterprise_statement():
    found = find_declarations("经核实，成交供应商浙江某某监狱印刷厂属于监狱企业，视同小型、微型企业。")
    assert [(d["name"], d["declaration"]) for d in found] == [("浙江某某监狱印刷厂", "监狱企业证明")]


def test_policy_sentence_of_a_real_2025_award_declares_nothing():
    # batch2/01 (ccgp.gov.cn, 2025): "中标、成交供应商为中小企业的，应公告其《中小企业声明函》。（详见供应商投标文件）"
    path = REAL_PAGES / "batch2" / "pages" / "01_ccgp_detail_2025_zbgg_shenzhen_longhua.html"
    if not path.is_file():
        pytest.skip("real-pages corpus not here")
    result = extract_page(path.read_bytes(), "https://www.ccgp.gov.cn/a.htm", kind="procurement_award")
    assert "应公告其《中小企业声明函》" in path.read_bytes().decode("utf-8")
    assert [m for m in result.mentions if m["role"] == "declarant"] == []
    assert any(m["role"] == "winner" for m in result.mentions)


def test_a_tender_notice_template_is_not_read():
    page = (FIXTURES / "award_with_sme_declaration.html").read_bytes()
    result = extract_page(page, "https://zfcg.example.gov.cn/a.html", kind="tender_notice")
    assert [m for m in result.mentions if m["role"] == "declarant"] == []
