"""Company codes: the 18-character USCC (统一社会信用代码) and the legacy identifiers.

- USCC: validated with python-stdnum (`stdnum.cn.uscc`, ~11 µs a code; parse_code is cached per
  distinct code, so a million records cost a few seconds at most). Positions 3-8 are the
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

from stdnum.cn import uscc as stdnum_uscc

from warehouse.regions import Region, division_region

_NOISE = re.compile(r"[\s\u200b-\u200f\u2060\ufeff]+")
_USCC_SHAPE = re.compile(r"^\d{8}[0-9A-HJ-NPQRTUWXY]{10}$")
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


def is_valid_uscc(code: str) -> bool:
    return parse_code(code).valid


@lru_cache(maxsize=500_000)
def parse_code(raw: str) -> CodeInfo:
    code = clean_code(raw)
    if not code:
        return CodeInfo(raw or "", "", "empty", False, Region())
    if len(code) == 18:
        valid = bool(_USCC_SHAPE.match(code)) and stdnum_uscc.is_valid(code)
        region = division_region(code[2:8]) if valid else Region()
        return CodeInfo(raw, code, "uscc", valid, region)
    if _REGNO_SHAPE.match(code):
        return CodeInfo(raw, code, "regno15", False, division_region(code[:6]))
    if _ORGCODE_SHAPE.match(code):
        if "-" not in code:
            code = code[:8] + "-" + code[8:]
        return CodeInfo(raw, code, "orgcode", False, Region())
    return CodeInfo(raw, code, "unknown", False, Region())
