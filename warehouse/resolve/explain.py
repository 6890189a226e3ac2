"""Why each record sits in its company: the rule, score and features of its link.

A record's link is the edge (or USCC, or judgement) that attached its node, else — for the other
records of a node — `same_key` to the node's first record; the first record of a node nobody
attached it to is `canonical`. A record a registry name vouches for (authority.py) is linked by
`registry_name` to the authority record of that name. Features are kernel.link_features.LinkFeatures,
encoded in bulk for a slice of records at a time (link_rows.py).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kernel.resolution_config import ResolutionConfig
from warehouse.resolve.authority import RULE as REGISTRY_NAME
from warehouse.resolve.authority import LentCodes
from warehouse.resolve.blocking import RULES
from warehouse.resolve.clustering import EDGE, USCC, Clusters
from warehouse.resolve.compare import Edges, agreed_lists
from warehouse.resolve.ids import IdResult
from warehouse.resolve.link_rows import NO_RECORD, LinkRows
from warehouse.resolve.nodes import Nodes
from warehouse.resolve.pair_rules import LEVELS
from warehouse.resolve.prepare import Features


def _objects(values) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        out[i] = v
    return out


def _node_links(features: Features, nodes: Nodes, clusters: Clusters, edges: Edges, config: ResolutionConfig,
                n_per_node: np.ndarray) -> tuple[np.ndarray, ...]:
    """Per node: rule, score, the matched record's position, and its row in the link columns (-1:
    nobody attached it); and those columns (LinkFeatures fields, a row per attached node)."""
    n_nodes, first = len(nodes), nodes.first_record
    rule = np.full(n_nodes, "same_key", dtype=object)
    score = np.ones(n_nodes)
    matched = np.full(n_nodes, NO_RECORD, dtype=np.int64)
    multi = np.flatnonzero(n_per_node > 1)
    matched[multi] = first[multi]
    link_of_node = np.full(n_nodes, -1, dtype=np.int64)
    linked = np.flatnonzero(clusters.link_kind > 0)
    if not len(linked):
        return rule, score, matched, link_of_node, {}
    link_of_node[linked] = np.arange(len(linked))
    kinds = clusters.link_kind[linked]
    edge, other = clusters.link_edge[linked], clusters.link_other[linked]
    matched[linked] = first[other]
    is_edge = kinds == EDGE
    rules = np.where(kinds == USCC, "uscc", "judgement").astype(object)
    columns = {"strength": np.where(kinds == USCC, "strong", "judgement").astype(object), "similarity": np.ones(len(linked)),
               "agreed": _objects([("uscc",) if k == USCC else ("judgement:same",) for k in kinds.tolist()]),
               "candidates": np.full(len(linked), None, dtype=object), "reads": _objects([()] * len(linked)),
               "threshold": np.full(len(linked), None, dtype=object)}
    scores = np.ones(len(linked))
    if is_edge.any():
        e = edge[is_edge]
        columns["agreed"][is_edge] = agreed_lists(edges, e)
        edges.frame = None  # the pair features are read: free them before the texts are written
        level = edges.level[e].astype(np.int64)
        rules[is_edge] = np.array([lv.name for lv in LEVELS], dtype=object)[level]
        scores[is_edge] = edges.score[e]
        columns["similarity"][is_edge] = edges.similarity[e]
        columns["strength"][is_edge] = np.where(edges.strong[e], "strong", "weak")
        columns["candidates"][is_edge] = np.array(RULES, dtype=object)[edges.candidates[e]]
        columns["reads"][is_edge] = _objects([LEVELS[i].reads for i in level.tolist()])
        columns["threshold"][is_edge] = [config.threshold(LEVELS[i].threshold) if LEVELS[i].threshold else None
                                         for i in level.tolist()]
    rule[linked], score[linked] = rules, scores
    columns["rule"] = rules
    return rule, score, matched, link_of_node, columns


def explain_links(features: Features, node: np.ndarray, nodes: Nodes, clusters: Clusters, edges: Edges,
                  ids: IdResult, parent_ids: np.ndarray, config: ResolutionConfig,
                  lent: LentCodes | None = None) -> LinkRows:
    """rule/score/features per record (see the module doc), the texts written when asked for."""
    n_per_node = np.bincount(node, minlength=len(nodes))
    node_rule, node_score, node_matched, link_of_node, columns = _node_links(
        features, nodes, clusters, edges, config, n_per_node)
    rule, score, matched = node_rule[node], node_score[node], node_matched[node]
    canonical = np.zeros(len(node), dtype=bool)
    canonical[nodes.first_record] = True
    canonical[nodes.first_record[clusters.link_kind > 0]] = False
    registry = np.zeros(len(node), dtype=bool)
    if lent is not None and len(lent):
        vouched = ~canonical[lent.record]
        at, authority = lent.record[vouched], lent.authority[vouched]
        rule[at], score[at], matched[at], registry[at] = REGISTRY_NAME, 1.0, authority, True
    rule[canonical] = "canonical"
    return LinkRows(record_id=features.records.record_id, company_id=np.asarray(ids.company_id, dtype=object),
                    parent_company_id=np.asarray(parent_ids, dtype=object), rule=rule, score=score, matched=matched,
                    node=node, multi=n_per_node > 1, link_of_node=link_of_node, linked_columns=columns,
                    canonical=canonical, registry=registry, registry_rule=REGISTRY_NAME,
                    previous_id=ids.previous_id, change=ids.change)


def parent_company_ids(features: Features, company_id: np.ndarray, cluster_of: np.ndarray) -> np.ndarray:
    """company_id of a branch's parent when exactly one company has the parent's match key."""
    keys = features.names.keys
    out = np.full(len(company_id), None, dtype=object)
    branch_rows = np.flatnonzero(keys["is_branch"])  # key rows of branch names
    if not len(branch_rows):
        return out
    parents = pd.Index(pd.unique(keys["parent_hash"][branch_rows]))
    parent_of_key = np.full(len(keys["is_branch"]), -1, dtype=np.int64)
    parent_of_key[branch_rows] = parents.get_indexer(keys["parent_hash"][branch_rows])
    spells = parents.get_indexer(keys["match_hash"])  # key row of a plain name -> the parent key it spells
    spells[branch_rows] = -1
    key_of_record = features.names.key_idx[features.name_idx]
    rows = np.flatnonzero(spells[key_of_record] >= 0)
    n_clusters = int(cluster_of.max()) + 1
    pairs = np.unique(spells[key_of_record[rows]] * n_clusters + cluster_of[rows])
    key, owner = pairs // n_clusters, pairs % n_clusters
    single = np.bincount(key, minlength=len(parents)) == 1
    owner_of_key = np.full(len(parents), -1, dtype=np.int64)
    owner_of_key[key[single[key]]] = owner[single[key]]
    record_of_cluster = np.full(n_clusters, -1, dtype=np.int64)
    record_of_cluster[cluster_of] = np.arange(len(cluster_of))  # any record: they share the company_id
    branch_records = np.flatnonzero(parent_of_key[key_of_record] >= 0)
    owner_cluster = owner_of_key[parent_of_key[key_of_record[branch_records]]]
    known = owner_cluster >= 0
    out[branch_records[known]] = company_id[record_of_cluster[owner_cluster[known]]]
    return out
