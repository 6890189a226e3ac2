"""Company ids survive new mentions and re-runs (previous ids), and a valid USCC always wins."""

import hashlib
import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from stdnum.cn import uscc as stdnum_uscc

from warehouse.entity_links import build_entity_links
from warehouse.resolve import resolve_records

COLUMNS = ["record_id", "source", "name", "uscc", "address"]
VARIANTS = [  # one company, written the ways public lists write it
    "杭州宏达机械设备有限公司", "杭州市宏达机械设备有限公司", "杭州宏达机械设备有限责任公司", "杭州宏達機械設備有限公司",
    "浙江省杭州市宏达机械设备有限公司", "宏达机械设备（杭州）有限公司", "杭州宏达机械设备 有限公司", "杭州 宏达机械设备有限公司",
]


def _sha(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _frame(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["record_id", "name", "uscc", "address"])
    frame["source"] = "test"
    return frame[COLUMNS]


def _valid_uscc() -> str:
    body = "91330106MA27U8QX6"
    return body + stdnum_uscc.calc_check_digit(body)


def _ids(out: pd.DataFrame) -> pd.Series:
    return out.set_index("record_id")["company_id"]


def _features(out: pd.DataFrame, record_id: str) -> dict:
    return json.loads(out.set_index("record_id").at[record_id, "features"])


def test_id_kept_when_a_new_mention_with_a_lower_hash_name_joins():
    by_hash = sorted(VARIANTS, key=_sha)
    newcomer, known = by_hash[0], by_hash[1:]
    first = resolve_records(_frame([(f"k{i}", n, "", "") for i, n in enumerate(known)]))
    assert _ids(first).nunique() == 1
    grown = _frame([(f"k{i}", n, "", "") for i, n in enumerate(known)] + [("new", newcomer, "", "")])
    # without the previous ids the canonical record moves to the newcomer: the id changes
    assert _ids(resolve_records(grown))["new"] != _ids(first).iat[0]
    kept = _ids(resolve_records(grown, previous=first[["record_id", "company_id"]]))
    assert kept.nunique() == 1 and kept["new"] == _ids(first).iat[0]


def test_rerun_with_previous_ids_gives_the_same_ids_in_any_row_order():
    rows = [(f"k{i}", n, "", "") for i, n in enumerate(VARIANTS)] + [
        ("w1", "宁波宏达机械设备有限公司", "", ""), ("w2", "温州鑫源五金有限公司", "", "温州市鹿城区1号"),
        ("w3", "鑫源五金有限公司", "", "温州市鹿城区2号"),
    ]
    frame = _frame(rows)
    first = resolve_records(frame)
    again = resolve_records(frame.sample(frac=1, random_state=5), previous=first[["record_id", "company_id"]])
    assert _ids(again).loc[_ids(first).index].equals(_ids(first))
    assert not again["features"].str.contains("id_change").any()


def test_valid_uscc_id_wins_over_a_previous_name_id():
    frame = _frame([("a", "杭州宏达机械设备有限公司", "", ""), ("b", "杭州宏达机械设备有限公司", "", "杭州市1号")])
    first = resolve_records(frame)
    assert _ids(first).iat[0].startswith("name-")
    code = _valid_uscc()
    grown = pd.concat([frame, _frame([("c", "杭州宏达机械设备有限公司", code, "")])])
    out = resolve_records(grown, previous=first[["record_id", "company_id"]])
    assert set(_ids(out)) == {"uscc-" + code}
    note = _features(out, "a")
    assert note["previous_company_id"] == _ids(first)["a"] and note["id_change"] == "uscc"


def test_two_clusters_cannot_keep_one_id_the_larger_keeps_it_and_the_split_is_recorded():
    frame = _frame([
        ("h1", "杭州宏达机械设备有限公司", "", ""), ("h2", "杭州宏达机械设备有限公司", "", ""),
        ("h3", "杭州市宏达机械设备有限公司", "", ""), ("n1", "宁波宏达机械设备有限公司", "", ""),
        ("n2", "宁波市宏达机械设备有限公司", "", ""),
    ])
    previous = pd.DataFrame({"record_id": ["h1", "h2", "h3", "n1", "n2"], "company_id": "name-00000000000000aa"})
    ids = _ids(out := resolve_records(frame, previous=previous))
    assert ids["h1"] == ids["h3"] == "name-00000000000000aa"
    assert ids["n1"] == ids["n2"] != "name-00000000000000aa"
    note = _features(out, "n1")
    assert note["id_change"] == "split" and note["previous_company_id"] == "name-00000000000000aa"


def test_merged_companies_keep_the_id_most_of_their_records_had(tmp_path: Path):
    frame = _frame([("a1", "杭州宏达机械设备有限公司", "", ""), ("a2", "杭州宏达机械设备有限公司", "", ""),
                    ("b1", "杭州鸿达机电有限公司", "", "")])
    previous = pd.DataFrame({"record_id": ["a1", "a2", "b1"],
                             "company_id": ["name-000000000000000a", "name-000000000000000a", "name-000000000000000b"]})
    path = tmp_path / "judgements.csv"
    path.write_text("left_record_id,left_name,right_record_id,right_name,judgement,note\na1,,b1,,same,one firm\n",
                    encoding="utf-8")
    out = resolve_records(frame, judgements=path, previous=previous)
    assert set(_ids(out)) == {"name-000000000000000a"}
    assert _features(out, "b1")["id_change"] == "merged"


def test_previous_ids_need_record_id_and_company_id():
    frame = _frame([("a", "杭州宏达机械设备有限公司", "", "")])
    with pytest.raises(ValueError, match="company_id"):
        resolve_records(frame, previous=pd.DataFrame({"record_id": ["a"]}))


# ---------------------------------------------------------------- the pipeline step
def _staging(con, rows) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS staging")
    con.execute("CREATE OR REPLACE TABLE staging.stg_entity_records (record_id VARCHAR, source_id VARCHAR, "
                "source_kind VARCHAR, name VARCHAR, uscc VARCHAR, address VARCHAR, region_hint VARCHAR)")
    con.execute("CREATE OR REPLACE TABLE staging.stg_mentions (mention_id VARCHAR, industry VARCHAR)")
    for record_id, name in rows:
        con.execute("INSERT INTO staging.stg_entity_records VALUES (?, 'src', 'winner_list', ?, NULL, NULL, NULL)",
                    [record_id, name])


def test_build_entity_links_keeps_ids_and_stores_match_and_parent(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("TUOKE_CONFIGS_DIR", str(tmp_path))  # no judgements
    by_hash = sorted(VARIANTS, key=_sha)
    con = duckdb.connect(str(tmp_path / "work.duckdb"))
    rows = [(f"k{i}", n) for i, n in enumerate(by_hash[1:])] + [("br", "杭州宏达机械设备有限公司宁波分公司")]
    _staging(con, rows)
    build_entity_links(con)
    before = dict(con.execute("SELECT record_id, company_id FROM core.entity_links").fetchall())
    _staging(con, rows + [("new", by_hash[0])])
    stats = build_entity_links(con)
    after = dict(con.execute("SELECT record_id, company_id FROM core.entity_links").fetchall())
    assert after["new"] == before["k0"] and all(after[k] == v for k, v in before.items())
    assert stats["ids_changed"] == 0
    columns = [r[0] for r in con.execute("DESCRIBE core.entity_links").fetchall()]
    assert columns[-2:] == ["matched_record", "parent_company_id"]
    parent, matched = con.execute(
        "SELECT parent_company_id, (SELECT matched_record FROM core.entity_links WHERE record_id = 'k1') "
        "FROM core.entity_links WHERE record_id = 'br'").fetchone()
    assert parent == before["k0"] and matched is not None


def test_fresh_working_warehouse_takes_previous_ids_from_the_published_one(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("TUOKE_CONFIGS_DIR", str(tmp_path))
    (tmp_path / "work").mkdir()
    published = duckdb.connect(str(tmp_path / "tuoke.duckdb"))
    published.execute("CREATE SCHEMA core")
    published.execute("CREATE TABLE core.entity_links AS SELECT 'a' AS record_id, 'name-00000000000000ff' AS company_id")
    published.close()
    con = duckdb.connect(str(tmp_path / "work" / "tuoke.duckdb"))
    _staging(con, [("a", "杭州宏达机械设备有限公司"), ("b", "杭州市宏达机械设备有限公司")])
    build_entity_links(con)
    assert {r[0] for r in con.execute("SELECT company_id FROM core.entity_links").fetchall()} == {"name-00000000000000ff"}
