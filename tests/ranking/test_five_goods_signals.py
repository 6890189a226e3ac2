"""#14: every 五好 dimension fed by evidence — tax credit A (银税互动 → 税易贷), the owner's own
relationship with the bank, guarantee and insurance partners with expiry — scored through the SQL
models, traced to their signal, with their product and readable reason. The scoring file is pinned
by the test (base_scoring + the rules set here), so re-tuning configs/scoring.yaml breaks nothing."""

import datetime as dt
from pathlib import Path

import pytest
from ranking_world import AS_OF, base_scoring

from kernel.paths import DataPaths
from warehouse.db import connect, ensure_schemas
from warehouse.feeds import load_feeds

REAL_TAX_LISTS = Path("/work/shared/real-names/raw")


def pinned_scoring() -> dict:
    scoring = base_scoring()
    scoring["signals"].update({
        "tax_credit_a": {"label": "纳税信用A级", "kind": "opportunity", "reason": "{value} 年度纳税信用A级[（{list_name}）]"},
        "owner_good_customer": {"label": "企业主为我行客户", "kind": "relationship", "reason": "企业主为我行客户[（{value}）]"},
        "owner_delinquent": {"label": "企业主个人贷款逾期", "kind": "risk", "reason": "企业主个人贷款逾期"},
        "guarantee_partner": {"label": "银担合作", "kind": "opportunity", "reason": "银担合作：{list_name}"},
        "insurance_backed": {"label": "银保合作", "kind": "opportunity", "reason": "银保合作：{list_name}"},
    })
    scoring["dimensions"]["reputation"]["signals"]["tax_credit_a"] = {"points": 7, "half_life_days": 730}
    scoring["dimensions"]["owner"]["signals"]["owner_good_customer"] = {"points": 5, "points_by_value": {"私行客户": 9}}
    scoring["dimensions"]["mitigation"]["signals"]["guarantee_partner"] = {"points": 8, "when": {"value_in": ["active"]}}
    scoring["dimensions"]["mitigation"]["signals"]["insurance_backed"] = {"points": 4, "when": {"value_in": ["active"]}}
    scoring["risks"]["signals"]["owner_delinquent"] = {"points": -9}
    scoring["products"]["税易贷"] = {"signals": {"tax_credit_a": {"weight": 1.0}}, "min_fit": 15}
    return scoring


def points(world, company_id: str) -> dict[str, float]:
    rows = world.con.execute(
        "SELECT signal, sum(points) FROM marts.signal_points WHERE company_id = ? GROUP BY signal", [company_id]
    ).fetchall()
    return {signal: float(p) for signal, p in rows}


def test_a_tax_credit_a_company_scores_in_reputation_and_fits_the_tax_loan(world):
    world.company("a", "甲科技有限公司")
    world.win("a")
    world.feed_row("tax_credit", "a", taxpayer_name="甲科技有限公司", taxpayer_id="330106123456789", year=2025,
                   authority="国家税务总局杭州市西湖区税务局")
    world.company("b", "乙科技有限公司")
    world.win("b")
    world.feed_row("tax_credit", "b", taxpayer_name="乙科技有限公司", taxpayer_id="330106123456780", year=2025,
                   credit_level="B")  # a B-level row on an A list export is not an A
    world.build(pinned_scoring())
    a, b = world.row("a"), world.row("b")
    assert 0 < points(world, "a")["tax_credit_a"] <= 7
    assert "tax_credit_a" not in points(world, "b")
    assert a["score_reputation"] > b["score_reputation"]
    assert "税易贷" in a["products"] and "税易贷" not in b["products"]
    reason = world.con.execute(
        "SELECT reason_text FROM marts.signal_points WHERE company_id = 'a' AND signal = 'tax_credit_a'").fetchone()[0]
    assert "2025" in reason and "纳税信用A级" in reason and "西湖区税务局" in reason


def test_owner_quality_counts_toward_owner_and_a_delinquent_owner_toward_risk(world):
    world.company("good", "甲贸易有限公司")
    world.win("good")
    world.feed_row("owners", "good", company_name="甲贸易有限公司", owner_id_hash="h1", aum_tier="钻石",
                   has_mortgage=True, has_card=False, delinquent=False)
    world.company("bad", "乙贸易有限公司")
    world.win("bad")
    world.feed_row("owners", "bad", company_name="乙贸易有限公司", owner_id_hash="h2", aum_tier="钻石",
                   has_mortgage=True, has_card=True, delinquent=True)
    world.build(pinned_scoring())
    good, bad = world.row("good"), world.row("bad")
    assert good["score_owner"] > 0 and bad["score_owner"] == 0
    assert bad["score_risk"] < good["score_risk"] <= 0
    assert points(world, "good")["owner_good_customer"] == pytest.approx(9)  # the 私行客户 value rule
    reason = world.con.execute(
        "SELECT reason_text FROM marts.signal_points WHERE company_id = 'good' AND signal = 'owner_good_customer'"
    ).fetchone()[0]
    assert "钻石" in reason and "我行按揭" in reason


def test_guarantee_and_insurance_referrals_mitigate_until_they_expire(world):
    for company_id, kind, expires in (("g", "融资担保", AS_OF + dt.timedelta(days=200)),
                                      ("i", "科技保险", AS_OF + dt.timedelta(days=200)),
                                      ("x", "融资担保", AS_OF - dt.timedelta(days=1))):
        world.company(company_id, f"{company_id}科技有限公司")
        world.win(company_id)
        world.feed_row("partner_referrals", company_id, company_name=f"{company_id}科技有限公司", partner_type=kind,
                       partner_name="浙江省融资担保有限公司" if "担保" in kind else "太平科技保险股份有限公司",
                       referred_at=AS_OF - dt.timedelta(days=30), expires_at=expires)
    world.build(pinned_scoring())
    assert set(points(world, "g")) >= {"guarantee_partner"} and "insurance_backed" in points(world, "i")
    assert "guarantee_partner" not in points(world, "x")  # expired: kept as a signal, no points
    assert world.row("g")["score_mitigation"] > world.row("i")["score_mitigation"] > world.row("x")["score_mitigation"]
    value = world.con.execute(
        "SELECT value FROM core.company_signals WHERE company_id = 'x' AND signal = 'guarantee_partner'").fetchone()[0]
    assert value == "expired"


@pytest.mark.skipif(not REAL_TAX_LISTS.is_dir(), reason="../shared/real-names is not present")
def test_the_real_provincial_a_level_lists_load_or_are_refused_whole(tmp_path, monkeypatch):
    """Two real 2018 provincial 纳税信用A级 lists (GBK CSV). Jiangxi's header is right: every row
    loads, old 15-digit tax ids kept as taxpayer_id (uscc NULL, flagged). Heilongjiang's header is
    mislabelled (`编号\\t纳税人识别号` in one cell, so names sit under the id column): refused whole
    rather than loading ids as company names."""
    monkeypatch.setenv("TUOKE_PII_KEY", "test-key-" + "k" * 32)
    inbox = tmp_path / "inbox" / "tax_credit"
    inbox.mkdir(parents=True)
    for province in ("jiangxi", "heilongjiang"):
        (inbox / f"{province}_2018.csv").write_bytes(
            (REAL_TAX_LISTS / f"jimi955-pythonWork__taxs_{province}.csv").read_bytes())
    con = connect(tmp_path / "w.duckdb")
    ensure_schemas(con)
    result = load_feeds(con, DataPaths(tmp_path))
    files = dict(con.execute("SELECT feed_file, status FROM raw.feed_files").fetchall())
    assert files == {"tax_credit/jiangxi_2018.csv": "loaded", "tax_credit/heilongjiang_2018.csv": "refused"}
    rows, with_uscc, old_ids, years = con.execute(
        "SELECT count(*), count(uscc), count(*) FILTER (WHERE length(taxpayer_id) = 15), list(DISTINCT year) "
        "FROM raw.feed_tax_credit").fetchone()
    assert rows > 4900 and rows + result["tax_credit"]["quarantined"] >= 4938
    assert 3900 < with_uscc < rows and old_ids > 900 and years == [2018]
    assert not con.execute(
        "SELECT count(*) FROM raw.feed_tax_credit WHERE regexp_matches(taxpayer_name, '^[0-9A-Z]{15,20}$')"
    ).fetchone()[0]


def test_the_owners_feed_stores_owner_names_and_ids_only_hashed(tmp_path, monkeypatch):
    import csv

    from warehouse.pii import hash_pii

    monkeypatch.setenv("TUOKE_PII_KEY", "test-key-" + "k" * 32)
    owner_name, owner_id = "周美玲", "330106198807120024"
    paths = DataPaths(tmp_path / "data")
    folder = paths.inbox / "owners"
    folder.mkdir(parents=True)
    with (folder / "owners.csv").open("w", encoding="gbk", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["企业名称", "统一社会信用代码", "企业主姓名", "企业主身份证号", "私行资产等级", "我行按揭",
                         "我行信用卡", "个人贷款逾期"])
        writer.writerow(["杭州甲科技有限公司", "", owner_name, owner_id, "钻石", "是", "否", "否"])
        writer.writerow(["杭州乙科技有限公司", "", owner_name, owner_id, "钻石", "也许", "否", "否"])  # bad_bool
    con = connect(paths.working_db)
    ensure_schemas(con)
    load_feeds(con, paths)
    stored = con.execute("SELECT owner_name_hash, owner_id_hash, aum_tier FROM raw.feed_owners").fetchall()
    assert stored == [(hash_pii(owner_name, "person_name"), hash_pii(owner_id, "person_id"), "钻石")]
    con.close()
    assert owner_id.encode() not in paths.working_db.read_bytes()
    assert owner_name.encode("utf-8") not in paths.working_db.read_bytes()
    quarantined = list(paths.quarantine.rglob("*.jsonl"))
    assert quarantined and all(owner_id not in p.read_text(encoding="utf-8") for p in quarantined)
    assert all(owner_name not in p.read_text(encoding="utf-8") for p in quarantined)
