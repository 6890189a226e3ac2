"""Candidate pairs of nodes, with the blocking statistics (Splink-style: measure before scoring).

Blocking runs on *distinct core names* first, then expands to nodes:

1. core pairs — which two cores (字号 + industry) could name one company:
   - `same_core` : a core with itself;
   - `typo`      : two cores of 3-16 characters that differ in one position where the characters
                   look or sound alike, or one core that is the other with one character missing
                   (typo_pairs.py);
   - `trade_name`: two cores with the same trade name whose industries are empty or contain one
                   another (宏达 / 宏达机械 / 宏达机械设备);
   - `prefix`    : the core of a short form (or a bare core of >= 3 characters) that starts a longer
                   core (金沙 / 金沙窖酒酒业, 川健福 / 川健福房地产开发): the other companies a short name
                   could denote. A short core that starts more than `max_block` cores is *crowded*
                   (CorePairs.crowded): it is never attached on its name alone.
   A core made of generic words alone (科技, 贸易…) or with a generic trade name pairs with nothing:
   such a name only matches itself (same node) or through a USCC.
2. node pairs — for each core pair, the nodes of the two cores are paired only where their derived
   regions can agree: same city, or one side without a city (a region-less mention may be any of
   them). A bucket of more than `max_block`·(`max_block`−1)/2 pairs is dropped and counted: the
   cap keeps the work about linear, and a region-less name shared by that many nodes cannot be
   attached to one of them anyway.
The limits are configs/resolution.yaml `blocking`. Everything is numpy: strings are touched once per distinct core (or distinct character).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from kernel.resolution_config import BlockingSettings
from warehouse.lookups import read_words
from warehouse.resolve.grouping import grid, groups
from warehouse.resolve.nodes import Nodes
from warehouse.resolve.typo_pairs import (
    MISSING_CHAR,
    SHAPE,
    SOUND,
    TYPO_MAX,
    missing_char_pairs,
    substitution_pairs,
)

GENERIC = frozenset(read_words("industry_words.csv"))
RULES = ("same_core", "typo", "trade_name", "prefix")  # the candidate rules ("candidates" in a link's features)
SAME_CORE, TYPO, TRADE_NAME, PREFIX = 0, 1, 2, 3
NAME_ONLY = (TRADE_NAME, PREFIX)  # rules that pair names on part of the name alone
SHORT_MAX = 12  # the longest core that may stand for a longer name (prefix rule)
GRID_SLICE = 500_000  # generated node pairs per slice when buckets are expanded
DETAILS = ("", "shape", "sound", "missing_char")
assert (DETAILS[SHAPE], DETAILS[SOUND], DETAILS[MISSING_CHAR]) == ("shape", "sound", "missing_char")


@dataclass
class BlockingStats:
    keys: dict = field(default_factory=dict)  # rule -> {"core_pairs", "blocks", "pairs", "largest", "capped_blocks", "capped_pairs"}
    pairs: int = 0

    def as_dict(self) -> dict:
        return {"pairs": self.pairs, "rules": self.keys}


@dataclass
class CorePairs:
    a: np.ndarray  # core ids, a <= b
    b: np.ndarray
    rule: np.ndarray  # int8 into RULES
    detail: np.ndarray  # int8 into DETAILS
    similarity: np.ndarray  # w · trade-name ratio + (1 - w) · industry ratio (w: comparison.trade_name_weight)
    crowded: np.ndarray | None = None  # per core: a short core that starts more than max_block cores

    def __len__(self) -> int:
        return len(self.a)


@dataclass
class NodePairs:
    a: np.ndarray  # node ids
    b: np.ndarray
    core_pair: np.ndarray  # index into CorePairs

    def __len__(self) -> int:
        return len(self.a)


def _industry_containment(industries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) industry ids, x != y, both non-empty, industry x a substring of industry y."""
    position = {s: i for i, s in enumerate(industries.tolist()) if s}
    xs, ys = [], []
    for y, text in enumerate(industries.tolist()):
        if len(text) < 2:
            continue
        subs = {text[i:j] for i in range(len(text)) for j in range(i + 1, len(text) + 1)} - {text}
        for sub in subs:
            x = position.get(sub)
            if x is not None:
                xs.append(x)
                ys.append(y)
    return np.asarray(xs, dtype=np.int64), np.asarray(ys, dtype=np.int64)


def _trade_pairs(core_trade: np.ndarray, core_industry: np.ndarray, industries: np.ndarray, ids: np.ndarray):
    """Cores with one trade name whose industries are empty or contain one another."""
    frame = pd.DataFrame({"core": ids, "trade": core_trade[ids], "ind": core_industry[ids]})
    empty_id = np.flatnonzero(industries == "")
    bare = frame[frame["ind"].isin(empty_id)]
    with_bare = bare.merge(frame, on="trade", suffixes=("_a", "_b"))
    with_bare = with_bare[with_bare["core_a"] != with_bare["core_b"]]
    x, y = _industry_containment(industries)
    parts = [with_bare[["core_a", "core_b"]].to_numpy()]
    if len(x):
        relation = pd.DataFrame({"ind": x, "ind_b": y})
        left = frame.merge(relation, on="ind")
        right = frame.rename(columns={"core": "core_b", "ind": "ind_b"})
        contained = left.merge(right, on=["trade", "ind_b"])
        parts.append(contained[["core", "core_b"]].to_numpy())
    both = np.concatenate(parts) if parts else np.empty((0, 2), np.int64)
    return both[:, 0].astype(np.int64), both[:, 1].astype(np.int64)


def _prefix_pairs(starts: np.ndarray, ids: np.ndarray, cores: np.ndarray, max_group: int):
    """(short core, longer core) for every blockable core that starts with a short core, and the
    short cores that start more than max_group cores (crowded). Cores are sorted, so the cores
    with a prefix are one searchsorted range."""
    crowded = np.zeros(len(cores), dtype=bool)
    if not len(starts):
        return np.empty(0, np.int64), np.empty(0, np.int64), crowded
    text = cores[starts].astype(str)
    # cut every core one character past the longest start: the order stays, the array stays small
    width = int(max(len(t) for t in text.tolist())) + 1
    sorted_cores = cores.astype(f"U{width}")
    lo = np.searchsorted(sorted_cores, text, side="left")
    size = np.searchsorted(sorted_cores, np.char.add(text, "\U0010ffff"), side="left") - lo
    crowded[starts[size > max_group + 1]] = True
    keep = (size > 1) & (size <= max_group + 1)
    starts, lo, size = starts[keep], lo[keep], size[keep]
    row = np.repeat(np.arange(len(starts)), size)
    other = np.repeat(lo, size) + (np.arange(int(size.sum())) - np.repeat(np.cumsum(size) - size, size))
    a, b = starts[row], other
    allowed = np.zeros(len(cores), dtype=bool)
    allowed[ids] = True
    ok = (a != b) & allowed[b]
    return a[ok].astype(np.int64), b[ok].astype(np.int64), crowded


def _short_cores(nodes: Nodes, ids: np.ndarray, length: np.ndarray, core_industry: np.ndarray,
                 prefix_min: int) -> np.ndarray:
    """Cores that may stand for a longer name: a short form's (2+ characters), or a bare core
    without industry of prefix_min+ characters."""
    short = np.zeros(len(nodes.cores), dtype=bool)
    short[nodes.core_id[nodes.abbreviated]] = True
    ascii_only = np.fromiter((c.isascii() for c in nodes.cores), dtype=bool, count=len(nodes.cores))
    short &= (length >= 2) & ~ascii_only  # a Latin brand (ABC) starts too many names to say which
    short |= (nodes.industries[core_industry] == "") & (length >= prefix_min)
    short &= length <= SHORT_MAX  # a name this long is no short form
    mask = np.zeros(len(nodes.cores), dtype=bool)
    mask[ids] = True
    return np.flatnonzero(short & mask)


def _ratios(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    if not len(left):
        return np.empty(0)
    return process.cpdist(list(left), list(right), scorer=fuzz.ratio, workers=1) / 100.0


def core_pairs(nodes: Nodes, settings: BlockingSettings, trade_weight: float = 0.7) -> tuple[CorePairs, dict]:
    max_block = settings.max_block
    cores = nodes.cores
    n_cores = len(cores)
    core_trade = np.zeros(n_cores, dtype=np.int64)
    core_industry = np.zeros(n_cores, dtype=np.int64)
    core_trade[nodes.core_id] = nodes.trade_id
    core_industry[nodes.core_id] = nodes.industry_id
    trades, industries = nodes.trades, nodes.industries
    length = np.fromiter((len(c) for c in cores), dtype=np.int64, count=n_cores)
    generic_trade = np.fromiter((t in GENERIC for t in trades), dtype=bool, count=len(trades))
    generic_core = np.fromiter((c in GENERIC for c in cores), dtype=bool, count=n_cores)
    blockable = (length >= 2) & ~generic_core & ~generic_trade[core_trade]
    ids = np.flatnonzero(blockable)

    typo_ids = ids[(length[ids] >= settings.typo_min_length) & (length[ids] <= min(settings.typo_max_length, TYPO_MAX))]
    sa, sb, sdetail, capped_typo = substitution_pairs(cores, typo_ids, max_group=max_block)
    ma, mb = missing_char_pairs(cores, typo_ids, settings.missing_char_min_length)
    trade_len = np.fromiter((len(t) for t in trades), dtype=np.int64, count=len(trades))
    trade_ids = ids[trade_len[core_trade[ids]] >= 2]
    ta, tb = _trade_pairs(core_trade, core_industry, industries, trade_ids)
    pa, pb, crowded = _prefix_pairs(_short_cores(nodes, ids, length, core_industry, settings.prefix_min_length),
                                    ids, cores, max_block)

    cross = pd.DataFrame({
        "a": np.concatenate([ta, sa, ma, pa]), "b": np.concatenate([tb, sb, mb, pb]),
        "rule": np.concatenate([np.full(len(ta), TRADE_NAME), np.full(len(sa) + len(ma), TYPO),
                                np.full(len(pa), PREFIX)]).astype(np.int8),
        "detail": np.concatenate([np.zeros(len(ta), np.int8), sdetail, np.full(len(ma), MISSING_CHAR, np.int8),
                                  np.zeros(len(pa), np.int8)]),
    })
    lo, hi = np.minimum(cross["a"], cross["b"]), np.maximum(cross["a"], cross["b"])
    cross["a"], cross["b"] = lo, hi
    # one rule per core pair, in the order the comparisons are made: trade name, shape, sound, missing, prefix
    cross["prio"] = np.where(cross["rule"] == TRADE_NAME, 0, np.where(cross["rule"] == PREFIX, 9, cross["detail"]))
    cross = cross.sort_values(["a", "b", "prio"], kind="stable").drop_duplicates(["a", "b"])
    a, b = cross["a"].to_numpy(), cross["b"].to_numpy()
    sim_trade = np.where(core_trade[a] == core_trade[b], 1.0, _ratios(trades[core_trade[a]], trades[core_trade[b]]))
    ia, ib = core_industry[a], core_industry[b]
    either = (industries[ia] != "") | (industries[ib] != "")
    sim_ind = np.ones(len(a))
    if either.any():
        sim_ind[either] = np.where(ia[either] == ib[either], 1.0,
                                   _ratios(industries[ia[either]], industries[ib[either]]))
    similarity = np.round(trade_weight * sim_trade + (1 - trade_weight) * sim_ind, 4)

    pairs = CorePairs(
        a=np.concatenate([ids, a]).astype(np.int64), b=np.concatenate([ids, b]).astype(np.int64),
        rule=np.concatenate([np.full(len(ids), SAME_CORE, np.int8), cross["rule"].to_numpy()]),
        detail=np.concatenate([np.zeros(len(ids), np.int8), cross["detail"].to_numpy()]),
        similarity=np.concatenate([np.ones(len(ids)), similarity]), crowded=crowded,
    )
    counts = {RULES[r]: {"core_pairs": int((pairs.rule == r).sum())} for r in range(len(RULES))}
    counts["typo"]["capped_key_groups"] = capped_typo  # typo keys shared by more than max_block cores
    counts["prefix"]["crowded_cores"] = int(crowded.sum())  # short cores that start more than max_block cores
    return pairs, counts


# ---------------------------------------------------------------- node pairs
def node_pairs(nodes: Nodes, cp: CorePairs, max_block: int) -> tuple[NodePairs, BlockingStats]:
    """Expand core pairs to node pairs whose derived regions can agree (same city, or one without)."""
    stats = BlockingStats()
    max_pairs = max_block * (max_block - 1) // 2
    n_cores = len(nodes.cores)
    city = nodes.region[:, 1].astype(np.int64)
    order = np.lexsort((np.arange(len(nodes)), city, nodes.core_id))
    core_sorted, city_sorted = nodes.core_id[order], city[order]
    core_size = np.bincount(nodes.core_id, minlength=n_cores)
    core_start = np.cumsum(core_size) - core_size
    zero_size = np.bincount(nodes.core_id[city == 0], minlength=n_cores)

    # buckets of one core in one known city
    _o, bstart, bsize = groups(city_sorted, core_sorted)
    bcore, bcity = core_sorted[bstart], city_sorted[bstart]
    known = bcity != 0
    buckets = pd.DataFrame({"core": bcore[known], "city": bcity[known], "start": bstart[known], "size": bsize[known]})
    cpf = pd.DataFrame({"k": np.arange(len(cp)), "ca": cp.a, "cb": cp.b})
    left = cpf.merge(buckets.rename(columns={"core": "ca", "start": "sa", "size": "na"}), on="ca")
    same_city = left.merge(buckets.rename(columns={"core": "cb", "start": "sb", "size": "nb"}), on=["cb", "city"])

    # (core pair, first node and count on side a, first node and count on side b) per bucket pair
    parts = [(same_city["k"].to_numpy(), same_city["sa"].to_numpy(), same_city["na"].to_numpy(),
              same_city["sb"].to_numpy(), same_city["nb"].to_numpy())]
    # a side without a city pairs with every node of the other core
    k = np.flatnonzero(zero_size[cp.a] > 0)
    parts.append((k, core_start[cp.a[k]], zero_size[cp.a[k]], core_start[cp.b[k]], core_size[cp.b[k]]))
    k = np.flatnonzero((cp.a != cp.b) & (zero_size[cp.b] > 0) & (core_size[cp.a] > zero_size[cp.a]))
    parts.append((k, core_start[cp.a[k]] + zero_size[cp.a[k]], core_size[cp.a[k]] - zero_size[cp.a[k]],
                  core_start[cp.b[k]], zero_size[cp.b[k]]))
    kk, sa, na, sb, nb = (np.concatenate(column).astype(np.int64) for column in zip(*parts))

    # inside one core the two sides can start at the same node: the bucket with itself (a pair
    # once: i < j), or the city-less bucket against the core's whole range, which starts with
    # that bucket (city-less pairs once, then every node with a city)
    same_start = sa == sb
    bucket_pairs = np.where(same_start, na * (na - 1) // 2 + na * (nb - na), na * nb)
    capped = bucket_pairs > max_pairs
    rule_of = cp.rule[kk]
    for r, name in enumerate(RULES):
        mine = rule_of == r
        ok = mine & ~capped & (bucket_pairs > 0)
        stats.keys[name] = {
            "blocks": int(ok.sum()),
            "pairs": int(bucket_pairs[ok].sum()),
            "largest": int(bucket_pairs[mine].max()) if mine.any() else 0,
            "capped_blocks": int((mine & capped).sum()),
            "capped_pairs": int(bucket_pairs[mine & capped].sum()),
        }
    use = ~capped & (bucket_pairs > 0)
    kk, sa, na, sb, nb, same_start = kk[use], sa[use], na[use], sb[use], nb[use], same_start[use]
    # expanded in slices of about GRID_SLICE generated pairs, so the temporaries stay small
    ends = np.searchsorted(np.cumsum(na * nb), np.arange(GRID_SLICE, int((na * nb).sum()) + GRID_SLICE, GRID_SLICE))
    out_lo, out_hi, out_k, first = [], [], [], 0
    for last in np.unique(np.append(ends + 1, len(kk))).tolist():
        last = min(last, len(kk))
        if last <= first:
            continue
        part = slice(first, last)
        pa, pb, i, j, row = grid(sa[part], na[part], sb[part], nb[part])
        keep = np.where(same_start[part][row], (i < j) | (j >= na[part][row]), True)
        a, b = order[pa[keep]], order[pb[keep]]
        out_lo.append(np.minimum(a, b).astype(np.int32))
        out_hi.append(np.maximum(a, b).astype(np.int32))
        out_k.append(kk[part][row[keep]].astype(np.int32))
        first = last
    lo, hi, k = (np.concatenate(x) if x else np.empty(0, np.int32) for x in (out_lo, out_hi, out_k))
    stats.pairs = len(lo)
    return NodePairs(lo, hi, k), stats


def candidate_pairs(nodes: Nodes, settings: BlockingSettings | None = None,
                    trade_weight: float = 0.7) -> tuple[CorePairs, NodePairs, BlockingStats]:
    settings = settings or BlockingSettings()
    cp, counts = core_pairs(nodes, settings, trade_weight)
    pairs, stats = node_pairs(nodes, cp, settings.max_block)
    for name, values in counts.items():
        stats.keys.setdefault(name, {}).update(values)
    return cp, pairs, stats
