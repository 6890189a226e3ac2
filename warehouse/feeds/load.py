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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import duckdb
import pandas as pd

from kernel.errors import UserError
from kernel.feeds import FeedColumn, FeedSpec, load_feeds_config
from kernel.limits import zip_bomb_problem
from kernel.paths import DataPaths
from warehouse.db import ensure_schemas
from warehouse.feeds.columns import COLUMN_KINDS, ColumnKind
from warehouse.feeds.read import FEED_FILE_SUFFIXES, match_headers, read_feed_rows
from warehouse.pii import hash_pii, require_pii_key, using_demo_key

# (spec, header positions, headers, (row number, cells) pairs, feed file) -> (good, quarantined, flagged)
RowChecker = Callable[[FeedSpec, dict, list, Iterable[tuple[int, list[str]]], str], tuple[list[dict], list[dict], int]]


class FeedContractError(UserError):
    """A feed file breaks its contract as a whole (raised only with strict=True)."""


class _BadValue(NamedTuple):
    """Why a row is quarantined: a reason word and a detail that names the column."""
    reason: str
    detail: str


class _Flag(NamedTuple):
    """A cell kept as NULL whose row is kept flagged with `issue` (invalid_uscc, not_published)."""
    issue: str


# ---------------------------------------------------------------------------------------------
# one file


@dataclass
class FileOutcome:
    feed: str
    feed_file: str
    status: str  # loaded | refused
    rows: int = 0
    quarantined: int = 0
    flagged: int = 0
    message: str | None = None


def _quarantine_row(spec: FeedSpec, found: dict[str, int], headers: list[str], raw: list[str]) -> dict:
    """The row as the export wrote it, restricted to mapped columns, personal values hashed."""
    row = {}
    for column in spec.columns:
        if column.name not in found:
            continue
        index = found[column.name]
        value = raw[index] if index < len(raw) else ""
        if COLUMN_KINDS[column.type].personal:
            value = hash_pii(value, column.type)
        row[headers[index]] = value
    return row


def _cell_outcome(column: FeedColumn, kind: ColumnKind, cell: str) -> str | None | _BadValue | _Flag:
    """What one cell means in its column: the canonical text to CAST (None: NULL), why its row is
    quarantined, or the issue its row is flagged with."""
    if not cell.strip():
        return _BadValue(kind.empty_reason, f"{column.name}: required value is empty") if column.required else None
    try:
        value = kind.parse(cell)
    except ValueError as bad:
        return _BadValue(getattr(bad, "reason", kind.bad_reason), f"{column.name}: {bad}")
    if value is None and kind.flag_on_none:
        return _Flag(kind.flag_on_none)
    return value


DISTINCT_CHUNK_CELLS = 10_000  # cells of a column whose distinct texts are parsed together


def _column_outcomes(column: FeedColumn, cells: list[str]) -> list:
    """`_cell_outcome` of each cell, each distinct text parsed once per chunk of
    DISTINCT_CHUNK_CELLS cells. Texts repeat in an export (dates, months, counts, codes, a
    counterparty's name month after month) and a kind's parser is pure, so a repeat costs a lookup.
    The table is a chunk's, not the batch's: one of 100,000 distinct names or amounts outgrows the
    CPU cache, and on the 1M benchmark's columns chunks of 10,000 were about 10% faster."""
    kind = COLUMN_KINDS[column.type]
    outcomes: list = []
    for start in range(0, len(cells), DISTINCT_CHUNK_CELLS):
        chunk = cells[start:start + DISTINCT_CHUNK_CELLS]
        table = {cell: _cell_outcome(column, kind, cell) for cell in set(chunk)}
        outcomes += map(table.__getitem__, chunk)
    return outcomes


def _column_cells(raws: list[list[str]], index: int | None) -> list[str]:
    """One column's cell of each row; a column the file lacks, or a row cut short, gives ""."""
    if index is None:
        return [""] * len(raws)
    try:
        return [raw[index] for raw in raws]
    except IndexError:  # a short row: rare, so the plain read above goes first
        return [raw[index] if index < len(raw) else "" for raw in raws]


@dataclass
class _Batch:
    """The rows of one `checked_columns` call, checked column by column in spec order. A row leaves
    at its first bad column, so its reason and detail are those of a row-by-row check; the rows
    still in keep a value per column and their issues in column order."""
    # The rows still good, in row order, as three lists (not a tuple per row: a million objects
    # more for the garbage collector to walk): row numbers, cells, places in the batch (so the
    # quarantine comes out in row order).
    numbers: list[int]
    raws: list[list[str]]
    positions: list[int]
    values: dict[str, list] = field(default_factory=dict)  # column -> a value per row still good
    issues: dict[int, list[str]] = field(default_factory=dict)  # position -> issues, in column order
    failures: list[tuple[int, int, list[str], _BadValue]] = field(default_factory=list)  # (position, number, cells, why)

    def check(self, column: FeedColumn, index: int | None) -> None:
        values = _column_outcomes(column, _column_cells(self.raws, index))
        keep = None
        for j in [j for j, outcome in enumerate(values) if isinstance(outcome, tuple)]:  # a _BadValue or a _Flag
            outcome, values[j] = values[j], None
            if isinstance(outcome, _Flag):
                self.issues.setdefault(self.positions[j], []).append(outcome.issue)
                continue
            keep = keep or [True] * len(values)
            keep[j] = False
            self.failures.append((self.positions[j], self.numbers[j], self.raws[j], outcome))
        self.values[column.name] = values
        if keep:
            self._keep(keep)

    def _keep(self, keep: list[bool]) -> None:
        self.numbers = list(itertools.compress(self.numbers, keep))
        self.raws = list(itertools.compress(self.raws, keep))
        self.positions = list(itertools.compress(self.positions, keep))
        self.values = {name: list(itertools.compress(values, keep)) for name, values in self.values.items()}


def _raw_for_id(raw: list[str], personal_positions: dict[int, str]) -> list[str]:
    """The cells a record id hashes: trimmed as written, a personal cell as its hash ("" if empty)."""
    cells = list(map(str.strip, raw))
    for index, column_type in personal_positions.items():
        if index < len(raw):
            cells[index] = hash_pii(raw[index], column_type) or ""
    return cells


def _record_id(feed: str, feed_file: str, raw_for_id: list[str], seen: dict[bytes, int]) -> str:
    """`<feed>:<sha1 of the raw row>`; the file name and an occurrence counter keep two identical
    rows (in one file or in two monthly files) apart. Personal cells enter only as their hashes.
    `seen` is keyed by the row's digest (20 bytes, not the row's text: a million rows)."""
    payload = "\x1f".join([feed_file, *raw_for_id])
    digest = hashlib.sha1(payload.encode("utf-8")).digest()
    occurrence = seen.get(digest, 0)
    seen[digest] = occurrence + 1
    if occurrence:
        digest = hashlib.sha1(f"{payload}\x1e{occurrence}".encode()).digest()
    return f"{feed}:{digest.hex()}"


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


def checked_columns(spec: FeedSpec, found: dict, headers: list, numbered_rows, feed_file: str,
                    seen_ids: dict | None = None) -> tuple[dict[str, list], list[dict], int]:
    """`checked_rows` with the rows to load as columns (record_id, the spec's columns, row_issues,
    row_number: one value per row), the shape the loader inserts, so no row becomes a dict on the
    way. The rows are checked column by column (`_Batch`), a column's distinct cell texts parsed
    once (`_column_outcomes`); what comes out is what checking row by row gives."""
    seen_ids = {} if seen_ids is None else seen_ids
    batch = _Batch([], [], [])
    for number, raw in numbered_rows:
        if "".join(raw).strip():  # blank lines end exports
            batch.numbers.append(number)
            batch.raws.append(raw)
    batch.positions = list(range(len(batch.raws)))
    for column in spec.columns:
        batch.check(column, found.get(column.name))
    quarantined = [{
        "feed": spec.feed, "file": feed_file, "row_number": number, "reason": bad.reason, "detail": bad.detail,
        "row": _quarantine_row(spec, found, headers, raw),
    } for _, number, raw, bad in sorted(batch.failures, key=lambda failure: failure[0])]
    personal_positions = {found[c.name]: c.type for c in spec.columns
                          if COLUMN_KINDS[c.type].personal and c.name in found}
    columns = {
        "record_id": [_record_id(spec.feed, feed_file, _raw_for_id(raw, personal_positions), seen_ids)
                      for raw in batch.raws],
        **batch.values,
        "row_issues": [",".join(batch.issues[p]) if p in batch.issues else "" for p in batch.positions],
        "row_number": batch.numbers,
    }
    return columns, quarantined, sum(1 for position in batch.positions if position in batch.issues)


def checked_rows(spec: FeedSpec, found: dict, headers: list, numbered_rows, feed_file: str,
                 seen_ids: dict | None = None) -> tuple[list[dict], list[dict], int]:
    """Each (row number, cells) checked against the contract: (rows to load, rows quarantined with
    their reason, how many loaded rows carry issues). Record ids hash personal cells, so they hold
    no PII. Identical rows keep their ids apart by occurrence: they come in one call in row order,
    or `seen_ids` carries on from an earlier batch of the file. The Spark engine calls this per
    partition of rows keyed that way (warehouse/engines/spark_feeds.py), and the DuckDB engine its
    column-shaped core `checked_columns`, so both engines check rows with one function."""
    columns, quarantined, flagged = checked_columns(spec, found, headers, numbered_rows, feed_file, seen_ids)
    keys = [*(column.name for column in spec.columns), "record_id", "row_issues", "row_number"]
    good = [dict(zip(keys, row)) for row in zip(*(columns[key] for key in keys), strict=True)]
    return good, quarantined, flagged


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
