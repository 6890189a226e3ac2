"""Loads the bank's internal exports (payroll, POS, counterparties, credit customers, open
applications, risk declines, do-not-contact) from the drop folder `data/inbox/<feed>/` into
`raw.feed_<feed>`, after checking each file against its contract in `configs/feeds.yaml`.

- a file with missing required columns is refused with ONE message naming all of them;
- a bad row (empty name, non-numeric amount, bad date, bad yes/no) is quarantined with its reason
  to `data/quarantine/feeds/<feed>/<file-stem>.jsonl`; a wrong USCC check character keeps the row
  with uscc NULL and `row_issues = ['invalid_uscc']`;
- every file is loaded inside one transaction that first deletes that file's earlier rows, so a
  reload replaces them and nothing is ever half-loaded;
- individuals' names and ID numbers are hashed (warehouse/pii.py) before anything is stored,
  quarantine files included;
- the inbox is the truth: rows (and complaints) of a file no longer in the inbox are removed on the
  next load, so a withdrawn export never reaches the marts again;
- a refused file says why: `empty_file` (0 bytes or no header), `unreadable_file`, `wrong_columns`.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import itertools
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from kernel.errors import UserError
from kernel.feeds import FeedSpec, load_feeds_config
from kernel.limits import zip_bomb_problem
from kernel.paths import DataPaths
from warehouse.db import ensure_schemas
from warehouse.feeds.check import checked_columns, checked_rows
from warehouse.feeds.columns import COLUMN_KINDS
from warehouse.feeds.read import FEED_FILE_SUFFIXES, match_headers, read_feed_rows
from warehouse.pii import require_pii_key, using_demo_key

# (spec, header positions, headers, (row number, cells) pairs, feed file) -> (good, quarantined, flagged)
RowChecker = Callable[[FeedSpec, dict, list, Iterable[tuple[int, list[str]]], str], tuple[list[dict], list[dict], int]]


class FeedContractError(UserError):
    """A feed file breaks its contract as a whole (raised only with strict=True)."""


@dataclass
class FileOutcome:
    feed: str
    feed_file: str
    status: str  # loaded | refused
    rows: int = 0
    quarantined: int = 0
    flagged: int = 0
    message: str | None = None


def create_feed_tables(con: duckdb.DuckDBPyConnection, specs: Mapping[str, FeedSpec]) -> None:
    ensure_schemas(con)
    for spec in specs.values():
        cols = ", ".join(f"{c.name} {COLUMN_KINDS[c.type].sql_type}" for c in spec.columns)
        con.execute(
            f"CREATE TABLE IF NOT EXISTS {spec.table} (record_id VARCHAR, {cols}, row_issues VARCHAR[], "
            "feed_file VARCHAR, row_number INTEGER, feed_date DATE)"
        )
    con.execute(
        "CREATE TABLE IF NOT EXISTS raw.feed_files (feed VARCHAR, feed_file VARCHAR, status VARCHAR, rows INTEGER, "
        "quarantined INTEGER, flagged INTEGER, message VARCHAR, bytes BIGINT, sha1 VARCHAR, loaded_at TIMESTAMP)"
    )


def load_feed_file(
    con: duckdb.DuckDBPyConnection, spec: FeedSpec, path: Path, paths: DataPaths, feed_file: str | None = None,
    check_rows: RowChecker = checked_rows,
) -> FileOutcome:
    """Check one export against its contract and load it atomically (replacing its earlier rows).
    `check_rows` is `checked_rows` here, or the same function run on Spark (the Spark engine)."""
    feed_file = feed_file or f"{spec.feed}/{path.name}"
    data = path.read_bytes()
    sha1 = hashlib.sha1(data).hexdigest()
    quarantine_path = paths.feed_quarantine(spec.feed) / f"{path.stem}.jsonl"
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        message = f"{feed_file}: the file is empty ({len(data)} bytes); nothing loaded"
        return _refuse(con, spec, feed_file, message, len(data), sha1, quarantine_path, reason="empty_file")
    bomb = zip_bomb_problem(data) if data.startswith(b"PK\x03\x04") else None
    if bomb:
        message = f"{feed_file}: {bomb}; not opened, nothing loaded"
        return _refuse(con, spec, feed_file, message, len(data), sha1, quarantine_path, reason="zip_bomb")
    try:
        headers, rows = read_feed_rows(path)
        first = next(rows, None)
    except Exception as exc:  # a corrupt workbook, an undecodable file
        message = f"{feed_file}: cannot be read ({type(exc).__name__}: {exc}); nothing loaded"
        return _refuse(con, spec, feed_file, message, len(data), sha1, quarantine_path, reason="unreadable_file")
    if not any(str(h).strip() for h in headers) and first is None:
        message = f"{feed_file}: the file has no header and no rows; nothing loaded"
        return _refuse(con, spec, feed_file, message, len(data), sha1, quarantine_path, reason="empty_file")
    found, missing = match_headers(spec, headers)
    if missing:
        names = ", ".join(f"{c.headers[0]} ({c.name})" for c in missing)
        message = (
            f"{feed_file}: missing columns {names}; expected by configs/feeds.yaml feeds.{spec.feed}; "
            "nothing of this file loaded"
        )
        return _refuse(con, spec, feed_file, message, len(data), sha1, quarantine_path)
    del data  # the rows are read from the decoded text from here on
    rows = itertools.chain([first] if first is not None else [], rows)
    feed_date = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC).date().isoformat()
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(f"DELETE FROM {spec.table} WHERE feed_file = ?", [feed_file])
        loaded, quarantined, flagged = _insert_rows(con, spec, found, headers, rows, feed_file, feed_date, check_rows)
        _record_file(con, spec.feed, feed_file, "loaded", loaded, len(quarantined), flagged, None, path.stat().st_size, sha1)
        con.execute("COMMIT")
    except csv.Error as exc:  # a row the CSV reader cannot split: the file is refused whole
        con.execute("ROLLBACK")
        message = f"{feed_file}: cannot be read ({type(exc).__name__}: {exc}); nothing loaded"
        return _refuse(con, spec, feed_file, message, path.stat().st_size, sha1, quarantine_path, reason="unreadable_file")
    except Exception:
        con.execute("ROLLBACK")
        raise
    _write_quarantine(quarantine_path, quarantined)
    return FileOutcome(spec.feed, feed_file, "loaded", loaded, len(quarantined), flagged)


FEED_BATCH_ROWS = 100_000  # rows checked and inserted at once: memory stays that of a batch, not of the file


def _insert_rows(con: duckdb.DuckDBPyConnection, spec: FeedSpec, found: dict, headers: list, rows, feed_file: str,
                 feed_date: str, check_rows: RowChecker = checked_rows) -> tuple[int, list[dict], int]:
    """Check and insert the rows FEED_BATCH_ROWS at a time (inside the caller's transaction):
    (rows loaded, rows quarantined, rows flagged). Another engine's `check_rows` gets the whole
    file in one call (its partitions keep identical rows together). A batch's rows and values are
    let go before the next is read, so only one batch is ever held."""
    local = check_rows is checked_rows
    keys = ["record_id", *(c.name for c in spec.columns), "row_issues", "row_number"]
    seen_ids: dict[bytes, int] = {}
    loaded, flagged, quarantined, start = 0, 0, [], 1
    while batch := list(itertools.islice(rows, FEED_BATCH_ROWS if local else None)):
        numbered = enumerate(batch, start=start)
        start += len(batch)
        if local:
            good, bad, issues = checked_columns(spec, found, headers, numbered, feed_file, seen_ids)
        else:
            good_rows, bad, issues = check_rows(spec, found, headers, numbered, feed_file)
            good = {key: [row[key] for row in good_rows] for key in keys}
            del good_rows
        del batch, numbered
        loaded, flagged = loaded + len(good["row_number"]), flagged + issues
        quarantined += bad
        if good["row_number"]:
            _insert_checked(con, spec, pd.DataFrame(good, columns=keys, dtype=object), feed_file, feed_date)
        del good
    return loaded, quarantined, flagged


def _insert_checked(con: duckdb.DuckDBPyConnection, spec: FeedSpec, frame: pd.DataFrame, feed_file: str,
                    feed_date: str) -> None:
    casts = ", ".join(f"{COLUMN_KINDS[c.type].cast_sql(c.name)} AS {c.name}" for c in spec.columns)
    con.register("feed_rows_frame", frame)
    try:
        con.execute(
            f"INSERT INTO {spec.table} SELECT CAST(record_id AS VARCHAR), {casts}, "
            "CASE WHEN coalesce(row_issues, '') = '' THEN CAST([] AS VARCHAR[]) "
            "ELSE string_split(row_issues, ',') END, ?, CAST(row_number AS INTEGER), CAST(? AS DATE) "
            "FROM feed_rows_frame",
            [feed_file, feed_date],
        )
    finally:
        con.unregister("feed_rows_frame")


def _record_file(con, feed, feed_file, status, rows, quarantined, flagged, message, size, sha1) -> None:
    con.execute("DELETE FROM raw.feed_files WHERE feed_file = ?", [feed_file])
    con.execute(
        "INSERT INTO raw.feed_files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, current_timestamp)",
        [feed, feed_file, status, rows, quarantined, flagged, message, size, sha1],
    )


def _refuse(con, spec: FeedSpec, feed_file: str, message: str, size: int, sha1: str, quarantine_path: Path,
            reason: str = "wrong_columns") -> FileOutcome:
    # Rows of an earlier good version of the same file stay: refusing never half-replaces them.
    kept = con.execute(f"SELECT count(*) FROM {spec.table} WHERE feed_file = ?", [feed_file]).fetchone()[0]
    _record_file(con, spec.feed, feed_file, "refused", kept, 0, 0, message, size, sha1)
    _write_quarantine(quarantine_path, [{
        "feed": spec.feed, "file": feed_file, "row_number": None, "reason": reason, "detail": message,
        "row": None,
    }])
    return FileOutcome(spec.feed, feed_file, "refused", 0, 0, 0, message)


def forget_removed_files(con: duckdb.DuckDBPyConnection, spec: FeedSpec, present: set[str], paths: DataPaths) -> list[str]:
    """Delete rows, file records and complaints of files no longer in the inbox; returns them."""
    loaded = {r[0] for r in con.execute(
        f"SELECT DISTINCT feed_file FROM {spec.table} UNION SELECT feed_file FROM raw.feed_files WHERE feed = ?",
        [spec.feed]).fetchall()}
    gone = sorted(loaded - present)
    if not gone:
        return []
    con.execute("BEGIN TRANSACTION")
    try:
        for feed_file in gone:
            con.execute(f"DELETE FROM {spec.table} WHERE feed_file = ?", [feed_file])
            con.execute("DELETE FROM raw.feed_files WHERE feed_file = ?", [feed_file])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    for feed_file in gone:
        (paths.feed_quarantine(spec.feed) / f"{Path(feed_file).stem}.jsonl").unlink(missing_ok=True)
    return gone


def _write_quarantine(path: Path, records: list[dict]) -> None:
    if not records:
        if path.exists():
            path.unlink()  # a clean reload clears the old complaints
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".jsonl.tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    tmp.replace(path)


# ---------------------------------------------------------------------------------------------
# all feeds


def load_feeds(
    con: duckdb.DuckDBPyConnection,
    paths: DataPaths | None = None,
    feeds_config: Path | str | Mapping | None = None,
    strict: bool = False,
    check_rows: RowChecker = checked_rows,
) -> dict:
    """Load every file in data/inbox/<feed>/. Returns per feed {files, loaded, quarantined,
    flagged, refused_files} plus `refusals` (one message per refused file). With strict=True a
    refused file raises FeedContractError after the other files have been loaded."""
    paths = paths or DataPaths.from_env()
    pii_key_id = require_pii_key()  # no key, no load: one clear line before anything is read
    specs = load_feeds_config(feeds_config)
    create_feed_tables(con, specs)
    result: dict[str, Any] = {}
    refusals: list[str] = []
    removed: list[str] = []  # files gone from the inbox since the last load: their rows were deleted
    for feed, spec in specs.items():
        counts = {"files": 0, "loaded": 0, "quarantined": 0, "flagged": 0, "refused_files": 0}
        folder = paths.inbox / feed
        files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in FEED_FILE_SUFFIXES) \
            if folder.is_dir() else []
        for path in files:
            outcome = load_feed_file(con, spec, path, paths, check_rows=check_rows)
            counts["files"] += 1
            counts["loaded"] += outcome.rows
            counts["quarantined"] += outcome.quarantined
            counts["flagged"] += outcome.flagged
            if outcome.status == "refused":
                counts["refused_files"] += 1
                refusals.append(outcome.message or outcome.feed_file)
        removed += forget_removed_files(con, spec, {f"{feed}/{p.name}" for p in files}, paths)
        counts["rows_total"] = con.execute(f"SELECT count(*) FROM {spec.table}").fetchone()[0]
        result[feed] = counts
    result["refusals"] = refusals
    result["removed_files"] = removed
    result["pii_key"] = "demo key (protects nothing)" if using_demo_key() else f"key {pii_key_id}"
    if strict and refusals:
        raise FeedContractError(refusals[0] if len(refusals) == 1 else " | ".join(refusals))
    return result
