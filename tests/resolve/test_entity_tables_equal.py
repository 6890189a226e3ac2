"""benchmarks/entity_tables_equal.py: two builds' resolution tables compared row for row."""

from __future__ import annotations

import duckdb

from benchmarks.entity_tables_equal import compare


def _warehouse(path, features: str) -> str:
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA core")
    con.execute("CREATE TABLE core.entity_links (record_id VARCHAR, company_id VARCHAR, features JSON)")
    con.execute(f"INSERT INTO core.entity_links VALUES ('r1', 'c1', '{features}'), ('r2', 'c1', '{{}}'), ('r2', 'c1', '{{}}')")
    con.close()
    return str(path)


def test_equal_tables_are_equal_and_one_changed_row_is_not(tmp_path, capsys):
    before = _warehouse(tmp_path / "a.duckdb", '{"rule": "uscc"}')
    assert compare(before, _warehouse(tmp_path / "b.duckdb", '{"rule": "uscc"}'), ("core.entity_links",))
    assert not compare(before, _warehouse(tmp_path / "c.duckdb", '{"rule": "typo"}'), ("core.entity_links",))
    assert "only before 1, only after 1" in capsys.readouterr().out
