"""Resolution components: resolving each component apart gives the links of one run over all."""

from __future__ import annotations

import numpy as np

from benchmarks.resolve.generate import generate
from warehouse.resolve import resolve_records
from warehouse.resolve.components import (
    ComponentGraph,
    min_label_components,
    ordered_links,
    resolve_partitioned,
)


def test_min_label_reaches_the_far_end_of_a_chain_and_keeps_islands_apart():
    # 0-1-2-...-9 a chain given in reverse, 10-11 an island, 12 alone
    src = np.array([*range(8, -1, -1), 10], dtype=np.int64)
    dst = src + 1
    labels = min_label_components(ComponentGraph(13, 13, src, dst))
    assert labels.tolist() == [0] * 10 + [10, 10, 12]


def test_partitioned_resolution_equals_one_run_over_everything():
    frame = generate(20_000, seed=3)
    records = frame[["record_id", "source", "name", "uscc", "address"]].fillna("")
    records = records.sort_values("record_id").reset_index(drop=True)
    whole = ordered_links([resolve_records(records)])
    parts = resolve_partitioned(records, partitions=7)
    assert whole["company_id"].nunique() < 0.8 * len(records)  # there were merges to get right
    assert parts.equals(whole)
