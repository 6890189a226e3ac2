"""Array helpers for blocking: runs of equal keys and the pairs inside them, without Python loops."""

from __future__ import annotations

import numpy as np


def grid(start_a: np.ndarray, size_a: np.ndarray, start_b: np.ndarray, size_b: np.ndarray):
    """All (start_a + i, start_b + j) for i < size_a, j < size_b, per row; returns positions and row."""
    count = size_a.astype(np.int64) * size_b.astype(np.int64)
    total = int(count.sum())
    row = np.repeat(np.arange(len(count)), count)
    offset = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(count) - count, count)
    nb = size_b[row].astype(np.int64)
    i, j = offset // nb, offset % nb
    return start_a[row] + i, start_b[row] + j, i, j, row


def groups(*keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sort order and (start, size) of runs of equal keys (last key varies slowest)."""
    order = np.lexsort(keys)
    n = len(order)
    if n == 0:
        return order, np.empty(0, np.int64), np.empty(0, np.int64)
    change = np.zeros(n, dtype=bool)
    change[0] = True
    for key in keys:
        k = key[order]
        change[1:] |= k[1:] != k[:-1]
    start = np.flatnonzero(change)
    size = np.diff(np.append(start, n))
    return order, start, size


def pairs_in_groups(order, start, size, max_group: int):
    """(x, y) with x before y inside each run of at most max_group members (element ids from order)."""
    keep = (size > 1) & (size <= max_group)
    pa, pb, i, j, _row = grid(start[keep], size[keep], start[keep], size[keep])
    upper = i < j
    return order[pa[upper]], order[pb[upper]]
