"""Constrained union-find over nodes: clusters that cannot chain unrelated companies.

Every cluster carries its valid USCC, its name region and its derived region; two clusters merge
only when those agree (so a cluster never holds two different valid USCCs, and the same trade
name in two cities stays apart even if a region-less mention is similar to both), and when no
`not_same` judgement lies between them. Order:
1. `same` judgements (forced, they always win);
2. valid-USCC equality;
3. strong edges, best score first (ties: lower node ids first, so the result does not depend on
   the input order);
4. weak edges: a cluster without a name region whose best weak edges (same core, else typo, else
   trade name) all point at one other cluster joins it; if they point at several, it stays apart.
   Every such choice is made on the clusters as the strong edges left them, so attachments never
   chain (a mention attached to A does not make A the one candidate of a third cluster).
Branch nodes never share a cluster with non-branch nodes (edges between them are never made).

State is plain Python lists of ints (regions as three int codes), which keeps the per-edge loop
at about a microsecond; edges whose two nodes are already in one cluster are skipped in numpy.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from warehouse.resolve.pair_rules import Edges
from warehouse.resolve.prepare import Nodes

# how a node was attached: (kind, edge index or -1, other node)
JUDGEMENT, USCC, EDGE = "judgement", "uscc", "edge"


def _levels(name_key: int) -> int:
    """How many levels (province, city, district) a name-region key (prepare.region_key) names."""
    if not name_key:
        return 0
    return 1 + bool(name_key // 1_000_000 % 10_000) + bool(name_key % 1_000_000)


class Clusters:
    def __init__(self, nodes: Nodes) -> None:
        n = len(nodes)
        self.parent = list(range(n))
        self.uscc = nodes.uscc.tolist()
        self.nkey = nodes.name_key.tolist()
        self.rp = nodes.region[:, 0].tolist()
        self.rc = nodes.region[:, 1].tolist()
        self.rd = nodes.region[:, 2].tolist()
        self.cannot: dict[int, set[int]] = defaultdict(set)  # root -> node ids it must not join
        self.link: dict[int, tuple] = {}  # node -> (kind, edge index, other node)

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
        if ua >= 0 and ub >= 0 and ua != ub:
            return False
        # name regions need no test of their own: the derived regions below contain them
        for level in (self.rp, self.rc, self.rd):
            x, y = level[ra], level[rb]
            if x and y and x != y:
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
        if self.uscc[ra] < 0:
            self.uscc[ra] = self.uscc[rb]
        if _levels(self.nkey[rb]) > _levels(self.nkey[ra]):  # the most specific name region
            self.nkey[ra] = self.nkey[rb]
        levels = (self.rp, self.rc, self.rd)
        if all(not (lv[ra] and lv[rb] and lv[ra] != lv[rb]) for lv in levels):  # compatible: fill the gaps
            for lv in levels:
                if not lv[ra]:
                    lv[ra] = lv[rb]
        if rb in self.cannot:
            self.cannot[ra] |= self.cannot.pop(rb)
        return True

    def note(self, a: int, b: int, kind: str, edge: int = -1) -> None:
        if a not in self.link:
            self.link[a] = (kind, edge, b)
        elif b not in self.link:
            self.link[b] = (kind, edge, a)

    def roots(self) -> np.ndarray:
        find = self.find
        return np.fromiter((find(i) for i in range(len(self.parent))), dtype=np.int64, count=len(self.parent))


def cluster(nodes: Nodes, edges: Edges, same: list[tuple[int, int]], not_same: list[tuple[int, int]]) -> Clusters:
    c = Clusters(nodes)
    for a, b in not_same:
        c.cannot[a].add(b)
        c.cannot[b].add(a)
    for a, b in same:
        if c.union(a, b, force=True):
            c.note(a, b, JUDGEMENT)
    # valid USCC equality: every node joins the lowest node with its code
    with_code = np.flatnonzero(nodes.uscc >= 0)
    if len(with_code):
        order = with_code[np.lexsort((with_code, nodes.uscc[with_code]))]
        codes = nodes.uscc[order]
        head = np.r_[True, codes[1:] != codes[:-1]]
        first = order[np.maximum.accumulate(np.where(head, np.arange(len(order)), 0))]
        for other, anchor in zip(order[~head].tolist(), first[~head].tolist()):
            if c.union(anchor, other):
                c.note(other, anchor, USCC)
    if len(edges) == 0:
        return c
    order = np.lexsort((edges.b, edges.a, -edges.score))
    strong = order[edges.strong[order]]
    for i, a, b in zip(strong.tolist(), edges.a[strong].tolist(), edges.b[strong].tolist()):
        if c.union(a, b):
            c.note(a, b, EDGE, i)
    weak = order[~edges.strong[order]]
    if len(weak):
        core_length = np.fromiter((len(x) for x in nodes.cores), dtype=np.int64, count=len(nodes.cores))
        _attach_weak(c, edges, weak, core_length[nodes.core_id])
    return c


def _attach_weak(c: Clusters, edges: Edges, weak: np.ndarray, core_length: np.ndarray) -> None:
    """Join a cluster to the one other cluster its best weak edges point at; leave ambiguous ones alone.

    Evidence comes in tiers (the edge rule: same core, then typo, then trade name): a region-less
    宏达机械设备 joins the one 宏达机械设备 there is even when a 宏达机械 exists elsewhere, but
    stays apart when two cities each have a 宏达机械设备.
    """
    roots = c.roots()
    ra, rb = roots[edges.a[weak]], roots[edges.b[weak]]
    apart = ra != rb
    weak, ra, rb = weak[apart], ra[apart], rb[apart]
    nkey = np.asarray(c.nkey, dtype=np.int64)
    # only the side with less evidence is attached: a cluster without a name region, or with a
    # coarser one (云南X joins the one 昆明市X there is), or with the same one and a core no longer
    # (佛山市东华公司 joins 佛山市东华机械有限公司, never the other way round)
    level = (nkey > 0).astype(np.int64) + (nkey // 1_000_000 % 10_000 > 0) + (nkey % 1_000_000 > 0)
    ea, eb, tier = edges.a[weak], edges.b[weak], edges.rule[weak].astype(np.int64)
    lx, ly = level[ra], level[rb]
    forward = (lx < ly) | ((lx == ly) & (core_length[ea] <= core_length[eb]))
    backward = (ly < lx) | ((lx == ly) & (core_length[eb] <= core_length[ea]))
    seq = np.arange(len(weak), dtype=np.int64) * 2
    src = np.concatenate([ra[forward], rb[backward]])
    dst = np.concatenate([rb[forward], ra[backward]])
    t = np.concatenate([tier[forward], tier[backward]])
    x = np.concatenate([ea[forward], eb[backward]])
    y = np.concatenate([eb[forward], ea[backward]])
    idx = np.concatenate([weak[forward], weak[backward]])
    order = np.lexsort((np.concatenate([seq[forward], seq[backward] + 1]), t, dst, src))
    src, dst, t, x, y, idx = (v[order] for v in (src, dst, t, x, y, idx))
    first = np.r_[True, (src[1:] != src[:-1]) | (dst[1:] != dst[:-1])]  # best edge per (source, target)
    src, dst, t, x, y, idx = (v[first] for v in (src, dst, t, x, y, idx))
    # per source: its best tier, and how many targets reach it (rows are sorted by source)
    head = np.r_[True, src[1:] != src[:-1]]
    group = np.cumsum(head) - 1
    best = np.full(int(group[-1]) + 1 if len(group) else 0, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(best, group, t)
    at_best = t == best[group]
    count = np.bincount(group[at_best], minlength=len(best))
    single = at_best & (count[group] == 1)
    ambiguous_rows = count[group] > 1
    # every choice is made on the clusters as they were before any weak attachment: a region-less
    # 德胜科技 with two candidates stays apart even after one candidate took another mention in.
    # Later rounds let a cluster that took nobody in join candidates that have since become one
    # (云南X had 昆明市X and 呈贡区X, which the first round joined).
    touched: set[int] = set()
    joined = False
    for root, other, a, b, i in zip(src[single].tolist(), dst[single].tolist(), x[single].tolist(),
                                    y[single].tolist(), idx[single].tolist()):
        if c.union(root, other):
            c.note(a, b, EDGE, i)
            touched.add(root)
            joined = True
    if not joined or not ambiguous_rows.any():
        return
    targets: dict[int, dict[int, tuple]] = defaultdict(dict)
    for root, other, tr, a, b, i in zip(src[ambiguous_rows].tolist(), dst[ambiguous_rows].tolist(),
                                        t[ambiguous_rows].tolist(), x[ambiguous_rows].tolist(),
                                        y[ambiguous_rows].tolist(), idx[ambiguous_rows].tolist()):
        targets[root][other] = (tr, a, b, i)
    pending = sorted(targets)
    for _round in (1, 2):
        decided, ambiguous = [], []
        for root in pending:
            if root in touched:
                continue
            options: dict[int, tuple] = {}
            for other, v in targets[root].items():
                other = c.find(other)
                if other != root and (other not in options or v[0] < options[other][0]):
                    options[other] = v
            if not options:
                continue
            top_tier = min(v[0] for v in options.values())
            top = [(o, v) for o, v in options.items() if v[0] == top_tier]
            if len(top) == 1:
                decided.append((root, *top[0]))
            else:
                ambiguous.append(root)
        joined = False
        for root, other, (_tier, a, b, i) in decided:
            if c.find(root) != root:
                continue
            if c.union(root, other):
                c.note(a, b, EDGE, i)
                touched.add(root)
                joined = True
        if not joined:
            break
        pending = ambiguous  # only a cluster that had several candidates can have one now
