"""Resolution in batches of whole components, so memory grows with a batch, not with the input.

Names, codes and addresses are parsed once, for every record (prepare.py: per distinct value, in
worker processes). The resolution components (components.py) are found on that parse; then the
components are packed, in order of their label, into batches of about `batch_records` records (a
component larger than that is a batch of its own; `batch_records` 0: one batch, no components), and the steps after parse (run.py:
`resolve_features`) run on one batch at a time, over `Features.subset` of its records. No
decision crosses a component, so the batches' links are the links of one run over everything,
row for row; the previous ids join records into components too, so a previous company that split
is settled inside one batch. Only the pairs, edges and clusters of one batch are held at once,
and the caller takes each batch's links away before the next is made.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kernel.resolution_config import ResolutionConfig
from warehouse.resolve.components import component_graph, min_label_components
from warehouse.resolve.heap import bound_heap
from warehouse.resolve.ids import previous_ids_per_record
from warehouse.resolve.judgements import Judgement
from warehouse.resolve.prepare import Features, record_features
from warehouse.resolve.records import read_records
from warehouse.resolve.run import Progress, Resolution, StepClock, no_cyclic_gc, resolve_features


@dataclass(frozen=True)
class Batch:
    """One batch's records (positions in the input, ascending) and what resolving them gave."""

    rows: np.ndarray
    resolution: Resolution


def batch_rows(labels: np.ndarray, batch_records: int) -> list[np.ndarray]:
    """Record positions per batch: whole components (records with one label), packed in label
    order until a batch holds `batch_records` or more."""
    if not len(labels):
        return []
    order = np.argsort(labels, kind="stable")
    sorted_labels = labels[order]
    starts = np.flatnonzero(np.r_[True, sorted_labels[1:] != sorted_labels[:-1]])
    ends = np.r_[starts[1:], len(order)]
    cuts, filled = [0], 0
    for start, end in zip(starts.tolist(), ends.tolist()):
        filled += end - start
        if filled >= max(int(batch_records), 1):
            cuts.append(end)
            filled = 0
    if cuts[-1] != len(order):
        cuts.append(len(order))
    return [np.sort(order[a:b]) for a, b in zip(cuts, cuts[1:])]


def _previous_frame(features: Features, previous_ids: np.ndarray | None) -> pd.DataFrame | None:
    if previous_ids is None:
        return None
    known = pd.notna(previous_ids)
    return pd.DataFrame({"record_id": features.records.record_id[known].to_numpy(dtype=object),
                         "company_id": previous_ids[known]})


def resolve_in_batches(df: pd.DataFrame, judgements: list[Judgement], config: ResolutionConfig,
                       previous: pd.DataFrame | None, workers: int | None, batch_records: int,
                       describe: bool = False, progress: Progress | None = None) -> Iterator[Batch]:
    """Each batch's resolution in turn (see the module doc); `stats["batches"]` of the first says
    how many there are."""
    bound_heap()  # per-record temporaries in mappings of their own (heap.py)
    clock = StepClock(progress)
    with no_cyclic_gc():
        with clock.step("input"):
            records = read_records(df)
            del df
        with clock.step("parse"):
            features = record_features(records, workers, with_display=describe)
        with clock.step("components"):
            prev = previous_ids_per_record(features.records.record_id, previous)
            del previous
            n = len(features)
            if batch_records <= 0 or n <= batch_records:  # one batch: no components to find
                batches, largest = [np.arange(n)], n
            else:
                graph = component_graph(features, judgements, config, prev)
                labels = min_label_components(graph)[: graph.n_records]
                del graph
                batches = batch_rows(labels, batch_records)
                largest = int(np.bincount(labels).max()) if len(labels) else 0
    for number, rows in enumerate(batches):
        part = features if len(batches) == 1 else features.subset(rows)
        batch_clock = StepClock(progress if number == 0 else None)
        result = resolve_features(part, judgements, config, _previous_frame(part, None if prev is None else prev[rows]),
                                  batch_clock, describe, shared=len(batches) > 1)
        result.stats.update(batch=number, batches=len(batches), largest_component=largest,
                            shared_seconds=clock.seconds, shared_cpu_seconds=clock.cpu_seconds,
                            shared_peak_rss_mb=clock.peak_rss_mb, shared_spans=clock.spans)
        yield Batch(rows=rows, resolution=result)
