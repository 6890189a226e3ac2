"""Atomic publish: the working warehouse becomes the one readers open, all at once or not at all.

Builds write `data/work/tuoke.duckdb` (one writer); readers — `tuoke query`, a regional head's
own DuckDB session, BI tools — open `data/tuoke.duckdb` read-only. Publishing is:

1. open the working file, CHECKPOINT (folds the WAL into the file), close it;
2. write a copy of it to a temp file *in the published file's folder* (same filesystem, so the
   rename below is atomic) at an explicit storage version, and fsync it;
3. open the copy read-only and list its tables (a copy that DuckDB cannot read is never published);
4. `os.replace` the copy onto the published path and fsync the folder.

The copy is written with `ATTACH ... (STORAGE_VERSION ...)` and `COPY FROM DATABASE`, not byte for
byte: the working file carries the storage format of the DuckDB that builds (2.x), which older
readers refuse outright ("version number 69, but we can only read versions between 64 and 68").
The people who open the published file bring their own DuckDB (the CLI, a BI tool's JDBC/ODBC
driver) and these lag, so the published copy targets `DEFAULT_STORAGE_VERSION` (DuckDB 1.5.0 and
newer read it; the `duckdb` CLI the venv installs is 1.5.6), or `TUOKE_PUBLISH_STORAGE_VERSION`
(a DuckDB version such as `v1.4.0`, or `latest`).

A reader that already has the old file open keeps reading the old inode until it closes; a reader
that opens after step 4 sees the new build. Nobody ever sees a half-written file and nobody takes a
lock on the working file, so a build never blocks readers and readers never block a build. A crash
at any step leaves the previous published file untouched; the next publish removes stale temps.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse.db import (
    DEFAULT_STORAGE_VERSION,
    STORAGE_VERSION_ENV,
    apply_engine_settings,
    publish_storage_version,
)

TEMP_MARKER = ".publishing-"
# The oldest DuckDB release whose readers must open the published file: duckdb-cli 1.5.6 (pinned in
# constraints.txt) reads storage versions 64-68, which DuckDB 2.x writes when asked for v1.5.0.
# The copy's connection gets configs/engine.yaml's DuckDB bound (DuckDB's own default is 80 % of RAM:
# a rewrite of the 1M warehouse peaked at 3.5 GiB with it, at 2.7 GiB and the same time with 2 GB,
# at 1.7 GiB and 20 % slower with 1 GB; docs/benchmarks.md).


@dataclass(frozen=True)
class PublishResult:
    published: Path
    bytes: int
    tables: tuple[str, ...]
    seconds: float
    copied: str = "bytes"  # how write_copy copied: "bytes", or "rewrite" when the formats differ

    def as_dict(self) -> dict:
        return {
            "published": str(self.published),
            "bytes": self.bytes,
            "tables": list(self.tables),
            "table_count": len(self.tables),
            "seconds": round(self.seconds, 3),
            "copied": self.copied,
        }


class PublishError(RuntimeError):
    """The working warehouse could not be published; the previous published file is unchanged."""


def _fsync_dir(folder: Path) -> None:
    # Makes the rename itself durable; not supported on every platform (e.g. Windows), so best effort.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _temp_paths(published: Path) -> list[Path]:
    return sorted(published.parent.glob(f".{published.name}{TEMP_MARKER}*"))


def remove_stale_temps(published: Path) -> list[Path]:
    """Delete temp copies left by a publish that crashed (publishes run one at a time)."""
    removed = []
    for temp in _temp_paths(published):
        temp.unlink(missing_ok=True)
        removed.append(temp)
    return removed


def checkpoint(working: Path) -> None:
    """Fold the working file's WAL into it so the file alone is the complete database."""
    con = duckdb.connect(str(working))
    try:
        con.execute("CHECKPOINT")
    finally:
        con.close()


def write_copy(working: Path, copy: Path, storage_version: str) -> str:
    """Write every schema, table, view, macro and index of `working` into a new file `copy`,
    serialised for readers of `storage_version` (DuckDB's ATTACH option of that name).

    When the working file already has that storage format the copy is byte for byte (seconds, not
    a minute, at a million companies); otherwise it is DuckDB's logical `COPY FROM DATABASE`.
    Returns how it copied ("bytes" or "rewrite")."""
    con = duckdb.connect()
    try:
        apply_engine_settings(con, copy.parent)  # the build's bound (configs/engine.yaml), spilling beside the copy
        con.execute("SET enable_progress_bar = false")
        con.execute(f"ATTACH {_quoted(working)} AS published_source (READ_ONLY)")
        try:
            con.execute(f"ATTACH {_quoted(copy)} AS published_copy (STORAGE_VERSION {_quoted(storage_version)})")
        except duckdb.InvalidInputException as exc:
            raise PublishError(
                f"{STORAGE_VERSION_ENV}={storage_version!r} is not a DuckDB version DuckDB {duckdb.__version__} can "
                f"write (e.g. {DEFAULT_STORAGE_VERSION}, v1.4.0, latest)") from exc
        tags = dict(con.execute("SELECT database_name, tags['storage_version'] FROM duckdb_databases() "
                                "WHERE database_name IN ('published_source', 'published_copy')").fetchall())
        same_format = tags["published_source"] == tags["published_copy"]
        if not same_format:
            con.execute("COPY FROM DATABASE published_source TO published_copy")
        con.execute("DETACH published_copy")
    finally:
        con.close()
    if same_format:
        copy.unlink()
        with open(working, "rb") as src, open(copy, "wb") as dst:
            shutil.copyfileobj(src, dst, length=4 * 1024 * 1024)
        return "bytes"
    return "rewrite"


def _quoted(value: Path | str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def list_tables(path: Path) -> tuple[str, ...]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = con.execute(
            "SELECT table_schema || '.' || table_name FROM information_schema.tables "
            "WHERE table_catalog = current_database() ORDER BY 1"
        ).fetchall()
    finally:
        con.close()
    return tuple(r[0] for r in rows)


def publish(working: Path | str, published: Path | str, prepare: Callable[[Path], object] | None = None,
            storage_version: str | None = None) -> PublishResult:
    """Copy the working warehouse onto the published path atomically (see module docstring).

    `storage_version` (default: `publish_storage_version()`) is the DuckDB storage format of the copy.

    The caller must hold the only connection to `working` (the `duckdb_write` pool) and must
    have closed it: DuckDB allows one read-write process per file. `prepare(copy)`, if given, may
    add to the copy before it is checked and swapped in (e.g. readers' indexes, warehouse/serving.py).
    """
    started = time.monotonic()
    working, published = Path(working), Path(published)
    if not working.exists():
        raise PublishError(f"nothing to publish: working warehouse {working} does not exist")
    published.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(published)
    checkpoint(working)
    wal = working.with_name(working.name + ".wal")
    if wal.exists() and wal.stat().st_size:
        raise PublishError(f"{wal} still holds unflushed changes after CHECKPOINT; is another process writing?")

    temp = published.with_name(f".{published.name}{TEMP_MARKER}{os.getpid()}-{uuid.uuid4().hex[:8]}")
    try:
        copied = write_copy(working, temp, storage_version or publish_storage_version())
        if prepare is not None:
            prepare(temp)
        with open(temp, "rb+") as copy:
            os.fsync(copy.fileno())
        try:
            tables = list_tables(temp)
        except duckdb.Error as exc:
            raise PublishError(f"the copy of {working} is not a readable DuckDB file: {exc}") from exc
        # A WAL beside the published file would belong to the old file; DuckDB must never replay it
        # onto the new one. Readers open read-only and never create one, so this is only cleanup.
        published.with_name(published.name + ".wal").unlink(missing_ok=True)
        os.replace(temp, published)
        _fsync_dir(published.parent)
    finally:
        temp.unlink(missing_ok=True)
        temp.with_name(temp.name + ".wal").unlink(missing_ok=True)
    return PublishResult(
        published=published,
        bytes=published.stat().st_size,
        tables=tables,
        seconds=time.monotonic() - started,
        copied=copied,
    )
