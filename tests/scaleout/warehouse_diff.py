"""Two DuckDB warehouses compared table by table, row for row (as multisets), for the engine tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse.engines.spark import NOT_COMPARED

# the moment a file was loaded: a fact of the run, not of the data
NOT_COMPARED_HERE = NOT_COMPARED | {"loaded_at"}


@dataclass(frozen=True)
class Difference:
    table: str
    rows: tuple[int, int]
    only_left: int
    only_right: int
    types: tuple[str, ...] = ()  # columns whose types differ, "name: left / right"

    @property
    def equal(self) -> bool:
        """The same rows (compared in the left side's column types)."""
        return self.only_left == 0 and self.only_right == 0

    @property
    def other_types(self) -> tuple[str, ...]:
        """Type differences beyond an integer's width or sign (Spark has no unsigned integers, and
        its row_number() is an INT where DuckDB's is a BIGINT)."""
        return tuple(t for t in self.types if not _both_integers(t))


INTEGERS = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"}


def _both_integers(difference: str) -> bool:
    left, _, right = difference.split(": ", 1)[1].partition(" / ")
    return left in INTEGERS and right in INTEGERS


def _columns(con, db: str, table: str) -> dict[str, str]:
    schema, name = table.split(".")
    rows = con.execute("SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = ? AND "
                       "schema_name = ? AND table_name = ? ORDER BY column_index", [db, schema, name]).fetchall()
    return dict(rows)


def tables_of(con, db: str, schemas: tuple[str, ...]) -> list[str]:
    rows = con.execute("SELECT schema_name || '.' || table_name FROM duckdb_tables() WHERE database_name = ? "
                       f"AND schema_name IN ({', '.join('?' * len(schemas))}) ORDER BY 1", [db, *schemas]).fetchall()
    return [r[0] for r in rows]


def compare_warehouses(left: Path, right: Path, schemas: tuple[str, ...]) -> tuple[list[str], list[Difference]]:
    """(tables only one side has, each common table's difference); floats compared to 1e-6."""
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH '{left}' AS l (READ_ONLY)")
        con.execute(f"ATTACH '{right}' AS r (READ_ONLY)")
        lt, rt = tables_of(con, "l", schemas), tables_of(con, "r", schemas)
        missing = sorted(set(lt) ^ set(rt))
        diffs = [_compare(con, table) for table in lt if table in rt]
    finally:
        con.close()
    return missing, diffs


def _compare(con, table: str) -> Difference:
    left, right = _columns(con, "l", table), _columns(con, "r", table)
    names = [c for c in left if c not in NOT_COMPARED_HERE]
    types = tuple(f"{c}: {left[c]} / {right.get(c)}" for c in left if left[c] != right.get(c))

    def select(db: str) -> str:
        parts = []
        for c in names:
            kind = left[c]
            value = f'CAST("{c}" AS {kind})' if c in right else "NULL"
            parts.append(f"round({value}, 6)" if kind in ("DOUBLE", "FLOAT") else value)
        return f"SELECT {', '.join(parts) or '1'} FROM {db}.{table}"

    count = lambda sql: con.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0]  # noqa: E731
    return Difference(table, (count(select("l")), count(select("r"))),
                      count(f"{select('l')} EXCEPT ALL {select('r')}"), count(f"{select('r')} EXCEPT ALL {select('l')}"),
                      types)
