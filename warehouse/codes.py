"""Company codes: the 18-character USCC (统一社会信用代码) and the legacy identifiers.

- USCC: validated like python-stdnum's `stdnum.cn.uscc` (18 characters, 8 digits, the GB 32100
  alphabet, check character), written out here because stdnum's version costs ~60 µs a code. Positions 3-8 are the
  administrative division code, a region fallback when the name has none.
- Legacy 15-digit registration number (注册号) and 9-character organisation code ("74901211-8")
  are recognised by shape only; they are never used as keys.
A code with a bad check character is kept as written, flagged invalid, and never used as a key.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from warehouse.regions import Region, division_region

_NOISE = re.compile(r"[\s\u200b-\u200f\u2060\ufeff]+")
_USCC_SHAPE = re.compile(r"^\d{8}[0-9A-HJ-NPQRTUWXY]{10}$")
_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {c: i for i, c in enumerate(_ALPHABET)}
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_REGNO_SHAPE = re.compile(r"^\d{15}$")
_ORGCODE_SHAPE = re.compile(r"^[0-9A-Z]{8}-?[0-9X]$")


@dataclass(frozen=True)
class CodeInfo:
    raw: str
    code: str  # cleaned (NFKC, upper case, no spaces)
    kind: str  # uscc | regno15 | orgcode | unknown | empty
    valid: bool  # a USCC with a correct check character
    region: Region

    @property
    def key(self) -> str | None:
        """The value to match on: only a valid USCC."""
        return self.code if self.valid else None


def clean_code(raw: object) -> str:
    if raw is None or (isinstance(raw, float) and raw != raw):
        return ""
    text = unicodedata.normalize("NFKC", str(raw))
    return _NOISE.sub("", text).upper()


def uscc_check_character(code: str) -> str:
    """The check character of the first 17 characters (GB 32100-2015; code already shaped)."""
    value = _VALUE
    total = sum(value[c] * w for c, w in zip(code, _WEIGHTS))
    return _ALPHABET[(31 - total) % 31]


def is_valid_uscc(code: str) -> bool:
    return parse_code(code).valid


@lru_cache(maxsize=500_000)
def parse_code(raw: str) -> CodeInfo:
    code = clean_code(raw)
    if not code:
        return CodeInfo(raw or "", "", "empty", False, Region())
    if len(code) == 18:
        valid = bool(_USCC_SHAPE.match(code)) and code[17] == uscc_check_character(code)
        region = division_region(code[2:8]) if valid else Region()
        return CodeInfo(raw, code, "uscc", valid, region)
    if _REGNO_SHAPE.match(code):
        return CodeInfo(raw, code, "regno15", False, division_region(code[:6]))
    if _ORGCODE_SHAPE.match(code):
        if "-" not in code:
            code = code[:8] + "-" + code[8:]
        return CodeInfo(raw, code, "orgcode", False, Region())
    return CodeInfo(raw, code, "unknown", False, Region())
