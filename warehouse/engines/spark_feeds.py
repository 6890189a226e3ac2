"""Feed rows checked on Spark with the loader's own row check, so the quarantine is the same.

The file-level contract (empty, unreadable, zip bomb, missing columns: the file is refused) is
decided where the file is read, by `warehouse.feeds.load.load_feed_file`, for both engines. What
this module moves to Spark is the per-row work: each partition of a file's rows goes through
`warehouse.feeds.check.checked_rows` (mapInPandas), the very function the DuckDB engine calls, so a
quarantined row, its reason, a flagged row and a record id come out identical.

One thing ties rows together: two identical rows get ids apart by their occurrence in the file. So
rows are keyed by their cells (personal cells left out, which only makes the key coarser) before
they are split, every copy of a row lands in one partition, and each partition is checked in row
order.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

import pandas as pd

from kernel.feeds import FeedSpec
from warehouse.feeds.check import checked_rows
from warehouse.feeds.columns import COLUMN_KINDS
from warehouse.feeds.load import RowChecker

CHECKED_SCHEMA = "row_number long, kind string, payload string"  # kind: good | quarantined


def _partition_key(raw: list[str], personal: set[int]) -> str:
    return "\x1f".join(cell.strip() for i, cell in enumerate(raw) if i not in personal)


def _checker(spec: FeedSpec, found: dict, headers: list, feed_file: str):
    def check_partition(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        parts = list(batches)
        if not parts:
            return
        frame = pd.concat(parts, ignore_index=True).sort_values("row_number", kind="stable")
        numbered = zip(frame["row_number"].tolist(), (json.loads(cells) for cells in frame["cells"]), strict=True)
        good, quarantined, _flagged = checked_rows(spec, found, headers, numbered, feed_file)
        out = [(row["row_number"], "good", json.dumps(row, ensure_ascii=False)) for row in good]
        out += [(row["row_number"], "quarantined", json.dumps(row, ensure_ascii=False)) for row in quarantined]
        yield pd.DataFrame(out, columns=["row_number", "kind", "payload"])
    return check_partition


def spark_row_checker(spark, partitions: int) -> RowChecker:
    """A `checked_rows` with the same inputs and outputs that checks the rows on `spark`."""

    def check_rows(spec: FeedSpec, found: dict, headers: list, numbered_rows: Iterable[tuple[int, list[str]]],
                   feed_file: str) -> tuple[list[dict], list[dict], int]:
        personal = {found[c.name] for c in spec.columns if COLUMN_KINDS[c.type].personal and c.name in found}
        numbered = list(numbered_rows)
        if not numbered:
            return [], [], 0
        frame = pd.DataFrame({
            "row_number": [number for number, _ in numbered],
            "key": [_partition_key(raw, personal) for _, raw in numbered],
            "cells": [json.dumps(raw, ensure_ascii=False) for _, raw in numbered],
        })
        checked = (spark.createDataFrame(frame).repartition(partitions, "key")
                   .mapInPandas(_checker(spec, found, headers, feed_file), schema=CHECKED_SCHEMA)
                   .toPandas().sort_values("row_number", kind="stable"))
        good = [json.loads(p) for p in checked.loc[checked["kind"] == "good", "payload"]]
        quarantined = [json.loads(p) for p in checked.loc[checked["kind"] == "quarantined", "payload"]]
        return good, quarantined, sum(bool(row["row_issues"]) for row in good)

    return check_rows
