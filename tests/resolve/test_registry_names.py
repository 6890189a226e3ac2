"""Registry names as authority (rule `registry_name`, warehouse/resolve/authority.py; issue 21's
renames, issue 19's conflicting-evidence rule). The renamed companies are real: rows of
../shared/real-names/pairs.csv (SSE-600053, SSE-600127, SSE-600139), current name `full`, former
`former_full`. Their USCCs are made here (the corpus has none for them): a Beijing code, so the
code's region contradicts the former name's province, as it does for a company that moved."""

from __future__ import annotations

import json

import pandas as pd
from stdnum.cn import uscc as uscc_check

from warehouse.resolve import LAST_STATS, describe_records, resolve_records

from .entity_world import built_entity_records
from .test_conflicting_evidence import _conflicts


def code(division: str, tail: str) -> str:
    body = "91" + division + tail
    return body + uscc_check.calc_check_digit(body)


ZHONGJIANG = code("110000", "MA01ABCD1")  # SSE-600053
JINJIAN = code("110000", "MA01ABCD2")  # SSE-600127
# (current name, former name, code) as the registry feed files them
RENAMED = [("昆吾九鼎投资控股股份有限公司", "江西中江地产股份有限公司", ZHONGJIANG),
           ("金健米业股份有限公司", "湖南金健米业股份有限公司", JINJIAN)]


def registry_rows(renamed=RENAMED) -> list[dict]:
    """As dbt_like_sql/staging/stg_entity_records.sql enters the feed: the row, one record per former name."""
    rows = []
    for i, (current, former, uscc) in enumerate(renamed):
        rows.append({"record_id": f"reg{i}", "source": "feed:registry", "name": current, "uscc": uscc, "address": ""})
        rows.append({"record_id": f"reg{i}~former-1", "source": "feed:registry:former", "name": former,
                     "uscc": uscc, "address": ""})
    return rows


def frame(mentions: list[tuple[str, str]], registry: list[dict]) -> pd.DataFrame:
    rows = [{"record_id": f"m{i}", "source": "procurement_award", "name": name, "uscc": "", "address": address}
            for i, (name, address) in enumerate(mentions)]
    return pd.DataFrame(registry + rows)  # registry first: a company is named after its registry row


def test_a_former_name_mention_joins_the_renamed_company_that_moved():
    records = frame([("江西中江地产股份有限公司", ""), ("昆吾九鼎投资控股股份有限公司", ""),
                     ("湖南金健米业股份有限公司", ""), ("金健米业股份有限公司", "")], registry_rows())
    links = resolve_records(records).set_index("record_id")
    company = links["company_id"]
    assert company["m0"] == company["m1"] == company["reg0"] == company["reg0~former-1"]
    assert company["m2"] == company["m3"] == company["reg1"]
    assert company["m0"] != company["m2"]
    former = json.loads(links.loc["m0", "features"])
    assert links.loc["m0", "rule"] == "registry_name" and former["strength"] == "strong"
    assert links.loc["m0", "matched_record"] == "reg0~former-1"
    assert LAST_STATS["registry_names"] == 4
    # the cluster holds 江西 and 北京 — vouched for by the one code, so no conflict
    assert _conflicts(describe_records(records), links["company_id"].reindex(records["record_id"])) == []


def test_without_the_registry_the_former_name_stays_apart():
    links = resolve_records(frame([("江西中江地产股份有限公司", ""), ("昆吾九鼎投资控股股份有限公司", "")], []))
    assert links["company_id"].nunique() == 2
    assert "registry_name" not in set(links["rule"])


def test_a_name_two_registry_codes_file_lends_neither():
    """A former name another company took later (names are reused): the registry holds it twice."""
    reused = RENAMED + [("江西中江地产股份有限公司", "", code("360000", "MA01ABCD3"))]
    registry = [r for r in registry_rows(reused) if r["name"]]
    links = resolve_records(frame([("江西中江地产股份有限公司", "")], registry)).set_index("record_id")
    assert links.loc["m0", "rule"] != "registry_name"
    assert links.loc["m0", "company_id"] != links.loc["reg0", "company_id"]  # at most the one compatible (江西) company


def test_an_internal_feed_that_files_the_name_under_another_code_stops_the_lending():
    registry = registry_rows() + [{"record_id": "credit1", "source": "feed:credit_customers",
                                   "name": "江西中江地产股份有限公司", "uscc": code("360100", "MA01ABCD4"), "address": ""}]
    links = resolve_records(frame([("江西中江地产股份有限公司", "")], registry)).set_index("record_id")
    assert links.loc["m0", "rule"] != "registry_name"


def test_the_same_name_in_a_place_the_registry_record_contradicts_is_not_vouched_for():
    """金健米业股份有限公司 carries no place: the registry row's is its code's (北京); a mention at a 广州
    address is another company of that name."""
    links = resolve_records(frame([("金健米业股份有限公司", "广东省广州市天河区体育西路1号")], registry_rows()))
    by_id = links.set_index("record_id")
    assert by_id.loc["m0", "rule"] != "registry_name"
    assert by_id.loc["m0", "company_id"] != by_id.loc["reg1", "company_id"]


def test_only_the_configured_authority_sources_lend_codes():
    records = frame([("江西中江地产股份有限公司", "")], registry_rows())
    config = {"authority": {"sources": ["feed:some_other_registry"]}}
    links = resolve_records(records, config=config).set_index("record_id")
    assert links.loc["m0", "rule"] != "registry_name"
    described = describe_records(records).set_index("record_id")
    assert described.loc["m0", "registry_uscc"] == ZHONGJIANG
    assert pd.isna(described.loc["reg0", "registry_uscc"]) and not described.loc["m0", "uscc_valid"]


def test_the_blocking_check_counts_a_vouched_for_former_name_as_the_registry_code(tmp_path, monkeypatch):
    """core.entity_records carries registry_uscc; the check counts it as the record's code."""
    from kernel.paths import sql_models_dir
    from pipelines.checks import parse_sql_test

    monkeypatch.setenv("TUOKE_CONFIGS_DIR", str(tmp_path / "configs"))
    rows = [(r["record_id"], r["source"], "internal", r["name"], r["uscc"], None, None) for r in registry_rows()]
    rows.append(("m0", "award", "procurement_award", "江西中江地产股份有限公司", None, None, None))
    con = built_entity_records(tmp_path, rows)
    assert con.execute("SELECT registry_uscc FROM core.entity_records WHERE record_id = 'm0'").fetchone()[0] == ZHONGJIANG
    check = parse_sql_test(sql_models_dir() / "tests" / "conflicting_evidence.sql")
    assert check.evaluate(con).passed
    con.execute("UPDATE core.entity_records SET registry_uscc = NULL WHERE record_id = 'm0'")
    failed = check.evaluate(con)  # without the registry's code: 江西 and 北京 in one company
    assert not failed.passed and "province" in str(failed.metadata["examples"].value)
    con.close()
