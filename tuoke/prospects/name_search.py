"""The list page's name search over one published file, held in memory.

`contains(name, q)` over every ranked name is one scan of the uncompressed names: about 20 ms of
CPU at a million companies, per search. The publish step stores 64-bit masks of each name's bigrams
and trigrams (`warehouse.serving.gram_mask_sql`, a Bloom filter). A name that contains the search
string holds every n-gram of it, so its masks hold the search's masks: comparing masks (numpy, a few bit
operations per name) keeps every match and drops most other names, and only the survivors are
tested with `in`. The answer is exactly the scan's; a search of one character, one that may be a
code (USCC, company id), or a file published without masks is left to the scan (None).

The index is loaded on the first search of a file (the names, their branches and masks: about
40 MB at a million companies) and kept until the file is replaced.
"""

from __future__ import annotations

import threading

import numpy as np

from warehouse.serving import GRAM_MASKS, gram_masks_sql

MASK_COLUMNS = tuple(column for column, _, _ in GRAM_MASKS)

NAMES_TABLE = "serving.prospect_names"
# Testing one candidate in Python costs about ten names' worth of the scan: above this share of
# the names passing the masks (a common word: 科技, 有限), the scan answers.
MAX_CANDIDATE_SHARE = 1 / 16


def may_be_code(q: str) -> bool:
    """A search a USCC or company id could equal (those are matched whole, by the scan)."""
    return q.isascii() and q.replace("-", "").isalnum()


class NameIndex:
    def __init__(self, positions: np.ndarray, branch_codes: np.ndarray, branches: tuple[str, ...], text: str,
                 starts: np.ndarray, masks: tuple[np.ndarray, ...]):
        self.positions = positions  # pos of each name, in the default order
        self.branch_codes = branch_codes  # index into `branches`, -1 for none
        self.branches = branches
        self.text = text  # every name, one after another: name i is text[starts[i]:starts[i + 1]]
        self.starts = starts
        self.masks = masks  # MASK_COLUMNS

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

    def search(self, cur, q: str, branches: set[str] | None) -> list[int] | None:
        """Positions (default order) of the names containing `q` whose branch is in `branches`
        (None: any); None when the scan must answer (see the module docstring)."""
        if len(q) < 2 or may_be_code(q):
            return None
        wanted = cur.execute(f"SELECT {gram_masks_sql('t.q')} FROM (SELECT ?::VARCHAR AS q) AS t", [q]).fetchone()
        limit = len(self.positions) * MAX_CANDIDATE_SHARE
        candidates = None  # the masks with most bits to match first, then only their survivors
        for mask, want in sorted(zip(self.masks, wanted), key=lambda pair: -int(pair[1]).bit_count()):
            if not want:
                continue
            want = np.uint64(want)
            if candidates is None:
                candidates = np.flatnonzero((mask & want) == want)
            else:
                candidates = candidates[(mask[candidates] & want) == want]
            if len(candidates) > limit * 4:  # a common word: no use going on
                return None
        if candidates is None or len(candidates) > limit:
            return None  # testing them would cost more than the scan
        if branches is not None:
            allowed = [i for i, b in enumerate(self.branches) if b in branches]
            candidates = candidates[np.isin(self.branch_codes[candidates], allowed)]
        text = self.text
        found = [i for i, a, b in zip(candidates.tolist(), self.starts[candidates].tolist(),
                                      self.starts[candidates + 1].tolist()) if q in text[a:b]]
        return self.positions[found].tolist()


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
