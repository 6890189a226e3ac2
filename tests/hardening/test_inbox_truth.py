"""Finding 7 (feeds): the inbox is the truth. A removed export leaves raw.feed_* on the next load,
the sensor notices the removal, and a 0-byte file is reported as empty, not as wrong columns."""

import json

import dagster as dg

from kernel.paths import DataPaths
from pipelines.resources import TuokeWarehouse
from pipelines.sensors import internal_feed_sensor
from warehouse.db import connect, ensure_schemas
from warehouse.feeds import load_feeds

HEADER = "代发单位名称,统一社会信用代码,开户网点,代发人数,月代发金额(元),代发月数,联系人,联系人身份证号\n"


def write(path, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + "".join(rows), encoding="utf-8")


def test_a_removed_file_leaves_raw_feed_rows_and_its_complaints(tmp_path):
    paths = DataPaths(tmp_path / "data")
    write(paths.inbox / "payroll" / "2026-09.csv", ["杭州甲科技有限公司,,杭州分行,10,1000,3,张三,\n"])
    write(paths.inbox / "payroll" / "2026-10.csv", ["宁波乙贸易有限公司,,宁波分行,5,500,2,李四,\n",
                                                    "<script>x</script>,,宁波分行,5,500,2,王五,\n"])
    con = connect(paths.working_db)
    ensure_schemas(con)
    load_feeds(con, paths)
    assert con.execute("SELECT count(*) FROM raw.feed_payroll").fetchone()[0] == 2
    assert (paths.feed_quarantine("payroll") / "2026-10.jsonl").exists()

    (paths.inbox / "payroll" / "2026-10.csv").unlink()
    result = load_feeds(con, paths)
    assert result["removed_files"] == ["payroll/2026-10.csv"]
    names = [r[0] for r in con.execute("SELECT employer_name FROM raw.feed_payroll").fetchall()]
    assert names == ["杭州甲科技有限公司"]
    assert con.execute("SELECT count(*) FROM raw.feed_files WHERE feed_file = 'payroll/2026-10.csv'").fetchone()[0] == 0
    assert not (paths.feed_quarantine("payroll") / "2026-10.jsonl").exists()
    con.close()


def test_a_zero_byte_file_is_reported_as_empty(tmp_path):
    paths = DataPaths(tmp_path / "data")
    (paths.inbox / "payroll").mkdir(parents=True)
    (paths.inbox / "payroll" / "empty.csv").write_bytes(b"")
    (paths.inbox / "payroll" / "bom_only.csv").write_bytes(b"\xef\xbb\xbf\r\n")
    con = connect(paths.working_db)
    ensure_schemas(con)
    result = load_feeds(con, paths)
    con.close()
    assert result["payroll"]["refused_files"] == 2
    for stem in ("empty", "bom_only"):
        (entry,) = [json.loads(line) for line in
                    (paths.feed_quarantine("payroll") / f"{stem}.jsonl").read_text(encoding="utf-8").splitlines()]
        assert entry["reason"] == "empty_file" and "empty" in entry["detail"]


def test_the_sensor_runs_the_build_when_a_file_is_removed(tmp_path):
    data = tmp_path / "data"
    warehouse = TuokeWarehouse(data_dir=str(data))
    feed = data / "inbox" / "payroll"
    write(feed / "2026-10.csv", ["杭州甲科技有限公司,,杭州分行,10,1000,3,张三,\n"])
    with dg.build_sensor_context(resources={"warehouse": warehouse}) as ctx:
        first = internal_feed_sensor(ctx)
    (feed / "2026-10.csv").unlink()
    with dg.build_sensor_context(cursor=first.cursor, resources={"warehouse": warehouse}) as ctx:
        removed = internal_feed_sensor(ctx)
    assert isinstance(removed, dg.SensorResult) and len(removed.run_requests) == 1
    assert removed.run_requests[0].tags["tuoke/feeds"] == "payroll"
    assert removed.run_requests[0].run_key != first.run_requests[0].run_key
    with dg.build_sensor_context(cursor=removed.cursor, resources={"warehouse": warehouse}) as ctx:
        assert isinstance(internal_feed_sensor(ctx), dg.SkipReason)
