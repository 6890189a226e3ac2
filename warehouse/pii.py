"""Personal data minimisation: individuals' names and ID numbers are never stored in clear.

Every personal value that enters the warehouse (or a quarantine file) goes through `hash_pii`:
HMAC-SHA256 under a secret key, so equal values still match across feeds (the same contact in
payroll and in credit data) while the clear value cannot be read back. A plain or salted hash is
not enough: an 18-digit ID number has so few likely values that anyone who knows the salt recovers
it by enumeration in seconds. Without the key, enumeration is impossible.

The key comes from `TUOKE_PII_KEY_FILE` (a file holding the key; preferred) or `TUOKE_PII_KEY`
(the key itself), at least 32 characters. With neither set, hashing refuses with one clear line —
except in the demo, which opts in with `TUOKE_PII_DEMO_KEY=1` to a published demo key and says so
on every run (its hashes protect nothing).

A hash reads `hmac:<key id>:<hex>`; the key id (8 hex of SHA-256 of the key) shows under which key
a row was hashed, so a rotation that was not rebuilt everywhere is visible.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from kernel.errors import UserError

logger = logging.getLogger(__name__)

HASH_PREFIX = "hmac:"
MIN_KEY_LENGTH = 32
# Public on purpose: the demo's personal data is invented; real data must never use this key.
DEMO_PII_KEY = "tuoke-demo-pii-key-public-not-a-secret-0000"
DEMO_KEY_NOTICE = ("PII: the demo key is in use — hashes of personal data protect nothing; "
                   "set TUOKE_PII_KEY_FILE for real data")

# 18-character resident ID number (居民身份证号): 17 digits and a digit or X.
_PERSON_ID = re.compile(r"^\d{17}[\dX]$")


class PiiKeyError(UserError):
    """No usable PII key: the message says which variable to set."""


def pii_key() -> bytes:
    """The key in force now (read on every call: tests and resources may set it late)."""
    key_file = os.environ.get("TUOKE_PII_KEY_FILE")
    if key_file:
        try:
            key = _read_key_file(key_file, Path(key_file).stat().st_mtime_ns)
        except OSError as exc:
            raise PiiKeyError(f"TUOKE_PII_KEY_FILE={key_file}: cannot read the PII key ({exc.strerror})") from None
        origin = f"TUOKE_PII_KEY_FILE={key_file}"
    elif os.environ.get("TUOKE_PII_KEY"):
        key, origin = os.environ["TUOKE_PII_KEY"].strip(), "TUOKE_PII_KEY"
    elif os.environ.get("TUOKE_PII_DEMO_KEY") == "1":
        return DEMO_PII_KEY.encode()
    else:
        raise PiiKeyError(
            "no PII key: set TUOKE_PII_KEY_FILE (a file with a secret of 32+ characters) or TUOKE_PII_KEY; "
            "personal data is never hashed without one (the demo uses TUOKE_PII_DEMO_KEY=1)"
        )
    if len(key) < MIN_KEY_LENGTH:
        raise PiiKeyError(f"{origin}: the PII key is {len(key)} characters; it needs at least {MIN_KEY_LENGTH}")
    return key.encode()


@lru_cache(maxsize=4)
def _read_key_file(path: str, mtime_ns: int) -> str:
    """Read once per file version (hash_pii runs for every personal cell)."""
    return Path(path).read_text(encoding="utf-8").strip()


def using_demo_key() -> bool:
    return pii_key() == DEMO_PII_KEY.encode()


def key_id(key: bytes | None = None) -> str:
    """8 hex characters naming the key (not enough to help guess it)."""
    return hashlib.sha256(key if key is not None else pii_key()).hexdigest()[:8]


def require_pii_key() -> str:
    """Refuse early (one line) when no key is set; announce the demo key. Returns the key id."""
    key = pii_key()
    if key == DEMO_PII_KEY.encode():
        logger.warning(DEMO_KEY_NOTICE)
    return key_id(key)


def normalise_pii(value: object) -> str | None:
    """Trim, NFKC and upper-case, so '３３０１…x ' and '3301…X' hash alike; empty → None."""
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip().replace(" ", "").upper()
    return text or None


def hash_pii(value: object, kind: str = "pii") -> str | None:
    """HMAC-SHA256 of a personal value; `kind` (person_name, person_id) keeps kinds apart."""
    text = normalise_pii(value)
    if text is None:
        return None
    key = pii_key()
    digest = hmac.new(key, f"{kind}|{text}".encode(), hashlib.sha256).hexdigest()
    return f"{HASH_PREFIX}{key_id(key)}:{digest}"


def looks_like_person_id(value: object) -> bool:
    """True for a resident ID number with a valid check digit (GB 11643)."""
    text = normalise_pii(value)
    if text is None or not _PERSON_ID.match(text):
        return False
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(text[:17], weights))
    return "10X98765432"[total % 11] == text[17]
