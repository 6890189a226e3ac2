"""The conflicting-evidence rule, and the union-find that keeps every cluster free of it.

Two records of one cluster conflict when they carry
1. two different valid USCCs, or
2. two different street keys (addresses.py), or
3. regions that disagree at some level (province, city, district),
unless they carry the same valid USCC (2 and 3 only: the code is the company, whatever its
addresses and names say — a company that moved). A cluster must never hold a conflicting pair.
dbt_like_sql/tests/conflicting_evidence.sql checks the same rule on core.entity_records.

Per cluster the state is kept in plain Python lists (about a microsecond per union): its code;
for the records without a valid code ("free") the region filled level by level and the street;
for the records with the code, the region and street levels with -1 / MANY_STREETS where they
hold several values (a free record must then agree with all of them, which it cannot).
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from warehouse.resolve.nodes import MANY_STREETS, Nodes

SEVERAL = -1  # a coded region level that holds several values


def _pooled(values: np.ndarray) -> list[int]:
    """values as a list whose equal ints are one object (most regions repeat: a list of distinct int
    objects would cost 28 bytes a node and level)."""
    pool: dict[int, int] = {}
    return [pool.setdefault(v, v) for v in values.tolist()]


def _merge_coded(x: int, y: int, several: int) -> int:
    if not x:
        return y
    if not y or x == y:
        return x
    return several


class ClusterEvidence:
    def __init__(self, nodes: Nodes) -> None:
        n = len(nodes)
        coded = nodes.uscc >= 0
        self.parent = list(range(n))
        self.code = _pooled(nodes.uscc)
        self.free = (~coded).tolist()
        region = np.where(coded[:, None], 0, nodes.region)
        self.free_region = [_pooled(region[:, 0]), _pooled(region[:, 1]), _pooled(region[:, 2])]
        region = np.where(coded[:, None], nodes.region, 0)
        self.coded_region = [_pooled(region[:, 0]), _pooled(region[:, 1]), _pooled(region[:, 2])]
        self.free_street = _pooled(np.where(coded, -1, nodes.street))
        self.coded_street = _pooled(np.where(coded, nodes.street, -1))
        self.nkey = _pooled(nodes.name_key)
        self.cannot: dict[int, set[int]] = defaultdict(set)  # root -> node ids it must not join

    def find(self, x: int) -> int:
        parent = self.parent
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def roots(self) -> np.ndarray:
        find = self.find
        return np.fromiter((find(i) for i in range(len(self.parent))), dtype=np.int64, count=len(self.parent))

    def forbid(self, a: int, b: int) -> None:
        self.cannot[a].add(b)
        self.cannot[b].add(a)

    def has_evidence(self, root: int) -> bool:
        return self.code[root] >= 0 or self.free_street[root] >= 0

    def _free_against_coded(self, f: int, c: int) -> bool:
        for free, coded in zip(self.free_region, self.coded_region):
            x, y = free[f], coded[c]
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
            for level in self.free_region:
                x, y = level[ra], level[rb]
                if x and y and x != y:
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

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb or not self.can_merge(ra, rb):
            return False
        if ra > rb:
            ra, rb = rb, ra
        self.parent[rb] = ra
        if self.code[ra] < 0:
            self.code[ra] = self.code[rb]
        self.free[ra] = self.free[ra] or self.free[rb]
        for level in self.free_region:
            if not level[ra]:
                level[ra] = level[rb]
        for level in self.coded_region:
            level[ra] = _merge_coded(level[ra], level[rb], SEVERAL)
        if self.free_street[ra] < 0:
            self.free_street[ra] = self.free_street[rb]
        s, t = self.coded_street[ra], self.coded_street[rb]
        self.coded_street[ra] = t if s == -1 else (s if t == -1 or s == t else MANY_STREETS)
        if _levels(self.nkey[rb]) > _levels(self.nkey[ra]):  # the most specific name region
            self.nkey[ra] = self.nkey[rb]
        if rb in self.cannot:
            self.cannot[ra] |= self.cannot.pop(rb)
        return True


def _levels(name_key: int) -> int:
    """How many levels (province, city, district) a name-region key (prepare.region_key) names."""
    if not name_key:
        return 0
    return 1 + bool(name_key // 1_000_000 % 10_000) + bool(name_key % 1_000_000)
