"""Public registers: 纳税信用A级 and 高新技术/科技型中小企业 lists, 专业市场 merchant directories.

Extraction runs on the recorded real rows (tests/fixtures/replay/jx_tax_credit_a: the 2018 江西 A级
list) and on a demo market page; the signal mapping runs through the real scoring models
(dbt_like_sql) with the shipped configs/scoring.yaml.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from scrapers.extract import extract_attachment, extract_page

REPO = Path(__file__).resolve().parents[2]
REPLAY = REPO / "tests" / "fixtures" / "replay"
sys.path.insert(0, str(REPO / "tests" / "ranking"))

from ranking_world import AS_OF, World  # noqa: E402


def _jiangxi_rows() -> list[list[str]]:
    rows = []
    for path, kind in (("notice.html", "page"), ("list.xlsx", "xlsx")):
        data = (REPLAY / "jx_tax_credit_a" / path).read_bytes()
        result = (extract_page(data, "https://jiangxi.chinatax.gov.cn/art/2019/4/25/a.html", kind="srdi_list")
                  if kind == "page" else extract_attachment(data, "2018年度纳税信用A级纳税人名单（续）.xlsx", kind="srdi_list"))
        rows += result.mentions
    return rows


def test_tax_credit_list_rows_carry_name_list_year_and_tax_office():
    mentions = _jiangxi_rows()
    assert len(mentions) == 60 and {m["role"] for m in mentions} == {"listed"}
    assert all("纳税信用A级" in m["list_name"] and "2018" in m["list_name"] for m in mentions)
    assert all(m["authority"] and "税务" in m["authority"] for m in mentions)
    # the old 15-digit 纳税人识别号 is not a USCC: the row stays, with no code to join on
    fifteen = [m for m in mentions if m["uscc"] is None]
    assert fifteen and all(len(m["uscc"]) == 18 for m in mentions if m["uscc"])


def test_market_directory_names_merchants_with_the_market_as_list(tmp_path):
    from demo.generate import generate_site

    generate_site(tmp_path / "site", seed=7)
    page = (tmp_path / "site" / "market" / "shml" / "wjjd.html").read_bytes()
    config = yaml.safe_load((REPO / "configs" / "demo" / "sources" / "demo_hz_market.yaml").read_text(encoding="utf-8"))
    result = extract_page(page, "http://127.0.0.1/market/shml/wjjd.html", kind="directory",
                          config={**config["detail"], "tier": "五金机电馆"})
    assert result.mentions and {m["role"] for m in result.mentions} == {"merchant"}
    assert {m["list_name"] for m in result.mentions} == {"杭州东城建材五金汽配市场"}
    assert {m["tier"] for m in result.mentions} == {"五金机电馆"}
    assert any(m["uscc"] for m in result.mentions)


@pytest.fixture
def world(tmp_path):
    w = World(tmp_path / "tuoke.duckdb")
    yield w
    w.con.close()


def _shipped_scoring() -> dict:
    data = yaml.safe_load((REPO / "configs" / "scoring.yaml").read_text(encoding="utf-8"))
    data["as_of"] = AS_OF.isoformat()
    return data


def test_register_mentions_become_traced_signals_points_and_products(world):
    for cid in ("tax", "tech", "small", "merchant", "srdi"):
        world.company(cid, f"{cid}有限公司")
    world.mention("tax", "listed", "srdi_list", list_name="国家税务总局浙江省税务局关于公布2025年度纳税信用A级纳税人名单",
                  authority="国家税务总局杭州市西湖区税务局")
    world.mention("tech", "listed", "srdi_list", list_name="浙江省2025年认定的高新技术企业名单")
    world.mention("small", "listed", "srdi_list", list_name="浙江省2026年第一批入库科技型中小企业名单")
    world.mention("merchant", "merchant", "directory", list_name="杭州东城建材五金汽配市场", tier="五金机电馆")
    world.mention("srdi", "listed", "srdi_list", list_name="2026年浙江省专精特新中小企业名单", tier="省级")
    world.build(_shipped_scoring())
    signals = dict(world.con.execute("SELECT company_id, signal FROM core.company_signals").fetchall())
    assert signals == {"tax": "tax_credit_a", "tech": "high_tech_listed", "small": "high_tech_listed",
                       "merchant": "market_merchant", "srdi": "srdi_listed"}
    tax = world.con.execute("SELECT value, detail FROM core.company_signals WHERE company_id = 'tax'").fetchone()
    assert tax == ("2025", "国家税务总局杭州市西湖区税务局")
    points = {(c, s): (d, p, r) for c, s, d, p, r in world.con.execute(
        "SELECT company_id, signal, dimension, points, reason_text FROM marts.signal_points").fetchall()}
    dimension, value, reason = points[("tax", "tax_credit_a")]
    assert dimension == "reputation" and value > 0 and "2025" in reason
    # a 高新技术企业 outranks a 科技型中小企业 entry on reputation, and the reason names the list
    assert points[("tech", "high_tech_listed")][1] > points[("small", "high_tech_listed")][1] > 0
    assert "高新技术企业" in points[("tech", "high_tech_listed")][2]
    dimension, value, reason = points[("merchant", "market_merchant")]
    assert dimension == "mitigation" and value > 0 and "杭州东城建材五金汽配市场" in reason
    fits = world.con.execute("SELECT company_id, products FROM marts.company_segments").fetchall()
    products = {cid: str(p) for cid, p in fits}
    assert "科创贷" in products["tech"] and "税易贷" in products["tax"] and "商户贷" in products["merchant"]


def test_tax_credit_from_feed_and_public_list_counts_once(world):
    world.company("a", "甲有限公司")
    world.mention("a", "listed", "srdi_list", list_name="2025年度纳税信用A级纳税人名单", authority="西湖区税务局")
    world.feed_row("tax_credit", "a", taxpayer_name="甲有限公司", taxpayer_id="x", year=2025, authority="西湖区税务局",
                   credit_level="A")
    world.build(_shipped_scoring())
    rows = world.con.execute(
        "SELECT count(*), sum(points) FROM marts.signal_points WHERE company_id = 'a' AND signal = 'tax_credit_a'").fetchone()
    assert rows[0] == 2 and rows[1] <= 8 + 1e-9


def test_acquiring_is_offered_to_market_merchants_without_our_pos(world):
    world.company("no_pos", "甲商贸有限公司")
    world.company("with_pos", "乙商贸有限公司")
    for cid in ("no_pos", "with_pos"):
        world.mention(cid, "merchant", "directory", list_name="杭州东城建材五金汽配市场", tier="五金机电馆")
    world.feed_row("pos", "with_pos", merchant_name="乙商贸有限公司", terminals=2, monthly_volume_yuan=180_000, mcc="5251")
    world.build(_shipped_scoring())
    products = {cid: list(p) for cid, p in world.con.execute(
        "SELECT company_id, products FROM marts.company_segments").fetchall()}
    assert "收单" in products["no_pos"] and "商户贷" in products["no_pos"]
    assert "收单" not in products["with_pos"] and "商户贷" in products["with_pos"]


def test_public_insurance_and_guarantee_lists_are_partners_for_a_year(world):
    import datetime as dt

    for cid in ("insured", "guaranteed", "old"):
        world.company(cid, f"{cid}有限公司")
    world.mention("insured", "listed", "srdi_list", list_name="2026年度杭州市科技保险保费补贴企业名单")
    world.mention("guaranteed", "listed", "srdi_list", list_name="浙江省融资担保有限公司银担合作推荐企业名单")
    world.mention("old", "listed", "srdi_list", list_name="2023年度杭州市科技保险保费补贴企业名单",
                  published_at=AS_OF - dt.timedelta(days=800))
    world.build(_shipped_scoring())
    rows = {c: (s, v) for c, s, v in world.con.execute(
        "SELECT company_id, signal, value FROM core.company_signals").fetchall()}
    assert rows == {"insured": ("insurance_backed", "active"), "guaranteed": ("guarantee_partner", "active"),
                    "old": ("insurance_backed", "expired")}
    mitigation = dict(world.con.execute(
        "SELECT company_id, sum(points) FROM marts.signal_points WHERE dimension = 'mitigation' GROUP BY 1").fetchall())
    assert mitigation.get("insured", 0) > 0 and mitigation.get("guaranteed", 0) > 0 and not mitigation.get("old")
