"""Resolution components: resolving each component apart gives the links of one run over all."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

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


def _union_find_labels(n: int, src: np.ndarray, dst: np.ndarray) -> list[int]:
    root = list(range(n))

    def find(x: int) -> int:
        while root[x] != x:
            root[x] = root[root[x]]
            x = root[x]
        return x

    for a, b in zip(src.tolist(), dst.tolist()):
        ra, rb = find(a), find(b)
        root[max(ra, rb)] = min(ra, rb)
    return [find(x) for x in range(n)]


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 60).flatmap(lambda n: st.tuples(
    st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n))))
def test_labels_are_each_components_smallest_vertex(graph):
    n, edges = graph
    src = np.array([a for a, _ in edges], dtype=np.int64)
    dst = np.array([b for _, b in edges], dtype=np.int64)
    labels = min_label_components(ComponentGraph(n, n, src, dst))
    assert labels.tolist() == _union_find_labels(n, src, dst)


def test_a_long_shuffled_path_converges_in_few_rounds():
    """One long chain, numbered at random: a label travels the whole path (plain propagation with
    one jump a round took about as many rounds as the path's length over a few)."""
    order = np.random.default_rng(5).permutation(200_000)
    labels = min_label_components(ComponentGraph(200_000, 200_000, order[:-1], order[1:]), max_rounds=60)
    assert (labels == 0).all()


def test_partitioned_resolution_equals_one_run_over_everything():
    frame = generate(20_000, seed=3)
    records = frame[["record_id", "source", "name", "uscc", "address"]].fillna("")
    records = records.sort_values("record_id").reset_index(drop=True)
    whole = ordered_links([resolve_records(records)])
    parts = resolve_partitioned(records, partitions=7)
    assert whole["company_id"].nunique() < 0.8 * len(records)  # there were merges to get right
    assert parts.equals(whole)
