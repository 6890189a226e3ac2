"""Whether two builds resolved alike: core.entity_links and core.entity_records of two warehouse
files compared row for row (EXCEPT ALL both ways, column names and types too), and the tables
built on them.

    .venv/bin/python -m benchmarks.entity_tables_equal BEFORE.duckdb AFTER.duckdb

Prints one line per table and EQUAL or DIFFERENT; exits 1 when they differ. Build the same input
files with two checkouts first (a change that must not alter resolution is proven so).
"""

from __future__ import annotations

import sys

import duckdb

RESOLUTION_TABLES = ("core.entity_links", "core.entity_records")
DOWNSTREAM_TABLES = ("core.companies", "core.company_signals", "marts.prospects_ranked")


def _columns(con: duckdb.DuckDBPyConnection, alias: str, table: str) -> list[tuple]:
    schema, name = table.split(".")
    return con.execute("SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = ? AND "
                       "schema_name = ? AND table_name = ? ORDER BY column_index", [alias, schema, name]).fetchall()


def compare(before: str, after: str, tables: tuple[str, ...] = RESOLUTION_TABLES + DOWNSTREAM_TABLES) -> bool:
    """True when every table holds the same rows (as multisets) and columns in both files."""
    con = duckdb.connect()
    con.execute("ATTACH ? AS a (READ_ONLY)", [before])
    con.execute("ATTACH ? AS b (READ_ONLY)", [after])
    equal = True
    for table in tables:
        counts = [con.execute(f"SELECT count(*) FROM {side}.{table}").fetchone()[0] for side in ("a", "b")]
        only = [con.execute(f"SELECT count(*) FROM (SELECT * FROM {x}.{table} EXCEPT ALL SELECT * FROM {y}.{table})"
                            ).fetchone()[0] for x, y in (("a", "b"), ("b", "a"))]
        same_columns = _columns(con, "a", table) == _columns(con, "b", table)
        print(f"{table}: rows {counts[0]:,} vs {counts[1]:,}; only before {only[0]}, only after {only[1]}; "
              f"same columns and types {same_columns}")
        equal = equal and counts[0] == counts[1] and only == [0, 0] and same_columns
    print("EQUAL" if equal else "DIFFERENT")
    return equal


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    sys.exit(0 if compare(sys.argv[1], sys.argv[2]) else 1)
