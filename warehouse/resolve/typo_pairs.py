"""Look-alike and sound-alike core pairs, found without comparing every pair of cores.

- substitution: two cores of one length that differ in one position where the characters look
  alike (lookups/confusable_chars.csv, 形近字) or sound alike in any of their readings (pypinyin,
  with zh/z, ch/c, sh/s, n/l, -ng/-n folded): grouped on (hash of the core with that position
  deleted, position, confusion class), so only confusable substitutions are ever paired;
- missing character: a core that is another core with one character missing (the shorter one
  has at least `missing_min` characters).
Cores are read as fixed-width code-point matrices (at most TYPO_MAX characters).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from warehouse.lookups import read_rows
from warehouse.resolve.grouping import groups, pairs_in_groups

SHAPE, SOUND, MISSING_CHAR = 1, 2, 3
TYPO_MAX = 16  # width of the character matrix: the longest core that gets typo keys

# Numerals number sister firms and outlets (安达市农机第四加油站 / 第十加油站, 二厂 / 三厂): one numeral
# for another is a different firm, never a typo, however alike the two sound or look.
NUMERALS = frozenset("〇零一二三四五六七八九十百千两壹贰叁肆伍陆柒捌玖拾佰仟0123456789０１２３４５６７８９")
_SHAPE_PAIRS = tuple(
    pair for pair in dict.fromkeys(tuple(sorted((row["a"], row["b"]))) for row in read_rows("confusable_chars.csv"))
    if not set(pair) <= NUMERALS
)

try:
    from pypinyin import Style, pinyin
except ImportError:  # pragma: no cover - optional: without it only the 形近字 table is used
    pinyin = None


# ---------------------------------------------------------------- characters
def fold_sound(syllable: str) -> str:
    """Fold sounds typists confuse: zh/z, ch/c, sh/s, n/l, -ng/-n."""
    s = syllable
    for a, b in (("zh", "z"), ("ch", "c"), ("sh", "s")):
        if s.startswith(a):
            s = b + s[2:]
    if s.startswith("n"):
        s = "l" + s[1:]
    if s.endswith("ng"):
        s = s[:-1]
    return s


def sounds_of(char: str) -> tuple[str, ...]:
    """Every folded reading of a CJK character (none for a numeral, see NUMERALS). A typist types
    the reading they have in mind, and a polyphone's is often not its commonest: 长 is zhang first,
    but 长城 is chang (长/常/昌); 盛 is sheng first, but also cheng (盛/成)."""
    if pinyin is None or not ("\u4e00" <= char <= "\u9fff") or char in NUMERALS:
        return ()
    readings = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
    return tuple(dict.fromkeys(fold_sound(r) for r in (readings[0] if readings else ()) if r))


def _char_classes(codepoints: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(code point, confusion class) entries sorted by code point, for the distinct code points
    given: a class is a sound (even: 2 × sound id) or a 形近 pair (odd: 2 × pair id + 1), and a
    character may be in several (a polyphone's readings, the pairs it looks like)."""
    present = np.unique(codepoints).tolist()
    entries: set[tuple[int, int]] = set()
    sounds: dict[str, int] = {}
    for cp in present:
        entries.update((cp, 2 * sounds.setdefault(s, len(sounds))) for s in sounds_of(chr(cp)))
    present = set(present)
    for pair_id, pair in enumerate(_SHAPE_PAIRS):
        entries.update((ord(c), 2 * pair_id + 1) for c in pair if ord(c) in present)
    ordered = sorted(entries)
    return (np.array([cp for cp, _ in ordered], dtype=np.uint64),
            np.array([cls for _, cls in ordered], dtype=np.int64))


_RNG = np.random.default_rng(20240611)
_MULT = _RNG.integers(1, 2**63 - 1, size=TYPO_MAX + 1, dtype=np.int64).astype(np.uint64) | np.uint64(1)


def _char_matrix(strings: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Code points (n, TYPO_MAX) uint32 and lengths."""
    fixed = np.asarray(strings, dtype=f"U{TYPO_MAX}") if len(strings) else np.empty(0, dtype=f"U{TYPO_MAX}")
    matrix = fixed.view(np.uint32).reshape(len(strings), TYPO_MAX)
    lengths = (matrix > 0).sum(axis=1)
    return matrix, lengths


def _weighted_sum(matrix: np.ndarray, first: int = 0) -> np.ndarray:
    """sum over k of matrix[:, first + k] * _MULT[k] (uint64, wrapping), a column at a time."""
    total = np.zeros(len(matrix), dtype=np.uint64)
    for k in range(TYPO_MAX - first):
        total += matrix[:, first + k].astype(np.uint64) * _MULT[k]
    return total


def substitution_pairs(cores: np.ndarray, ids: np.ndarray, max_group: int):
    """Core pairs of equal length that differ in one position by a confusable character."""
    matrix, lengths = _char_matrix(cores[ids])
    entry_cp, entry_class = _char_classes(matrix[matrix > 0])
    full = _weighted_sum(matrix)  # uint64, wraps
    out_a, out_b, out_detail, capped = [], [], [], 0
    for pos in range(TYPO_MAX):  # keys of one position never group with another's: one at a time
        at = np.flatnonzero(lengths > pos)
        if not len(at):
            break
        char = matrix[at, pos].astype(np.uint64)
        h = full[at] - char * _MULT[pos]
        tag_base = lengths[at].astype(np.int64) * 32 + pos  # < 1024 (length and position <= 16)
        # a row per (core, class of its character here): the classes it can be confused within
        lo = np.searchsorted(entry_cp, char, side="left")
        n = np.searchsorted(entry_cp, char, side="right") - lo
        rep = np.repeat(np.arange(len(at)), n)
        entry = np.repeat(lo, n) + (np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n))
        key_h, tag, row = h[rep], entry_class[entry] * 1024 + tag_base[rep], at[rep]
        order, start, size = groups(tag, key_h)
        x, y = pairs_in_groups(order, start, size, max_group)
        capped += int((size > max_group).sum())
        ra, rb = row[x], row[y]
        # verify (a 64-bit hash collision, or two keys of one core): exactly one position differs
        ok = (ra != rb) & ((matrix[ra] != matrix[rb]).sum(axis=1) == 1)
        out_a.append(ids[ra[ok]])
        out_b.append(ids[rb[ok]])
        out_detail.append(np.where(tag[x][ok] // 1024 % 2 == 1, SHAPE, SOUND).astype(np.int8))
    if not out_a:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.int8), 0
    return np.concatenate(out_a), np.concatenate(out_b), np.concatenate(out_detail), capped


def missing_char_pairs(cores: np.ndarray, ids: np.ndarray, missing_min: int = 5):
    """(longer, shorter): the shorter core (>= missing_min characters) is the longer one minus one character."""
    matrix, lengths = _char_matrix(cores[ids])
    full = _weighted_sum(matrix)
    short = np.flatnonzero((lengths >= missing_min) & (lengths < TYPO_MAX))
    long_ = np.flatnonzero(lengths > missing_min)
    if not len(short) or not len(long_):
        return np.empty(0, np.int64), np.empty(0, np.int64)
    key_short = pd.Index(full[short].astype(np.int64) ^ lengths[short].astype(np.int64))
    chars, long_lengths = matrix[long_], lengths[long_]
    # the key of "core without position pos" = sum over k < pos of char k at k + sum over k >= pos
    # of char k+1 at k: two running sums, one column at a time (no n x 16 temporaries)
    prefix = np.zeros(len(long_), dtype=np.uint64)
    suffix = _weighted_sum(chars, first=1)
    out_long, out_short = [], []
    for pos in range(TYPO_MAX):
        at = np.flatnonzero(long_lengths > pos)
        if not len(at):
            break
        key = (prefix[at] + suffix[at]).astype(np.int64) ^ (long_lengths[at] - 1).astype(np.int64)
        hit = key_short.get_indexer(key) if key_short.is_unique else _first_index(key_short, key)
        found = hit >= 0
        out_long.append(long_[at[found]])
        out_short.append(short[hit[found]])
        prefix += chars[:, pos].astype(np.uint64) * _MULT[pos]
        if pos + 1 < TYPO_MAX:
            suffix -= chars[:, pos + 1].astype(np.uint64) * _MULT[pos]
    la, sb = np.concatenate(out_long), np.concatenate(out_short)
    if not len(la):
        return np.empty(0, np.int64), np.empty(0, np.int64)
    la, sb = _verify_missing(cores, ids, la, sb)
    return ids[la], ids[sb]


def _first_index(index: pd.Index, key: np.ndarray) -> np.ndarray:
    first = pd.Series(np.arange(len(index)), index=index)
    first = first[~first.index.duplicated()]
    return first.reindex(key).fillna(-1).to_numpy().astype(np.int64)


def _verify_missing(cores, ids, la, sb):
    keep = np.fromiter((_one_deleted(cores[ids[x]], cores[ids[y]]) for x, y in zip(la, sb)), dtype=bool, count=len(la))
    pairs = pd.DataFrame({"a": la[keep], "b": sb[keep]}).drop_duplicates()
    return pairs["a"].to_numpy(), pairs["b"].to_numpy()


def _one_deleted(longer: str, shorter: str) -> bool:
    i = 0
    while i < len(shorter) and longer[i] == shorter[i]:
        i += 1
    return longer[i + 1:] == shorter[i:]
