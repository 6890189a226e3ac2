"""Entity resolution on Spark, with the same core.entity_links as the single-process resolver.

1. Resolution components (warehouse/resolve/components.py): the graph of every relation the
   resolver could act on (node, core-name pair, USCC, judgement, parent name) goes to Spark as an
   edge table; its connected components are found in Spark SQL by iterative min-label
   propagation (each vertex takes the smallest label among itself and its neighbours until no
   label changes).
2. Records are keyed by their component's partition (label modulo `partitions`) and each
   partition is resolved by `applyInPandas` over the same Python function that resolves locally
   (`warehouse.resolve.resolve_records`), with the judgements and the previous ids of its records.
3. No decision crosses a component, so the union of the partitions' links is the local result;
   `tests/scaleout/test_resolve_on_spark.py` proves it row for row.

What still runs on the driver: parsing the names for the component graph (step 1 reads the
resolver's own blocking). On a cluster that parse is the part to move next (mapInPandas over
distinct names); the blocking runs on distinct cores, far fewer than records.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from warehouse.resolve.components import LINK_ORDER, component_edges, ordered_links, partition_of
from warehouse.resolve.records import INPUT_COLUMNS as RECORD_COLUMNS

LINK_SCHEMA = ("record_id string, company_id string, rule string, score double, features string, "
               "matched_record string, parent_company_id string")
INPUT_COLUMNS = list(RECORD_COLUMNS)


def under(workdir: Path | str, name: str) -> str:
    """`workdir/name` as Spark reads it: a local path or a URI (hdfs://…, s3a://…), never mangled by
    pathlib (which folds `hdfs://nn` into `hdfs:/nn`)."""
    return f"{str(workdir).rstrip('/')}/{name}"


def spark_components(spark, edges: pd.DataFrame, n_vertices: int, workdir: Path | str,
                     max_rounds: int = 200) -> tuple[pd.DataFrame, int]:
    """(vertex, label) for every vertex, and the rounds it took: min-label propagation in Spark SQL
    (the label is the smallest vertex id of the component, as `min_label_components` gives locally)."""
    both = pd.concat([edges, edges.rename(columns={"src": "dst", "dst": "src"})], ignore_index=True)
    # each round's labels go to Parquet and are read back: the lineage stays one round long and
    # nothing piles up in executor memory (in-memory checkpoints ran out of it at 100k records)
    spark.createDataFrame(both.astype("int64")).write.mode("overwrite").parquet(under(workdir, "edges"))
    spark.read.parquet(under(workdir, "edges")).createOrReplaceTempView("cc_edges")
    labels = spark.range(n_vertices).selectExpr("id AS v", "id AS label")
    for rounds in range(1, max_rounds + 1):
        labels.createOrReplaceTempView("cc_labels")
        step = spark.sql("""
            WITH hop AS (  -- the smallest label among a vertex and its neighbours
                SELECT l.v, least(l.label, coalesce(min(n.label), l.label)) AS label, l.label AS before
                FROM cc_labels AS l
                LEFT JOIN cc_edges AS e ON e.src = l.v
                LEFT JOIN cc_labels AS n ON n.v = e.dst
                GROUP BY l.v, l.label
            )
            -- pointer jumping: a vertex also takes its label's label, so the rounds grow with the
            -- logarithm of a component's diameter rather than with the diameter
            SELECT h.v, least(h.label, j.label) AS label, h.before
            FROM hop AS h JOIN hop AS j ON j.v = h.label
        """)
        target = under(workdir, f"labels-{rounds}")
        step.write.mode("overwrite").parquet(target)
        step = spark.read.parquet(target)
        changed = step.where("label < before").count()
        labels = step.select("v", "label")
        if changed == 0:
            return labels.toPandas(), rounds
    raise RuntimeError(f"connected components did not converge in {max_rounds} rounds")


def _resolver(judgements, previous: pd.DataFrame | None):
    def resolve_partition(records: pd.DataFrame) -> pd.DataFrame:
        from warehouse.resolve import resolve_records

        records = records.sort_values("record_id", kind="stable").reset_index(drop=True)
        mine = None
        if previous is not None:
            mine = previous[previous["record_id"].isin(records["record_id"])]
        links = resolve_records(records[INPUT_COLUMNS], judgements=judgements, previous=mine, workers=1)
        return links[LINK_ORDER]
    return resolve_partition


def resolve_on_spark(spark, df: pd.DataFrame, workdir: Path | str, judgements=None, previous: pd.DataFrame | None = None,
                     partitions: int = 8) -> tuple[pd.DataFrame, dict]:
    """core.entity_links' rows for `df` (record_id order), resolved partition by partition on Spark;
    `workdir` holds the component rounds: a folder every executor reaches (a shared mount or a URI)."""
    from warehouse.resolve.judgements import read_judgements

    rules = judgements if isinstance(judgements, list) else read_judgements(judgements)
    df = df[INPUT_COLUMNS].reset_index(drop=True)
    graph = component_edges(df, rules)
    labels, rounds = spark_components(spark, graph.edge_frame(), graph.n_vertices, workdir)
    labels = labels[labels["v"] < graph.n_records].sort_values("v")
    keyed = df.assign(partition=partition_of(labels["label"].to_numpy(), partitions))
    frame = spark.createDataFrame(keyed.astype({c: str for c in INPUT_COLUMNS}))
    result = frame.groupBy("partition").applyInPandas(_resolver(rules, previous), schema=LINK_SCHEMA)
    links = ordered_links([result.toPandas()])
    sizes = labels["label"].value_counts()
    stats = {"records": len(df), "components": int(len(sizes)), "largest_component": int(sizes.max()) if len(sizes) else 0,
             "propagation_rounds": rounds, "partitions": int(keyed["partition"].nunique())}
    return links, stats
