"""Entity resolution: every mention of a company lands on one stable company_id.

    resolve_records(df[record_id, source, name, uscc, address], judgements=path|None, progress=None,
                    previous=df[record_id, company_id]|None)
        -> df[record_id, company_id, rule, score, features, matched_record, parent_company_id]
    describe_records(df) -> df[record_id, display_name, match_key, core_name, legal_form, province,
        city, district, is_branch, parent_match_key, is_non_enterprise, uscc, uscc_valid]
    resolve_and_describe(df, ...) -> (links, described)   # both, parsing every name once

Steps (one module each): prepare (parse names/codes/addresses once per distinct value, in worker
processes; group identical records into nodes) → blocking (core pairs, then node pairs; stats) →
scoring (explainable edges) → clustering (constrained union-find; judgements win) → ids (stable
company ids; previous ids are kept). `progress(step, done, total)` is called between steps.
"""

from __future__ import annotations

import contextlib
import gc
import json
import logging
import os
import time
from collections.abc import Callable
from json.encoder import encode_basestring
from pathlib import Path

import numpy as np
import pandas as pd

from warehouse.regions import NAMES, city_name
from warehouse.resolve.blocking import RULES, candidate_pairs
from warehouse.resolve.clustering import EDGE, USCC, Clusters, cluster
from warehouse.resolve.ids import IdResult, company_ids
from warehouse.resolve.judgements import Judgement, judged_records, read_judgements
from warehouse.resolve.pair_rules import Edges, complete_address_flags, score_pairs
from warehouse.resolve.prepare import HASH_FIELD, Features, Nodes, assign_nodes, clean_input, record_features

log = logging.getLogger(__name__)

__all__ = ["LAST_STATS", "describe_records", "resolve_and_describe", "resolve_records"]

STEPS = ["parse", "block", "score", "cluster", "ids"]
LAST_STATS: dict = {}  # blocking and clustering statistics of the last run (for logs/benchmarks)
MAX_BLOCK = 60


def _judgement_pairs(judgements: list[Judgement], features: Features, node: np.ndarray):
    """Node pairs of the judgements (a side names one record, or every record with a match key)."""
    if not judgements:
        return [], []
    ids = sorted({s.record_id for j in judgements for s in (j.left, j.right) if s.record_id})
    at = pd.Index(features.record_id).get_indexer(ids) if ids else np.empty(0, np.int64)
    by_record = {r: int(node[i]) for r, i in zip(ids, at) if i >= 0}
    keys = {s.name_key for j in judgements for s in (j.left, j.right) if not s.record_id}
    by_key: dict[str, list[int]] = {}
    if keys:
        match_key = features.names["match_key"]
        wanted = np.flatnonzero(np.isin(match_key, list(keys)))
        rows = np.flatnonzero(np.isin(features.name_idx, wanted))
        for i in rows.tolist():
            by_key.setdefault(match_key[features.name_idx[i]], []).append(int(node[i]))

    def nodes_of(side) -> list[int]:
        if side.record_id:
            return [by_record[side.record_id]] if side.record_id in by_record else []
        return sorted(set(by_key.get(side.name_key, [])))

    same, not_same = [], []
    for j in judgements:
        left, right = nodes_of(j.left), nodes_of(j.right)
        if not left or not right:
            continue
        if j.same:
            anchor = left[0]
            same.extend((anchor, n) for n in left[1:] + right if n != anchor)
        else:
            not_same.extend((a, b) for a in left for b in right if a != b)
    return same, not_same


def resolve_records(df: pd.DataFrame, judgements: str | Path | list | None = None,
                    progress: Callable[[str, int, int], None] | None = None,
                    previous: pd.DataFrame | None = None, workers: int | None = None) -> pd.DataFrame:
    """Company id per record; `previous` (record_id, company_id of an earlier run) keeps ids stable."""
    links, _features = _resolve(df, judgements, progress, previous, workers)
    return links


def resolve_and_describe(df: pd.DataFrame, judgements: str | Path | list | None = None,
                         progress: Callable[[str, int, int], None] | None = None,
                         previous: pd.DataFrame | None = None,
                         workers: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """resolve_records and describe_records in one pass (names are parsed once)."""
    links, features = _resolve(df, judgements, progress, previous, workers)
    return links, _describe(features)


@contextlib.contextmanager
def _no_cyclic_gc():
    """Millions of small tuples and strings are made and kept: the cyclic collector would walk the
    whole growing heap again and again (a third of the run time) and find nothing to free."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _resolve(df, judgements, progress, previous, workers) -> tuple[pd.DataFrame, Features]:
    with _no_cyclic_gc():
        return _resolve_steps(df, judgements, progress, previous, workers)


def _cpu_seconds() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _resolve_steps(df, judgements, progress, previous, workers) -> tuple[pd.DataFrame, Features]:
    clock = {"start": time.perf_counter()}
    cpu = {"start": _cpu_seconds()}

    def step(name: str) -> None:
        clock[name] = time.perf_counter()
        cpu[name] = _cpu_seconds()
        if progress is not None:
            progress(name, STEPS.index(name), len(STEPS))

    records = clean_input(df)
    rules = judgements if isinstance(judgements, list) else read_judgements(judgements)
    step("parse")
    features = record_features(records, workers)
    node, nodes = assign_nodes(features, judged_records(rules))
    step("block")
    core_pairs, pairs, stats = candidate_pairs(nodes, MAX_BLOCK)
    step("score")
    edges = score_pairs(nodes, core_pairs, pairs, features.addresses)
    del pairs
    step("cluster")
    same, not_same = _judgement_pairs(rules, features, node)
    clusters = cluster(nodes, edges, same, not_same)
    roots = clusters.roots()
    step("ids")
    cluster_of = roots[node]
    ids = company_ids(cluster_of, features.uscc_id, features.uscc_codes, features.raw_name, features.name_idx,
                      features.names[HASH_FIELD], features.record_id, features.source, features.uscc,
                      features.address, previous)
    out = _explain(features, node, nodes, clusters, edges, ids, cluster_of)
    clock["done"] = time.perf_counter()
    cpu["done"] = _cpu_seconds()
    marks = ["start", *STEPS, "done"]
    LAST_STATS.clear()
    LAST_STATS.update({
        "records": len(node), "nodes": len(nodes), "blocking": stats.as_dict(),
        "edges": len(edges), "strong_edges": int(edges.strong.sum()),
        "companies": int(pd.Series(ids.company_id).nunique()),
        "ids_changed": int(pd.notna(ids.change).sum()),
        "seconds": {"input": round(clock["parse"] - clock["start"], 2),
                    **{m: round(clock[n] - clock[m], 2) for m, n in zip(marks[1:-1], marks[2:])}},
        # CPU seconds of this process and its reaped parse workers: what a shared machine cannot inflate
        "cpu_seconds": {"input": round(cpu["parse"] - cpu["start"], 2),
                        **{m: round(cpu[n] - cpu[m], 2) for m, n in zip(marks[1:-1], marks[2:])}},
    })
    log.info("resolve: %s", LAST_STATS)
    if progress is not None:
        progress("done", len(STEPS), len(STEPS))
    return out, features


_quote = encode_basestring  # JSON string literal (non-ASCII kept), the C encoder json.dumps uses
_CANONICAL = '{"rule": "canonical", "similarity": 1.0, "agreed": []}'
# strength: "strong" (evidence beyond the name agreed), "weak" (attached only as the one candidate),
# "judgement" (a human decision); marts.match_review queues the weak and the low-scored links
_LINK = '{"rule": "%s", "similarity": %r, "agreed": %s, "matched_record": %s, "strength": "%s"}'


def _object(values) -> pd.Series:
    return pd.Series(values, dtype=object)


def _explain(features: Features, node: np.ndarray, nodes: Nodes, clusters: Clusters, edges: Edges,
             ids: IdResult, cluster_of: np.ndarray) -> pd.DataFrame:
    """rule/score/features per record: the edge that attached its node, or its node's first record."""
    record_ids = features.record_id
    n_nodes = len(nodes)
    first = nodes.first_record
    node_rule = np.full(n_nodes, "same_key", dtype=object)
    node_score = np.ones(n_nodes)
    node_matched = record_ids[first]
    node_feats = np.full(n_nodes, None, dtype=object)
    multi = np.flatnonzero(np.bincount(node, minlength=n_nodes) > 1)
    node_feats[multi] = [_LINK % ("same_key", 1.0, '["match_key"]', _quote(m), "strong")
                         for m in node_matched[multi].tolist()]

    links = clusters.link
    linked = np.fromiter(links.keys(), dtype=np.int64, count=len(links))
    if len(linked):
        kinds = [v[0] for v in links.values()]
        edge = np.fromiter((v[1] for v in links.values()), dtype=np.int64, count=len(links))
        other = np.fromiter((v[2] for v in links.values()), dtype=np.int64, count=len(links))
        matched = record_ids[first[other]]
        is_edge = np.array([k == EDGE for k in kinds], dtype=bool)
        rule = np.array(kinds, dtype=object)
        score = np.ones(len(linked))
        sim = np.ones(len(linked))
        agreed = np.where(rule == USCC, '["uscc"]', '["judgement:same"]').astype(object)
        strength = np.where(rule == USCC, "strong", "judgement").astype(object)
        if is_edge.any():
            e = edge[is_edge]
            complete_address_flags(edges, nodes, features.addresses, e)
            rule[is_edge] = np.array(RULES, dtype=object)[edges.rule[e]]
            score[is_edge] = edges.score[e]
            sim[is_edge] = edges.similarity[e]
            combo = edges.flags[e] * 8 + edges.detail[e]
            kinds_of, inverse = np.unique(combo, return_inverse=True)
            texts = np.array([json.dumps(edges.agreed_of(int(k) // 8, int(k) % 8)) for k in kinds_of], dtype=object)
            agreed[is_edge] = texts[inverse]
            strength[is_edge] = np.where(edges.strong[e], "strong", "weak")
        node_rule[linked], node_score[linked], node_matched[linked] = rule, score, matched
        node_feats[linked] = [_LINK % x for x in zip(rule.tolist(), sim.tolist(), agreed.tolist(),
                                                     map(_quote, matched.tolist()), strength.tolist())]
    rule = node_rule[node]
    score = node_score[node]
    matched = node_matched[node]
    feats = node_feats[node]
    canonical = np.zeros(len(node), dtype=bool)
    canonical[first] = True
    canonical[first[linked]] = False
    rule[canonical] = "canonical"
    matched[canonical] = ""
    feats[canonical] = _CANONICAL
    for i in np.flatnonzero(pd.notna(ids.change)).tolist():
        extra = json.loads(feats[i])
        extra["previous_company_id"] = ids.previous_id[i]
        extra["id_change"] = ids.change[i]
        feats[i] = json.dumps(extra, ensure_ascii=False)
    return pd.DataFrame({
        "record_id": _object(record_ids), "company_id": _object(ids.company_id), "rule": _object(rule),
        "score": score, "features": _object(feats), "matched_record": _object(matched),
        "parent_company_id": _object(_parent_ids(features, ids.company_id, cluster_of)),
    })


def _parent_ids(features: Features, cid: np.ndarray, clus: np.ndarray) -> np.ndarray:
    """company_id of a branch's parent when exactly one company has the parent's match key."""
    names, idx = features.names, features.name_idx
    out = np.full(len(cid), None, dtype=object)
    branch_names = np.flatnonzero(names["is_branch"])
    if not len(branch_names):
        return out
    parents = pd.Index(pd.unique(names["parent_key"][branch_names]))
    parent_of_name = np.full(len(names["is_branch"]), -1, dtype=np.int64)  # distinct name -> parent key id
    parent_of_name[branch_names] = parents.get_indexer(names["parent_key"][branch_names])
    is_parent = parents.get_indexer(names["match_key"])  # distinct plain name -> the parent key it spells
    is_parent[branch_names] = -1
    rows = np.flatnonzero(is_parent[idx] >= 0)
    n_clusters = int(clus.max()) + 1
    pairs = np.unique(is_parent[idx[rows]] * n_clusters + clus[rows])
    key, owner = pairs // n_clusters, pairs % n_clusters
    single = np.bincount(key, minlength=len(parents)) == 1
    owner_of_key = np.full(len(parents), -1, dtype=np.int64)
    owner_of_key[key[single[key]]] = owner[single[key]]
    record_of_cluster = np.full(n_clusters, -1, dtype=np.int64)
    record_of_cluster[clus] = np.arange(len(clus))  # any record: they share the company_id
    branch_rows = np.flatnonzero(parent_of_name[idx] >= 0)
    owner_cluster = owner_of_key[parent_of_name[idx[branch_rows]]]
    known = owner_cluster >= 0
    out[branch_rows[known]] = cid[record_of_cluster[owner_cluster[known]]]
    return out


def _region_names(region: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    def names(column: np.ndarray, lookup) -> np.ndarray:
        codes, inverse = np.unique(column, return_inverse=True)
        table = np.array([lookup(int(c)) if c else None for c in codes] or [None], dtype=object)
        return table[inverse]

    return (names(region[:, 0], lambda c: NAMES.get(f"{c:02d}")),
            names(region[:, 1], lambda c: city_name(f"{c:04d}")),
            names(region[:, 2], lambda c: NAMES.get(f"{c:06d}")))


def _describe(features: Features) -> pd.DataFrame:
    province, city, district = _region_names(features.region)
    legal_form = features.name_column("legal_form")
    uscc = features.uscc
    return pd.DataFrame({
        "record_id": features.record_id,
        "display_name": features.name_column("display"),
        "match_key": features.name_column("match_key"),
        "core_name": features.name_column("core"),
        "legal_form": np.where(legal_form == "", None, legal_form),
        "province": province,
        "city": city,
        "district": district,
        "is_branch": features.name_column("is_branch"),
        "parent_match_key": features.name_column("parent_key"),
        "is_non_enterprise": features.name_column("is_non_enterprise"),
        "uscc": np.where(uscc == "", None, uscc),
        "uscc_valid": features.uscc_valid,
    })


def describe_records(df: pd.DataFrame, workers: int | None = None) -> pd.DataFrame:
    """Parsed name fields per record for core.entity_records (region: name, else address, else USCC)."""
    with _no_cyclic_gc():
        return _describe(record_features(clean_input(df), workers))
