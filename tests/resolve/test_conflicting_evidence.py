"""No cluster ever holds conflicting evidence, and the build's blocking check says so (issue 19)."""

from __future__ import annotations

import random
from itertools import combinations

import pandas as pd
import pytest
from stdnum.cn import uscc as uscc_check

from kernel.paths import sql_models_dir
from pipelines.checks import parse_sql_test
from warehouse.resolve import LAST_STATS, describe_records, resolve_records

from .entity_world import built_entity_records


def code(division: str, tail: str) -> str:
    body = "91" + division + tail
    return body + uscc_check.calc_check_digit(body)


def resolve(rows: list[tuple], judgements: list | None = None) -> list[int]:
    """Company of each (name, uscc, address) as small integers in order of first appearance."""
    frame = pd.DataFrame(rows, columns=["name", "uscc", "address"])
    frame.insert(0, "record_id", [f"r{i}" for i in range(len(frame))])
    frame["source"] = "test"
    ids = resolve_records(frame, judgements=judgements or [])["company_id"].tolist()
    label = {c: i for i, c in enumerate(dict.fromkeys(ids))}
    return [label[c] for c in ids]


def test_a_mention_without_evidence_never_bridges_two_look_alike_companies():
    """The issue's shape: 会云医疗科技 joins 会云 at one street, never 汇云 at another with its own USCC."""
    got = resolve([
        ("会云医疗科技", "", ""),
        ("会云医疗科技集团有限公司", "", "昆明市五华区人民中路10号"),
        ("汇云医疗科技集团有限公司", code("530102", "MA6K0Q5X3"), "昆明市五华区青年路5号"),
        ("五华区会云医疗科技集团有限公司", "", ""),
        ("五华区汇云医疗科技集团有限公司", "", "昆明市五华区青年路5号"),
    ])
    assert got[0] == got[1] == got[3] and got[2] == got[4] and got[1] != got[2]


def test_one_name_at_two_streets_is_two_companies_and_a_bare_mention_picks_neither():
    got = resolve([
        ("杭州宏达贸易有限公司", "", "杭州市西湖区文三路100号"),
        ("杭州宏达贸易有限公司", "", "杭州市拱墅区莫干山路8号"),
        ("杭州宏达贸易有限公司", "", ""),
    ])
    assert len(set(got)) == 3


def test_one_valid_code_vouches_for_its_own_streets_but_not_for_a_stranger_at_a_third():
    valid = code("330106", "MA27U8QX6")
    got = resolve([
        ("杭州宏达贸易有限公司", valid, "杭州市西湖区文三路100号"),
        ("杭州宏达贸易有限公司", valid, "杭州市拱墅区莫干山路8号"),  # the company moved
        ("杭州宏达贸易有限公司", "", "杭州市西湖区文三路100号"),  # agrees with one street, not with both
    ])
    assert got[0] == got[1] and got[2] != got[0]


def test_a_same_judgement_never_forces_two_valid_codes_into_one_company():
    from warehouse.resolve.judgements import Judgement, Side

    a, b = code("330106", "MA27U8QX6"), code("330106", "MA27U8QX7")
    rule = Judgement(Side("r0", ""), Side("r1", ""), same=True)
    assert resolve([("杭州宏达贸易有限公司", a, ""), ("杭州宏达贸易有限公司", b, "")], [rule]) == [0, 1]
    assert LAST_STATS["refused_judgements"] == 1


def _conflicts(described: pd.DataFrame, company: pd.Series) -> list:
    """Pairs of records in one company that the rule of warehouse/resolve/evidence.py forbids."""
    frame = described.assign(company_id=company.to_numpy())
    bad = []
    for _cid, rows in frame.groupby("company_id"):
        for x, y in combinations(rows.to_dict("records"), 2):
            cx = x["uscc"] if x["uscc_valid"] else x.get("registry_uscc")  # a registry name lends its code
            cy = y["uscc"] if y["uscc_valid"] else y.get("registry_uscc")
            if cx and cy and cx != cy:
                bad.append((x, y))
            elif not (cx and cx == cy):
                streets = x["street_key"] and y["street_key"] and x["street_key"] != y["street_key"]
                regions = any(x[k] and y[k] and x[k] != y[k] for k in ("province", "city", "district"))
                if streets or regions:
                    bad.append((x, y))
    return bad


def test_no_cluster_of_a_crowded_random_world_holds_a_conflicting_pair():
    rng = random.Random(19)
    trades, places = ["宏达", "宏逹", "华信", "华兴"], ["杭州", "宁波", "西湖区", ""]
    streets = ["", "", "文三路1号", "文三路2号", "中山路3号"]
    codes = ["", "", "", code("330106", "MA27U8QX6"), code("330205", "MA27U8QX7")]
    rows = [(f"{rng.choice(places)}{rng.choice(trades)}{rng.choice(['机械', '机械设备', ''])}"
             f"{rng.choice(['有限公司', '公司', ''])}", rng.choice(codes),
             (rng.choice(["杭州市西湖区", "宁波市江北区", ""]) + rng.choice(streets)) if rng.random() < 0.6 else "")
            for _ in range(300)]
    frame = pd.DataFrame(rows, columns=["name", "uscc", "address"])
    frame.insert(0, "record_id", [f"r{i}" for i in range(len(frame))])
    frame["source"] = "test"
    links = resolve_records(frame)
    assert links["company_id"].nunique() < len(frame) / 2  # the world does link
    assert _conflicts(describe_records(frame), links["company_id"]) == []


@pytest.fixture
def built(tmp_path, monkeypatch):
    monkeypatch.setenv("TUOKE_CONFIGS_DIR", str(tmp_path / "configs"))
    rows = [("a1", "杭州宏达贸易有限公司", "杭州市西湖区文三路100号", None), ("a2", "杭州宏达贸易有限公司", "", "浙江省"),
            ("a3", "宏达贸易", "", "上海"), ("b1", "宁波华信科技有限公司", "宁波市江北区中山路3号", None),
            ("b2", "宁波华信科技有限公司", "宁波市江北区中山路3号", None)]
    con = built_entity_records(tmp_path, [(r, "src", "procurement_award", name, None, address, hint)
                                          for r, name, address, hint in rows])
    yield con
    con.close()


def test_the_blocking_check_counts_conflicts_in_the_core_tables(built):
    check = parse_sql_test(sql_models_dir() / "tests" / "conflicting_evidence.sql")
    assert check.blocking and check.table == "core.entity_records"
    passed = check.evaluate(built)
    assert passed.passed and passed.metadata["failing_rows"].value == 0
    # a region filled from the source's tag is no evidence: it conflicts with nothing
    assert built.execute("SELECT count(*) FROM core.entity_records WHERE region_from_hint").fetchone()[0] >= 1
    built.execute("UPDATE core.entity_records SET street_key = '莫干山路8号' WHERE record_id = 'b2'")
    failed = check.evaluate(built)
    assert not failed.passed and failed.metadata["failing_rows"].value == 1
    assert "street" in str(failed.metadata["examples"].value)
