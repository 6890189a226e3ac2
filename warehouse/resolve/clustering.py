"""Constrained union-find over nodes: clusters that cannot chain unrelated companies.

Every cluster carries its valid USCC, its name region and its derived region; two clusters merge
only when those agree (so a cluster never holds two different valid USCCs, and the same trade
name in two cities stays apart even if a region-less mention is similar to both), and when no
`not_same` judgement lies between them. Order:
1. `same` judgements (forced, they always win);
2. valid-USCC equality;
3. strong edges, best score first;
4. weak edges: a node (or cluster) whose weak edges all point at one other cluster joins it; if
   they point at several, it stays apart (ambiguous).
Branch nodes never share a cluster with non-branch nodes (their cores differ, and edges between
them are never made).
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd

from warehouse.regions import compatible, merge


class Clusters:
    def __init__(self, nodes: pd.DataFrame) -> None:
        n = len(nodes)
        self.parent = list(range(n))
        self.uscc = list(nodes["uscc_key"].to_numpy())
        self.nreg = list(nodes["name_region"].to_numpy())
        self.dreg = list(nodes["region"].to_numpy())
        self.cannot: dict[int, set[int]] = defaultdict(set)  # root -> node ids it must not join
        # per node: (rule, score, similarity, agreed, other node) of the edge that attached it
        self.link: dict[int, tuple] = {}

    def find(self, x: int) -> int:
        parent = self.parent
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def can_merge(self, ra: int, rb: int) -> bool:
        ua, ub = self.uscc[ra], self.uscc[rb]
        if ua and ub and ua != ub:
            return False
        na, nb = self.nreg[ra], self.nreg[rb]
        if not na.empty and not nb.empty and na != nb:
            return False
        if not compatible(self.dreg[ra], self.dreg[rb]):
            return False
        if ra in self.cannot or rb in self.cannot:
            if any(self.find(x) == rb for x in self.cannot.get(ra, ())):
                return False
            if any(self.find(x) == ra for x in self.cannot.get(rb, ())):
                return False
        return True

    def union(self, a: int, b: int, force: bool = False) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if not force and not self.can_merge(ra, rb):
            return False
        if ra > rb:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.uscc[ra] = self.uscc[ra] or self.uscc[rb]
        if self.nreg[ra].empty:
            self.nreg[ra] = self.nreg[rb]
        self.dreg[ra] = merge(self.dreg[ra], self.dreg[rb]) if compatible(self.dreg[ra], self.dreg[rb]) else self.dreg[ra]
        if rb in self.cannot:
            self.cannot[ra] |= self.cannot.pop(rb)
        return True

    def note(self, a: int, b: int, info: tuple) -> None:
        if a not in self.link:
            self.link[a] = (*info, b)
        elif b not in self.link:
            self.link[b] = (*info, a)

    def roots(self) -> np.ndarray:
        return np.fromiter((self.find(i) for i in range(len(self.parent))), dtype=np.int64, count=len(self.parent))


def cluster(nodes: pd.DataFrame, edges: pd.DataFrame, same: list[tuple[int, int]],
            not_same: list[tuple[int, int]]) -> Clusters:
    c = Clusters(nodes)
    for a, b in not_same:
        c.cannot[a].add(b)
        c.cannot[b].add(a)
    for a, b in same:
        if c.union(a, b, force=True):
            c.note(a, b, ("judgement", 1.0, 1.0, ["judgement:same"]))
    # valid USCC equality
    with_code = nodes.loc[nodes["uscc_key"] != "", "uscc_key"]
    for _code, group in with_code.groupby(with_code, sort=False):
        ids = group.index.to_numpy()
        for other in ids[1:]:
            if c.union(ids[0], other):
                c.note(other, ids[0], ("uscc", 1.0, 1.0, ["uscc"]))
    if len(edges) == 0:
        return c
    edges = edges.sort_values(["score", "a", "b"], ascending=[False, True, True], kind="stable")
    strong = edges[edges["strength"] == "strong"]
    for a, b, rule, score, sim, agreed in zip(strong["a"], strong["b"], strong["rule"], strong["score"],
                                              strong["similarity"], strong["agreed"]):
        if c.union(a, b):
            c.note(a, b, (rule, score, sim, agreed))
    weak = edges[edges["strength"] == "weak"]
    if len(weak):
        _attach_weak(c, weak)
    return c


def _attach_weak(c: Clusters, weak: pd.DataFrame) -> None:
    """Join a cluster to the one other cluster its weak edges point at; leave ambiguous ones alone."""
    targets: dict[int, dict[int, tuple]] = defaultdict(dict)
    for a, b, rule, score, sim, agreed in zip(weak["a"], weak["b"], weak["rule"], weak["score"],
                                              weak["similarity"], weak["agreed"]):
        ra, rb = c.find(a), c.find(b)
        if ra == rb:
            continue
        info = (rule, score, sim, agreed)
        targets[ra].setdefault(rb, (a, b, info))
        targets[rb].setdefault(ra, (b, a, info))
    # the side with less evidence (no region in its name) is the one that gets attached
    for root in sorted(targets):
        if c.find(root) != root or not c.nreg[root].empty:
            continue
        options = {c.find(t): v for t, v in targets[root].items()}
        options.pop(root, None)
        if len(options) != 1:
            continue
        (other, (x, y, info)), = options.items()
        if c.union(root, other):
            c.note(x, y, info)
