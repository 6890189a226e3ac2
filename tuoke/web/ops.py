"""The operational store of `tuoke serve`: RM dispositions and the audit log, in SQLite under
`data/ops/` — never in the published warehouse, which a build replaces wholesale.

The loop back into the ranking reuses the bank-state feeds: `write_disposition_feeds` turns each
company's latest disposition into a row of the feed that already carries that meaning, in a file
`tuoke_dispositions.csv` in the feed's drop folder (`data/inbox/<feed>/`), with the headers of
`configs/feeds.yaml`. The next build (or the inbox sensor) loads it like any bank export:

| disposition      | feed               | effect in the ranking                              |
|------------------|--------------------|----------------------------------------------------|
| contacted        | (none)             | stays on the list; leaves "my list" (contacted)    |
| not_interested   | risk_declines      | suppressed for the cooling-off of scoring.yaml     |
| applied          | open_applications  | suppressed while the application is open           |
| approved         | credit_customers   | an existing customer with credit (segment)         |
| do_not_contact   | do_not_contact     | suppressed                                         |
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kernel.csvfiles import csv_text
from kernel.paths import DataPaths

DISPOSITIONS = ("contacted", "not_interested", "applied", "approved", "do_not_contact")
DISPOSITION_LABELS = {
    "contacted": "已联系", "not_interested": "无意向", "applied": "已申请", "approved": "已批复",
    "do_not_contact": "勿扰",
}
FEED_FILE_NAME = "tuoke_dispositions.csv"
BACKUPS_KEPT = 14

# feed → (disposition, headers of configs/feeds.yaml, row builder)
_FEEDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "risk_declines": ("not_interested", ("客户名称", "统一社会信用代码", "拒绝日期", "拒绝原因")),
    "open_applications": ("applied", ("客户名称", "统一社会信用代码", "申请日期", "申请产品")),
    "credit_customers": ("approved", ("客户名称", "统一社会信用代码", "贷款产品", "贷款余额(元)", "是否逾期")),
    "do_not_contact": ("do_not_contact", ("客户名称", "统一社会信用代码", "登记日期", "原因")),
}

SCHEMA = """
CREATE TABLE IF NOT EXISTS dispositions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id TEXT NOT NULL,
    company_name TEXT NOT NULL,
    uscc TEXT,
    branch TEXT NOT NULL,
    status TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    product TEXT,
    username TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS dispositions_company ON dispositions (company_id, id);
CREATE TABLE IF NOT EXISTS audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    username TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL,
    client TEXT
);
"""


def ops_dir(paths: DataPaths) -> Path:
    return paths.root / "ops"


@dataclass(frozen=True)
class Disposition:
    company_id: str
    company_name: str
    uscc: str | None
    branch: str
    status: str
    note: str
    product: str | None
    username: str
    recorded_at: str


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


class OpsStore:
    """One SQLite file (WAL mode); every write is one transaction. Safe across threads."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._con = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._con.execute("PRAGMA journal_mode=WAL")
        self._con.execute("PRAGMA busy_timeout=5000")
        self._con.executescript(SCHEMA)

    @classmethod
    def for_paths(cls, paths: DataPaths) -> OpsStore:
        return cls(ops_dir(paths) / "ops.sqlite")

    def close(self) -> None:
        self._con.close()

    def _write(self, sql: str, params: Sequence) -> None:
        with self._lock:
            self._con.execute("BEGIN IMMEDIATE")
            try:
                self._con.execute(sql, params)
                self._con.execute("COMMIT")
            except BaseException:
                self._con.execute("ROLLBACK")
                raise

    def _read(self, sql: str, params: Sequence = ()) -> list[tuple]:
        with self._lock:
            return self._con.execute(sql, params).fetchall()

    # --- audit ----------------------------------------------------------------------------------
    def audit(self, username: str, action: str, detail: dict, client: str | None = None) -> None:
        self._write(
            "INSERT INTO audit_log (at, username, action, detail, client) VALUES (?, ?, ?, ?, ?)",
            (_now(), username, action, json.dumps(detail, ensure_ascii=False, sort_keys=True), client),
        )

    def audit_entries(self, limit: int = 200) -> list[dict]:
        rows = self._read("SELECT at, username, action, detail, client FROM audit_log ORDER BY id DESC LIMIT ?",
                          (limit,))
        return [{"at": a, "username": u, "action": act, "detail": json.loads(d), "client": c}
                for a, u, act, d, c in rows]

    # --- dispositions ---------------------------------------------------------------------------
    def record(self, disposition: Disposition) -> None:
        if disposition.status not in DISPOSITIONS:
            raise ValueError(f"unknown disposition {disposition.status!r}")
        d = disposition
        self._write(
            "INSERT INTO dispositions (company_id, company_name, uscc, branch, status, note, product, username, "
            "recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (d.company_id, d.company_name, d.uscc, d.branch, d.status, d.note, d.product, d.username,
             d.recorded_at or _now()),
        )

    def history(self, company_id: str) -> list[Disposition]:
        rows = self._read(
            "SELECT company_id, company_name, uscc, branch, status, note, product, username, recorded_at "
            "FROM dispositions WHERE company_id = ? ORDER BY id DESC", (company_id,))
        return [Disposition(*r) for r in rows]

    def latest(self, company_ids: Iterable[str] | None = None) -> dict[str, Disposition]:
        """Each company's latest disposition (all companies, or those given)."""
        columns = "company_id, company_name, uscc, branch, status, note, product, username, recorded_at"
        if company_ids is None:
            rows = self._read(f"SELECT {columns} FROM dispositions WHERE id IN "
                              "(SELECT max(id) FROM dispositions GROUP BY company_id)")
        else:  # a page's companies only, through the (company_id, id) index: not every disposition ever made
            rows = self._read(f"SELECT {columns} FROM dispositions WHERE id IN (SELECT max(id) FROM dispositions "
                              "WHERE company_id IN (SELECT value FROM json_each(?)) GROUP BY company_id)",
                              (json.dumps(list(company_ids), ensure_ascii=False),))
        return {r[0]: Disposition(*r) for r in rows}

    def touched_company_ids(self) -> set[str]:
        """Companies with any disposition: an RM has worked them, so they leave "my list"."""
        return {r[0] for r in self._read("SELECT DISTINCT company_id FROM dispositions")}

    # --- backup and export ----------------------------------------------------------------------
    def backup(self, folder: Path | None = None, keep: int = BACKUPS_KEPT) -> Path:
        """A consistent copy (SQLite online backup) named by the UTC time; the oldest beyond `keep` go."""
        folder = folder or self.path.parent / "backups"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"ops-{dt.datetime.now(dt.UTC).strftime('%Y%m%dT%H%M%S%fZ')}.sqlite"
        with self._lock:
            dest = sqlite3.connect(target)
            try:
                self._con.backup(dest)
            finally:
                dest.close()
        for old in sorted(folder.glob("ops-*.sqlite"))[:-keep]:
            old.unlink(missing_ok=True)
        return target

    def backup_if_older_than(self, hours: float = 1.0) -> Path | None:
        """A backup unless the newest is younger than `hours` (called at start and after writes)."""
        folder = self.path.parent / "backups"
        newest = max(folder.glob("ops-*.sqlite"), default=None, key=lambda p: p.stat().st_mtime)
        if newest is not None and dt.datetime.now().timestamp() - newest.stat().st_mtime < hours * 3600:
            return None
        return self.backup(folder)

    def export_csv(self, table: str = "dispositions") -> str:
        if table not in ("dispositions", "audit_log"):
            raise ValueError(f"unknown table {table!r}")
        with self._lock:
            cursor = self._con.execute(f"SELECT * FROM {table} ORDER BY id")
            header = [d[0] for d in cursor.description]
            rows = cursor.fetchall()
        return csv_text([header, *rows])


def _feed_row(feed: str, d: Disposition) -> list[str]:
    day = d.recorded_at[:10]
    note = f"客户经理登记（{d.username}）" + (f"：{d.note}" if d.note else "")
    if feed == "risk_declines":
        return [d.company_name, d.uscc or "", day, f"{DISPOSITION_LABELS[d.status]}；{note}"]
    if feed == "open_applications":
        return [d.company_name, d.uscc or "", day, d.product or ""]
    if feed == "credit_customers":
        return [d.company_name, d.uscc or "", d.product or "", "", "否"]
    return [d.company_name, d.uscc or "", day, f"{DISPOSITION_LABELS[d.status]}；{note}"]


def write_disposition_feeds(store: OpsStore, paths: DataPaths) -> dict[str, int]:
    """Write each company's latest disposition into the feed that carries its meaning (see module
    docstring). A file is rewritten only when its content changes, so the inbox sensor starts a
    build only for a real change; written to a temp file and renamed, so a build never reads half."""
    latest = sorted(store.latest().values(), key=lambda d: d.company_id)
    counts = {}
    for feed, (status, headers) in _FEEDS.items():
        rows = [_feed_row(feed, d) for d in latest if d.status == status]
        counts[feed] = len(rows)
        target = paths.inbox / feed / FEED_FILE_NAME
        data = csv_text([headers, *rows]).encode("utf-8")
        if not rows and not target.exists():
            continue
        if target.exists() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = target.with_name(f".{target.name}.tmp")
        temp.write_bytes(data)
        os.replace(temp, target)
    return counts
