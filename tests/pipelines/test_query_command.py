"""`tuoke query`: reads the published warehouse read-only; refuses writes; one-line errors."""

import json

import duckdb
import pytest
from typer.testing import CliRunner

from kernel.errors import UserError
from tuoke.cli import app
from tuoke.commands.query import check_read_only, run_query


@pytest.fixture
def published(tmp_path, monkeypatch):
    data = tmp_path / "data"
    data.mkdir()
    db = data / "tuoke.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE SCHEMA marts")
    con.execute("CREATE TABLE marts.prospects_ranked AS SELECT * FROM (VALUES ('杭州', 1, '甲公司', 9.5), ('杭州', 2, '乙公司', 7.0)) t(branch, rank, name, score)")
    con.close()
    monkeypatch.setenv("TUOKE_DATA_DIR", str(data))
    return db


def _rows(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT * FROM marts.prospects_ranked ORDER BY rank").fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("sql", [
    "SELECT name FROM marts.prospects_ranked",
    "WITH top AS (SELECT * FROM marts.prospects_ranked WHERE rank = 1) SELECT name FROM top",
    "FROM marts.prospects_ranked",
    "DESCRIBE marts.prospects_ranked",
    "SHOW ALL TABLES",
    "SUMMARIZE marts.prospects_ranked",
    "EXPLAIN SELECT * FROM marts.prospects_ranked",
    "PRAGMA table_info('marts.prospects_ranked')",
])
def test_reads_are_allowed(published, sql):
    ((columns, rows),) = run_query(sql, published)
    assert columns and rows


@pytest.mark.parametrize("sql", [
    "INSERT INTO marts.prospects_ranked VALUES ('x', 3, '丙', 1)",
    "UPDATE marts.prospects_ranked SET score = 0",
    "DELETE FROM marts.prospects_ranked",
    "DROP TABLE marts.prospects_ranked",
    "CREATE TABLE marts.x AS SELECT 1",
    "COPY marts.prospects_ranked TO 'out.csv'",
    "ATTACH 'other.duckdb'",
    "SET threads = 1",
    "PRAGMA memory_limit = '1GB'",
    "EXPLAIN ANALYZE DELETE FROM marts.prospects_ranked",
    "SELECT 1; DELETE FROM marts.prospects_ranked",
    "CHECKPOINT",
])
def test_writes_are_refused_and_change_nothing(published, sql):
    before = _rows(published)
    with pytest.raises(UserError, match="refused: tuoke query only reads"):
        run_query(sql, published)
    assert _rows(published) == before


def test_cli_refusal_and_bad_sql_are_one_line_exit_2(published):
    import subprocess
    import sys

    for sql, expected in (("DELETE FROM marts.prospects_ranked", "refused"), ("SELEKT 1", "does not parse"),
                          ("SELECT * FROM marts.nope", "query failed")):
        proc = subprocess.run([sys.executable, "-c", "from tuoke.cli import main; main()", "query", sql],
                              capture_output=True, text=True, check=False)
        assert proc.returncode == 2, proc.stderr
        lines = [line for line in proc.stderr.strip().splitlines() if line.strip()]
        assert len(lines) == 1 and expected in lines[0], proc.stderr


def test_csv_and_json_formats(published):
    runner = CliRunner()
    result = runner.invoke(app, ["query", "SELECT name, score FROM marts.prospects_ranked ORDER BY rank", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["name,score", "甲公司,9.5", "乙公司,7.0"]
    result = runner.invoke(app, ["query", "SELECT name FROM marts.prospects_ranked ORDER BY rank", "-f", "json", "--db", str(published)])
    assert json.loads(result.output) == [{"name": "甲公司"}, {"name": "乙公司"}]


def test_a_missing_warehouse_says_to_build_first(tmp_path):
    with pytest.raises(UserError, match="run `tuoke build`"):
        run_query("SELECT 1", tmp_path / "none.duckdb")


def test_a_query_works_while_a_writer_holds_the_working_file(published):
    working = published.parent / "work" / "tuoke.duckdb"
    working.parent.mkdir()
    writer = duckdb.connect(str(working))  # a build in progress
    try:
        ((_, rows),) = run_query("SELECT count(*) FROM marts.prospects_ranked", published)
        assert rows == [(2,)]
    finally:
        writer.close()


def test_statement_classifier_parses_explain_of_a_write():
    with pytest.raises(UserError):
        check_read_only("EXPLAIN INSERT INTO a VALUES (1)")
