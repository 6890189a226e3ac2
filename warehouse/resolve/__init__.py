"""Entity resolution: every mention of a company lands on one stable company_id.

    resolve_records(df[record_id, source, name, uscc, address], judgements=path|None, progress=None)
        -> df[record_id, company_id, rule, score, features, matched_record, parent_company_id]
    describe_records(df) -> df[record_id, display_name, match_key, core_name, legal_form, province,
        city, district, is_branch, parent_match_key, is_non_enterprise, uscc, uscc_valid]

Steps (one module each): prepare (parse names/codes/addresses once per distinct value, group
identical records into nodes) → blocking (candidate pairs, stats) → scoring (explainable edges)
→ clustering (constrained union-find; judgements win) → ids (stable company ids).
`progress(step, done, total)` is called between steps.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from warehouse.regions import NAMES, Region, city_name
from warehouse.resolve.blocking import candidate_pairs
from warehouse.resolve.clustering import cluster
from warehouse.resolve.ids import company_ids
from warehouse.resolve.judgements import Judgement, judged_records, read_judgements
from warehouse.resolve.prepare import assign_nodes, clean_input, record_features
from warehouse.resolve.scoring import score_pairs

log = logging.getLogger(__name__)

__all__ = ["LAST_STATS", "describe_records", "resolve_records"]

STEPS = ["parse", "block", "score", "cluster", "ids"]
LAST_STATS: dict = {}  # blocking and clustering statistics of the last run (for logs/benchmarks)


def _node_frame(features: pd.DataFrame, node: np.ndarray) -> pd.DataFrame:
    frame = features.assign(node=node)
    first = frame.drop_duplicates("node").set_index("node").sort_index()
    nodes = first[["core", "trade_name", "industry", "legal_group", "is_branch", "uscc_key", "name_region",
                   "region", "match_key"]].copy()
    with_addr = frame[frame["address"] != ""].drop_duplicates("node").set_index("node")["address"]
    nodes["address"] = with_addr.reindex(nodes.index).fillna("").to_numpy()
    nodes["city_key"] = [r.city or r.province or "" for r in nodes["region"]]
    nodes.index = nodes.index.astype(np.int64)
    return nodes


def _judgement_pairs(judgements: list[Judgement], features: pd.DataFrame, node: np.ndarray):
    by_record = dict(zip(features["record_id"], node))
    by_key: dict[str, list[int]] = {}
    for key, n in zip(features["match_key"], node):
        by_key.setdefault(key, []).append(n)

    def nodes_of(side) -> list[int]:
        if side.record_id:
            return [by_record[side.record_id]] if side.record_id in by_record else []
        return sorted(set(by_key.get(side.name_key, [])))

    same, not_same = [], []
    for j in judgements:
        left, right = nodes_of(j.left), nodes_of(j.right)
        if not left or not right:
            continue
        target = same if j.same else not_same
        if j.same:
            anchor = left[0]
            target.extend((anchor, n) for n in left[1:] + right if n != anchor)
        else:
            target.extend((a, b) for a in left for b in right if a != b)
    return same, not_same


def resolve_records(df: pd.DataFrame, judgements: str | Path | list | None = None,
                    progress: Callable[[str, int, int], None] | None = None) -> pd.DataFrame:
    def step(name: str) -> None:
        if progress is not None:
            progress(name, STEPS.index(name), len(STEPS))

    records = clean_input(df)
    step("parse")
    features = record_features(records)
    features["address"] = records["address"].to_numpy()
    rules = judgements if isinstance(judgements, list) else read_judgements(judgements)
    node = assign_nodes(features, judged_records(rules))
    nodes = _node_frame(features, node)
    step("block")
    pairs, stats = candidate_pairs(nodes)
    step("score")
    edges = score_pairs(nodes, pairs)
    step("cluster")
    same, not_same = _judgement_pairs(rules, features, node)
    clusters = cluster(nodes, edges, same, not_same)
    roots = clusters.roots()
    step("ids")
    records["uscc_key"] = features["uscc_key"].to_numpy()
    cid = company_ids(records, roots[node])
    out = _explain(records, features, node, clusters, cid)
    LAST_STATS.clear()
    LAST_STATS.update({
        "records": len(records), "nodes": len(nodes), "blocking": stats.as_dict(),
        "edges": len(edges), "strong_edges": int((edges["strength"] == "strong").sum()) if len(edges) else 0,
        "companies": int(pd.Series(cid).nunique()),
    })
    log.info("resolve: %s", LAST_STATS)
    if progress is not None:
        progress("done", len(STEPS), len(STEPS))
    return out


def _explain(records, features, node, clusters, cid) -> pd.DataFrame:
    """rule/score/features per record: the edge that attached its node, or its node's first record."""
    record_ids = records["record_id"].to_numpy(dtype=object)
    first_pos = pd.Series(np.arange(len(node))).groupby(node).first().to_numpy()  # node -> first row
    node_first = record_ids[first_pos[node]]
    rule = np.where(node_first == record_ids, "canonical", "same_key").astype(object)
    score = np.ones(len(node))
    matched = np.where(node_first == record_ids, "", node_first).astype(object)
    feats = np.empty(len(node), dtype=object)
    for i in np.flatnonzero(rule == "same_key"):
        feats[i] = '{"rule": "same_key", "similarity": 1.0, "agreed": ["match_key"], "matched_record": %s}' % (
            json.dumps(matched[i], ensure_ascii=False))
    feats[rule == "canonical"] = '{"rule": "canonical", "similarity": 1.0, "agreed": []}'
    linked = {}
    for n, (r, s, sim, agreed, other) in clusters.link.items():
        m = record_ids[first_pos[int(other)]]
        linked[int(n)] = (r, float(s), m, json.dumps({"rule": r, "similarity": float(sim), "agreed": list(agreed),
                                                      "matched_record": m}, ensure_ascii=False))
    if linked:
        has = np.fromiter((int(n) in linked for n in node), dtype=bool, count=len(node))
        for i in np.flatnonzero(has):
            r, s, m, f = linked[int(node[i])]
            rule[i], score[i], matched[i], feats[i] = r, s, m, f
    out = pd.DataFrame({"record_id": record_ids, "company_id": cid, "rule": rule,
                        "score": score, "features": feats, "matched_record": matched})
    out["parent_company_id"] = _parent_ids(features, cid)
    return out


def _parent_ids(features: pd.DataFrame, cid: np.ndarray) -> np.ndarray:
    """company_id of a branch's parent when exactly one company has the parent's match key."""
    branch = features["is_branch"].to_numpy().astype(bool)
    if not branch.any():
        return np.full(len(features), None, dtype=object)
    plain = pd.DataFrame({"key": features["match_key"].to_numpy()[~branch], "cid": cid[~branch]}).drop_duplicates()
    plain = plain[~plain["key"].duplicated(keep=False)]
    owners = dict(zip(plain["key"], plain["cid"]))
    parents = features["parent_key"].to_numpy(dtype=object)
    return np.array([owners.get(p) if b else None for p, b in zip(parents, branch)], dtype=object)


def _region_names(region: Region) -> tuple:
    return (
        NAMES.get(region.province) if region.province else None,
        city_name(region.city) if region.city else None,
        NAMES.get(region.district) if region.district else None,
    )


def describe_records(df: pd.DataFrame) -> pd.DataFrame:
    """Parsed name fields per record for core.entity_records (region: name, else address, else USCC)."""
    records = clean_input(df)
    features = record_features(records)
    names = [_region_names(r) for r in features["region"]]
    return pd.DataFrame({
        "record_id": features["record_id"],
        "display_name": features["display"],
        "match_key": features["match_key"],
        "core_name": features["core"],
        "legal_form": features["legal_form"].replace("", None),
        "province": [n[0] for n in names],
        "city": [n[1] for n in names],
        "district": [n[2] for n in names],
        "is_branch": features["is_branch"].astype(bool),
        "parent_match_key": features["parent_key"],
        "is_non_enterprise": features["is_non_enterprise"].astype(bool),
        "uscc": features["uscc"].replace("", None),
        "uscc_valid": features["uscc_valid"].astype(bool),
    })
