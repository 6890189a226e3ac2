"""A read-only DuckDB sandbox for SQL written by a user (`tuoke query`, the web page).

The first layer is DuckDB itself: the published file is opened read-only with external access
off (no file system, no network: `read_csv('/etc/passwd')`, `read_text('/proc/self/environ')`,
`glob(...)`, ATTACH and COPY are all refused by DuckDB), extension install/autoload off, and the
configuration locked so no statement can switch any of that back on. The caller's statement
guard (sqlglot) is a second layer, not the only one.

A statement that runs longer than `timeout_s` is interrupted; at most `max_rows` rows are fetched
(`truncated` says when more existed). DuckDB's `memory_limit` bounds what its buffer manager holds,
but not a value one function call builds (`repeat('x', 2000000000)` allocated 2 GB in-process), and
an interrupt waits for the running call to return. So `run_isolated` — what `tuoke query` uses —
runs the statements in a child process with its address space capped (`kernel.limits`) and kills it
at the time limit: one query can neither hang nor exhaust the machine's memory. Each limit that
stops a query says so in one line, with the limit and the option that changes it.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb

from kernel.limits import (
    SANDBOX_ADDRESS_SPACE_BYTES,
    SANDBOX_MAX_ROWS,
    SANDBOX_MEMORY_LIMIT_BYTES,
    SANDBOX_TIMEOUT_S,
)

# Names as DuckDB spells them (checked against duckdb_settings() of the installed 2.0 release).
SANDBOX_CONFIG: dict[str, str | bool] = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "memory_limit": f"{SANDBOX_MEMORY_LIMIT_BYTES // 2**20}MB",
    "threads": "2",
    "lock_configuration": True,  # last: nothing after it can change a setting
}
DEFAULT_TIMEOUT_S = SANDBOX_TIMEOUT_S
DEFAULT_MAX_ROWS = SANDBOX_MAX_ROWS
_GRACE_S = 5.0  # after the time limit, how long the interrupted child may take to answer before it is killed


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


def time_limit_message(timeout_s: float) -> str:
    return f"query stopped at the {timeout_s:g} s time limit (--timeout SECONDS changes it)"


def memory_limit_message(detail: str) -> str:
    return (f"query stopped at the {SANDBOX_MEMORY_LIMIT_BYTES / 2**30:g} GB memory limit of tuoke query "
            f"({_first_line(detail)}); aggregate or filter in SQL instead of building huge values")


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
            raise SandboxError(time_limit_message(timeout_s)) from None
        if isinstance(exc, duckdb.OutOfMemoryException):
            raise SandboxError(memory_limit_message(str(exc))) from None
        raise SandboxError(_first_line(str(exc))) from None
    except MemoryError:
        raise SandboxError(memory_limit_message("the result does not fit")) from None
    finally:
        timer.cancel()
    truncated = len(rows) > max_rows
    return SandboxResult(columns, rows[:max_rows], truncated)


def _cap_address_space(limit: int) -> None:
    try:
        import resource
    except ImportError:  # not on Linux/macOS: DuckDB's memory_limit is the only bound
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _silence_terminal() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    for fd in (1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)


def _child(db: str, statements: list[str], timeout_s: float, max_rows: int, answer) -> None:
    """In the child process: cap memory, open the sandbox, run each statement, send the results."""
    _cap_address_space(SANDBOX_ADDRESS_SPACE_BYTES)
    _silence_terminal()  # DuckDB's progress bar (a setting the locked configuration cannot turn off)
    try:
        con = open_sandbox(db)
        try:
            results = [run_sandboxed(con, sql, timeout_s=timeout_s, max_rows=max_rows) for sql in statements]
        finally:
            con.close()
        answer.send(("ok", results))
    except SandboxError as exc:
        answer.send(("error", str(exc)))
    except duckdb.Error as exc:
        answer.send(("error", f"cannot open {db}: {_first_line(str(exc))}"))
    except MemoryError:
        answer.send(("error", memory_limit_message("the result does not fit")))
    finally:
        answer.close()


def run_isolated(db: Path | str, statements: list[str], *, timeout_s: float = DEFAULT_TIMEOUT_S,
                 max_rows: int = DEFAULT_MAX_ROWS) -> list[SandboxResult]:
    """Run `statements` in order on the published file `db`, in a child process with its address
    space capped and killed at `timeout_s` per statement (plus a grace period): a function DuckDB
    cannot interrupt, or a value larger than memory, costs the child, never the caller."""
    context = multiprocessing.get_context("spawn")  # never fork a process that holds DuckDB threads
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(str(db), list(statements), timeout_s, max_rows, send), daemon=True)
    child.start()
    send.close()
    try:
        deadline = timeout_s * max(len(statements), 1) + _GRACE_S
        if not receive.poll(deadline):
            raise SandboxError(time_limit_message(timeout_s))
        try:
            status, payload = receive.recv()
        except (EOFError, OSError):
            child.join(1)
            raise SandboxError(memory_limit_message(
                f"its process ended without an answer, exit code {child.exitcode}")) from None
    finally:
        receive.close()
        if child.is_alive():
            child.kill()
        child.join(5)
    if status == "error":
        raise SandboxError(payload)
    return payload
