"""`tuoke query "SQL"`: read the published warehouse (read-only), never the one a build writes.

Statements are classified with sqlglot before anything runs: only reads (SELECT/WITH/FROM-first,
VALUES, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN of a read, read-only PRAGMAs) are allowed; anything else
is refused with one clear line and nothing is executed. The connection is read-only as well, so a
statement sqlglot misjudged still cannot change the file.
"""

from __future__ import annotations

import csv
import json
import logging
import re
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import sqlglot
import typer
from rich.console import Console
from rich.table import Table
from sqlglot import exp

from tuoke.core.errors import UserError
from tuoke.core.paths import DataPaths

FORMATS = ("table", "csv", "json")
_READ_PRAGMAS = {
    "table_info", "show", "show_tables", "show_tables_expanded", "database_size", "database_list",
    "storage_info", "version", "platform", "functions", "collations", "metadata_info", "user_agent",
    "show_databases",
}
_READ_NODES = (exp.Query, exp.Values, exp.Describe, exp.Show, exp.Summarize)


def _first_line(text: str) -> str:
    return (text.strip().splitlines() or [""])[0]


def split_statements(sql: str) -> list[exp.Expression]:
    logging.getLogger("sqlglot").setLevel(logging.ERROR)  # silence its "falling back to Command"
    try:
        statements = [s for s in sqlglot.parse(sql, read="duckdb") if s is not None]
    except sqlglot.errors.ParseError as exc:
        raise UserError(f"SQL does not parse: {_first_line(str(exc))}") from exc
    if not statements:
        raise UserError("no SQL statement given")
    return statements


def refusal(statement: exp.Expression) -> str | None:
    """Why this statement is not a read (None when it is one)."""
    if isinstance(statement, _READ_NODES):
        return None
    text = statement.sql(dialect="duckdb").strip()
    if isinstance(statement, exp.Command) and str(statement.this).upper() == "EXPLAIN":
        inner = str(statement.expression.this if isinstance(statement.expression, exp.Literal) else statement.expression or "")
        inner = re.sub(r"^\s*ANALY[SZ]E\b", "", inner, flags=re.IGNORECASE)
        if not inner.strip():
            return "EXPLAIN needs a statement"
        reasons = [refusal(s) for s in split_statements(inner)]
        return next((r for r in reasons if r), None)
    if isinstance(statement, exp.Pragma):
        match = re.match(r"^PRAGMA\s+(\w+)\s*(\(|$)", text, flags=re.IGNORECASE)
        if match and match.group(1).lower() in _READ_PRAGMAS:
            return None
        return "this PRAGMA changes a setting"
    word = _first_line(text).split(" ")[0].upper() or type(statement).__name__.upper()
    return f"{word} is not a read"


def check_read_only(sql: str) -> list[exp.Expression]:
    statements = split_statements(sql)
    for statement in statements:
        reason = refusal(statement)
        if reason:
            raise UserError(
                f"refused: tuoke query only reads the published warehouse ({reason}); "
                "nothing was run. Change data through the pipeline (`tuoke build`)."
            )
    return statements


def open_published(db: Path) -> duckdb.DuckDBPyConnection:
    if not db.exists():
        raise UserError(f"no warehouse at {db}; run `tuoke build` (or `tuoke demo`) first")
    try:
        return duckdb.connect(str(db), read_only=True)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise UserError(
                f"{db} is locked by a running build; query the published file (default --db) instead"
            ) from exc
        raise UserError(f"cannot open {db}: {_first_line(str(exc))}") from exc


def _jsonable(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    return value


def run_query(sql: str, db: Path) -> list[tuple[list[str], list[tuple]]]:
    """(columns, rows) for each statement, after refusing any that is not a read."""
    statements = check_read_only(sql)
    con = open_published(db)
    results = []
    try:
        for statement in statements:
            # One statement runs exactly as written; several run as sqlglot split them.
            if len(statements) == 1:
                text = sql
            else:
                text = str(statement) if isinstance(statement, exp.Command) else statement.sql(dialect="duckdb")
            try:
                cursor = con.execute(text)
            except duckdb.Error as exc:
                raise UserError(f"query failed: {_first_line(str(exc))}") from exc
            columns = [d[0] for d in cursor.description] if cursor.description else []
            results.append((columns, cursor.fetchall() if columns else []))
    finally:
        con.close()
    return results


def _print(columns: list[str], rows: list[tuple], fmt: str, max_rows: int) -> None:
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if v is None else _jsonable(v) for v in row])
    elif fmt == "json":
        payload = [{c: _jsonable(v) for c, v in zip(columns, row)} for row in rows]
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, default=str, indent=1) + "\n")
    else:
        table = Table(*columns, show_lines=False)
        for row in rows[:max_rows]:
            table.add_row(*("" if v is None else str(v) for v in row))
        console = Console()
        console.print(table)
        if len(rows) > max_rows:
            console.print(f"[dim]{len(rows)} rows; showing {max_rows} (use --format csv for all)[/dim]")


def query_command(
    sql: str = typer.Argument(..., help="A read-only SQL statement, e.g. \"SELECT * FROM marts.prospects_ranked LIMIT 10\"."),
    fmt: str = typer.Option("table", "--format", "-f", help="table | csv | json"),
    db: Path = typer.Option(None, "--db", help="DuckDB file (default: the published data/tuoke.duckdb)."),
    max_rows: int = typer.Option(200, "--max-rows", help="Rows shown by --format table."),
) -> None:
    """Query the published warehouse read-only (readers are never blocked by a running build)."""
    if fmt not in FORMATS:
        raise UserError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    db = Path(db) if db else DataPaths.from_env().published_db
    for columns, rows in run_query(sql, db):
        if columns:
            _print(columns, rows, fmt, max_rows)


def register(app: typer.Typer) -> None:
    app.command("query")(query_command)
