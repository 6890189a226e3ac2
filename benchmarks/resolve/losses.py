"""Where the benchmark's recall is lost: `python -m benchmarks.resolve.losses --size 100000 --seed 7`.

Runs the resolver's steps on generated records and, for every mention that is not in its company's
main cluster (the predicted cluster holding most of its mentions), counts the gold pairs it loses
with that cluster and attributes them to one cause, the first that applies:
- `attachment`: some candidate pair with the main cluster was linked (a strong or weak edge) but
  the clustering did not join it (several compatible candidates, or conflicting evidence);
- a comparison level's name: every candidate pair with the main cluster was kept apart, the name
  of the level that decided most of them;
- `no_candidate`: no blocking rule paired the mention with the main cluster at all.
Prints the causes by lost pairs and, with `--samples N`, N sample mentions per cause beside a name
of their main cluster (what a rule would have to join).
"""

from __future__ import annotations

import argparse
import collections
import random

import numpy as np
import pandas as pd

from benchmarks.resolve.generate import generate
from kernel.resolution_config import load_resolution_config
from warehouse.resolve.authority import lend, registry_codes
from warehouse.resolve.blocking import RULES, candidate_pairs
from warehouse.resolve.clustering import cluster
from warehouse.resolve.compare import compare_pairs
from warehouse.resolve.nodes import assign_nodes
from warehouse.resolve.pair_features import PairFrame
from warehouse.resolve.pair_rules import LEVELS, decide
from warehouse.resolve.prepare import record_features
from warehouse.resolve.records import read_records


def _run(frame: pd.DataFrame):
    """Per record: node and cluster; per candidate pair: nodes, deciding level, candidate rule."""
    config = load_resolution_config()
    features = record_features(read_records(frame[["record_id", "source", "name", "uscc", "address"]]), None)
    lent = registry_codes(features, config.authority.sources)
    lend(features, lent)
    node, nodes = assign_nodes(features, set())
    cp, pairs, _ = candidate_pairs(nodes, config.blocking, config.comparison.trade_name_weight)
    pair_frame = PairFrame(nodes, cp, pairs, features.addresses, config)
    decided = decide(pair_frame.values, len(pair_frame), config)
    edges, _ = compare_pairs(nodes, cp, pairs, features.addresses, config)
    clusters = cluster(nodes, edges, [], [])
    return node, clusters.roots()[node], pairs.a, pairs.b, decided, pair_frame.candidates, _attach_rows(
        clusters, nodes, edges)


def _attach_rows(clusters, nodes, edges) -> dict:
    """{source root: [(target root, tier, compatible)]} as attach.py would see the final clusters."""
    from warehouse.resolve.attach import _candidate_rows

    order = np.lexsort((edges.b, edges.a, -edges.score))
    src, dst, tier, *_ = _candidate_rows(clusters, nodes, edges, order)
    ok = clusters.can_merge_many(src, dst)
    rows = collections.defaultdict(list)
    for s, d, t, k in zip(src.tolist(), dst.tolist(), tier.tolist(), ok.tolist()):
        rows[s].append((d, t, k))
    return rows


def _attachment_cause(rows: dict, mine: int, main: int, gold_of_root) -> str:
    """Why the mention's cluster and the main cluster, linked by an edge, stayed apart."""
    for source, target in ((mine, main), (main, mine)):
        options = rows.get(source, [])
        to_target = [o for o in options if o[0] == target]
        if not to_target:
            continue
        side = "mention" if source == mine else "main"
        if not to_target[0][2]:
            return f"attachment: {side} conflicts"
        best = min(t for _, t, ok in options if ok)
        rivals = [d for d, t, ok in options if ok and t == best and d != target]
        if to_target[0][1] > best:
            return f"attachment: {side} has a better candidate"
        if rivals:
            other = "same company" if all(gold_of_root(d) == gold_of_root(target) for d in rivals) else "other company"
            return f"attachment: {side} has rivals ({other})"
        return f"attachment: {side} refused (short form)"
    return "attachment: no direction"


def losses(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """One row per missed mention (record index, cause, lost pairs, a main-cluster name); total gold pairs."""
    node, cluster_of, pa, pb, decided, candidates, rows = _run(frame)
    gold = pd.factorize(frame["gold"])[0]
    table = pd.DataFrame({"g": gold, "c": cluster_of, "n": node})
    counts = table.groupby(["g", "c"]).size().rename("k").reset_index().sort_values(["g", "k"], ascending=[True, False])
    main = counts.drop_duplicates("g").set_index("g")
    main_cluster = main["c"].reindex(gold).to_numpy()
    main_size = main["k"].reindex(gold).to_numpy()
    missed = np.flatnonzero(cluster_of != main_cluster)
    # the main cluster's nodes per gold company, and the candidate pairs of each node
    main_nodes = collections.defaultdict(set)
    for g, n in zip(gold[cluster_of == main_cluster].tolist(), node[cluster_of == main_cluster].tolist()):
        main_nodes[g].add(n)
    by_node = collections.defaultdict(list)
    for i, (a, b) in enumerate(zip(pa.tolist(), pb.tolist())):
        by_node[a].append((b, i))
        by_node[b].append((a, i))
    verdict = np.array([level.verdict for level in LEVELS], dtype=object)
    example = frame["name"].to_numpy()
    first_name = {}
    for i in np.flatnonzero(cluster_of == main_cluster).tolist():
        first_name.setdefault(gold[i], example[i])
    root_gold = pd.Series(gold).groupby(cluster_of).agg(lambda x: x.mode().iat[0])
    out = []
    for i in missed.tolist():
        g = gold[i]
        with_main = [p for other, p in by_node.get(node[i], []) if other in main_nodes[g]]
        if not with_main:
            cause = "no_candidate"
        else:
            levels = decided[with_main]
            if np.isin(verdict[levels], ["strong", "weak"]).any():
                cause = _attachment_cause(rows, int(cluster_of[i]), int(main_cluster[i]), root_gold.get)
            else:
                level = collections.Counter(levels.tolist()).most_common(1)[0][0]
                rule = RULES[int(candidates[with_main][list(levels).index(level)])]
                cause = f"{LEVELS[level].name} ({rule})"
        out.append((i, cause, int(main_size[i]), first_name.get(g, "")))
    true_pairs = int((np.bincount(gold).astype(np.int64) * (np.bincount(gold) - 1) // 2).sum())
    return pd.DataFrame(out, columns=["record", "cause", "lost_pairs", "main_name"]), true_pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--samples", type=int, default=0)
    parser.add_argument("--cause", default="", help="only samples of causes containing this text")
    args = parser.parse_args()
    frame = generate(args.size, seed=args.seed)
    lost, true_pairs = losses(frame)
    summary = lost.groupby("cause").agg(mentions=("record", "size"), pairs=("lost_pairs", "sum"))
    summary = summary.sort_values("pairs", ascending=False)
    total = int(summary["pairs"].sum())
    print(f"gold pairs {true_pairs:,}; lost (by missed mentions, upper bound) {total:,}")
    summary["share"] = (summary["pairs"] / max(total, 1)).round(3)
    print(summary.to_string())
    rng = random.Random(1)
    for cause in summary.index:
        if not args.samples or args.cause not in cause:
            continue
        sub = lost[lost["cause"] == cause]
        print(f"== {cause}")
        for row in rng.sample(list(sub.itertuples()), min(args.samples, len(sub))):
            rec = frame.iloc[row.record]
            print(f"   {rec['name']} | {rec['uscc'] or ''} | {rec['address'] or ''} | {rec['variant']} "
                  f"| main: {row.main_name}")


if __name__ == "__main__":
    main()
