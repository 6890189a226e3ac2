"""The conflicting-evidence rule, and the union-find that keeps every cluster free of it.

Two records of one cluster conflict when they carry
1. two different valid USCCs, or
2. two different street keys (addresses.py), or
3. regions that disagree at some level (province, city, district),
unless they carry the same valid USCC (2 and 3 only: the code is the company, whatever its
addresses and names say — a company that moved). A cluster must never hold a conflicting pair.
dbt_like_sql/tests/conflicting_evidence.sql checks the same rule on core.entity_records.

Per cluster (read at its root) the state is: its code; for the records without a valid code
("free") the region filled level by level and the street; for the records with the code, the
region levels and the street, SEVERAL / MANY_STREETS where they hold more than one value (a free
record must then agree with all of them, which it cannot). State is numpy arrays: groups of
clusters are checked and merged in bulk (`merge_groups`), single unions go through `union`.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from warehouse.resolve.nodes import MANY_STREETS, Nodes
from warehouse.resolve.prepare import region_levels

SEVERAL = -1  # a coded region level that holds several values


class ClusterEvidence:
    def __init__(self, nodes: Nodes) -> None:
        n = len(nodes)
        coded = nodes.uscc >= 0
        self.parent = np.arange(n, dtype=np.int64)
        self.code = nodes.uscc.astype(np.int64).copy()
        self.free = ~coded
        region = nodes.region.astype(np.int64)
        self.free_region = np.where(coded[:, None], 0, region)
        self.coded_region = np.where(coded[:, None], region, 0)
        street = nodes.street.astype(np.int64)
        self.free_street = np.where(coded, -1, street)
        self.coded_street = np.where(coded, street, -1)
        self.nkey = nodes.name_key.astype(np.int64).copy()
        self.cannot: dict[int, set[int]] = defaultdict(set)  # root -> node ids it must not join

    # ---------------------------------------------------------------- one at a time
    def find(self, x: int) -> int:
        parent = self.parent
        root = x
        while parent[root] != root:
            root = int(parent[root])
        while parent[x] != root:
            parent[x], x = root, int(parent[x])
        return root

    def roots(self) -> np.ndarray:
        """The root of every node (pointer jumping on the whole array)."""
        parent = self.parent
        while True:
            up = parent[parent]
            if np.array_equal(up, parent):
                return parent.copy()
            parent[:] = up

    def forbid(self, a: int, b: int) -> None:
        self.cannot[a].add(b)
        self.cannot[b].add(a)

    def has_evidence(self) -> np.ndarray:
        """Per node (read at roots): a valid USCC or a street."""
        return (self.code >= 0) | (self.free_street >= 0)

    def _free_against_coded(self, f: int, c: int) -> bool:
        for level in range(3):
            x, y = self.free_region[f, level], self.coded_region[c, level]
            if x and y and (y == SEVERAL or x != y):
                return False
        s, t = self.free_street[f], self.coded_street[c]
        return not (s >= 0 and t != -1 and (t == MANY_STREETS or t != s))

    def can_merge(self, ra: int, rb: int) -> bool:
        """The union of clusters ra and rb (roots) holds no conflicting pair and no `not_same`."""
        ca, cb = self.code[ra], self.code[rb]
        if ca >= 0 and cb >= 0 and ca != cb:
            return False
        if self.free[ra] and self.free[rb]:
            x, y = self.free_region[ra], self.free_region[rb]
            if ((x != 0) & (y != 0) & (x != y)).any():
                return False
            s, t = self.free_street[ra], self.free_street[rb]
            if s >= 0 and t >= 0 and s != t:
                return False
        if self.free[ra] and cb >= 0 and not self._free_against_coded(ra, rb):
            return False
        if self.free[rb] and ca >= 0 and not self._free_against_coded(rb, ra):
            return False
        if ra in self.cannot or rb in self.cannot:
            if any(self.find(x) == rb for x in self.cannot.get(ra, ())):
                return False
            if any(self.find(x) == ra for x in self.cannot.get(rb, ())):
                return False
        return True

    def can_merge_many(self, ra: np.ndarray, rb: np.ndarray) -> np.ndarray:
        """can_merge for many pairs of roots at once."""
        ca, cb = self.code[ra], self.code[rb]
        ok = ~((ca >= 0) & (cb >= 0) & (ca != cb))
        both_free = self.free[ra] & self.free[rb]
        x, y = self.free_region[ra], self.free_region[rb]
        s, t = self.free_street[ra], self.free_street[rb]
        ok &= ~(both_free & (((x != 0) & (y != 0) & (x != y)).any(axis=1) | ((s >= 0) & (t >= 0) & (s != t))))
        ok &= ~(self.free[ra] & (cb >= 0) & ~self._free_against_coded_many(ra, rb))
        ok &= ~(self.free[rb] & (ca >= 0) & ~self._free_against_coded_many(rb, ra))
        if self.cannot:
            for i in np.flatnonzero(ok & (np.isin(ra, list(self.cannot)) | np.isin(rb, list(self.cannot)))).tolist():
                ok[i] = self.can_merge(int(ra[i]), int(rb[i]))
        return ok

    def _free_against_coded_many(self, f: np.ndarray, c: np.ndarray) -> np.ndarray:
        x, y = self.free_region[f], self.coded_region[c]
        ok = ~((x != 0) & (y != 0) & ((y == SEVERAL) | (x != y))).any(axis=1)
        s, t = self.free_street[f], self.coded_street[c]
        return ok & ~((s >= 0) & (t != -1) & ((t == MANY_STREETS) | (t != s)))

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb or not self.can_merge(ra, rb):
            return False
        self._absorb_one(min(ra, rb), max(ra, rb))
        return True

    def _absorb_one(self, ra: int, rb: int) -> None:
        self.parent[rb] = ra
        if self.code[ra] < 0:
            self.code[ra] = self.code[rb]
        self.free[ra] |= self.free[rb]
        for level in range(3):
            if not self.free_region[ra, level]:
                self.free_region[ra, level] = self.free_region[rb, level]
            self.coded_region[ra, level] = _several_of(self.coded_region[ra, level], self.coded_region[rb, level], 0,
                                                       SEVERAL)
        if self.free_street[ra] < 0:
            self.free_street[ra] = self.free_street[rb]
        self.coded_street[ra] = _several_of(self.coded_street[ra], self.coded_street[rb], -1, MANY_STREETS)
        if region_levels(self.nkey[rb]) > region_levels(self.nkey[ra]):
            self.nkey[ra] = self.nkey[rb]
        if rb in self.cannot:
            self.cannot[ra] |= self.cannot.pop(rb)

    # ---------------------------------------------------------------- in bulk
    def conflicted_groups(self, members: np.ndarray, group: np.ndarray, n_groups: int) -> np.ndarray:
        """bool per group: its member clusters (roots) would hold a conflicting pair together."""
        bad = np.zeros(n_groups, dtype=bool)
        code = self.code[members]
        bad |= _distinct_per_group(group, code, code >= 0, n_groups) > 1
        free = self.free[members]
        fs, cs = self.free_street[members], self.coded_street[members]
        has_free_street = np.bincount(group[free & (fs >= 0)], minlength=n_groups) > 0
        streets = np.concatenate([np.where(free & (fs >= 0), fs, -1), np.where(cs >= 0, cs, -1)])
        many = np.bincount(group[cs == MANY_STREETS], minlength=n_groups) > 0
        doubled = np.concatenate([group, group])
        bad |= has_free_street & ((_distinct_per_group(doubled, streets, streets >= 0, n_groups) > 1) | many)
        for level in range(3):
            fv, cv = self.free_region[members, level], self.coded_region[members, level]
            has_free = np.bincount(group[free & (fv != 0)], minlength=n_groups) > 0
            values = np.concatenate([np.where(free, fv, 0), np.where(cv > 0, cv, 0)])
            several = np.bincount(group[cv == SEVERAL], minlength=n_groups) > 0
            bad |= has_free & ((_distinct_per_group(doubled, values, values > 0, n_groups) > 1) | several)
        if self.cannot:
            judged = np.isin(members, np.fromiter(self.cannot.keys(), dtype=np.int64))
            bad[group[judged]] = True
        return bad

    def merge_groups(self, members: np.ndarray, group: np.ndarray) -> None:
        """Merge each group of roots (free of conflicts) into its smallest member, in one pass."""
        n_groups = int(group.max()) + 1 if len(group) else 0
        head = np.full(n_groups, np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(head, group, members)
        others = members != head[group]
        self._absorb(head[group[others]], members[others])

    def _absorb(self, into: np.ndarray, taken: np.ndarray) -> None:
        """Roots `taken` join roots `into` (pairwise, several may join one); states combine."""
        if not len(taken):
            return
        self.parent[taken] = into
        np.maximum.at(self.code, into, self.code[taken])
        np.logical_or.at(self.free, into, self.free[taken])
        for level in range(3):
            np.maximum.at(self.free_region[:, level], into, self.free_region[taken, level])
            _combine_several(self.coded_region[:, level], into, self.coded_region[taken, level], SEVERAL)
        np.maximum.at(self.free_street, into, self.free_street[taken])
        _combine_several(self.coded_street, into, self.coded_street[taken], MANY_STREETS)
        more = region_levels(self.nkey[taken]) > region_levels(self.nkey[into])  # the most specific name region
        self.nkey[into[more]] = self.nkey[taken[more]]
        for rb, ra in zip(taken.tolist(), into.tolist()):
            if rb in self.cannot:
                self.cannot[ra] |= self.cannot.pop(rb)


_SPAN = np.int64(1 << 40)  # values (codes, street ids, division codes) stay far below it


def _distinct_per_group(group: np.ndarray, values: np.ndarray, keep: np.ndarray, n_groups: int) -> np.ndarray:
    if not keep.any():
        return np.zeros(n_groups, dtype=np.int64)
    pairs = np.unique(group[keep].astype(np.int64) * _SPAN + (values[keep].astype(np.int64) + 2))
    return np.bincount(pairs // _SPAN, minlength=n_groups)


def _several_of(x: int, y: int, empty: int, several: int) -> int:
    if x == empty:
        return y
    if y == empty or x == y:
        return x
    return several


def _combine_several(column: np.ndarray, into: np.ndarray, values: np.ndarray, several: int) -> None:
    """column[into] combined with values: one distinct non-empty value (0, or -1 for streets) stays,
    several become `several` (which is itself a value)."""
    empty = 0 if several == SEVERAL else -1
    targets = np.unique(into)
    t = np.concatenate([into, targets])
    v = np.concatenate([values, column[targets]])
    keep = v != empty
    if not keep.any():
        return
    pairs = np.unique(t[keep].astype(np.int64) * _SPAN + (v[keep].astype(np.int64) + 2))
    owner, value = pairs // _SPAN, pairs % _SPAN - 2
    head = np.r_[True, owner[1:] != owner[:-1]]
    count = np.add.reduceat(np.ones(len(pairs), dtype=np.int64), np.flatnonzero(head))
    column[owner[head]] = np.where(count == 1, value[head], several)
