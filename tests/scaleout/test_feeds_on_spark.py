"""Feed rows checked on Spark (mapInPandas over the loader's own row check) load and quarantine
exactly what the DuckDB engine does: the demo inbox plus the hardening corpus's bad files and rows
(wrong header, empty and unreadable files, a zip bomb, formula and markup names, a bad USCC, bad
numbers, dates and yes/no, ID numbers as names) and a file whose identical rows straddle partitions."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import duckdb
import pytest

pytest.importorskip("pyspark", reason="the `scale` extra is not installed")

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hardening"))

from corpus import PAYROLL_HEADER, build_corpus  # noqa: E402
from warehouse_diff import compare_warehouses  # noqa: E402

from kernel.paths import DataPaths  # noqa: E402
from tuoke.commands.demo import drop_demo_feeds  # noqa: E402
from warehouse.engines.spark import spark_session  # noqa: E402
from warehouse.engines.spark_feeds import spark_row_checker  # noqa: E402
from warehouse.feeds import load_feeds  # noqa: E402

pytestmark = [
    pytest.mark.scaleout,
    pytest.mark.skipif(shutil.which("java") is None, reason="no Java for Spark"),
]


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    session = spark_session(tmp_path_factory.mktemp("spark-feeds") / "warehouse", app_name="tuoke-feeds")
    yield session
    session.stop()


def _inbox(root: Path) -> Path:
    """The demo's exports, the corpus's bad feed files, and copies of one row far apart in a file."""
    build_corpus(root)
    data = root / "data"
    drop_demo_feeds(DataPaths(data))
    trades = ["临江", "望海", "听涛", "揽月", "观澜", "栖霞", "问渠", "映雪", "拾光", "知秋", "鸣泉"]
    rows = [[f"宁波{trade}贸易有限公司", "", "宁波分行", str(3 + i), f"{(i + 2) * 41000}", "12", "王芳",
             "330203198803150027"] for i, trade in enumerate(trades)]  # (the corpus's people are used up)
    repeated = rows[0]
    (data / "inbox" / "payroll" / "repeated_rows.csv").write_text(
        "\n".join(",".join(r) for r in [PAYROLL_HEADER, *rows[:4], repeated, *rows[4:8], repeated, *rows[8:], repeated])
        + "\n", encoding="utf-8")
    return data


def _load(data: Path, check_rows=None) -> dict:
    with duckdb.connect(str(data / "work" / "tuoke.duckdb")) as con:
        return load_feeds(con, DataPaths(data)) if check_rows is None else \
            load_feeds(con, DataPaths(data), check_rows=check_rows)


def _feed_quarantine(data: Path) -> dict:
    folder = data / "quarantine" / "feeds"
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*.jsonl")}


def test_feeds_checked_on_spark_load_refuse_and_quarantine_the_same(spark, tmp_path):
    duck = _inbox(tmp_path / "duck")
    (duck / "work").mkdir()
    on_spark = tmp_path / "spark" / "data"
    shutil.copytree(duck, on_spark)  # copy2: same files, same dates
    local = _load(duck)
    remote = _load(on_spark, spark_row_checker(spark, partitions=3))

    assert local["refusals"] and remote["refusals"] == local["refusals"]
    assert local["payroll"]["quarantined"] >= 15 and local["payroll"]["flagged"] >= 1
    assert {k: v for k, v in remote.items() if k != "pii_key"} == {k: v for k, v in local.items() if k != "pii_key"}
    missing, diffs = compare_warehouses(duck / "work" / "tuoke.duckdb", on_spark / "work" / "tuoke.duckdb", ("raw",))
    assert missing == [] and len(diffs) >= 5
    assert [d for d in diffs if not d.equal or d.types] == []  # the same tables: feeds stay DuckDB-typed
    quarantine = _feed_quarantine(duck)
    reasons = b"".join(quarantine.values())
    for reason in (b"wrong_columns", b"empty_file", b"formula_prefix", b"bad_number", b"bad_bool"):
        assert reason in reasons, reason
    assert _feed_quarantine(on_spark) == quarantine


def test_identical_rows_keep_their_occurrence_ids_on_spark(spark, tmp_path):
    duck = _inbox(tmp_path / "duck")
    (duck / "work").mkdir()
    on_spark = tmp_path / "spark" / "data"
    shutil.copytree(duck, on_spark)
    _load(duck)
    _load(on_spark, spark_row_checker(spark, partitions=4))
    query = ("SELECT row_number, record_id FROM raw.feed_payroll WHERE feed_file = 'payroll/repeated_rows.csv' "
             "ORDER BY row_number")
    with duckdb.connect(str(duck / "work" / "tuoke.duckdb"), read_only=True) as con:
        local = con.execute(query).fetchall()
    with duckdb.connect(str(on_spark / "work" / "tuoke.duckdb"), read_only=True) as con:
        remote = con.execute(query).fetchall()
    assert len(local) == 14 and len({rid for _, rid in local}) == 14  # three copies, three ids
    assert remote == local
