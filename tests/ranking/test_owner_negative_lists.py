"""#14, owner-level negatives: a 失信被执行人 / 限制高消费 entry names the company's 法定代表人; where the
owners feed gives the same company an owner of that name (both only as keyed hashes), the owner is
listed — a match by name plus company, weaker than an ID number, said so in the reason, counted as
a risk and never as an exclusion. Precision first: a name alone, another company or a lifted entry
gives nothing."""

import json

from ranking_world import base_scoring

from kernel.paths import DataPaths
from warehouse.db import connect, ensure_schemas
from warehouse.landing_loader import load_landing
from warehouse.pii import hash_pii

REP = "张伟"


def scoring() -> dict:
    data = base_scoring()
    data["signals"]["owner_listed_negative"] = {
        "label": "企业主列入负面清单", "kind": "risk",
        "reason": "法定代表人（按姓名+企业匹配）列入{value}[（{list_name}）]"}
    data["signals"]["owner_good_customer"] = {"label": "企业主为我行客户", "kind": "relationship",
                                              "reason": "企业主为我行客户[（{value}）]"}
    data["dimensions"]["owner"]["signals"]["owner_good_customer"] = {"points": 5}
    data["risks"]["signals"]["owner_listed_negative"] = {"points": -10}
    return data


def listed(world, company_id: str, penalty: str = "失信被执行人", rep: str = REP, status: str = "active") -> None:
    world.mention(company_id, "penalized", "negative_list", penalty_type=penalty, status=status,
                  list_name=f"信用浙江 {penalty}名单", legal_rep_hash=hash_pii(rep, "person_name"))


def owner(world, company_id: str, name: str) -> None:
    world.feed_row("owners", company_id, company_name=company_id, owner_id_hash=f"id-{company_id}",
                   owner_name_hash=hash_pii(name, "person_name"), aum_tier="钻石", has_mortgage=False,
                   has_card=True, delinquent=False)


def test_a_listed_legal_rep_who_is_the_companys_owner_is_an_owner_risk_with_the_weaker_match_said(world):
    for company_id in ("match", "other_owner", "lifted", "name_only"):
        world.company(company_id, f"杭州{company_id}科技有限公司")
        world.win(company_id)
    listed(world, "match")
    owner(world, "match", " 张伟")                # the same person as the owners feed writes the name
    listed(world, "other_owner")
    owner(world, "other_owner", "张薇")           # the list's 法定代表人 is someone else
    listed(world, "lifted", penalty="限制高消费", status="lifted")
    owner(world, "lifted", REP)
    owner(world, "name_only", REP)              # same name, but no list entry names this company
    world.build(scoring())

    rows = world.con.execute(
        "SELECT company_id, signal, reason_text, dimension, points FROM marts.signal_points "
        "WHERE signal IN ('owner_listed_negative', 'owner_good_customer') ORDER BY company_id, signal").fetchall()
    negatives = [r for r in rows if r[1] == "owner_listed_negative"]
    assert [r[0] for r in negatives] == ["match"]
    _, _, reason, dimension, points = negatives[0]
    assert reason == "法定代表人（按姓名+企业匹配）列入失信被执行人（信用浙江 失信被执行人名单）"
    assert dimension == "risk" and points < 0
    # the listed owner is no good customer of ours; the others keep their owner points
    assert sorted(r[0] for r in rows if r[1] == "owner_good_customer") == ["lifted", "name_only", "other_owner"]
    # a name match is a penalty, not an exclusion: only the company-level entry itself excludes
    exclusions = dict(world.con.execute(
        "SELECT company_id, exclusion_reason FROM marts.prospects_ranked WHERE company_id = 'match'").fetchall())
    assert "企业主" not in (exclusions["match"] or "")


def test_the_landing_loader_keeps_a_legal_rep_only_as_its_keyed_hash(tmp_path):
    paths = DataPaths(tmp_path / "data")
    folder = paths.landing / "credit_zj_sxbzxr"
    folder.mkdir(parents=True)
    mention = {"mention_id": "m1", "source_id": "credit_zj_sxbzxr", "role": "penalized", "name": "杭州甲科技有限公司",
               "penalty_type": "失信被执行人", "extra": {"legal_rep": REP, "case_no": "(2026)浙0106执123号"}}
    (folder / "20261031T080000Z-abcdef.jsonl").write_text(json.dumps(mention, ensure_ascii=False) + "\n",
                                                         encoding="utf-8")
    con = connect(paths.working_db)
    ensure_schemas(con)
    load_landing(con, paths)
    extra = json.loads(con.execute("SELECT extra FROM raw.mentions").fetchone()[0])
    assert extra == {"legal_rep_hash": hash_pii(REP, "person_name"), "case_no": "(2026)浙0106执123号"}
    assert con.execute("SELECT count(*) FROM raw.mentions WHERE CAST(extra AS VARCHAR) LIKE ?",
                       [f"%{REP}%"]).fetchone()[0] == 0
    con.close()
