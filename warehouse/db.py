"""DuckDB connection and schemas. One writer at a time: builds open the working file read-write,
everyone else reads the published copy read-only."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from kernel.engine_config import DuckDBSettings, load_engine_config

SCHEMAS = ("raw", "ref", "staging", "core", "marts")
# The storage format readers of the published file can open (the venv's duckdb CLI 1.5.6, BI
# tools' JDBC drivers). A new working file is created in it too, so that publish is a byte copy
# (seconds) rather than a logical rewrite (a minute at a million companies).
DEFAULT_STORAGE_VERSION = "v1.5.0"
STORAGE_VERSION_ENV = "TUOKE_PUBLISH_STORAGE_VERSION"


def publish_storage_version() -> str:
    """The storage version of the published copy (env `TUOKE_PUBLISH_STORAGE_VERSION`)."""
    return os.environ.get(STORAGE_VERSION_ENV, "").strip() or DEFAULT_STORAGE_VERSION


def connect(path: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open a warehouse file; a file created here is written at the published storage version."""
    path = Path(path)
    if read_only:
        return duckdb.connect(str(path), read_only=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        return duckdb.connect(str(path))
    try:
        return duckdb.connect(str(path), config={"storage_compatibility_version": publish_storage_version()})
    except duckdb.InvalidInputException:  # an unknown version: publish names it in one line
        return duckdb.connect(str(path))


def apply_engine_settings(con: duckdb.DuckDBPyConnection, data_root: Path,
                          settings: DuckDBSettings | None = None) -> dict[str, str]:
    """configs/engine.yaml's memory limit and spill folder on `con`; the values DuckDB now reports."""
    settings = settings or load_engine_config().duckdb
    spill = settings.temp_path(Path(data_root))
    spill.mkdir(parents=True, exist_ok=True)
    con.execute(f"SET memory_limit = '{settings.memory_limit}'")
    con.execute(f"SET temp_directory = '{spill.as_posix()}'")
    con.execute(f"SET max_temp_directory_size = '{settings.max_temp_directory_size}'")
    if settings.threads:
        con.execute(f"SET threads = {int(settings.threads)}")
    return engine_settings(con)


ENGINE_SETTINGS = ("memory_limit", "temp_directory", "max_temp_directory_size", "threads")


def engine_settings(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The memory settings in force on `con` (for build reports)."""
    rows = con.execute("SELECT name, value FROM duckdb_settings() WHERE name IN ?", [list(ENGINE_SETTINGS)]).fetchall()
    return dict(rows)


def ensure_schemas(con: duckdb.DuckDBPyConnection) -> None:
    for schema in SCHEMAS:
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")


def table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    row = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
        [schema, table],
    ).fetchone()
    return bool(row and row[0])


# WAL size past which a commit checkpoints: at DuckDB's default (16 MiB) each landing file's commit
# checkpointed the growing raw.mentions; one checkpoint after the batch of files does it once
BATCH_CHECKPOINT_THRESHOLD = "1GB"


@contextmanager
def one_checkpoint(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Commits inside the block do not checkpoint (each is still durable); one CHECKPOINT at the end
    does, and the earlier threshold is back. Landing 1M mentions: 13.5-13.8 -> 7.3-7.8 s."""
    before = con.execute("SELECT current_setting('checkpoint_threshold')").fetchone()[0]
    con.execute(f"SET checkpoint_threshold = '{BATCH_CHECKPOINT_THRESHOLD}'")
    try:
        yield con
    finally:
        con.execute(f"SET checkpoint_threshold = '{before}'")
    con.execute("CHECKPOINT")


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All of the block's writes or none of them: COMMIT at the end, ROLLBACK on any error."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
