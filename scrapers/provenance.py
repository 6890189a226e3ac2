"""Run ids, content hashes and mention ids: the provenance every landed record carries."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime


def new_run_id(now: datetime | None = None) -> str:
    """`YYYYMMDDTHHMMSSZ-xxxxxx` (UTC timestamp plus 6 hex chars), as docs/CONTRACTS.md fixes it."""
    now = now or datetime.now(UTC)
    return now.strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


def utc_now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def content_hash(body: bytes) -> str:
    return hashlib.sha1(body).hexdigest()


def _raw(value: object) -> str:
    return "" if value is None else str(value)


def mention_id(source_id: str, url: str, role: object, name: object, lot: object, rank: object) -> str:
    """sha1 of the *raw* values (never cleaned ones), so a cleaning change never rewrites ids."""
    key = "|".join(_raw(v) for v in (source_id, url, role, name, lot, rank))
    return hashlib.sha1(key.encode("utf-8")).hexdigest()
