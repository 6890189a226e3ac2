"""`tuoke query "SQL"`: read the published warehouse (read-only), never the one a build writes.

Statements are classified with sqlglot before anything runs: only reads (SELECT/WITH/FROM-first,
VALUES, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN of a read, read-only PRAGMAs) are allowed; anything else
is refused with one clear line and nothing is executed. That guard is the second layer: the
statement runs in `warehouse.sandbox` (read-only, DuckDB's file/network/extension access off and
its configuration locked), so a statement sqlglot misjudged can neither change the file nor read
anything outside the warehouse. A time limit, a memory limit and a row limit bound every query: the
statements run in a child process (`run_isolated`) whose memory is capped and which is killed at the
time limit.
"""

from __future__ import annotations

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

from kernel.csvfiles import csv_writer
from kernel.errors import UserError
from kernel.paths import DataPaths
from tuoke.exporting import csv_safe
from warehouse.sandbox import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT_S, SandboxError, open_sandbox, run_isolated

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
    except sqlglot.errors.SqlglotError as exc:  # ParseError and TokenError (an unterminated quote)
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
        return open_sandbox(db)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise UserError(
                f"{db} is locked by a running build; query the published file (default --db) instead"
            ) from exc
        raise UserError(f"cannot open {db}: {_first_line(str(exc))}") from exc
    except duckdb.Error as exc:
        raise UserError(f"cannot open {db}: {_first_line(str(exc))}") from exc


def _jsonable(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    return value


def run_query(
    sql: str, db: Path, *, timeout_s: float = DEFAULT_TIMEOUT_S, max_rows: int = DEFAULT_MAX_ROWS,
) -> list[tuple[list[str], list[tuple]]]:
    """(columns, rows) for each statement, after refusing any that is not a read; at most
    `max_rows` rows each (a note on stderr says when more existed)."""
    statements = check_read_only(sql)
    open_published(db).close()  # a missing or locked file is a one-line message before any work
    # One statement runs exactly as written; several run as sqlglot split them.
    if len(statements) == 1:
        texts = [sql]
    else:
        texts = [str(s) if isinstance(s, exp.Command) else s.sql(dialect="duckdb") for s in statements]
    try:
        results = run_isolated(db, texts, timeout_s=timeout_s, max_rows=max_rows)
    except SandboxError as exc:
        raise UserError(f"query failed: {exc}") from exc
    for result in results:
        if result.truncated:
            sys.stderr.write(f"only the first {max_rows} rows were read (--limit); add LIMIT or raise --limit\n")
    return [(result.columns, result.rows) for result in results]


def _print(columns: list[str], rows: list[tuple], fmt: str, max_rows: int) -> None:
    if fmt == "csv":
        writer = csv_writer(sys.stdout)  # RFC 4180 line ends: a "\r" inside a value stays in its row
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if v is None else csv_safe(_jsonable(v)) for v in row])
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
    limit: int = typer.Option(DEFAULT_MAX_ROWS, "--limit", help="Most rows read per statement."),
    timeout: float = typer.Option(DEFAULT_TIMEOUT_S, "--timeout", help="Seconds before a statement is stopped."),
) -> None:
    """Query the published warehouse read-only (readers are never blocked by a running build)."""
    if fmt not in FORMATS:
        raise UserError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    db = Path(db) if db else DataPaths.from_env().published_db
    if limit < 1 or timeout <= 0:
        raise UserError("--limit and --timeout must be positive")
    for columns, rows in run_query(sql, db, timeout_s=timeout, max_rows=limit):
        if columns:
            _print(columns, rows, fmt, max_rows)


def register(app: typer.Typer) -> None:
    app.command("query")(query_command)
