"""Personal data minimisation: individuals' names and ID numbers are never stored in clear.

Every personal value that enters the warehouse (or a quarantine file) goes through `hash_pii`:
a salted SHA-256, so equal values still match across feeds (the same contact in payroll and in
credit data) while the clear value cannot be read back. The salt comes from env TUOKE_PII_SALT;
the fixed development default is only for demos and tests.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata

DEV_PII_SALT = "tuoke-dev-salt-change-me"
HASH_PREFIX = "sha256:"

# 18-character resident ID number (居民身份证号): 17 digits and a digit or X.
_PERSON_ID = re.compile(r"^\d{17}[\dX]$")


def pii_salt() -> str:
    """The salt in force now (read on every call: tests and resources may set it late)."""
    return os.environ.get("TUOKE_PII_SALT") or DEV_PII_SALT


def normalise_pii(value: object) -> str | None:
    """Trim, NFKC and upper-case, so '３３０１…x ' and '3301…X' hash alike; empty → None."""
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip().replace(" ", "").upper()
    return text or None


def hash_pii(value: object, kind: str = "pii") -> str | None:
    """Salted SHA-256 of a personal value; `kind` (person_name, person_id) keeps kinds apart."""
    text = normalise_pii(value)
    if text is None:
        return None
    digest = hashlib.sha256(f"{pii_salt()}|{kind}|{text}".encode()).hexdigest()
    return HASH_PREFIX + digest


def looks_like_person_id(value: object) -> bool:
    """True for a resident ID number with a valid check digit (GB 11643)."""
    text = normalise_pii(value)
    if text is None or not _PERSON_ID.match(text):
        return False
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(text[:17], weights))
    return "10X98765432"[total % 11] == text[17]
