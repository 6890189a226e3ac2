"""Internal feeds against their contract: wrong columns refused in one message, bad rows
quarantined with their reason, nothing half-loaded, GBK / XLSX / Parquet all read; the rows,
checked column by column, come out as checking them one row and one cell at a time does."""

import csv
import io
import json
from unittest import mock

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc as uscc_module

from kernel.feeds import FeedColumn, FeedSpec, load_feeds_config
from kernel.paths import DataPaths
from warehouse.db import connect, ensure_schemas
from warehouse.feeds import FeedContractError, load_feeds
from warehouse.feeds import check as feeds_check
from warehouse.feeds import load as feeds_module
from warehouse.feeds.columns import COLUMN_KINDS
from warehouse.pii import hash_pii

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


# ---------------------------------------------------------------------------------------------
# the column-wise row check against the row-by-row one it replaced


def row_by_row(spec, found, headers, numbered_rows, feed_file, seen_ids=None):
    """`checked_rows` as it was before the column-wise check (c769a27): one row, one cell at a time."""
    good, quarantined, flagged = [], [], 0
    seen_ids = {} if seen_ids is None else seen_ids
    personal = {found[c.name]: c.type for c in spec.columns if COLUMN_KINDS[c.type].personal and c.name in found}
    for number, raw in numbered_rows:
        if not any(cell.strip() for cell in raw):
            continue
        values, issues, bad = {}, [], None
        for column in spec.columns:
            kind = COLUMN_KINDS[column.type]
            index = found.get(column.name)
            cell = raw[index] if index is not None and index < len(raw) else ""
            if not cell.strip():
                if column.required:
                    bad = (kind.empty_reason, f"{column.name}: required value is empty")
                    break
                values[column.name] = None
                continue
            try:
                value = kind.parse(cell)
            except ValueError as error:
                bad = (getattr(error, "reason", kind.bad_reason), f"{column.name}: {error}")
                break
            if value is None and kind.flag_on_none:
                issues.append(kind.flag_on_none)
            values[column.name] = value
        if bad:
            quarantined.append({"feed": spec.feed, "file": feed_file, "row_number": number, "reason": bad[0],
                                "detail": bad[1], "row": feeds_check._quarantine_row(spec, found, headers, raw)})
            continue
        raw_for_id = [hash_pii(cell, personal[i]) or "" if i in personal else cell.strip() for i, cell in enumerate(raw)]
        values["record_id"] = feeds_check._record_id(spec.feed, feed_file, raw_for_id, seen_ids)
        values["row_issues"] = ",".join(issues)
        values["row_number"] = number
        flagged += bool(issues)
        good.append(values)
    return good, quarantined, flagged


def in_order(checked):
    """A check's result with each row's keys in order (dict equality alone ignores it)."""
    good, quarantined, flagged = checked
    return [list(row.items()) for row in good], [list(row.items()) for row in quarantined], flagged


# What a column of each kind holds (mostly good; a bad text that trims like a good one), texts good
# for one kind and bad for another, empty and blank ones: drawn from small pools, they repeat.
KIND_CELLS = {
    "name": ["杭州甲科技有限公司", "\t杭州甲科技有限公司", " 杭州甲科技有限公司 ", "杭州乙贸易有限公司"],
    "text": ["杭州分行", " 杭州分行", "ＡＢＣ"],
    "uscc": [valid_uscc(), "913301060000000001", valid_uscc("91330106MA2B3C4D6")],
    "int": ["12", " 12", "１２", "1,200", "1.5"],
    "amount": ["约三万", " 约三万", "1,234.5", "31.2万", "-80元", "12"],
    "date": ["2026-10-08", "昨天", " 昨天", "2026/10/8", "20261008"],
    "month": ["2026-10", "202610", "2026年10月"],
    "bool": ["是", "maybe", " maybe", "否", "Y"],
    "person_name": ["王小明", " 王小明"],
    "person_id": ["11010519491231002X", "110105194912310037"],
    "name_list": ["甲科技有限公司；乙贸易有限公司", "甲科技有限公司", "甲科技有限公司；=1+1"],
    "reported_int": ["企业选择不公示", "12", "-"],
    "reported_amount": ["不公示", "31.2万"],
}
CELLS = [*dict.fromkeys(cell for cells in KIND_CELLS.values() for cell in cells), "=HYPERLINK(\"x\")", "甲", "", " ", "\u3000"]


@st.composite
def feed_batches(draw):
    """A spec of 1-6 columns (some required, some missing from the file, in another order than the
    file's), a file's rows (short, blank and repeated ones among them), split into batches."""
    kinds = draw(st.lists(st.tuples(st.sampled_from(sorted(KIND_CELLS)), st.booleans()), min_size=1, max_size=6))
    width = draw(st.integers(max(1, len(kinds) - 1), len(kinds) + 2))
    columns = tuple(FeedColumn(f"c{i}", (f"h{i}",), kind, required) for i, (kind, required) in enumerate(kinds))
    spec = FeedSpec("payroll", "test", columns)
    places = draw(st.permutations(range(max(width, len(columns)))))
    found = {c.name: place for c, place in zip(columns, places, strict=False) if place < width}
    kind_at = {found[c.name]: c.type for c in columns if c.name in found}
    cell = [st.sampled_from(KIND_CELLS[kind_at[i]] * 10 + CELLS if i in kind_at else CELLS) for i in range(width)]
    full = st.tuples(*cell).map(list)
    row = st.one_of(full, full, full, full.flatmap(lambda r: st.integers(0, len(r)).map(lambda n: r[:n])),
                    st.just([]), st.just([" ", ""]))
    rows = draw(st.lists(row, max_size=40))
    rows = [draw(st.sampled_from(rows)) if rows and draw(st.booleans()) else r for r in rows]  # copies of rows
    cuts = sorted(draw(st.lists(st.integers(0, len(rows)), max_size=2)))
    batches = [rows[a:b] for a, b in zip([0, *cuts], [*cuts, len(rows)], strict=True)]
    return spec, found, [f"h{i}" for i in range(width)], batches


@pytest.mark.fuzz
@given(feed_batches(), st.one_of(st.integers(1, 4), st.just(feeds_check.DISTINCT_CHUNK_CELLS)))
def test_rows_checked_column_by_column_come_out_as_row_by_row(case, chunk):
    spec, found, headers, batches = case
    seen_ids, reference_ids, start = {}, {}, 1
    with mock.patch.object(feeds_check, "DISTINCT_CHUNK_CELLS", chunk):  # texts repeat across chunks too
        for rows in batches:
            numbered = list(enumerate(rows, start=start))
            start += len(rows)
            checked = feeds_module.checked_rows(spec, found, headers, iter(numbered), "payroll/p.csv", seen_ids)
            assert in_order(checked) == in_order(row_by_row(spec, found, headers, numbered, "payroll/p.csv",
                                                            reference_ids))


def open_applications():
    spec = load_feeds_config()["open_applications"]
    headers = ["申请日期", "申请产品", "客户名称", "统一社会信用代码"]  # not in feeds.yaml's order
    return spec, feeds_module.match_headers(spec, headers)[0], headers


def test_a_row_bad_in_two_columns_is_quarantined_for_the_first_in_feeds_yaml_order():
    spec, found, headers = open_applications()
    rows = [["昨天", "商户贷", "=1+1", ""], ["昨天", "商户贷", "甲公司", ""], ["", "商户贷", "", ""]]
    _, quarantined, _ = feeds_module.checked_rows(spec, found, headers, enumerate(rows, 1), "a/a.csv")
    assert [(q["row_number"], q["reason"], q["detail"].split(":")[0]) for q in quarantined] == [
        (1, "formula_prefix", "customer_name"), (2, "bad_date", "applied_at"), (3, "empty_name", "customer_name")]


def test_a_bad_cell_repeated_in_many_rows_quarantines_every_one_of_them():
    spec, found, headers = open_applications()
    rows = [["2026-10-08", "商户贷", f"甲{i}公司", ""] if i % 3 else ["昨天", "商户贷", "乙公司", ""] for i in range(30)]
    with mock.patch.object(feeds_check, "DISTINCT_CHUNK_CELLS", 4):
        good, quarantined, _ = feeds_module.checked_rows(spec, found, headers, enumerate(rows, 1), "a/a.csv")
    assert [q["row_number"] for q in quarantined] == list(range(1, 31, 3))
    assert {q["detail"] for q in quarantined} == {"applied_at: '昨天' is not a date (YYYY-MM-DD)"}
    assert [row["row_number"] for row in good] == [n for n in range(1, 31) if n % 3 != 1]


def test_texts_that_trim_alike_are_checked_apart():
    spec, found, headers = open_applications()
    names = ["杭州甲科技有限公司", "\t杭州甲科技有限公司", " 杭州甲科技有限公司 ", "\t杭州甲科技有限公司"]
    rows = [["2026-10-08", "商户贷", name, ""] for name in names]
    good, quarantined, _ = feeds_module.checked_rows(spec, found, headers, enumerate(rows, 1), "a/a.csv")
    assert [(q["row_number"], q["reason"]) for q in quarantined] == [(2, "formula_prefix"), (4, "formula_prefix")]
    assert [(r["row_number"], r["customer_name"]) for r in good] == [(1, "杭州甲科技有限公司"), (3, "杭州甲科技有限公司")]
    assert good[0]["record_id"] != good[1]["record_id"]  # ids hash the row as written


def test_identical_rows_keep_distinct_record_ids_within_and_across_batches():
    spec, found, headers = open_applications()
    row, bad = ["2026-10-08", "商户贷", "甲公司", ""], ["昨天", "商户贷", "甲公司", ""]
    seen = {}
    first, _, _ = feeds_module.checked_rows(spec, found, headers, enumerate([row, bad, row], 1), "a/a.csv", seen)
    second, _, _ = feeds_module.checked_rows(spec, found, headers, enumerate([row], 4), "a/a.csv", seen)
    ids = [r["record_id"] for r in first + second]
    assert len(set(ids)) == 3  # a quarantined row takes no occurrence
    assert ids == [r["record_id"] for r in row_by_row(spec, found, headers, enumerate([row, bad, row, row], 1),
                                                       "a/a.csv")[0]]


def test_flags_of_two_columns_keep_feeds_yaml_order():
    columns = (FeedColumn("employees", ("人数",), "reported_int", False), FeedColumn("name", ("名称",), "name", True),
               FeedColumn("uscc", ("代码",), "uscc", False))
    spec = FeedSpec("registry", "test", columns)
    headers = ["代码", "名称", "人数"]
    found = feeds_module.match_headers(spec, headers)[0]
    rows = [["913301060000000001", "甲公司", "不公示"], ["913301060000000001", "乙公司", "5"], [valid_uscc(), "丙公司", "-"]]
    good, _, flagged = feeds_module.checked_rows(spec, found, headers, enumerate(rows, 1), "r/r.csv")
    assert [r["row_issues"] for r in good] == ["not_published,invalid_uscc", "invalid_uscc", "not_published"]
    assert flagged == 3 and [r["uscc"] for r in good] == [None, None, valid_uscc()]


def test_a_file_loads_the_same_checked_in_batches_here_or_whole_as_another_engine_does(setup, tmp_path):
    paths, con = setup
    rows = [*payroll_rows(), *payroll_rows(), ["", "", "", "", "", "", "", ""], payroll_rows()[0][:3]]
    write_csv(paths.inbox / "payroll" / "p.csv", PAYROLL_HEADER, rows * 3, "utf-8")
    with mock.patch.object(feeds_module, "FEED_BATCH_ROWS", 4):
        local = load_feeds(con, paths)
    other = DataPaths(tmp_path / "other")
    (other.inbox / "payroll").mkdir(parents=True)
    (other.inbox / "payroll" / "p.csv").write_bytes((paths.inbox / "payroll" / "p.csv").read_bytes())
    other_con = connect(other.working_db)

    def whole_file(spec, found, headers, numbered_rows, feed_file):  # not checked_rows itself: the other engine's path
        return feeds_module.checked_rows(spec, found, headers, numbered_rows, feed_file)

    assert load_feeds(other_con, other, check_rows=whole_file)["payroll"] == local["payroll"]
    query = "SELECT * EXCLUDE (feed_date) FROM raw.feed_payroll ORDER BY row_number"
    assert other_con.execute(query).fetchall() == con.execute(query).fetchall()
    assert len(con.execute(query).fetchall()) == local["payroll"]["loaded"] == 12
    other_con.close()
