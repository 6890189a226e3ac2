"""Internal feeds against their contract: wrong columns refused in one message, bad rows
quarantined with their reason, nothing half-loaded, GBK / XLSX / Parquet all read."""

import csv
import io
import json

import pandas as pd
import pytest
from stdnum.cn import uscc as uscc_module

from kernel.paths import DataPaths
from warehouse.db import connect, ensure_schemas
from warehouse.feeds import FeedContractError, load_feeds
from warehouse.feeds import load as feeds_module

PAYROLL_HEADER = ["代发单位名称", "统一社会信用代码", "开户网点", "代发人数", "月代发金额(元)", "代发月数", "联系人",
                  "联系人身份证号"]
CONTACT_NAME = "王小明"
CONTACT_ID = "11010519491231002X"


def valid_uscc(body: str = "91330106MA2B3C4D5") -> str:
    return body + uscc_module.calc_check_digit(body)


def payroll_rows():
    return [
        ["杭州甲科技有限公司", valid_uscc(), "杭州分行营业部", "48", "312,000.00", "12", CONTACT_NAME, CONTACT_ID],
        ["杭州乙贸易有限公司", "913301060000000001", "杭州分行营业部", "12", "80000", "6", "李四", "110105194912310037"],
        ["", valid_uscc("91330106MA2B3C4D6"), "杭州分行", "3", "1000", "1", "赵六", ""],
        ["杭州丙餐饮有限公司", "", "杭州分行", "5", "约三万", "2", "钱七", ""],
    ]


def write_csv(path, header, rows, encoding):
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, *rows])
    path.write_bytes(buffer.getvalue().encode(encoding))


@pytest.fixture
def setup(tmp_path):
    paths = DataPaths(tmp_path / "data")
    con = connect(paths.working_db)
    ensure_schemas(con)
    yield paths, con
    con.close()


def test_gbk_csv_loads_with_bad_rows_quarantined_and_a_wrong_code_flagged(setup):
    paths, con = setup
    write_csv(paths.inbox / "payroll" / "payroll_employers.csv", PAYROLL_HEADER, payroll_rows(), "gbk")
    result = load_feeds(con, paths)
    assert result["payroll"] == {"files": 1, "loaded": 2, "quarantined": 2, "flagged": 1, "refused_files": 0,
                                 "rows_total": 2}
    rows = con.execute(
        "SELECT employer_name, uscc, headcount, monthly_payroll_yuan, row_issues, feed_file, row_number, record_id "
        "FROM raw.feed_payroll ORDER BY row_number"
    ).fetchall()
    assert rows[0][:5] == ("杭州甲科技有限公司", valid_uscc(), 48, 312000.0, [])
    assert rows[1][1] is None and rows[1][4] == ["invalid_uscc"]  # kept, code dropped, flagged
    assert rows[0][5] == "payroll/payroll_employers.csv" and rows[0][7].startswith("payroll:")
    quarantine = paths.feed_quarantine("payroll") / "payroll_employers.jsonl"
    lines = [json.loads(line) for line in quarantine.read_text(encoding="utf-8").splitlines()]
    assert [(q["row_number"], q["reason"]) for q in lines] == [(3, "empty_name"), (4, "bad_number")]
    assert "约三万" in lines[1]["detail"] and lines[1]["feed"] == "payroll"


def test_a_file_with_missing_columns_is_refused_in_one_message_naming_them(setup):
    paths, con = setup
    header = ["代发单位名称", "统一社会信用代码", "开户网点", "代发月数"]
    write_csv(paths.inbox / "payroll" / "broken.csv", header, [["甲公司", "", "x", "1"]], "utf-8")
    result = load_feeds(con, paths)
    assert result["payroll"]["refused_files"] == 1 and result["payroll"]["loaded"] == 0
    assert len(result["refusals"]) == 1
    message = result["refusals"][0]
    assert "broken.csv" in message and "代发人数" in message and "月代发金额(元)" in message
    assert con.execute("SELECT count(*) FROM raw.feed_payroll").fetchone()[0] == 0
    with pytest.raises(FeedContractError, match="代发人数"):
        load_feeds(con, paths, strict=True)


def test_reloading_a_file_replaces_its_rows_and_a_failure_loads_nothing(setup, monkeypatch):
    paths, con = setup
    path = paths.inbox / "payroll" / "p.csv"
    write_csv(path, PAYROLL_HEADER, payroll_rows()[:2], "utf-8-sig")
    load_feeds(con, paths)
    load_feeds(con, paths)
    assert con.execute("SELECT count(*) FROM raw.feed_payroll").fetchone()[0] == 2
    write_csv(path, PAYROLL_HEADER, payroll_rows()[:1], "utf-8")

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(feeds_module, "_record_file", explode)
    with pytest.raises(RuntimeError):
        load_feeds(con, paths)
    assert con.execute("SELECT count(*) FROM raw.feed_payroll").fetchone()[0] == 2  # the old version, whole
    monkeypatch.undo()
    load_feeds(con, paths)
    assert con.execute("SELECT count(*) FROM raw.feed_payroll").fetchone()[0] == 1


def test_xlsx_and_parquet_exports_load_like_csv(setup):
    paths, con = setup
    frame = pd.DataFrame(payroll_rows()[:2], columns=PAYROLL_HEADER)
    (paths.inbox / "payroll").mkdir(parents=True)
    frame.to_excel(paths.inbox / "payroll" / "a.xlsx", index=False)
    pos = pd.DataFrame({"商户名称": ["甲餐饮"], "营业执照名称": ["杭州甲餐饮有限公司"], "统一社会信用代码": [valid_uscc()],
                        "MCC": ["5812"], "月均交易额（元）": [120000.5], "终端数": [3], "收单网点": ["杭州分行"]})
    (paths.inbox / "pos").mkdir(parents=True)
    pos.to_parquet(paths.inbox / "pos" / "pos.parquet")
    dates = pd.DataFrame({"客户名称": ["甲公司", "乙公司"], "统一社会信用代码": ["", ""],
                          "申请日期": ["2026/10/8", "昨天"], "申请产品": ["政采贷", "商户贷"]})
    (paths.inbox / "open_applications").mkdir(parents=True)
    dates.to_excel(paths.inbox / "open_applications" / "apps.xlsx", index=False)
    result = load_feeds(con, paths)
    assert result["payroll"]["loaded"] == 2
    assert result["pos"]["loaded"] == 1
    assert con.execute("SELECT monthly_volume_yuan, terminals FROM raw.feed_pos").fetchone() == (120000.5, 3)
    assert result["open_applications"]["loaded"] == 1 and result["open_applications"]["quarantined"] == 1
    assert str(con.execute("SELECT applied_at FROM raw.feed_open_applications").fetchone()[0]) == "2026-10-08"


def test_feeds_yaml_mistakes_name_the_key(tmp_path):
    from warehouse.feeds import FeedsConfigError, load_feeds_config

    bad = {"feeds": {"payroll": {"columns": {"headcount": {"from": ["代发人数"], "type": "integer"}}}}}
    with pytest.raises(FeedsConfigError, match=r"feeds\.payroll\.columns\.headcount\.type: Input should be 'name'"):
        load_feeds_config(bad)
