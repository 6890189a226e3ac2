"""Attachments: a cluster joins the one best-supported compatible candidate, or stays alone.

Sources and targets, on the clusters as the strong edges left them:
- a cluster without evidence (no valid USCC, no street) attaches along any edge — strong or weak —
  to a cluster with evidence, never the other way round;
- along a weak edge between two clusters of the same evidence status, the side with less
  evidence attaches: a cluster without a name region, or with a coarser one (云南X joins the one
  昆明市X there is), or with the same one and a core no longer (佛山市东华公司 joins
  佛山市东华机械有限公司, never the other way round).
Support is the deciding comparison level's position (strong levels come first in pair_rules),
then the candidate rule (same core, typo, trade name): a region-less 宏达机械设备 joins the one
宏达机械设备 there is even when a 宏达机械 exists elsewhere, but stays apart when two cities each have
a 宏达机械设备. Candidates the source cannot merge with (conflicting evidence, `not_same`) do not
count. Every choice is made on the clusters as they were before any attachment, so attachments do
not chain through a freshly attached mention; later rounds let a cluster whose candidates have
since become one (云南X had 昆明市X and 呈贡区X, which the first round joined) join them.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from warehouse.resolve.bulk_join import join_pairs
from warehouse.resolve.compare import Edges
from warehouse.resolve.nodes import Nodes
from warehouse.resolve.prepare import region_levels

RULE_TIERS = 4  # candidate rules per level in the support order
# support by candidate rule: a trade name shared and a prefix shared say as much (the industry split
# may read 金沙窖酒 + 酒业 or 金沙 + 窖酒酒业): 金沙股份 has two candidates, not one better than the other
_RULE_TIER = np.array([0, 1, 2, 2], dtype=np.int64)


def _candidate_rows(c, nodes: Nodes, edges: Edges, order: np.ndarray):
    """(source, target, tier, node a, node b, edge) rows, best support first within a source."""
    roots = c.roots()
    ra, rb = roots[edges.a[order]], roots[edges.b[order]]
    apart = ra != rb
    idx, ra, rb = order[apart], ra[apart], rb[apart]
    has = c.has_evidence()  # read at roots
    strong = edges.strong[idx]
    ea, eb = edges.a[idx], edges.b[idx]
    level = region_levels(np.asarray(c.nkey, dtype=np.int64))
    core_length = nodes.core_length()
    lx, ly = level[ra], level[rb]
    same_status = has[ra] == has[rb]
    weak_forward = (lx < ly) | ((lx == ly) & (core_length[ea] <= core_length[eb]))
    weak_backward = (ly < lx) | ((lx == ly) & (core_length[eb] <= core_length[ea]))
    # an abbreviation attaches to a registered name, never a registered name to an abbreviation
    short_a, short_b = nodes.abbreviated[ea], nodes.abbreviated[eb]
    weak_forward = np.where(short_a != short_b, short_a, weak_forward)
    weak_backward = np.where(short_a != short_b, short_b, weak_backward)
    forward = np.where(same_status, ~strong & weak_forward, ~has[ra] & has[rb])
    backward = np.where(same_status, ~strong & weak_backward, has[ra] & ~has[rb])
    tier = edges.level[idx].astype(np.int64) * RULE_TIERS + _RULE_TIER[edges.candidates[idx]]
    seq = np.arange(len(idx), dtype=np.int64) * 2
    # a cluster that holds a registered name joins another that holds one only along an edge between
    # two registered names (which the comparison levels judged); through an abbreviation it would
    # equate two registrations nobody compared (辽宁成大 links 辽宁成大股份 to 辽宁成大生物股份)
    registered = np.zeros(len(roots), dtype=bool)
    registered[roots[~nodes.abbreviated]] = True
    through_short = registered[ra] & registered[rb] & (short_a | short_b)
    forward &= ~through_short
    backward &= ~through_short
    rows = [np.concatenate([x[forward], y[backward]]) for x, y in
            ((ra, rb), (rb, ra), (tier, tier), (ea, eb), (eb, ea), (idx, idx))]
    order_rows = np.lexsort((np.concatenate([seq[forward], seq[backward] + 1]), rows[2], rows[1], rows[0]))
    rows = [r[order_rows] for r in rows]
    if not len(rows[0]):
        return rows
    first = np.r_[True, (rows[0][1:] != rows[0][:-1]) | (rows[1][1:] != rows[1][:-1])]
    return [r[first] for r in rows]  # the best-supported edge per (source, target)


def _best_targets(c, rows) -> tuple[list, list]:
    """Sources with one target (decided) and with several (their compatible options)."""
    src, dst, tier, x, y, idx = rows
    decided, ambiguous = [], []
    if not len(src):
        return decided, ambiguous
    head = np.flatnonzero(np.r_[True, src[1:] != src[:-1]])
    size = np.r_[head[1:], len(src)] - head
    one = size == 1
    for k in head[one].tolist():  # one candidate: union checks that it is compatible
        decided.append((int(src[k]), int(dst[k]), int(x[k]), int(y[k]), int(idx[k])))
    several = np.repeat(~one, size)  # rows of sources with several targets
    compatible = np.zeros(len(src), dtype=bool)
    compatible[several] = c.can_merge_many(src[several], dst[several])
    rows = np.column_stack([dst, tier, x, y, idx]).tolist()
    for start, n in zip(head[~one].tolist(), size[~one].tolist()):
        options = {rows[k][0]: tuple(rows[k][1:]) for k in range(start, start + n) if compatible[k]}
        ambiguous.append((int(src[start]), options))
    return decided, ambiguous


def _choose(options: dict[int, tuple]):
    if not options:
        return None
    best = min(v[0] for v in options.values())
    top = [(o, v) for o, v in options.items() if v[0] == best]
    return top[0] if len(top) == 1 else None


def attach(c, nodes: Nodes, edges: Edges, order: np.ndarray) -> None:
    """Attach sources to their one best-supported compatible target (see the module doc)."""
    from warehouse.resolve.clustering import EDGE

    rows = _candidate_rows(c, nodes, edges, order)
    decided, ambiguous = _best_targets(c, rows)
    for root, options in ambiguous:
        pick = _choose(options)
        if pick is not None:
            decided.append((root, pick[0], *pick[1][1:]))
    touched: set[int] = set()
    if decided:
        joined = []
        src, dst, xs, ys, idx = (np.array(column, dtype=np.int64) for column in zip(*decided))
        join_pairs(c, xs, ys, idx, lambda x, y, e: (c.note(x, y, EDGE, e), joined.append(x)))
        source_of = dict(zip(xs.tolist(), src.tolist()))
        touched = {source_of[x] for x in joined if x in source_of}
    pending = [(root, options) for root, options in ambiguous if root not in touched and _choose(options) is None]
    for _round in (1, 2):
        joined = False
        for root, options in pending:
            if c.find(root) != root or root in touched:
                continue
            merged: dict[int, tuple] = defaultdict(lambda: (1 << 62,))
            for other, v in options.items():
                target = c.find(other)
                if target != root and v[0] < merged[target][0] and c.can_merge(root, target):
                    merged[target] = v
            pick = _choose(dict(merged))
            if pick is not None and c.union(root, pick[0]):
                c.note(pick[1][1], pick[1][2], EDGE, pick[1][3])
                touched.add(root)
                joined = True
        if not joined:
            break
