"""Resolution in batches of whole components (warehouse/resolve/batches.py) gives the links and
described records of one run over everything, row for row, stable ids included."""

from __future__ import annotations

import numpy as np
import pandas as pd

from benchmarks.resolve.generate import generate
from warehouse.resolve import merge_stats, resolve_and_describe, resolve_batches
from warehouse.resolve.batches import batch_rows
from warehouse.resolve.describe import describe


def _records(n: int, seed: int) -> pd.DataFrame:
    frame = generate(n, seed=seed)
    records = frame[["record_id", "source", "name", "uscc", "address"]].fillna("")
    return records.sort_values("record_id").reset_index(drop=True)


def _batched(records: pd.DataFrame, batch_records: int, previous=None) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    links, described, count = [], [], 0
    for batch in resolve_batches(records, previous=previous, batch_records=batch_records):
        assert batch.resolution.links["record_id"].tolist() == records["record_id"].iloc[batch.rows].tolist()
        links.append(batch.resolution.links)
        described.append(describe(batch.resolution.features, batch.resolution.lent))
        count += 1
    def order(parts):
        return pd.concat(parts).sort_values("record_id", kind="stable").reset_index(drop=True)
    return order(links), order(described), count


def _assert_same(left: pd.DataFrame, right: pd.DataFrame) -> None:
    assert len(left) == len(right)
    for column in left.columns:
        a = left[column].astype(object).where(left[column].notna(), None).tolist()
        b = right[column].astype(object).where(right[column].notna(), None).tolist()
        assert a == b, column


def test_batches_of_whole_components_give_the_links_of_one_run():
    records = _records(20_000, seed=3)
    whole_links, whole_described = resolve_and_describe(records)
    links, described, batches = _batched(records, batch_records=1_500)
    assert batches > 5
    assert whole_links["company_id"].nunique() < 0.8 * len(records)  # there were merges to get right
    _assert_same(links, whole_links.sort_values("record_id", kind="stable").reset_index(drop=True))
    _assert_same(described, whole_described.sort_values("record_id", kind="stable").reset_index(drop=True))


def test_one_batch_drops_parsed_columns_and_describes_as_one_run():
    records = _records(6_000, seed=5)
    whole_links, whole_described = resolve_and_describe(records)
    links, described, batches = _batched(records, batch_records=0)  # the build's path: columns dropped as read
    assert batches == 1
    _assert_same(links, whole_links)
    _assert_same(described, whole_described)
    batched_links, batched_described, _ = _batched(records, batch_records=700)  # shared names: nothing dropped
    _assert_same(described, batched_described)
    _assert_same(links, batched_links)


def test_batches_keep_the_previous_ids_as_one_run_does_even_when_a_company_splits():
    records = _records(12_000, seed=8)
    first = resolve_and_describe(records)[0]
    # a previous build that put two companies under one id: one run settles which keeps it
    previous = first[["record_id", "company_id"]].copy()
    ids = previous["company_id"].drop_duplicates().tolist()
    merged_away = previous["company_id"].isin(ids[1:400:2])
    previous.loc[merged_away, "company_id"] = previous.loc[merged_away, "company_id"].map(
        dict(zip(ids[1:400:2], ids[0:400:2])))
    previous = previous[previous["company_id"].str.startswith("name-")]
    whole = resolve_and_describe(records, previous=previous)[0]
    links, _described, batches = _batched(records, batch_records=800, previous=previous)
    assert batches > 5
    assert whole["features"].str.contains('"id_change"').any()  # ids did change, so keeping them is tested
    _assert_same(links, whole.sort_values("record_id", kind="stable").reset_index(drop=True))


def test_batch_rows_packs_whole_components_in_label_order():
    labels = np.array([0, 0, 2, 3, 2, 0, 6, 3, 3])
    batches = batch_rows(labels, batch_records=3)
    assert [b.tolist() for b in batches] == [[0, 1, 5], [2, 3, 4, 7, 8], [6]]
    assert sorted(np.concatenate(batches).tolist()) == list(range(len(labels)))


def test_merged_stats_add_counts_and_keep_the_highest_peak():
    one = {"records": 3, "peak_rss_mb": {"parse": 100, "block": 50}, "seconds": {"parse": 1.0},
           "blocking": {"rules": {"typo": {"pairs": 4, "largest": 9}}}, "batches": 2}
    two = {"records": 4, "peak_rss_mb": {"parse": 80, "block": 70}, "seconds": {"parse": 2.0},
           "blocking": {"rules": {"typo": {"pairs": 1, "largest": 3}}}, "batches": 2}
    merged = merge_stats(merge_stats({}, one), two)
    assert merged["records"] == 7 and merged["seconds"] == {"parse": 3.0}
    assert merged["peak_rss_mb"] == {"parse": 100, "block": 70}
    assert merged["blocking"]["rules"]["typo"] == {"pairs": 5, "largest": 9}
    assert merged["batches"] == 2
