"""The `registry` feed (工商登记, the licensed extract): its contract, and how it enters the company
master as authority — its name and USCC, its former names (曾用名) as aliases resolution uses, its
status (吊销/注销 → 不得受理) and founding date (under a year → risk). Real loader, real resolver,
real SQL models on a DuckDB file."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from kernel.contracts import MENTION_COLUMNS
from kernel.paths import DataPaths
from warehouse.db import connect, ensure_schemas
from warehouse.entity_links import build_entity_links
from warehouse.feeds import load_feeds
from warehouse.landing_loader import load_landing
from warehouse.refdata import load_reference
from warehouse.scoring import RANKING_MODELS, run_sql_model

HEADER = ["企业名称", "统一社会信用代码", "曾用名", "登记状态", "成立日期", "注册资本", "企业类型", "行业代码", "国标行业",
          "年报年份", "从业人数", "营业收入", "资产总额", "法定代表人"]
# A real rename (上交所 600026, ../shared/real-names): 中海发展股份有限公司 → 中远海运能源运输股份有限公司
CURRENT, FORMER = "中远海运能源运输股份有限公司", "中海发展股份有限公司"
CODE = "91310000132212734C"
LEGAL_REP = "张三丰"


def write_registry(paths: DataPaths, rows: list[list[str]]) -> None:
    folder = paths.inbox / "registry"
    folder.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([HEADER, *rows])
    (folder / "registry_2026-10.csv").write_bytes(buffer.getvalue().encode("gbk"))


def write_mention(paths: DataPaths, name: str, role: str = "winner") -> None:
    folder = paths.landing / "test_award"
    folder.mkdir(parents=True, exist_ok=True)
    mention = dict.fromkeys(MENTION_COLUMNS)
    mention.update({"mention_id": f"m-{name}", "source_id": "test_award", "source_kind": "procurement_award",
                    "run_id": "20261020T000000Z-abcdef", "url": f"https://example.gov.cn/{name}.html",
                    "fetched_at": "2026-10-20T08:00:00", "published_at": "2026-10-19", "role": role, "name": name,
                    "amount_yuan": 860000.0, "project_name": "某项目", "is_correction": False, "extra": {}})
    with (folder / "20261020T000000Z-abcdef.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(mention, ensure_ascii=False) + "\n")


def build(paths: DataPaths):
    con = connect(paths.working_db)
    ensure_schemas(con)
    load_landing(con, paths)
    load_feeds(con, paths)
    load_reference(con, scoring={**_scoring(), "as_of": "2026-11-01"})
    for layer, name in (("staging", "stg_mentions"), ("staging", "stg_entity_records")):
        run_sql_model(con, layer, name)
    build_entity_links(con)
    for layer, name in (("core", "company_mentions"), *(m for m in RANKING_MODELS if m[0] == "core"),
                        ("core", "companies")):
        run_sql_model(con, layer, name)
    return con


def _scoring() -> dict:
    import yaml

    from kernel.paths import configs_dir

    return yaml.safe_load((configs_dir() / "scoring.yaml").read_text(encoding="utf-8"))


@pytest.fixture
def paths(tmp_path):
    return DataPaths(tmp_path / "data")


def test_registry_contract_lists_names_hides_unpublished_figures_and_hashes_the_legal_rep(paths):
    write_registry(paths, [
        [CURRENT, CODE, f"{FORMER}；中海发展(集团)股份有限公司", "存续（在营、开业、在册）", "1994-11-03", "465967.3万人民币",
         "股份有限公司(上市、国有控股)", "G5521", "水上运输业", "2024", "企业选择不公示", "2,137,000.5万", "", LEGAL_REP],
        ["杭州某某商贸有限公司", "", "", "存续", "2020/5/6", "", "", "", "", "2024", "约十人", "", "", ""],
    ])
    con = connect(paths.working_db)
    ensure_schemas(con)
    result = load_feeds(con, paths)
    assert result["registry"]["loaded"] == 1 and result["registry"]["quarantined"] == 1  # 约十人: bad_number
    row = con.execute("SELECT former_names, employees, revenue_yuan, row_issues, legal_rep_hash FROM raw.feed_registry"
                      ).fetchone()
    assert row[0] == [FORMER, "中海发展(集团)股份有限公司"]
    assert row[1] is None and row[2] == 21_370_005_000.0 and row[3] == ["not_published"]
    assert row[4].startswith("hmac:") and LEGAL_REP not in row[4]
    quarantine = (paths.feed_quarantine("registry") / "registry_2026-10.jsonl").read_text(encoding="utf-8")
    assert json.loads(quarantine)["reason"] == "bad_number"


def test_a_mention_of_the_former_name_is_the_renamed_company_under_its_registered_name(paths):
    write_registry(paths, [[CURRENT, CODE, FORMER, "存续", "1994-11-03", "", "", "", "", "", "", "", "", ""]])
    write_mention(paths, FORMER)
    con = build(paths)
    company = con.execute(
        "SELECT l.company_id FROM core.entity_links AS l WHERE l.record_id = ?", [f"m-{FORMER}"]).fetchone()[0]
    assert company == f"uscc-{CODE}"
    assert con.execute("SELECT name, uscc FROM core.companies WHERE company_id = ?", [company]).fetchone() == (CURRENT, CODE)
    assert con.execute("SELECT count(*) FROM core.companies").fetchone()[0] == 1


def test_mentions_of_both_names_join_the_registered_company(paths):
    write_registry(paths, [[CURRENT, CODE, FORMER, "存续", "1994-11-03", "", "", "", "", "", "", "", "", ""]])
    write_mention(paths, FORMER)
    write_mention(paths, CURRENT)
    con = build(paths)
    ids = {r[0] for r in con.execute("SELECT company_id FROM core.entity_links WHERE record_id LIKE 'm-%'").fetchall()}
    assert ids == {f"uscc-{CODE}"}


def test_without_the_registry_the_two_names_are_two_companies(paths):
    write_mention(paths, FORMER)
    write_mention(paths, CURRENT)
    con = build(paths)
    assert con.execute("SELECT count(DISTINCT company_id) FROM core.entity_links").fetchone()[0] == 2


def test_closed_status_and_a_young_founding_date_become_signals(paths):
    young = (dt.date(2026, 11, 1) - dt.timedelta(days=100)).isoformat()
    write_registry(paths, [
        ["杭州甲已注销科技有限公司", "91330106MA2B3C4D5X", "", "注销", "2015-01-01", "", "", "", "", "", "", "", "", ""],
        ["杭州乙吊销贸易有限公司", "", "", "吊销，未注销", "2012-03-04", "", "", "", "", "", "", "", "", ""],
        ["杭州丙新设科技有限公司", "", "", "存续", young, "", "", "", "", "", "", "", "", ""],
    ])
    write_mention(paths, "杭州乙吊销贸易有限公司")
    con = build(paths)
    signals = dict(con.execute("SELECT value, signal FROM core.company_signals "
                               "WHERE signal IN ('registry_closed', 'newly_established')").fetchall())
    assert signals["吊销,未注销"] == "registry_closed"  # text cells are stored after NFKC
    assert signals[young] == "newly_established"
    assert signals["注销"] == "registry_closed"  # a registry row is a company by its name, with or without a USCC
