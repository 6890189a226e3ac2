"""Join many pairs of clusters at once, and one by one only where evidence could conflict.

`join_pairs(c, a, b, order)` gives the same clusters as calling `c.union(a, b)` pair by pair in the
given order: the pairs form connected groups of clusters; a group whose member clusters hold no
conflicting evidence together merges in one numpy pass (every order of its unions would succeed),
and only the pairs of a group that could conflict are tried one by one, in order. Most groups of a
million records hold no conflict, so the Python loop meets a few thousand pairs, not a million.
"""

from __future__ import annotations

import numpy as np


def components(n: int, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Component label (its smallest member) of n items joined by the pairs (u, v)."""
    label = np.arange(n, dtype=np.int64)
    if not len(u):
        return label
    while True:
        low = np.minimum(label[u], label[v])
        new = label.copy()
        np.minimum.at(new, u, low)
        np.minimum.at(new, v, low)
        while True:  # pointer jumping: every item points at its label's label
            jumped = new[new]
            if np.array_equal(jumped, new):
                break
            new = jumped
        if np.array_equal(new, label):
            return label
        label = new


def join_pairs(c, a: np.ndarray, b: np.ndarray, edge: np.ndarray, kind: int) -> np.ndarray:
    """Union the clusters of nodes a[i], b[i] in order, noting who joined through what (c.note);
    returns the pairs (positions) whose union took place."""
    roots = c.roots()
    ra, rb = roots[a], roots[b]
    live = np.flatnonzero(ra != rb)
    a, b, edge, ra, rb = a[live], b[live], edge[live], ra[live], rb[live]
    if not len(a):
        return live
    members, inverse = np.unique(np.concatenate([ra, rb]), return_inverse=True)
    ia, ib = inverse[:len(ra)], inverse[len(ra):]
    label = components(len(members), ia, ib)
    heads, group = np.unique(label, return_inverse=True)
    bad = c.conflicted_groups(members, group, len(heads))
    good = ~bad[group]
    c.merge_groups(members[good], group[good])
    x, y, e, joined = _note_bulk(members, group, bad, a, b, ia, ib, edge)
    c.note_many(x, y, kind, e)
    done = [joined]
    for i in np.flatnonzero(bad[group[ia]]).tolist():  # the groups that could conflict: one by one, in order
        x, y = int(a[i]), int(b[i])
        if c.union(x, y):
            c.note(x, y, kind, int(edge[i]))
            done.append([i])
    return live[np.unique(np.concatenate(done).astype(np.int64))]


def _note_bulk(members, group, bad, a, b, ia, ib, edge):
    """For every cluster merged in bulk but its group's head: the first pair that touches it
    (x in that cluster, y, edge); and every pair of the groups merged in bulk."""
    head = np.full(int(group.max()) + 1, len(members), dtype=np.int64)
    np.minimum.at(head, group, np.arange(len(members)))
    position = np.arange(len(a), dtype=np.int64)
    side = np.concatenate([ia, ib])
    pos = np.concatenate([position, position])
    x, y = np.concatenate([a, b]), np.concatenate([b, a])
    keep = ~bad[group[side]] & (side != head[group[side]])
    side, pos, x, y = side[keep], pos[keep], x[keep], y[keep]
    order = np.lexsort((pos, side))
    first = order[np.r_[True, side[order][1:] != side[order][:-1]]] if len(order) else order
    first = first[np.argsort(pos[first], kind="stable")]
    return x[first], y[first], edge[pos[first]], np.flatnonzero(~bad[group[ia]])
