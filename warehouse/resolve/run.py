"""The resolution steps in order, each a named function over a typed value, timed one by one.

read_records (records.py) → parse (prepare: names, codes, addresses once per distinct value, in
worker processes) → nodes → block (candidate pairs, with statistics) → compare (the comparison
levels of pair_rules decide every pair) → cluster (no cluster ever holds conflicting evidence;
judgements win over the matcher) → ids (stable company ids; previous ids are kept) → explain
(rule, score and features per record). `StepClock` keeps wall seconds, CPU seconds (this process
and its reaped parse workers: what a shared machine cannot inflate) and peak RSS per step.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kernel.resolution_config import ResolutionConfig
from warehouse.resolve.authority import LentCodes, lend, registry_codes
from warehouse.resolve.blocking import candidate_pairs
from warehouse.resolve.clustering import EDGE, cluster
from warehouse.resolve.compare import compare_pairs
from warehouse.resolve.describe import DESCRIBED_KEYS
from warehouse.resolve.explain import explain_links, parent_company_ids
from warehouse.resolve.heap import bound_heap
from warehouse.resolve.ids import company_ids
from warehouse.resolve.judgements import Judgement, judged_records, judgement_node_pairs
from warehouse.resolve.link_rows import LinkRows
from warehouse.resolve.nodes import assign_nodes
from warehouse.resolve.prepare import Features, record_features
from warehouse.resolve.records import read_records

log = logging.getLogger(__name__)

STEPS = ("parse", "nodes", "block", "compare", "cluster", "ids", "explain")
Progress = Callable[[str, int, int], None]


def _cpu_seconds() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


@dataclass
class StepClock:
    progress: Progress | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    cpu_seconds: dict[str, float] = field(default_factory=dict)
    peak_rss_mb: dict[str, int] = field(default_factory=dict)
    spans: dict[str, tuple[float, float]] = field(default_factory=dict)  # epoch seconds: a memory profile's windows

    @contextlib.contextmanager
    def step(self, name: str):
        if self.progress is not None and name in STEPS:
            self.progress(name, STEPS.index(name), len(STEPS))
        wall, cpu, began = time.perf_counter(), _cpu_seconds(), time.time()
        yield
        self.spans[name] = (began, time.time())
        self.seconds[name] = round(time.perf_counter() - wall, 2)
        self.cpu_seconds[name] = round(_cpu_seconds() - cpu, 2)
        self.peak_rss_mb[name] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


@dataclass
class Resolution:
    link_rows: LinkRows  # the links, columnar: `.frame(rows)` writes a slice of them
    features: Features
    lent: LentCodes  # the records a registry name vouches for (authority.py)
    stats: dict

    @property
    def links(self) -> pd.DataFrame:
        """Every record's link: record_id, company_id, rule, score, features, matched_record, parent_company_id."""
        return self.link_rows.frame()


@contextlib.contextmanager
def no_cyclic_gc():
    """Millions of small objects are made and kept: the cyclic collector would walk the whole
    growing heap again and again and find nothing to free."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def resolve(df: pd.DataFrame, judgements: list[Judgement], config: ResolutionConfig, previous: pd.DataFrame | None,
            workers: int | None, progress: Progress | None = None, describe: bool = False) -> Resolution:
    """Every step in order (see the module doc)."""
    bound_heap()  # per-record temporaries in mappings of their own (heap.py)
    clock = StepClock(progress)
    with no_cyclic_gc():
        with clock.step("input"):
            records = read_records(df)
        with clock.step("parse"):
            features = record_features(records, workers, with_display=describe)
        return resolve_features(features, judgements, config, previous, clock, describe)


def _drop_keys(features: Features, names: tuple[str, ...], kept: tuple[str, ...]) -> None:
    for name in names:
        if name not in kept:
            features.names.keys.pop(name, None)


def resolve_features(features: Features, judgements: list[Judgement], config: ResolutionConfig,
                     previous: pd.DataFrame | None, clock: StepClock, describe: bool = False,
                     shared: bool = False) -> Resolution:
    """The steps after parse, over parsed records. `shared`: `features.names` serves other batches
    too (warehouse/resolve/batches.py), so no parsed column is dropped on the way."""
    progress = clock.progress
    records = features.records
    # a parsed column no later step reads is dropped as soon as it is read for the last time
    # (trade names and industries once the nodes hold them; the legal class and hashes after ids),
    # unless the names serve other batches; describe's columns stay for core.entity_records
    kept = DESCRIBED_KEYS if describe else ()
    with no_cyclic_gc():
        with clock.step("nodes"):
            lent = registry_codes(features, config.authority.sources)
            lend(features, lent)
            node, nodes = assign_nodes(features, judged_records(judgements))
            if not shared:  # the nodes hold the distinct cores, 字号 and industries now
                _drop_keys(features, ("trade_name", "industry"), kept)
        with clock.step("block"):
            core_pairs, pairs, blocking = candidate_pairs(nodes, config.blocking, config.comparison.trade_name_weight)
        with clock.step("compare"):
            edges, by_level = compare_pairs(nodes, core_pairs, pairs, features.addresses, config)
            edge_counts = {"edges": len(edges), "strong_edges": int(edges.strong.sum())}
            del pairs
        with clock.step("cluster"):
            same, not_same = judgement_node_pairs(judgements, records.record_id, features.names.column("match_hash"),
                                                  features.name_idx, node)
            clusters = cluster(nodes, edges, same, not_same)
            cluster_of = clusters.roots()[node]
            clusters.release()
            explaining = clusters.link_kind == EDGE  # only the edges that attached a node are read again
            remap = edges.keep_only(np.unique(clusters.link_edge[explaining]))
            clusters.link_edge[explaining] = remap[clusters.link_edge[explaining]]
        with clock.step("ids"):
            ids = company_ids(cluster_of, features, previous)
            parents = parent_company_ids(features, ids.company_id, cluster_of)
            if not shared:  # what only core.entity_records reads
                _drop_keys(features, ("core", "legal_class", "match_hash", "parent_hash"), kept)
        with clock.step("explain"):
            link_rows = explain_links(features, node, nodes, clusters, edges, ids, parents, config, lent)
    if progress is not None:
        progress("done", len(STEPS), len(STEPS))
    stats = {
        "records": len(node), "nodes": len(nodes), "registry_names": len(lent), "blocking": blocking.as_dict(), "levels": by_level,
        **edge_counts,
        "companies": len(set(ids.company_id[np.unique(cluster_of, return_index=True)[1]].tolist())), "ids_changed": int(pd.notna(ids.change).sum()),
        "refused_judgements": clusters.refused_judgements, "seconds": clock.seconds,
        "cpu_seconds": clock.cpu_seconds, "peak_rss_mb": clock.peak_rss_mb, "spans": clock.spans,
    }
    log.info("resolve: %s", stats)
    return Resolution(link_rows=link_rows, features=features, lent=lent, stats=stats)
