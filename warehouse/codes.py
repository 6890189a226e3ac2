"""Company codes: the 18-character USCC (统一社会信用代码) and the legacy identifiers.

- USCC (GB 32100-2015): checked in bulk (`parse_codes`): cleaned in Arrow, the codes of a column
  become one (n, 18) matrix of alphabet values, and the check character of every row is computed
  at once in numpy (about 1 µs of CPU a code, cleaning included, where python-stdnum's
  clean + validate costs ~14 µs). python-stdnum (`stdnum.cn.uscc`) stays the oracle: same verdict
  as `stdnum.cn.uscc.is_valid(clean_code(raw))` in tests/resolve/test_codes_bulk.py (a generated
  sample, every BMP character written into a code, the corner cases) and on a million generated
  codes in `python -m benchmarks.resolve.uscc_cases` (make bench). stdnum's own separators count:
  a code written with dashes is compacted as stdnum does.
  Positions 3-8 are the administrative division code, a region fallback when the name has none.
- Legacy 15-digit registration number (注册号) and 9-character organisation code ("74901211-8")
  are recognised by shape only; they are never used as keys.
A code with a bad check character is kept as written, flagged invalid, and never used as a key.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from warehouse.regions import Region, division_region

_NOISE = re.compile(r"[\s\u200b-\u200f\u2060\ufeff]+")
_PLAIN = re.compile(r"[0-9A-Za-z]*")  # nothing to normalise but the letter case
_REGNO_SHAPE = re.compile(r"^[0-9]{15}$")
_ORGCODE_SHAPE = re.compile(r"^[0-9A-Z]{8}-?[0-9X]$")
# what stdnum's compact() deletes from a cleaned code: "-" and the characters it maps onto "-"
# that survive NFKC (computed over every code point; the oracle test pins the result)
_DASHES = ("-\u02d7\u058a\u05be\u180a\u2010\u2012\u2013\u2014\u2015\u2043\u2212"
           "\u23af\u23ba\u23bb\u23bc\u23bd\u23e4")
_NO_DASHES = str.maketrans("", "", _DASHES)

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
WEIGHTS = np.array([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28], dtype=np.int64)
# code point -> alphabet value (-1: not in the alphabet); code points >= 128 are never in it
_VALUE = np.full(128, -1, dtype=np.int64)
_VALUE[[ord(c) for c in ALPHABET]] = np.arange(len(ALPHABET))

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


def clean_code(raw: object) -> str:
    if raw is None or (isinstance(raw, float) and raw != raw):
        return ""
    text = str(raw)
    if _PLAIN.fullmatch(text):  # the usual case: ASCII letters and digits only
        return text.upper()
    text = unicodedata.normalize("NFKC", text)
    return _NOISE.sub("", text).upper()


def _ascii_matrix(codes: pa.Array) -> np.ndarray:
    """(n, 18) uint8 of an Arrow array of 18-byte strings, read straight from its data buffer."""
    n = len(codes)
    codes = pa.concat_arrays([codes]) if codes.offset else codes
    offsets = np.frombuffer(codes.buffers()[1], dtype=np.int32, count=n + 1)
    data = np.frombuffer(codes.buffers()[2], dtype=np.uint8)
    return data[offsets[0]:offsets[0] + 18 * n].reshape(n, 18)


def uscc_check_ok(codes) -> np.ndarray:
    """Row-wise: an 18-character string with 8 digits, then alphabet characters, and the right
    check character. `codes` holds cleaned strings of any length (None: not valid)."""
    array = codes if isinstance(codes, pa.Array) else pa.array(list(codes), type=pa.string())
    out = np.zeros(len(array), dtype=bool)
    if not len(array):
        return out
    # 18 bytes = 18 ASCII characters; anything else (other lengths, non-ASCII) cannot be valid
    rows = np.flatnonzero(pc.fill_null(pc.equal(pc.binary_length(array), 18), False).to_numpy(zero_copy_only=False))
    if not len(rows):
        return out
    chars = _ascii_matrix(array.take(pa.array(rows))).astype(np.int64)
    values = _VALUE[np.minimum(chars, 127)]  # bytes >= 128 belong to multi-byte characters: never 18 of them
    shape_ok = (values >= 0).all(axis=1) & (values[:, :8] <= 9).all(axis=1)
    check = (31 - (values[:, :17] * WEIGHTS).sum(axis=1) % 31) % 31
    out[rows] = shape_ok & (values[:, 17] == check)
    return out


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


def _as_text(raw) -> pa.Array:
    values = raw.tolist() if isinstance(raw, np.ndarray) else list(raw)
    try:
        return pa.array(values, type=pa.string(), from_pandas=True)  # None and NaN become null
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
        return pa.array([clean_code(v) for v in values], type=pa.string())


# Python's \s (str.isspace) in RE2 terms, plus the invisible characters clean_code removes
_NOISE_RE2 = r"[\s\p{Z}\x{0b}\x{1c}-\x{1f}\x{85}\x{200b}-\x{200f}\x{2060}\x{feff}]+"


def _clean_in_arrow(text: pa.Array) -> list[str]:
    """clean_code over an Arrow array: NFKC, spaces out, upper case — in Arrow where the result is
    ASCII (Arrow's and Python's Unicode tables agree there; the oracle test checks every BMP
    character), one by one through clean_code where it is not (those are never valid anyway, but
    the cleaned text stays exactly clean_code's)."""
    folded = pc.utf8_upper(pc.replace_substring_regex(pc.utf8_normalize(pc.fill_null(text, ""), "NFKC"),
                                                      _NOISE_RE2, ""))
    out = folded.to_pylist()
    odd = np.flatnonzero(~pc.string_is_ascii(folded).to_numpy(zero_copy_only=False))
    if len(odd):
        raws = text.take(pa.array(odd)).to_pylist()
        for i, raw in zip(odd.tolist(), raws):
            out[i] = clean_code(raw)
    return out


def parse_codes(raw_codes) -> CodeColumns:
    """Clean, classify and check a column of codes as written (None/NaN count as empty).

    Codes of ASCII letters and digits only (nearly all) are upper-cased and checked in Arrow and
    numpy; the others are cleaned in Arrow as well (NFKC, spaces, upper case) before the same check."""
    text = _as_text(raw_codes)
    n = len(text)
    plain = pc.fill_null(pc.match_substring_regex(text, r"^[0-9A-Za-z]*$"), False).to_numpy(zero_copy_only=False)
    code = pc.ascii_upper(text).to_numpy(zero_copy_only=False).astype(object)
    compact = code.copy()
    other = np.flatnonzero(~plain)
    if len(other):
        cleaned = _clean_in_arrow(text.take(pa.array(other)))
        code[other] = cleaned
        # stdnum compacts separators away before checking: a dashed USCC is still a USCC
        compact[other] = [c.translate(_NO_DASHES) if not c.isalnum() else c for c in cleaned]
    compact_arrow = pa.array(compact.tolist(), type=pa.string()) if len(other) else pc.ascii_upper(text)
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


def is_valid_uscc(code: str) -> bool:
    return parse_code(code).valid


_INDEX = {c: i for i, c in enumerate(ALPHABET)}


def _check_one(code: str) -> bool:
    """The check of uscc_check_ok for one string (no numpy overhead for a single value)."""
    if len(code) != 18 or not code[:8].isascii() or not code[:8].isdigit():
        return False
    values = [_INDEX.get(c, -1) for c in code]
    if min(values) < 0:
        return False
    return values[17] == (31 - sum(v * int(w) for v, w in zip(values, WEIGHTS.tolist())) % 31) % 31


@lru_cache(maxsize=100_000)
def parse_code(raw: str) -> CodeInfo:
    """One code, by the rules of parse_codes (feeds and checks call this per value)."""
    code = clean_code(raw)
    raw = raw if isinstance(raw, str) else ("" if code == "" else str(raw))
    if not code:
        return CodeInfo(raw, "", "empty", False, Region())
    compact = code.translate(_NO_DASHES) if not code.isalnum() or not code.isascii() else code
    if _check_one(compact):
        return CodeInfo(raw, compact, "uscc", True, division_region(compact[2:8]))
    if len(compact) == 18:
        return CodeInfo(raw, code, "uscc", False, Region())
    if _REGNO_SHAPE.match(code):
        return CodeInfo(raw, code, "regno15", False, division_region(code[:6]))
    if _ORGCODE_SHAPE.match(code):
        return CodeInfo(raw, code if "-" in code else code[:8] + "-" + code[8:], "orgcode", False, Region())
    return CodeInfo(raw, code, "unknown", False, Region())
