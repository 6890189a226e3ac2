"""Company codes: the 18-character USCC (统一社会信用代码) and the legacy identifiers.

- USCC (GB 32100-2015): classified in bulk (`parse_codes`) with the kernel's one vectorised
  check (kernel/uscc.py, python-stdnum its oracle). Positions 3-8 are the administrative division code, a region fallback when the name has none.
- Legacy 15-digit registration number (注册号) and 9-character organisation code ("74901211-8")
  are recognised by shape only; they are never used as keys.
A code with a bad check character is kept as written, flagged invalid, and never used as a key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# clean_code, is_valid_uscc and uscc_check_ok are the kernel's (kernel/uscc.py), named here for the
# warehouse's callers (feeds, resolution) beside the classification below
from kernel.uscc import (  # noqa: F401
    as_text_array,
    check_one,
    clean_code,
    clean_codes,
    compact_code,
    is_valid_uscc,
    uscc_check_ok,
)
from warehouse.regions import Region, division_region

_REGNO_SHAPE = re.compile(r"^[0-9]{15}$")
_ORGCODE_SHAPE = re.compile(r"^[0-9A-Z]{8}-?[0-9X]$")

KINDS = ("empty", "uscc", "regno15", "orgcode", "unknown")


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


@dataclass(frozen=True)
class CodeColumns:
    """Parsed codes, one entry per input value (numpy arrays of equal length)."""

    code: np.ndarray  # object: cleaned code; a valid USCC as its 18 characters
    kind: np.ndarray  # object: one of KINDS
    valid: np.ndarray  # bool: a USCC with a correct check character
    division: np.ndarray  # object: 6-digit division code ('' none): USCC positions 3-8, 注册号 1-6
    region: np.ndarray  # (n, 3) int32: province, city, district codes of the division (0 unknown)

    def __len__(self) -> int:
        return len(self.code)


def _division_regions(division: np.ndarray) -> np.ndarray:
    """(n, 3) int32 region codes, looked up once per distinct division."""
    out = np.zeros((len(division), 3), dtype=np.int32)
    if not len(division):
        return out
    distinct, inverse = np.unique(division.astype(str), return_inverse=True)
    table = np.zeros((len(distinct), 3), dtype=np.int32)
    for i, code6 in enumerate(distinct.tolist()):
        if code6:
            region = division_region(code6)
            table[i] = [int(part) if part else 0 for part in (region.province, region.city, region.district)]
    return table[inverse.reshape(-1)]


def parse_codes(raw_codes) -> CodeColumns:
    """Clean, classify and check a column of codes as written (None/NaN count as empty).

    Codes of ASCII letters and digits only (nearly all) are upper-cased and checked in Arrow and
    numpy; the others are cleaned in Arrow as well (NFKC, spaces, upper case) before the same check."""
    text = as_text_array(raw_codes)
    n = len(text)
    code, compact = clean_codes(text)
    compact_arrow = pa.array(compact.tolist(), type=pa.string())
    valid = uscc_check_ok(compact_arrow)
    length = pc.fill_null(pc.utf8_length(compact_arrow), 0).to_numpy(zero_copy_only=False)
    kind = np.full(n, "unknown", dtype=object)
    division = np.full(n, "", dtype=object)
    is_uscc = valid | (length == 18)
    kind[is_uscc] = "uscc"
    code[valid] = compact[valid]
    division[valid] = pc.utf8_slice_codeunits(compact_arrow.filter(pa.array(valid)), 2, 8).to_numpy(
        zero_copy_only=False)
    rest = np.flatnonzero(~is_uscc)
    if len(rest):
        codes = pa.array(code[rest].tolist(), type=pa.string())
        empty = pc.equal(pc.utf8_length(codes), 0).to_numpy(zero_copy_only=False)
        regno = pc.match_substring_regex(codes, _REGNO_SHAPE.pattern).to_numpy(zero_copy_only=False)
        org = pc.match_substring_regex(codes, _ORGCODE_SHAPE.pattern).to_numpy(zero_copy_only=False) & ~regno
        kind[rest[empty]] = "empty"
        kind[rest[regno]] = "regno15"
        division[rest[regno]] = [c[:6] for c in code[rest[regno]].tolist()]
        kind[rest[org]] = "orgcode"
        code[rest[org]] = [c if "-" in c else c[:8] + "-" + c[8:] for c in code[rest[org]].tolist()]
    return CodeColumns(code=code, kind=kind, valid=valid, division=division, region=_division_regions(division))


@lru_cache(maxsize=100_000)
def parse_code(raw: str) -> CodeInfo:
    """One code, by the rules of parse_codes (feeds and checks call this per value)."""
    code = clean_code(raw)
    raw = raw if isinstance(raw, str) else ("" if code == "" else str(raw))
    if not code:
        return CodeInfo(raw, "", "empty", False, Region())
    compact = compact_code(code)
    if check_one(compact):
        return CodeInfo(raw, compact, "uscc", True, division_region(compact[2:8]))
    if len(compact) == 18:
        return CodeInfo(raw, code, "uscc", False, Region())
    if _REGNO_SHAPE.match(code):
        return CodeInfo(raw, code, "regno15", False, division_region(code[:6]))
    if _ORGCODE_SHAPE.match(code):
        return CodeInfo(raw, code if "-" in code else code[:8] + "-" + code[8:], "orgcode", False, Region())
    return CodeInfo(raw, code, "unknown", False, Region())
