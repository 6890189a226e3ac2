"""Candidate pairs of nodes, with the blocking statistics (Splink-style: measure before scoring).

Blocking keys per node:
- `core`  : the exact core name (字号 + industry);
- `del`   : the core with one character deleted (a symmetric-delete neighbourhood: two cores one
            substitution, insertion or deletion apart share a key) — catches 形近字/音近字 typos;
- `trade` : the trade name alone, for names whose industry words differ or are missing.
A block larger than `max_block` is split by city; what is still too large is dropped and counted.
Pairs grow with the sum of squared block sizes, so the cap keeps the work about linear.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from warehouse.lookups import read_words

GENERIC = frozenset(read_words("industry_words.csv"))


@dataclass
class BlockingStats:
    keys: dict = field(default_factory=dict)  # rule -> {"blocks", "pairs", "largest", "capped_blocks", "capped_nodes"}
    pairs: int = 0

    def as_dict(self) -> dict:
        return {"pairs": self.pairs, "rules": self.keys}


def _keys(nodes: pd.DataFrame) -> pd.DataFrame:
    core = nodes["core"].to_numpy()
    trade = nodes["trade_name"].to_numpy()
    ids = nodes.index.to_numpy()
    rows_node: list[int] = []
    rows_key: list[str] = []
    rows_rule: list[str] = []
    for node, c, t in zip(ids, core, trade):
        if len(c) < 2 or c in GENERIC or t in GENERIC:
            continue  # a name of generic words alone only matches itself (same node / USCC)
        rows_node.append(node); rows_key.append(c); rows_rule.append("core")
        if 3 <= len(c) <= 12:
            rows_node.append(node); rows_key.append(c); rows_rule.append("del")
            for i in range(len(c)):
                rows_node.append(node); rows_key.append(c[:i] + c[i + 1:]); rows_rule.append("del")
        if len(t) >= 2 and t != c:
            rows_node.append(node); rows_key.append(t); rows_rule.append("trade")
    return pd.DataFrame({"node": np.asarray(rows_node, dtype=np.int64), "key": rows_key, "rule": rows_rule})


def candidate_pairs(nodes: pd.DataFrame, max_block: int = 60) -> tuple[pd.DataFrame, BlockingStats]:
    """(a, b) node pairs with a < b that share at least one blocking key."""
    stats = BlockingStats()
    keys = _keys(nodes)
    # trade blocks also hold nodes whose core *is* the trade name (the short name 宏达 of 宏达机械)
    trade_cores = keys[keys["rule"] == "core"].copy()
    trade_cores["rule"] = "trade"
    keys = pd.concat([keys, trade_cores[trade_cores["key"].isin(keys.loc[keys["rule"] == "trade", "key"])]])
    keys["block"] = keys["rule"] + ":" + keys["key"]
    keys = keys.drop_duplicates(["block", "node"])
    sizes = keys.groupby("block")["node"].transform("size")
    keys = keys[sizes > 1]
    sizes = sizes[sizes > 1]
    big = sizes > max_block
    if big.any():
        city = nodes["city_key"].reindex(keys.loc[big, "node"]).to_numpy()
        keys.loc[big, "block"] = keys.loc[big, "block"] + "@" + city
        sizes = keys.groupby("block")["node"].transform("size")
    ok = (sizes > 1) & (sizes <= max_block)
    for rule, part in keys.groupby("rule"):
        block_sizes = part.groupby("block").size()
        capped = block_sizes[block_sizes > max_block]
        stats.keys[rule] = {
            "blocks": int((block_sizes > 1).sum()),
            "pairs": int((block_sizes[block_sizes <= max_block] * (block_sizes[block_sizes <= max_block] - 1) // 2).sum()),
            "largest": int(block_sizes.max()) if len(block_sizes) else 0,
            "capped_blocks": len(capped),
            "capped_nodes": int(capped.sum()),
        }
    keys = keys[ok]
    pairs = _pairs_within(keys)
    stats.pairs = len(pairs)
    return pairs, stats


def _pairs_within(keys: pd.DataFrame) -> pd.DataFrame:
    """All a<b pairs inside each block, vectorised: sort by block, then for each offset d pair i with i+d."""
    keys = keys.sort_values(["block", "node"])
    block = pd.factorize(keys["block"])[0]
    node = keys["node"].to_numpy()
    n = len(node)
    out_a, out_b = [], []
    d = 1
    while d < n:
        same = block[d:] == block[:-d]
        if not same.any():
            break
        out_a.append(node[:-d][same]); out_b.append(node[d:][same])
        d += 1
    if not out_a:
        return pd.DataFrame({"a": np.empty(0, np.int64), "b": np.empty(0, np.int64)})
    a = np.concatenate(out_a); b = np.concatenate(out_b)
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    pairs = pd.DataFrame({"a": lo, "b": hi})
    pairs = pairs[pairs["a"] != pairs["b"]].drop_duplicates()
    return pairs.reset_index(drop=True)
