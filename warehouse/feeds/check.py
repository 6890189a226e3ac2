"""One batch of a feed file's rows checked against its contract (configs/feeds.yaml): the values
to load, the rows quarantined with their reason, and the record ids (warehouse/feeds/load.py
inserts them; the Spark engine runs `checked_rows` per partition).

A batch is checked column by column, each distinct cell text of a column parsed once: texts repeat
in an export (dates, months, counts, codes, a counterparty's name month after month). What comes
out is what a row-by-row check gives: a row leaves at its first bad column in feeds.yaml order,
with that column's reason and detail, and keeps its flags in column order.
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass, field
from typing import NamedTuple

from kernel.feeds import FeedColumn, FeedSpec
from warehouse.feeds.columns import COLUMN_KINDS, ColumnKind
from warehouse.pii import hash_pii


class _BadValue(NamedTuple):
    """Why a row is quarantined: a reason word and a detail that names the column."""
    reason: str
    detail: str


class _Flag(NamedTuple):
    """A cell kept as NULL whose row is kept flagged with `issue` (invalid_uscc, not_published)."""
    issue: str


# ---------------------------------------------------------------------------------------------
# one file


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
