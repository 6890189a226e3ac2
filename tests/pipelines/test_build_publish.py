"""`tuoke build` end to end on real DuckDB files: publish is atomic, checks block it, readers are
never blocked, two builds from the same inputs give identical marts, a kill -9 loses nothing."""

import os
import signal
import subprocess
import sys
import textwrap
import time

import duckdb
import pytest
from pipeline_helpers import mention, mini_definitions, table_rows, uscc, write_landing
from rich.console import Console

from kernel.paths import REPO_ROOT
from tuoke.commands.build import run_build
from warehouse.publish import PublishError, publish


def _build(defs):
    return run_build(defs, console=Console(quiet=True), show_progress=False)


def test_build_publishes_a_readable_warehouse_with_every_table(project):
    outcome = _build(mini_definitions(project))
    assert outcome.success and outcome.published == project / "data" / "tuoke.duckdb"
    rows = table_rows(outcome.published, "marts.prospects")
    assert [r[1] for r in rows] and {r[1] for r in rows} == {"杭州甲科技有限公司", "杭州乙贸易有限公司", "宁波丙制造有限公司"}
    assert {c.name for c in outcome.checks} == {"company_uscc_valid", "duplicate_company_rate"}
    assert all(c.passed for c in outcome.checks)
    assert not list(outcome.published.parent.glob(".tuoke.duckdb.publishing-*"))


def test_building_twice_from_the_same_inputs_gives_identical_marts(project):
    defs = mini_definitions(project)
    assert _build(defs).success
    db = project / "data" / "tuoke.duckdb"
    first = {t: table_rows(db, t) for t in ("staging.stg_names", "core.companies", "marts.prospects")}
    assert _build(defs).success
    second = {t: table_rows(db, t) for t in first}
    assert first == second
    assert table_rows(db, "raw.mentions") and len(table_rows(db, "raw.mentions")) == 4  # reload replaced, not appended


def test_a_failing_blocking_check_keeps_the_previous_published_build(project):
    defs = mini_definitions(project)
    assert _build(defs).success
    db = project / "data" / "tuoke.duckdb"
    before = table_rows(db, "marts.prospects")
    # A second run names 甲 with 乙's code: one USCC split over two companies → blocking check fails.
    write_landing(project / "data", "20260102T000000Z-bbbbbb", [mention(9, "杭州甲科技有限公司", 1.0, uscc("B2"))])
    outcome = _build(defs)
    assert not outcome.success and outcome.published is None
    failed = [c for c in outcome.checks if not c.passed]
    assert [c.name for c in failed] == ["duplicate_company_rate"] and failed[0].blocking
    assert table_rows(db, "marts.prospects") == before


def test_a_reader_holding_the_published_file_never_blocks_a_build(project):
    defs = mini_definitions(project)
    assert _build(defs).success
    db = project / "data" / "tuoke.duckdb"
    reader = duckdb.connect(str(db), read_only=True)  # a regional head's session, left open
    try:
        old = reader.execute("SELECT count(*) FROM core.companies").fetchone()[0]
        write_landing(project / "data", "20260102T000000Z-cccccc", [mention(7, "温州丁电子有限公司", 9.0, uscc("D4"))])
        assert _build(defs).success  # no lock error although the reader is open
        assert reader.execute("SELECT count(*) FROM core.companies").fetchone()[0] == old  # still its snapshot
    finally:
        reader.close()
    fresh = duckdb.connect(str(db), read_only=True)
    try:
        assert fresh.execute("SELECT count(*) FROM core.companies").fetchone()[0] == old + 1
    finally:
        fresh.close()


def test_publish_refuses_a_corrupt_working_file_and_leaves_the_published_one(tmp_path):
    published = tmp_path / "tuoke.duckdb"
    con = duckdb.connect(str(published))
    con.execute("CREATE TABLE t AS SELECT 42 AS x")
    con.close()
    working = tmp_path / "work" / "tuoke.duckdb"
    working.parent.mkdir()
    working.write_bytes(b"not a duckdb file" * 1000)
    with pytest.raises((PublishError, duckdb.Error)):
        publish(working, published)
    con = duckdb.connect(str(published), read_only=True)
    assert con.execute("SELECT x FROM t").fetchone() == (42,)
    con.close()
    assert not list(tmp_path.glob(".tuoke.duckdb.publishing-*"))


def test_publish_of_a_missing_working_file_is_a_clear_error(tmp_path):
    with pytest.raises(PublishError, match="does not exist"):
        publish(tmp_path / "work" / "tuoke.duckdb", tmp_path / "tuoke.duckdb")


def test_publish_removes_stale_temps_of_a_crashed_publish(tmp_path):
    working = tmp_path / "work" / "tuoke.duckdb"
    working.parent.mkdir()
    con = duckdb.connect(str(working))
    con.execute("CREATE TABLE t AS SELECT 1 AS x")
    con.close()
    stale = tmp_path / ".tuoke.duckdb.publishing-999-deadbeef"
    stale.write_bytes(b"half a copy")
    result = publish(working, tmp_path / "tuoke.duckdb")
    assert not stale.exists() and result.tables == ("main.t",)


SLOW_DEFS = '''
import time
from pathlib import Path
from pipelines.load_assets import PythonStep
from pipeline_helpers import mini_definitions, landing_only_steps

def slow_step(con):
    con.execute("CREATE OR REPLACE TABLE core.slow AS SELECT range AS i FROM range(100000)")
    con.execute("CHECKPOINT")
    Path(__file__).with_name("writing.marker").write_text("x")
    time.sleep(60)
    return {{}}

steps = landing_only_steps() + [PythonStep(name="slow", function="slow_defs:slow_step", produces=("core.slow",),
                                           reads=("core.companies",))]
defs = mini_definitions(Path({root!r}), steps=steps)
'''


def test_kill_9_mid_build_leaves_the_published_warehouse_intact_and_the_next_build_completes(project):
    defs = mini_definitions(project)
    assert _build(defs).success
    db = project / "data" / "tuoke.duckdb"
    before = {t: table_rows(db, t) for t in ("core.companies", "marts.prospects")}
    before_bytes = db.read_bytes()

    write_landing(project / "data", "20260103T000000Z-dddddd", [mention(8, "嘉兴戊物流有限公司", 3.0, uscc("E5"))])
    (project / "slow_defs.py").write_text(textwrap.dedent(SLOW_DEFS.format(root=str(project))), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(project), str(REPO_ROOT / "tests" / "pipelines"), str(REPO_ROOT)])}
    proc = subprocess.Popen(
        [sys.executable, "-c", "from tuoke.cli import main; main()", "build", "--no-progress", "--definitions", "slow_defs:defs"],
        cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    marker = project / "writing.marker"
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert proc.poll() is None, proc.communicate()[1].decode()[-2000:]
        assert time.monotonic() < deadline, "build never started writing"
        time.sleep(0.05)
    # The build has rewritten staging/core in the working file and is mid-way: kill it hard.
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)

    assert db.read_bytes() == before_bytes
    assert {t: table_rows(db, t) for t in before} == before
    with duckdb.connect(str(db), read_only=True) as con:  # readable, no lock left behind
        assert con.execute("SELECT count(*) FROM marts.prospects").fetchone()[0] == len(before["marts.prospects"])

    outcome = _build(defs)  # the working file recovers from its WAL; the next build completes
    assert outcome.success
    assert "嘉兴戊物流有限公司" in {r[1] for r in table_rows(db, "marts.prospects")}
