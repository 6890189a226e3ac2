"""Attachments: a cluster joins the one best-supported compatible candidate, or stays alone.

Sources and targets, on the clusters as the strong edges left them:
- a cluster without evidence (no valid USCC, no street) attaches along any edge — strong or weak —
  to a cluster with evidence, never the other way round;
- along a weak edge between two clusters of the same evidence status, the side with less
  evidence attaches: a cluster without a name region, or with a coarser one (云南X joins the one
  昆明市X there is), or with the same one and a core no longer (佛山市东华公司 joins
  佛山市东华机械有限公司, never the other way round).
Support is, in order: a strong level before a weak one; the candidate rule (same core, then typo,
then trade name or prefix: a region-less 宏达机械设备 joins the one 宏达机械设备 there is even when a
宏达机械 exists elsewhere, but stays apart when two cities each have a 宏达机械设备; an exact core
beats a look-alike one — but two names that both dropped their industry words share only a 字号, so
their equal cores count as a trade name); the level's position in pair_rules. Candidates the source cannot merge with (conflicting evidence, `not_same`) do not
count. Every choice is made on the clusters as they were before any attachment, so attachments do
not chain through a freshly attached mention; later rounds let a cluster whose candidates have
since become one (云南X had 昆明市X and 呈贡区X, which the first round joined) join them.
"""

from __future__ import annotations

import numpy as np

from warehouse.resolve.blocking import SAME_CORE, TRADE_NAME
from warehouse.resolve.bulk_join import join_pairs
from warehouse.resolve.compare import Edges
from warehouse.resolve.nodes import GROUP_SHORT, JOINT_STOCK, NO_FORM, STOCK_SHORT, Nodes
from warehouse.resolve.pair_rules import STRENGTH_RANK, SUPPORT_RANK, WHOLE_NAME
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
    place_levels = region_levels(np.asarray(c.nkey, dtype=np.int64))
    core_length = nodes.core_length()
    lx, ly = place_levels[ra], place_levels[rb]
    same_status = has[ra] == has[rb]
    weak_forward = (lx < ly) | ((lx == ly) & (core_length[ea] <= core_length[eb]))
    weak_backward = (ly < lx) | ((lx == ly) & (core_length[eb] <= core_length[ea]))
    # an abbreviation attaches to a registered name, never a registered name to an abbreviation
    short_a, short_b = nodes.abbreviated[ea], nodes.abbreviated[eb]
    weak_forward = np.where(short_a != short_b, short_a, weak_forward)
    weak_backward = np.where(short_a != short_b, short_b, weak_backward)
    forward = np.where(same_status, ~strong & weak_forward, ~has[ra] & has[rb])
    backward = np.where(same_status, ~strong & weak_backward, has[ra] & ~has[rb])
    level = edges.level[idx]
    tier = (STRENGTH_RANK[level] * RULE_TIERS + _rule_tiers(nodes, edges, idx, ea, eb)) * len(SUPPORT_RANK) + SUPPORT_RANK[level]
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


def _rule_tiers(nodes: Nodes, edges: Edges, idx: np.ndarray, ea: np.ndarray, eb: np.ndarray) -> np.ndarray:
    """The candidate rule's support tier per edge. Two names that both dropped their industry words
    share no more than a 字号 when their cores are equal (业锋有限公司 / 温州市业锋有限公司 may be
    业锋塑料制品's or 业锋医疗器械's): such a same-core edge supports as much as a shared trade name."""
    candidates = edges.candidates[idx]
    bare = (candidates == SAME_CORE) & nodes.no_industry[ea] & nodes.no_industry[eb]
    return np.where(bare, _RULE_TIER[TRADE_NAME], _RULE_TIER[candidates])


def _single_best(src: np.ndarray, dst: np.ndarray, tier: np.ndarray) -> np.ndarray:
    """bool per row: its source's best tier holds this one target only (rows unique per source, target)."""
    if not len(src):
        return np.zeros(0, dtype=bool)
    sources, group = np.unique(src, return_inverse=True)
    best = np.full(len(sources), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(best, group, tier)
    at_best = tier == best[group]
    count = np.bincount(group[at_best], minlength=len(sources))
    return at_best & (count[group] == 1)


def _collapse(src, dst, tier, x, y, idx):
    """The best row per (source, target)."""
    order = np.lexsort((tier, dst, src))
    src, dst, tier, x, y, idx = (v[order] for v in (src, dst, tier, x, y, idx))
    first = np.r_[True, (src[1:] != src[:-1]) | (dst[1:] != dst[:-1])] if len(src) else np.zeros(0, dtype=bool)
    return [v[first] for v in (src, dst, tier, x, y, idx)]


def short_only_clusters(c, nodes: Nodes) -> np.ndarray:
    """bool per node (read at roots): the cluster holds abbreviations only, no registered name."""
    registered = np.zeros(len(nodes), dtype=bool)
    registered[c.roots()[~nodes.abbreviated]] = True
    return ~registered


def joint_stock_clusters(c, nodes: Nodes) -> np.ndarray:
    """bool per node (read at roots): the cluster holds a 股份有限公司 name (only such a company is listed)."""
    joint = np.zeros(len(nodes), dtype=bool)
    joint[c.roots()[nodes.form == JOINT_STOCK]] = True
    return joint


LISTED_SHORT_FORMS = (NO_FORM, STOCK_SHORT, GROUP_SHORT)  # the endings a 证券简称 is written with
MANY = -2  # a cluster holds several short forms


def _short_form(nodes: Nodes, x: np.ndarray) -> np.ndarray:
    """One id per short core and ending (东华 / 东华股份 / 东华集团 are three 证券简称; the place is not
    counted: 佛山东华 is 东华 written with its place)."""
    return nodes.core_id[x] * 8 + nodes.form[x]


def held_short_forms(c, nodes: Nodes) -> np.ndarray:
    """Per node (read at roots): the 证券简称-like short form its cluster holds, -1 none, MANY several."""
    held = np.full(len(nodes), -1, dtype=np.int64)
    at = np.flatnonzero(nodes.abbreviated & np.isin(nodes.form, LISTED_SHORT_FORMS))
    if len(at):
        roots, forms = c.roots()[at], _short_form(nodes, at)
        held[roots] = forms
        several = np.unique(roots[held[roots] != forms])
        held[several] = MANY
    return held


def shared_target(src: np.ndarray, dst: np.ndarray, form: np.ndarray, listed: np.ndarray, whole: np.ndarray,
                  pick: np.ndarray, short_only: np.ndarray, held: np.ndarray) -> np.ndarray:
    """bool per row: a picked row of a short-only source written like a 证券简称 (`listed`: bare, or
    ending in 股份 / 集团, towards a cluster that holds a 股份有限公司 name) whose target is picked by another such source of another short form too, or
    whose cluster holds another already (joined by a strong edge, or in an earlier round). A listed company has one 证券简称 at a time: two for one registered name
    are as likely two companies' (科益气体 / 科益股份 for 河南科益气体股份有限公司, 建科节能 / 建科股份),
    so the registered name takes neither, and one name never chains two short names. The same short
    with or without its place is one (`form`: _short_form); a merchant's 字号 + 公司 (东华公司) is no
    证券简称 and never competes. When one of them is the registered name's whole core (`whole`: 科益气体
    for 河南科益气体股份有限公司, the name without place and form) and no other is, that one attaches."""
    shorts = pick & short_only[src] & listed
    if not shorts.any():
        return np.zeros(len(src), dtype=bool)
    crowded, whole_once = _distinct_per_target(dst, form, shorts, len(held)), _distinct_per_target(
        dst, form, shorts & whole, len(held)) == 1
    earlier = (held[dst] == MANY) | ((held[dst] >= 0) & (held[dst] != form))
    return shorts & (((crowded[dst] > 1) & ~(whole & whole_once[dst])) | earlier)


def _distinct_per_target(dst: np.ndarray, form: np.ndarray, rows: np.ndarray, n: int) -> np.ndarray:
    """Per node (a target root): how many distinct short forms the given rows bring it."""
    count = np.zeros(n, dtype=np.int64)
    if rows.any():
        pairs = np.unique(np.stack([dst[rows], form[rows]]), axis=1)
        targets, per = np.unique(pairs[0], return_counts=True)
        count[targets] = per
    return count


def _refused(c, nodes: Nodes, edges: Edges, src, dst, x, idx, pick, short_only) -> np.ndarray:
    listed = np.isin(nodes.form[x], LISTED_SHORT_FORMS) & joint_stock_clusters(c, nodes)[dst]
    whole = np.isin(edges.candidates[idx], WHOLE_NAME)
    return shared_target(src, dst, _short_form(nodes, x), listed, whole, pick, short_only, held_short_forms(c, nodes))


def attach(c, nodes: Nodes, edges: Edges, order: np.ndarray) -> None:
    """Attach sources to their one best-supported compatible target (see the module doc)."""
    from warehouse.resolve.clustering import EDGE

    src, dst, tier, x, y, idx = _candidate_rows(c, nodes, edges, order)
    compatible = c.can_merge_many(src, dst)  # candidates it cannot merge with do not count
    src, dst, tier, x, y, idx = (v[compatible] for v in (src, dst, tier, x, y, idx))
    pick = _single_best(src, dst, tier)
    short_only = short_only_clusters(c, nodes)
    decided = np.unique(src[pick])  # a refused source stays alone
    pick &= ~_refused(c, nodes, edges, src, dst, x, idx, pick, short_only)
    join_pairs(c, x[pick], y[pick], idx[pick], EDGE)
    # the sources with several best candidates, again once their candidates may have become one
    pending = ~np.isin(src, decided)
    src, dst, tier, x, y, idx = (v[pending] for v in (src, dst, tier, x, y, idx))
    for _round in (1, 2):
        if not len(src):
            return
        roots = c.roots()
        target = roots[dst]
        alive = (roots[src] == src) & (target != src)
        src, target, tier, x, y, idx = _collapse(*(v[alive] for v in (src, target, tier, x, y, idx)))
        ok = c.can_merge_many(src, target)
        src, target, tier, x, y, idx = (v[ok] for v in (src, target, tier, x, y, idx))
        pick = _single_best(src, target, tier)
        if not pick.any():
            return
        done = src[pick]
        pick &= ~_refused(c, nodes, edges, src, target, x, idx, pick, short_only)
        join_pairs(c, x[pick], y[pick], idx[pick], EDGE)
        rest = ~np.isin(src, done)
        src, dst, tier, x, y, idx = (v[rest] for v in (src, target, tier, x, y, idx))
