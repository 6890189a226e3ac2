"""The USCC check (统一社会信用代码, GB 32100-2015), once, for every station: vectorised for columns,
one value at a time for a page.

A column of codes is cleaned in Arrow (NFKC, spaces and invisible characters out, upper case),
compacted as python-stdnum compacts (its separators removed), made one (n, 18) matrix of alphabet
values and checked at once in numpy: about 1 µs of CPU a code where stdnum's clean + validate costs
~14 µs. python-stdnum (`stdnum.cn.uscc`) is the oracle: `valid_usccs(raw)` and `is_valid_uscc(raw)`
give `stdnum.cn.uscc.is_valid(clean_code(raw))` for every input (tests/kernel/test_uscc.py, a
hypothesis property; tests/resolve/test_codes_bulk.py and `python -m benchmarks.resolve.uscc_cases`
on a million generated codes).
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_NOISE = re.compile(r"[\s\u200b-\u200f\u2060\ufeff]+")
_PLAIN = re.compile(r"[0-9A-Za-z]*")  # nothing to normalise but the letter case
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
_INDEX = {c: i for i, c in enumerate(ALPHABET)}
_WEIGHT_LIST = WEIGHTS.tolist()


def clean_code(raw: object) -> str:
    """A code as written → NFKC, no spaces or invisible characters, upper case ('' for None/NaN)."""
    if raw is None or (isinstance(raw, float) and raw != raw):
        return ""
    text = str(raw)
    if _PLAIN.fullmatch(text):  # the usual case: ASCII letters and digits only
        return text.upper()
    text = unicodedata.normalize("NFKC", text)
    return _NOISE.sub("", text).upper()


def compact_code(code: str) -> str:
    """A cleaned code with stdnum's separators removed (a code written with dashes is still a code)."""
    return code if code.isascii() and code.isalnum() else code.translate(_NO_DASHES)


def check_one(code: str) -> bool:
    """The check of `uscc_check_ok` for one compact string (no numpy overhead for a single value)."""
    if len(code) != 18 or not code[:8].isascii() or not code[:8].isdigit():
        return False
    values = [_INDEX.get(c, -1) for c in code]
    if min(values) < 0:
        return False
    return values[17] == (31 - sum(v * w for v, w in zip(values, _WEIGHT_LIST)) % 31) % 31


def is_valid_uscc(raw: object) -> bool:
    """One code as written: stdnum's verdict on its cleaned form."""
    return check_one(compact_code(clean_code(raw)))


def _ascii_matrix(codes: pa.Array) -> np.ndarray:
    """(n, 18) uint8 of an Arrow array of 18-byte strings, read straight from its data buffer."""
    n = len(codes)
    codes = pa.concat_arrays([codes]) if codes.offset else codes
    offsets = np.frombuffer(codes.buffers()[1], dtype=np.int32, count=n + 1)
    data = np.frombuffer(codes.buffers()[2], dtype=np.uint8)
    return data[offsets[0]:offsets[0] + 18 * n].reshape(n, 18)


def uscc_check_ok(codes) -> np.ndarray:
    """Row-wise: an 18-character string with 8 digits, then alphabet characters, and the right
    check character. `codes` holds cleaned, compact strings of any length (None: not valid)."""
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


def as_text_array(raw) -> pa.Array:
    """Codes as written (None and NaN null) as an Arrow string array."""
    values = raw.tolist() if isinstance(raw, np.ndarray) else list(raw)
    try:
        return pa.array(values, type=pa.string(), from_pandas=True)
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


def clean_codes(text: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(cleaned, compact) object arrays of a column of codes as written (`as_text_array`).

    Codes of ASCII letters and digits only (nearly all) are upper-cased in Arrow; the others are
    cleaned in Arrow as well (NFKC, spaces, upper case) and compacted as stdnum compacts."""
    plain = pc.fill_null(pc.match_substring_regex(text, r"^[0-9A-Za-z]*$"), False).to_numpy(zero_copy_only=False)
    code = pc.ascii_upper(text).to_numpy(zero_copy_only=False).astype(object)
    compact = code.copy()
    other = np.flatnonzero(~plain)
    if len(other):
        cleaned = _clean_in_arrow(text.take(pa.array(other)))
        code[other] = cleaned
        compact[other] = [compact_code(c) for c in cleaned]
    return code, compact


def valid_usccs(raw_codes) -> np.ndarray:
    """Row-wise stdnum verdict on a column of codes as written (None/NaN: not valid)."""
    _, compact = clean_codes(as_text_array(raw_codes))
    return uscc_check_ok(pa.array(compact.tolist(), type=pa.string()))
