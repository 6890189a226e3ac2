"""A read-only DuckDB sandbox for SQL written by a user (`tuoke query`, the web page).

The first layer is DuckDB itself: the published file is opened read-only with external access
off (no file system, no network: `read_csv('/etc/passwd')`, `read_text('/proc/self/environ')`,
`glob(...)`, ATTACH and COPY are all refused by DuckDB), extension install/autoload off, and the
configuration locked so no statement can switch any of that back on. The caller's statement
guard (sqlglot) is a second layer, not the only one.

A statement that runs longer than `timeout_s` is interrupted; at most `max_rows` rows are fetched
(`truncated` says when more existed), so one query can neither hang nor exhaust memory.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb

# Names as DuckDB spells them (checked against duckdb_settings() of the installed 2.0 release).
SANDBOX_CONFIG: dict[str, str | bool] = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "memory_limit": "1GB",
    "threads": "2",
    "lock_configuration": True,  # last: nothing after it can change a setting
}
DEFAULT_TIMEOUT_S = 30.0
DEFAULT_MAX_ROWS = 100_000


class SandboxError(Exception):
    """The query could not run in the sandbox; the message is one line for the user."""


@dataclass
class SandboxResult:
    columns: list[str]
    rows: list[tuple]
    truncated: bool  # more rows existed than max_rows


def open_sandbox(db: Path | str) -> duckdb.DuckDBPyConnection:
    """The published warehouse, read-only, with DuckDB's own file/network/extension access off."""
    return duckdb.connect(str(db), read_only=True, config=dict(SANDBOX_CONFIG))


def _first_line(text: str) -> str:
    return (text.strip().splitlines() or [""])[0]


def run_sandboxed(
    con: duckdb.DuckDBPyConnection, sql: str, *, timeout_s: float = DEFAULT_TIMEOUT_S,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> SandboxResult:
    """Run one statement on a sandbox connection with a time limit and a row limit."""
    timed_out = threading.Event()

    def interrupt() -> None:
        timed_out.set()
        con.interrupt()

    timer = threading.Timer(timeout_s, interrupt)
    timer.daemon = True
    timer.start()
    try:
        cursor = con.execute(sql)
        columns = [d[0] for d in cursor.description] if cursor.description else []
        rows = cursor.fetchmany(max_rows + 1) if columns else []
    except duckdb.Error as exc:
        if timed_out.is_set():
            raise SandboxError(f"query stopped after the {timeout_s:g} s time limit") from None
        raise SandboxError(_first_line(str(exc))) from None
    finally:
        timer.cancel()
    truncated = len(rows) > max_rows
    return SandboxResult(columns, rows[:max_rows], truncated)
