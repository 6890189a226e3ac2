"""The build writes links and described records a slice at a time (warehouse/resolve/link_rows.py,
describe(rows=...)): the slices, put together, are the whole frames row for row, whatever the
slice size, id changes included."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from benchmarks.resolve.generate import generate
from kernel.resolution_config import load_resolution_config
from warehouse.resolve import resolve_records
from warehouse.resolve.describe import describe
from warehouse.resolve.run import resolve


def _as_lists(frame: pd.DataFrame) -> dict[str, list]:
    return {c: frame[c].astype(object).where(frame[c].notna(), None).tolist() for c in frame.columns}


@pytest.fixture(scope="module")
def resolution():
    frame = generate(6000, seed=11)
    records = frame[["record_id", "source", "name", "uscc", "address"]].fillna("")
    records = records.sort_values("record_id").reset_index(drop=True)
    previous = resolve_records(records.iloc[::2].reset_index(drop=True))[["record_id", "company_id"]]
    flip = np.random.default_rng(3).random(len(previous)) < 0.05  # some records had another id last build
    previous.loc[flip, "company_id"] = previous["company_id"].to_numpy()[::-1][flip]
    return resolve(records, [], load_resolution_config(), previous, workers=1, describe=True)


@pytest.mark.parametrize("size", [7, 1000, 10**6])
def test_link_slices_are_the_whole_links(resolution, size):
    rows = resolution.link_rows
    whole = rows.frame()
    parts = pd.concat([rows.frame(slice(a, a + size)) for a in range(0, len(rows), size)], ignore_index=True)
    assert _as_lists(parts) == _as_lists(whole)
    assert whole["features"].str.contains('"id_change"').sum() > 0  # the previous ids made changes to explain
    assert set(whole["rule"]) >= {"canonical", "same_key", "uscc"}


@pytest.mark.parametrize("size", [13, 2500])
def test_described_slices_are_the_whole_description(resolution, size):
    features, lent = resolution.features, resolution.lent
    whole = describe(features, lent)
    parts = pd.concat([describe(features, lent, slice(a, a + size)) for a in range(0, len(features), size)],
                      ignore_index=True)
    assert _as_lists(parts) == _as_lists(whole)
    assert whole["city"].notna().sum() > 0 and whole["uscc"].notna().sum() > 0
