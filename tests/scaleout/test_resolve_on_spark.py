"""Entity resolution on Spark (components by FastSV in Spark SQL, each partition of
components resolved by applyInPandas over the local resolver) gives the same core.entity_links as
the single-process build, row for row: on the demo, and on 100k generated records."""

from __future__ import annotations

import shutil

import duckdb
import pandas as pd
import pytest

pytest.importorskip("pyspark", reason="the `scale` extra is not installed")

import numpy as np

from benchmarks.resolve.generate import generate
from warehouse.engines.spark import spark_session
from warehouse.engines.spark_build import SparkBuild
from warehouse.engines.spark_resolve import resolve_on_spark, spark_components
from warehouse.entity_links import judgements_path, resolution_input
from warehouse.resolve import resolve_and_describe
from warehouse.resolve.components import ComponentGraph, min_label_components, ordered_links

pytestmark = [
    pytest.mark.scaleout,
    pytest.mark.skipif(shutil.which("java") is None, reason="no Java for Spark"),
]

# core.entity_links as build_entity_links writes it (warehouse/entity_links.py), for a frame of links
AS_STORED = ("SELECT record_id, company_id, rule, CAST(score AS DOUBLE) AS score, CAST(CAST(features AS JSON) AS "
             "VARCHAR) AS features, nullif(matched_record, '') AS matched_record, parent_company_id FROM {}")


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    session = spark_session(tmp_path_factory.mktemp("spark-resolve") / "warehouse", app_name="tuoke-resolve")
    yield session
    session.stop()


def _differences(con: duckdb.DuckDBPyConnection, left: str, right: str) -> tuple[int, int]:
    count = lambda sql: con.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0]  # noqa: E731
    return count(f"{left} EXCEPT ALL {right}"), count(f"{right} EXCEPT ALL {left}")


def test_spark_components_equal_the_local_twin_on_a_long_path_and_random_islands(spark, tmp_path):
    """A 20k-vertex path numbered at random (a label must cross it) and 300 random small graphs."""
    rng = np.random.default_rng(11)
    path = rng.permutation(20_000)
    islands = 20_000 + rng.integers(0, 3_000, size=(1_500, 2))
    src = np.concatenate([path[:-1], islands[:, 0]]).astype(np.int64)
    dst = np.concatenate([path[1:], islands[:, 1]]).astype(np.int64)
    graph = ComponentGraph(23_000, 23_000, src, dst)
    labels, rounds = spark_components(spark, graph.edge_frame(), graph.n_vertices, tmp_path)
    local = min_label_components(graph)
    assert labels.sort_values("v")["label"].tolist() == local.tolist()
    assert (local[:20_000][path] == path.min()).all() and rounds <= 30


def test_demo_links_on_spark_equal_the_build_row_for_row(demo_warehouse, spark, tmp_path):
    working_db, _root = demo_warehouse
    with duckdb.connect(str(working_db), read_only=True) as con:
        records = resolution_input(con)
        links, stats = resolve_on_spark(spark, records, tmp_path, judgements=judgements_path(), partitions=4)
        con.register("spark_links", links)
        built = con.execute("SELECT count(*) FROM core.entity_links").fetchone()[0]
        stored = ("SELECT record_id, company_id, rule, score, CAST(features AS VARCHAR) AS features, matched_record, "
                  "parent_company_id FROM core.entity_links")
        only_build, only_spark = _differences(con, stored, AS_STORED.format("spark_links"))
        merged = con.execute("SELECT count(DISTINCT company_id) FROM core.entity_links WHERE rule <> 'canonical'").fetchone()[0]
    assert built == len(records) == len(links) > 100
    assert merged > 0  # the demo has linked records, so equality says something about the links
    assert stats["partitions"] > 1 and stats["components"] > stats["partitions"]
    assert (only_build, only_spark) == (0, 0)


def test_100k_links_on_spark_equal_one_process(spark, tmp_path):
    """Through the build's Spark resolver (SparkBuild.resolve), so this is the engine `tuoke build
    --engine spark` runs: links and the described records (core.entity_records) both equal."""
    frame = generate(100_000, seed=5)
    records = frame[["record_id", "source", "name", "uscc", "address"]].fillna("")
    records = records.sort_values("record_id").reset_index(drop=True)
    local_links, local_described = resolve_and_describe(records)
    local = ordered_links([local_links])
    build = SparkBuild(tmp_path, spark=spark)
    links, described = build.resolve(records, None, None)
    stats = build.last_resolution
    pd.testing.assert_frame_equal(described.reset_index(drop=True), local_described.reset_index(drop=True))
    assert len(links) == len(local) == len(records)
    assert local["company_id"].nunique() < len(records) * 0.8  # many records were merged
    assert stats["largest_component"] < len(records) / 10, stats
    both = local.merge(links, on="record_id", suffixes=("", "_spark"))
    for column in ("company_id", "rule", "features", "matched_record", "parent_company_id"):
        assert both[column].equals(both[f"{column}_spark"]), column
    pd.testing.assert_series_equal(both["score"], both["score_spark"], check_names=False)
