"""Constrained union-find over nodes: a cluster never holds conflicting evidence.

Conflicting evidence (evidence.py has the rule; dbt_like_sql/tests/conflicting_evidence.sql checks
every build for it): two valid USCCs, two different street addresses, or two incompatible regions —
where no single valid USCC vouches for both records (a company that moved keeps its code). Every
cluster carries its evidence (evidence.ClusterEvidence), and two clusters merge only when the
union is still free of conflicts and no `not_same` judgement lies between them. Order:
1. valid-USCC equality: every node joins the lowest node with its code;
2. `same` judgements (they win over the matcher, never over conflicting evidence: such a
   judgement is refused and counted);
3. strong edges between nodes that carry evidence (a USCC or a street), best score first (ties:
   lower node ids first, so the result does not depend on the input order), then strong edges
   between nodes that carry none;
4. attachments (attach.py): a cluster without evidence joins the best-supported compatible
   candidate when exactly one exists, and otherwise stays alone; weak edges attach the side with
   less evidence the same way. A mention without evidence therefore never bridges two companies.
Branch nodes never share a cluster with non-branch nodes (no edge is made between them).
"""

from __future__ import annotations

import numpy as np

from warehouse.resolve.bulk_join import join_pairs
from warehouse.resolve.compare import Edges
from warehouse.resolve.evidence import ClusterEvidence
from warehouse.resolve.nodes import Nodes

# how a node was attached (link_kind; 0: not attached), through which edge, to which other node
JUDGEMENT, USCC, EDGE = 1, 2, 3
KIND_NAMES = {JUDGEMENT: "judgement", USCC: "uscc", EDGE: "edge"}


class Clusters(ClusterEvidence):
    def __init__(self, nodes: Nodes) -> None:
        super().__init__(nodes)
        n = len(nodes)
        self.link_kind = np.zeros(n, dtype=np.int8)
        self.link_edge = np.full(n, -1, dtype=np.int64)
        self.link_other = np.full(n, -1, dtype=np.int64)
        self.refused_judgements = 0

    def release(self) -> None:
        """Drop the union-find state once the roots are read (the links stay)."""
        for name in ("code", "free", "free_region", "coded_region", "free_street", "coded_street", "nkey", "cannot"):
            setattr(self, name, None)

    def note(self, a: int, b: int, kind: int, edge: int = -1) -> None:
        """a was attached to b (or, if a already has its link, b to a)."""
        if not self.link_kind[a]:
            self.link_kind[a], self.link_edge[a], self.link_other[a] = kind, edge, b
        elif not self.link_kind[b]:
            self.link_kind[b], self.link_edge[b], self.link_other[b] = kind, edge, a

    def note_many(self, a: np.ndarray, b: np.ndarray, kind: int, edge: np.ndarray) -> None:
        """note() for many pairs: a where it has no link yet (first pair wins), else b."""
        rest = self._note_first(a, b, kind, edge, np.arange(len(a)))
        self._note_first(b, a, kind, edge, rest)

    def _note_first(self, x: np.ndarray, y: np.ndarray, kind: int, edge: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Link x of the given rows where x has none (its first row); return the rows not used."""
        free = rows[self.link_kind[x[rows]] == 0]
        _, first = np.unique(x[free], return_index=True)
        take = free[first]
        self.link_kind[x[take]], self.link_edge[x[take]], self.link_other[x[take]] = kind, edge[take], y[take]
        return np.setdiff1d(rows, take)


def _join_codes(c: Clusters, nodes: Nodes) -> None:
    """Every node joins the lowest node with its valid code."""
    with_code = np.flatnonzero(nodes.uscc >= 0)
    if not len(with_code):
        return
    order = with_code[np.lexsort((with_code, nodes.uscc[with_code]))]
    codes = nodes.uscc[order]
    head = np.r_[True, codes[1:] != codes[:-1]]
    first = order[np.maximum.accumulate(np.where(head, np.arange(len(order)), 0))]
    others = order[~head]
    join_pairs(c, others, first[~head], np.full(len(others), -1), USCC)


def _join_edges(c: Clusters, edges: Edges, order: np.ndarray) -> None:
    join_pairs(c, edges.a[order].astype(np.int64), edges.b[order].astype(np.int64), order, EDGE)


def cluster(nodes: Nodes, edges: Edges, same: list[tuple[int, int]], not_same: list[tuple[int, int]]) -> Clusters:
    from warehouse.resolve.attach import attach

    c = Clusters(nodes)
    for a, b in not_same:
        c.forbid(a, b)
    _join_codes(c, nodes)
    for a, b in same:
        ra, rb = c.find(a), c.find(b)
        if ra != rb and not c.can_merge(ra, rb):
            c.refused_judgements += 1
        elif c.union(a, b):
            c.note(a, b, JUDGEMENT)
    if len(edges) == 0:
        return c
    order = np.lexsort((edges.b, edges.a, -edges.score))
    strong = order[edges.strong[order]]
    evidence = nodes.evidence
    both = evidence[edges.a[strong]] & evidence[edges.b[strong]]
    neither = ~evidence[edges.a[strong]] & ~evidence[edges.b[strong]]
    _join_edges(c, edges, strong[both])
    _join_edges(c, edges, strong[neither])
    attach(c, nodes, edges, order)
    return c
