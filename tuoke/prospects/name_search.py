"""The list page's name search over one published file, held in memory.

`contains(name, q)` over every ranked name is one scan of the uncompressed names: about 20 ms of
CPU at a million companies, per search. The publish step stores 64-bit masks of each name's bigrams
and trigrams (`warehouse.serving.gram_mask_sql`, a Bloom filter). A name that contains the search
string holds every n-gram of it, so its masks hold the search's masks: keeping the names whose masks
hold every bit of the search's keeps every match and drops most other names, and only the survivors
are tested with `in`. The masks are kept turned on their side (`bit_slices`: per bit, a bitset over
the names), so a search ANDs a dozen bitsets of 125 kB rather than comparing a million masks. The answer is exactly the scan's; a search of one character, one that may be a
code (USCC, company id), or a file published without masks is left to the scan (None).

The index is loaded on the first search of a file (the names, their branches and masks: about
40 MB at a million companies) and kept until the file is replaced.
"""

from __future__ import annotations

import threading

import numpy as np

from warehouse.serving import GRAM_MASKS, gram_masks_of

MASK_COLUMNS = tuple(column for column, _, _ in GRAM_MASKS)

NAMES_TABLE = "serving.prospect_names"
# Testing one candidate in Python costs about ten names' worth of the scan: above this share of
# the names passing the masks (a common word: 科技, 有限), the scan answers.
MAX_CANDIDATE_SHARE = 1 / 16


def may_be_code(q: str) -> bool:
    """A search a USCC or company id could equal (those are matched whole, by the scan)."""
    return q.isascii() and q.replace("-", "").isalnum()


MASK_BITS = 64
CHUNK_WORDS = 1024  # names tested per step of a search: 65,536


def bit_slices(masks: np.ndarray) -> np.ndarray:
    """The masks of every name turned on their side: row b is a bitset over the names (bit j of
    word w: name 64w + j) of the names whose mask has bit b. A search ANDs the rows of its bits
    (a few 125 kB rows at a million names) instead of comparing every name's mask."""
    n = len(masks)
    bits = np.unpackbits(masks.astype("<u8").view(np.uint8).reshape(n, 8), axis=1, bitorder="little")
    packed = np.packbits(bits, axis=0, bitorder="little")  # (ceil(n / 8), 64): names 8r … 8r + 7 in row r
    padded = np.zeros((MASK_BITS, -(-n // 64) * 8), dtype=np.uint8)
    padded[:, :packed.shape[0]] = packed.T
    return padded.view("<u8")


def _set_bits(words: np.ndarray) -> np.ndarray:
    """The numbers of the set bits of a bitset, in order."""
    nonzero = np.flatnonzero(words)
    bits = np.unpackbits(words[nonzero].astype("<u8").view(np.uint8).reshape(-1, 8), axis=1, bitorder="little")
    rows, columns = np.nonzero(bits)
    return nonzero[rows] * 64 + columns


class NameIndex:
    def __init__(self, positions: np.ndarray, branch_codes: np.ndarray, branches: tuple[str, ...], text: str,
                 starts: np.ndarray, masks: tuple[np.ndarray, ...]):
        self.positions = positions  # pos of each name, in the default order
        self.branch_codes = branch_codes  # index into `branches`, -1 for none
        self.branches = branches
        self.text = text  # every name, one after another: name i is text[starts[i]:starts[i + 1]]
        self.starts = starts
        self.slices = tuple(bit_slices(mask) for mask in masks)  # MASK_COLUMNS, one bitset per bit

    @classmethod
    def load(cls, cur) -> NameIndex | None:
        """The index of the file `cur` reads; None if its names do not line up with their lengths."""
        branches = tuple(r[0] for r in cur.execute(
            f"SELECT DISTINCT branch FROM {NAMES_TABLE} WHERE branch IS NOT NULL ORDER BY 1").fetchall())
        # one string and numpy columns: no Python object per name (a million of them weigh ~100 MB)
        text = cur.execute(f"SELECT coalesce(string_agg(coalesce(name, ''), '' ORDER BY pos), '') "
                           f"FROM {NAMES_TABLE}").fetchone()[0]
        frame = cur.execute(
            f"SELECT pos, length(coalesce(name, '')) AS chars, coalesce(list_position(?::VARCHAR[], branch), 0) - 1 "
            f"AS branch_code, {', '.join(MASK_COLUMNS)} FROM {NAMES_TABLE} ORDER BY pos", [list(branches)]).fetchnumpy()
        starts = np.concatenate([[0], np.cumsum(np.asarray(frame["chars"], dtype=np.int64))])
        if starts[-1] != len(text):
            return None
        return cls(np.asarray(frame["pos"], dtype=np.int64), np.asarray(frame["branch_code"], dtype=np.int32),
                   branches, text, starts, tuple(np.asarray(frame[c], dtype=np.uint64) for c in MASK_COLUMNS))

    def search(self, cur, q: str, branches: set[str] | None, first: int | None = None) -> list[int] | None:
        """Positions (default order) of the names containing `q` whose branch is in `branches`
        (None: any), only the `first` of them when given; None when the scan must answer (see the
        module docstring)."""
        if len(q) < 2 or may_be_code(q):
            return None
        words = self._holding(gram_masks_of(cur, [q])[0])
        if words is None or int(np.bitwise_count(words).sum()) > len(self.positions) * MAX_CANDIDATE_SHARE:
            return None  # nothing to look for, or a common word: testing the candidates would cost more than the scan
        allowed = None if branches is None else [i for i, b in enumerate(self.branches) if b in branches]
        text, starts, found = self.text, self.starts, []
        for offset in range(0, len(words), CHUNK_WORDS):  # in order, so a page of hits stops early
            candidates = _set_bits(words[offset:offset + CHUNK_WORDS]) + offset * MASK_BITS
            if allowed is not None:
                candidates = candidates[np.isin(self.branch_codes[candidates], allowed)]
            found += [i for i, a, b in zip(candidates.tolist(), starts[candidates].tolist(),
                                           starts[candidates + 1].tolist()) if q in text[a:b]]
            if first is not None and len(found) >= first:
                break
        return self.positions[found[:first]].tolist()

    def _holding(self, wanted: tuple[int, ...]) -> np.ndarray | None:
        """The bitset of the names whose masks hold every bit of `wanted` (None: no bit wanted)."""
        words = None
        for slices, want in zip(self.slices, wanted):
            for bit in range(MASK_BITS):
                if want >> bit & 1:
                    words = slices[bit].copy() if words is None else np.bitwise_and(words, slices[bit], out=words)
        return words


class LazyNameIndex:
    """The NameIndex of one open file, loaded by the first search that needs it (None: the file
    has no masks)."""

    def __init__(self, has_masks: bool):
        self.has_masks = has_masks
        self._lock = threading.Lock()
        self._index: NameIndex | None = None

    @classmethod
    def for_catalog(cls, catalog) -> LazyNameIndex:
        """The index slot of the file `catalog` describes (a file published before the masks has none)."""
        return cls(all(catalog.has_column(NAMES_TABLE, c) for c in MASK_COLUMNS))

    def get(self, cur) -> NameIndex | None:
        if not self.has_masks:
            return None
        with self._lock:
            if self._index is None:
                self._index = NameIndex.load(cur)
            return self._index
