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
  quarantine files included.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import yaml

from tuoke.core.errors import UserError
from tuoke.core.orgname import org_name_problem
from tuoke.core.paths import DataPaths, configs_dir
from warehouse.codes import clean_code, is_valid_uscc
from warehouse.db import ensure_schemas
from warehouse.pii import hash_pii, require_pii_key, using_demo_key

# Tables this step owns (pipelines/ reads this with ast to wire the Dagster asset).
WRITES = (
    "raw.feed_payroll", "raw.feed_pos", "raw.feed_counterparties", "raw.feed_credit_customers",
    "raw.feed_open_applications", "raw.feed_risk_declines", "raw.feed_do_not_contact", "raw.feed_files",
)

FEED_FILE_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm", ".parquet")

# The contract (docs/CONTRACTS.md "Internal feeds — canonical columns"): feeds.yaml must map all.
CANONICAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "payroll": ("employer_name", "uscc", "branch", "headcount", "monthly_payroll_yuan", "months_active",
                "contact_name_hash", "contact_id_hash"),
    "pos": ("merchant_name", "company_name", "uscc", "mcc", "monthly_volume_yuan", "terminals", "branch"),
    "counterparties": ("counterparty_name", "counterparty_bank", "inflow_yuan", "outflow_yuan", "our_customers",
                       "month"),
    "credit_customers": ("customer_name", "uscc", "product", "balance_yuan", "overdue"),
    "open_applications": ("customer_name", "uscc", "applied_at", "product"),
    "risk_declines": ("customer_name", "uscc", "declined_at", "reason"),
    "do_not_contact": ("customer_name", "uscc", "registered_at", "reason"),
}

SQL_TYPES = {
    "name": "VARCHAR", "text": "VARCHAR", "uscc": "VARCHAR", "int": "BIGINT", "amount": "DOUBLE",
    "date": "DATE", "month": "DATE", "bool": "BOOLEAN", "person_name": "VARCHAR", "person_id": "VARCHAR",
}
PERSONAL_TYPES = {"person_name", "person_id"}


class FeedsConfigError(UserError):
    """configs/feeds.yaml is wrong: the message names the file, the key path and the problem."""


class FeedContractError(UserError):
    """A feed file breaks its contract as a whole (raised only with strict=True)."""


@dataclass(frozen=True)
class FeedColumn:
    name: str
    headers: tuple[str, ...]
    type: str
    required: bool


@dataclass(frozen=True)
class FeedSpec:
    feed: str
    title: str
    columns: tuple[FeedColumn, ...]

    @property
    def table(self) -> str:
        return f"raw.feed_{self.feed}"


# ---------------------------------------------------------------------------------------------
# configuration


def _header_key(text: object) -> str:
    """Headers compare after NFKC, without spaces: 月代发金额（元） == 月代发金额(元)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text or ""))).lower()


def load_feeds_config(feeds_config: Path | str | Mapping | None = None) -> dict[str, FeedSpec]:
    """Read and check feeds.yaml; every mistake is reported with file and key path."""
    if feeds_config is None or isinstance(feeds_config, (str, Path)):
        path = Path(feeds_config) if feeds_config is not None else configs_dir() / "feeds.yaml"
        if not path.exists():
            raise FeedsConfigError(f"{path}: feeds config not found")
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise FeedsConfigError(f"{path}: not valid YAML ({exc})") from None
        origin = str(path)
    else:
        data, origin = dict(feeds_config), "feeds config"

    def fail(key: str, problem: str) -> None:
        raise FeedsConfigError(f"{origin}: {key}: {problem}")

    feeds = data.get("feeds")
    if not isinstance(feeds, Mapping) or not feeds:
        fail("feeds", "missing or not a mapping of feed name → columns")
    specs: dict[str, FeedSpec] = {}
    for feed, body in feeds.items():
        if feed not in CANONICAL_COLUMNS:
            fail(f"feeds.{feed}", f"unknown feed (known: {', '.join(CANONICAL_COLUMNS)})")
        if not isinstance(body, Mapping) or not isinstance(body.get("columns"), Mapping):
            fail(f"feeds.{feed}.columns", "missing or not a mapping")
        columns = []
        for name, col in body["columns"].items():
            key = f"feeds.{feed}.columns.{name}"
            if name not in CANONICAL_COLUMNS[feed]:
                fail(key, f"not a canonical column of {feed} ({', '.join(CANONICAL_COLUMNS[feed])})")
            if not isinstance(col, Mapping):
                fail(key, "must be a mapping with from/type")
            headers = col.get("from")
            if isinstance(headers, str):
                headers = [headers]
            if not headers or not all(isinstance(h, str) and h.strip() for h in headers):
                fail(f"{key}.from", "must list at least one export header")
            ctype = col.get("type")
            if ctype not in SQL_TYPES:
                fail(f"{key}.type", f"unknown type {ctype!r} (one of {', '.join(SQL_TYPES)})")
            required = col.get("required", False)
            if not isinstance(required, bool):
                fail(f"{key}.required", "must be true or false")
            columns.append(FeedColumn(name, tuple(headers), ctype, required))
        missing = [c for c in CANONICAL_COLUMNS[feed] if c not in body["columns"]]
        if missing:
            fail(f"feeds.{feed}.columns", f"canonical columns not mapped: {', '.join(missing)}")
        order = {c: i for i, c in enumerate(CANONICAL_COLUMNS[feed])}
        columns.sort(key=lambda c: order[c.name])
        specs[feed] = FeedSpec(feed, str(body.get("title") or feed), tuple(columns))
    return specs


# ---------------------------------------------------------------------------------------------
# reading files


def _cell_text(value: Any) -> str:
    """One cell as the text a person would read (xlsx/parquet cells arrive typed)."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        if pd.isna(value):
            return ""
        return value.date().isoformat() if (value.hour, value.minute, value.second) == (0, 0, 0) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is pd.NaT or (not isinstance(value, (str, bytes)) and pd.isna(value) is True):
        return ""
    return str(value).strip()


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) when it decodes; otherwise GB18030 (a superset of GBK)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def read_feed_file(path: Path) -> tuple[list[str], list[list[str]]]:
    """Headers and rows of a CSV/XLSX/Parquet export, every cell as trimmed text."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        text = decode_text(path.read_bytes())
        rows = list(csv.reader(io.StringIO(text)))
        if not rows:
            return [], []
        header, body = rows[0], rows[1:]
        return [h.strip() for h in header], [[c.strip() for c in r] for r in body]
    if suffix in (".xlsx", ".xlsm"):
        frame = pd.read_excel(path, dtype=object, header=None, engine="openpyxl")
    elif suffix == ".parquet":
        frame = pd.read_parquet(path)
        frame = pd.DataFrame([list(frame.columns)] + frame.astype(object).values.tolist())
    else:
        raise ValueError(f"unsupported file type {suffix}")
    values = [[_cell_text(v) for v in row] for row in frame.astype(object).values.tolist()]
    if not values:
        return [], []
    return values[0], values[1:]


# ---------------------------------------------------------------------------------------------
# value checks: each returns the canonical text or raises _BadValue(reason)


class _BadValue(Exception):
    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


_AMOUNT_CLEAN = re.compile(r"[,，\s¥￥元]|RMB|CNY", re.IGNORECASE)
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
)
_MONTH_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})(\d{2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月?$"),
)
_TRUE = {"是", "y", "yes", "true", "1", "逾期", "t"}
_FALSE = {"否", "n", "no", "false", "0", "正常", "f", "未逾期"}


def parse_amount(text: str, column: str) -> float:
    cleaned = _AMOUNT_CLEAN.sub("", unicodedata.normalize("NFKC", text))
    factor = 1.0
    if cleaned.endswith("万"):
        cleaned, factor = cleaned[:-1], 10_000.0
    elif cleaned.endswith("亿"):
        cleaned, factor = cleaned[:-1], 100_000_000.0
    try:
        value = float(cleaned) * factor
    except ValueError:
        raise _BadValue("bad_number", f"{column}: {text!r} is not a number") from None
    if not math.isfinite(value):
        raise _BadValue("bad_number", f"{column}: {text!r} is not a finite number")
    return value


def parse_int(text: str, column: str) -> int:
    value = parse_amount(text, column)
    if not value.is_integer():
        raise _BadValue("bad_number", f"{column}: {text!r} is not a whole number")
    return int(value)


def parse_feed_date(text: str, column: str, month_only: bool = False) -> dt.date:
    text = unicodedata.normalize("NFKC", text).strip()
    patterns = _MONTH_PATTERNS if month_only else _DATE_PATTERNS
    for pattern in patterns:
        match = pattern.match(text)
        if match:
            parts = [int(p) for p in match.groups()]
            try:
                return dt.date(parts[0], parts[1], parts[2] if len(parts) > 2 else 1)
            except ValueError:
                break
    if month_only:  # a full date in a month column still names its month
        try:
            return parse_feed_date(text, column).replace(day=1)
        except _BadValue:
            pass
    kind = "month (YYYY-MM)" if month_only else "date (YYYY-MM-DD)"
    raise _BadValue("bad_date", f"{column}: {text!r} is not a {kind}")


def parse_bool(text: str, column: str) -> bool:
    key = text.strip().lower()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise _BadValue("bad_bool", f"{column}: {text!r} is not 是/否")


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


def _match_headers(spec: FeedSpec, headers: list[str]) -> tuple[dict[str, int], list[FeedColumn]]:
    positions = {}
    for index, header in enumerate(headers):
        positions.setdefault(_header_key(header), index)
    found: dict[str, int] = {}
    missing: list[FeedColumn] = []
    for column in spec.columns:
        for header in column.headers:
            if _header_key(header) in positions:
                found[column.name] = positions[_header_key(header)]
                break
        else:
            if column.required:
                missing.append(column)
    return found, missing


def _quarantine_row(spec: FeedSpec, found: dict[str, int], headers: list[str], raw: list[str]) -> dict:
    """The row as the export wrote it, restricted to mapped columns, personal values hashed."""
    row = {}
    for column in spec.columns:
        if column.name not in found:
            continue
        index = found[column.name]
        value = raw[index] if index < len(raw) else ""
        if column.type in PERSONAL_TYPES:
            value = hash_pii(value, column.type)
        row[headers[index]] = value
    return row


def _check_row(spec: FeedSpec, found: dict[str, int], raw: list[str]) -> tuple[dict, list[str]]:
    """Canonical values of one row (text, ready to CAST) and its issues; raises _BadValue."""
    values: dict[str, Any] = {}
    issues: list[str] = []
    for column in spec.columns:
        index = found.get(column.name)
        text = raw[index].strip() if index is not None and index < len(raw) else ""
        if not text:
            if column.required:
                reason = "empty_name" if column.type == "name" else "missing_value"
                raise _BadValue(reason, f"{column.name}: required value is empty")
            values[column.name] = None
            continue
        ctype = column.type
        if ctype == "name":
            # the same border check as scraped names: hostile strings never become companies
            problem = org_name_problem(raw[index])
            if problem is not None:
                raise _BadValue(problem.reason, f"{column.name}: {problem.detail}")
        if ctype in ("name", "text"):
            values[column.name] = unicodedata.normalize("NFKC", text).strip()
        elif ctype == "uscc":
            code = clean_code(text)
            if is_valid_uscc(code):
                values[column.name] = code
            else:
                values[column.name] = None
                issues.append("invalid_uscc")
        elif ctype == "int":
            values[column.name] = str(parse_int(text, column.name))
        elif ctype == "amount":
            values[column.name] = repr(parse_amount(text, column.name))
        elif ctype == "date":
            values[column.name] = parse_feed_date(text, column.name).isoformat()
        elif ctype == "month":
            values[column.name] = parse_feed_date(text, column.name, month_only=True).isoformat()
        elif ctype == "bool":
            values[column.name] = "true" if parse_bool(text, column.name) else "false"
        elif ctype in PERSONAL_TYPES:
            values[column.name] = hash_pii(text, ctype)
    return values, issues


def _record_id(feed: str, feed_file: str, raw_for_id: list[str], seen: dict[str, int]) -> str:
    """`<feed>:<sha1 of the raw row>`; the file name and an occurrence counter keep two identical
    rows (in one file or in two monthly files) apart. Personal cells enter only as their hashes."""
    payload = "\x1f".join([feed_file, *raw_for_id])
    occurrence = seen.get(payload, 0)
    seen[payload] = occurrence + 1
    if occurrence:
        payload += f"\x1e{occurrence}"
    return f"{feed}:{hashlib.sha1(payload.encode('utf-8')).hexdigest()}"


def create_feed_tables(con: duckdb.DuckDBPyConnection, specs: Mapping[str, FeedSpec]) -> None:
    ensure_schemas(con)
    for spec in specs.values():
        cols = ", ".join(f"{c.name} {SQL_TYPES[c.type]}" for c in spec.columns)
        con.execute(
            f"CREATE TABLE IF NOT EXISTS {spec.table} (record_id VARCHAR, {cols}, row_issues VARCHAR[], "
            "feed_file VARCHAR, row_number INTEGER, feed_date DATE)"
        )
    con.execute(
        "CREATE TABLE IF NOT EXISTS raw.feed_files (feed VARCHAR, feed_file VARCHAR, status VARCHAR, rows INTEGER, "
        "quarantined INTEGER, flagged INTEGER, message VARCHAR, bytes BIGINT, sha1 VARCHAR, loaded_at TIMESTAMP)"
    )


def load_feed_file(
    con: duckdb.DuckDBPyConnection, spec: FeedSpec, path: Path, paths: DataPaths, feed_file: str | None = None
) -> FileOutcome:
    """Check one export against its contract and load it atomically (replacing its earlier rows)."""
    feed_file = feed_file or f"{spec.feed}/{path.name}"
    data = path.read_bytes()
    sha1 = hashlib.sha1(data).hexdigest()
    quarantine_path = paths.feed_quarantine(spec.feed) / f"{path.stem}.jsonl"
    try:
        headers, rows = read_feed_file(path)
    except Exception as exc:  # a corrupt workbook, an undecodable file
        message = f"{feed_file}: cannot be read ({type(exc).__name__}: {exc}); nothing loaded"
        return _refuse(con, spec, feed_file, message, len(data), sha1, quarantine_path)
    found, missing = _match_headers(spec, headers)
    if missing:
        names = ", ".join(f"{c.headers[0]} ({c.name})" for c in missing)
        message = (
            f"{feed_file}: missing columns {names}; expected by configs/feeds.yaml feeds.{spec.feed}; "
            "nothing of this file loaded"
        )
        return _refuse(con, spec, feed_file, message, len(data), sha1, quarantine_path)

    feed_date = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC).date().isoformat()
    good: list[dict] = []
    quarantined: list[dict] = []
    seen_ids: dict[str, int] = {}
    flagged = 0
    personal_positions = {found[c.name]: c.type for c in spec.columns if c.type in PERSONAL_TYPES and c.name in found}
    for number, raw in enumerate(rows, start=1):
        if not any(cell.strip() for cell in raw):
            continue  # blank line at the end of an export
        try:
            values, issues = _check_row(spec, found, raw)
        except _BadValue as bad:
            quarantined.append({
                "feed": spec.feed, "file": feed_file, "row_number": number, "reason": bad.reason,
                "detail": bad.detail, "row": _quarantine_row(spec, found, headers, raw),
            })
            continue
        raw_for_id = [
            hash_pii(cell, personal_positions[i]) or "" if i in personal_positions else cell for i, cell in enumerate(raw)
        ]
        values["record_id"] = _record_id(spec.feed, feed_file, raw_for_id, seen_ids)
        values["row_issues"] = ",".join(issues)
        values["row_number"] = number
        flagged += bool(issues)
        good.append(values)

    columns = [c.name for c in spec.columns]
    frame = pd.DataFrame(good, columns=["record_id", *columns, "row_issues", "row_number"], dtype=object)
    casts = ", ".join(f"CAST({c.name} AS {SQL_TYPES[c.type]}) AS {c.name}" for c in spec.columns)
    con.execute("BEGIN TRANSACTION")
    try:
        con.register("feed_rows_frame", frame)
        con.execute(f"DELETE FROM {spec.table} WHERE feed_file = ?", [feed_file])
        if len(frame):
            con.execute(
                f"INSERT INTO {spec.table} SELECT CAST(record_id AS VARCHAR), {casts}, "
                "CASE WHEN coalesce(row_issues, '') = '' THEN CAST([] AS VARCHAR[]) "
                "ELSE string_split(row_issues, ',') END, ?, CAST(row_number AS INTEGER), CAST(? AS DATE) "
                "FROM feed_rows_frame",
                [feed_file, feed_date],
            )
        _record_file(con, spec.feed, feed_file, "loaded", len(good), len(quarantined), flagged, None, len(data), sha1)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    finally:
        con.unregister("feed_rows_frame")
    _write_quarantine(quarantine_path, quarantined)
    return FileOutcome(spec.feed, feed_file, "loaded", len(good), len(quarantined), flagged)


def _record_file(con, feed, feed_file, status, rows, quarantined, flagged, message, size, sha1) -> None:
    con.execute("DELETE FROM raw.feed_files WHERE feed_file = ?", [feed_file])
    con.execute(
        "INSERT INTO raw.feed_files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, current_timestamp)",
        [feed, feed_file, status, rows, quarantined, flagged, message, size, sha1],
    )


def _refuse(con, spec: FeedSpec, feed_file: str, message: str, size: int, sha1: str, quarantine_path: Path) -> FileOutcome:
    # Rows of an earlier good version of the same file stay: refusing never half-replaces them.
    kept = con.execute(f"SELECT count(*) FROM {spec.table} WHERE feed_file = ?", [feed_file]).fetchone()[0]
    _record_file(con, spec.feed, feed_file, "refused", kept, 0, 0, message, size, sha1)
    _write_quarantine(quarantine_path, [{
        "feed": spec.feed, "file": feed_file, "row_number": None, "reason": "wrong_columns", "detail": message,
        "row": None,
    }])
    return FileOutcome(spec.feed, feed_file, "refused", 0, 0, 0, message)


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
    for feed, spec in specs.items():
        counts = {"files": 0, "loaded": 0, "quarantined": 0, "flagged": 0, "refused_files": 0}
        folder = paths.inbox / feed
        files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in FEED_FILE_SUFFIXES) \
            if folder.is_dir() else []
        for path in files:
            outcome = load_feed_file(con, spec, path, paths)
            counts["files"] += 1
            counts["loaded"] += outcome.rows
            counts["quarantined"] += outcome.quarantined
            counts["flagged"] += outcome.flagged
            if outcome.status == "refused":
                counts["refused_files"] += 1
                refusals.append(outcome.message or outcome.feed_file)
        counts["rows_total"] = con.execute(f"SELECT count(*) FROM {spec.table}").fetchone()[0]
        result[feed] = counts
    result["refusals"] = refusals
    result["pii_key"] = "demo key (protects nothing)" if using_demo_key() else f"key {pii_key_id}"
    if strict and refusals:
        raise FeedContractError(refusals[0] if len(refusals) == 1 else " | ".join(refusals))
    return result
