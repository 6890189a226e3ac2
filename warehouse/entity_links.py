"""Runs entity resolution over staging.stg_entity_records and stores its result in the core schema.

`core.entity_links` holds one link per record (company_id, the rule that decided it, its score and
features, the record it was matched to and, for a branch, its parent's company_id) so
`tuoke explain` can say why; `core.entity_records` holds the parsed name fields the SQL models
group by.

Company ids are kept across builds: the previous `core.entity_links` (of this working warehouse,
or — after `tuoke build --fresh` — of the published one beside it) is passed to the resolver as
`previous`, so a company keeps its id when new mentions arrive (see warehouse/resolve/ids.py).
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Callable, Iterable
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from kernel.engine_config import load_engine_config
from kernel.paths import configs_dir
from warehouse.db import ensure_schemas, table_exists, transaction
from warehouse.resolve import merge_stats, resolve_batches
from warehouse.resolve.describe import describe
from warehouse.resolve.heap import bound_heap, release_arrow_memory, release_heap
from warehouse.resolve.link_rows import LINK_COLUMNS
from warehouse.resolve.records import INPUT_COLUMNS

log = logging.getLogger(__name__)

WRITES = ("core.entity_links", "core.entity_records")

ENTITY_RECORD_COLUMNS = [
    "record_id", "company_id", "display_name", "match_key", "core_name", "legal_form", "province", "city",
    "district", "is_branch", "parent_match_key", "is_non_enterprise", "uscc", "uscc_valid", "street_key",
    "registry_uscc", "region_from_hint", "industry", "source_id",
]
LINK_TYPES = {"record_id": "VARCHAR", "company_id": "VARCHAR", "rule": "VARCHAR", "score": "DOUBLE", "features": "JSON",
              "matched_record": "VARCHAR", "parent_company_id": "VARCHAR"}
_FLAGS = ("is_branch", "is_non_enterprise", "uscc_valid", "region_from_hint")
ENTITY_RECORD_TYPES = {c: "BOOLEAN" if c in _FLAGS else "VARCHAR" for c in ENTITY_RECORD_COLUMNS}


def _published_beside(con: duckdb.DuckDBPyConnection) -> Path | None:
    """`<root>/tuoke.duckdb` when this connection is the working warehouse `<root>/work/tuoke.duckdb`."""
    row = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
    if not row or not row[0]:
        return None
    working = Path(row[0]).resolve()
    if working.parent.name != "work":
        return None
    published = working.parent.parent / working.name
    return published if published.exists() and published != working else None


def previous_links(con: duckdb.DuckDBPyConnection) -> pd.DataFrame | None:
    """record_id, company_id of the last build (None on a first build)."""
    if table_exists(con, "core", "entity_links"):
        return arrow_frame(con, "SELECT record_id, company_id FROM core.entity_links")
    published = _published_beside(con)
    if published is None:
        return None
    alias = "tuoke_previous_build"
    try:
        con.execute(f"ATTACH '{published.as_posix()}' AS {alias} (READ_ONLY)")
    except duckdb.Error as exc:  # a published file we cannot read only costs id stability
        log.warning("entity links: cannot read previous ids from %s (%s)", published, exc)
        return None
    try:
        found = con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'core' "
            "AND table_name = 'entity_links'", [alias]).fetchone()[0]
        if not found:
            return None
        return arrow_frame(con, f"SELECT record_id, company_id FROM {alias}.core.entity_links")
    finally:
        con.execute(f"DETACH {alias}")


def arrow_frame(con: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame:
    """A query's rows as a DataFrame whose text stays in Arrow (pandas' pyarrow strings): two
    million records take their bytes, not two million Python strings per column."""
    cursor = con.cursor()  # its own result: a half-read one on `con` does not stand in the way
    try:
        table = cursor.sql(sql).to_arrow_table()
    finally:
        cursor.close()
    arrow_text = pd.StringDtype("pyarrow")
    frame = table.to_pandas(types_mapper=lambda t: arrow_text if t in (pa.string(), pa.large_string(), pa.string_view()) else None)
    del table
    release_arrow_memory()
    return frame


def resolution_input(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The records resolution reads (record_id order), as every engine's resolver gets them."""
    return arrow_frame(con, """
        SELECT r.record_id, r.source_id AS source, r.name, coalesce(r.uscc, '') AS uscc,
               coalesce(r.address, '') AS address, r.region_hint, m.industry
        FROM staging.stg_entity_records AS r
        LEFT JOIN staging.stg_mentions AS m ON m.mention_id = r.record_id
        ORDER BY r.record_id
        """)


SIDE_COLUMNS = ("industry", "source", "region_hint")  # what core.entity_records takes from the input as it is


def side_columns(records: pd.DataFrame) -> pd.DataFrame:
    """The side columns as categories: a source's name or region hint repeats on a million records
    (78 MB of Arrow text at 1.9M records, held the whole resolution long; 5 MB as codes)."""
    return records[list(SIDE_COLUMNS)].astype("category")


def judgements_path() -> Path | None:
    """configs/judgements.csv when it exists (the human decisions every resolver run applies)."""
    path = configs_dir() / "judgements.csv"
    return path if path.exists() else None


@contextlib.contextmanager
def duckdb_memory_limit(con: duckdb.DuckDBPyConnection, limit: str):
    """DuckDB's memory_limit set to `limit` for the block (it evicts cached blocks down to it, so
    the memory goes to the Python resolver), and back to what it was after. The WAL is not
    checkpointed on every commit in the block (each written slice is one): the build's own
    checkpoint folds it in once (a checkpoint per slice cost 6 s and 0.2 GiB at 1.9M records)."""
    settings = {"memory_limit": limit, "checkpoint_threshold": "16GB"}
    before = {name: con.execute(f"SELECT current_setting('{name}')").fetchall()[0][0] for name in settings}
    for name, value in settings.items():
        con.execute(f"SET {name} = '{value}'")
    try:
        yield
    finally:
        for name, value in before.items():
            con.execute(f"SET {name} = '{value}'")


def _create_tables(con: duckdb.DuckDBPyConnection, suffix: str) -> None:
    for table, columns in (("entity_links", LINK_TYPES), ("entity_records", ENTITY_RECORD_TYPES)):
        cols = ", ".join(f"{name} {kind}" for name, kind in columns.items())
        con.execute(f"CREATE OR REPLACE TABLE core.{table}{suffix} ({cols})")


# rows turned into Arrow at once: the copy DuckDB reads is that big, not a batch. A slice's frames,
# Arrow copies and insert buffers came on top of the resolver's own memory: 200k rows added 0.22 GiB
# to the peak, 50k rows 0.10 GiB (191k records), at the same insert time
WRITE_ROWS = 50_000
_ARROW_TYPES = {"VARCHAR": pa.string(), "JSON": pa.string(), "DOUBLE": pa.float64(), "BOOLEAN": pa.bool_()}


def _arrow_schema(types: dict[str, str]) -> pa.Schema:
    """The Arrow schema of a table's columns (LINK_TYPES, ENTITY_RECORD_TYPES): every slice of a
    stream is cast to it, so a slice whose column is all None is still a string column."""
    return pa.schema([(name, _ARROW_TYPES[kind]) for name, kind in types.items()])


LINKS_SCHEMA = _arrow_schema(LINK_TYPES)
RECORDS_SCHEMA = _arrow_schema(ENTITY_RECORD_TYPES)


def _stream(frames: Iterable[pd.DataFrame], schema: pa.Schema) -> pa.RecordBatchReader:
    """`frames` as one Arrow stream, converted a slice at a time as DuckDB reads it. One INSERT of
    the whole stream writes whole row groups straight to the file: at 1.9M rows, an INSERT per
    50k-row slice wrote 0.24 GiB of WAL that the checkpoint then wrote again, and took twice the time."""
    def batches():
        for frame in frames:
            # one thread: the columns are Python strings, so pyarrow's pool only waits on the GIL
            # (400k records: 0.24 s against 0.36-0.68 s with the pool)
            yield from pa.Table.from_pandas(frame, schema=schema, preserve_index=False, nthreads=1).to_batches()
            del frame
            release_heap()  # the slice's strings and Arrow copies, before the next slice is made

    return pa.RecordBatchReader.from_batches(schema, batches())


# each table's statement and schema: the links cast their score and features on the way in
TABLE_WRITES = (
    ("INSERT INTO core.entity_links{suffix} SELECT record_id, company_id, rule, score, CAST(features AS JSON), "
     "nullif(matched_record, ''), parent_company_id FROM stream_frame", LINKS_SCHEMA),
    ("INSERT INTO core.entity_records{suffix} BY NAME SELECT * FROM stream_frame", RECORDS_SCHEMA),
)


def _write_tables(con: duckdb.DuckDBPyConnection, suffix: str, n_rows: int,
                  links_at: Callable[[slice], pd.DataFrame], records_at: Callable[[slice], pd.DataFrame]) -> None:
    """`n_rows` links and records into the batch tables, made WRITE_ROWS rows at a time by
    `links_at(rows)` and `records_at(rows)`: one Arrow stream and one INSERT per table."""
    slices = [slice(start, start + WRITE_ROWS) for start in range(0, n_rows, WRITE_ROWS)]
    for (statement, schema), frame_at in zip(TABLE_WRITES, (links_at, records_at)):
        con.register("stream_frame", _stream(map(frame_at, slices), schema))
        try:
            con.execute(statement.format(suffix=suffix))
        finally:
            con.unregister("stream_frame")


def _entity_records(resolution, side: pd.DataFrame, rows: slice) -> pd.DataFrame:
    """core.entity_records' rows of the batch's records at `rows`: the parsed fields, the company
    and the side columns (`side`: the batch's rows of industry, source and region_hint, in order)."""
    frame = describe(resolution.features, resolution.lent, rows)
    frame["company_id"] = resolution.link_rows.company_id[rows]
    part = side.iloc[rows]
    frame["industry"] = part["industry"].to_numpy(dtype=object, na_value=None)
    frame["source_id"] = part["source"].to_numpy(dtype=object, na_value=None)
    return _fill_region_from_hint(frame, part["region_hint"].to_numpy(dtype=object, na_value=None)
                                  ).reindex(columns=ENTITY_RECORD_COLUMNS)


# (records, judgements file, previous links) -> (links, described): an engine's resolver
Resolver = Callable[[pd.DataFrame, Path | None, pd.DataFrame | None], tuple[pd.DataFrame, pd.DataFrame]]


def _swap_in(con: duckdb.DuckDBPyConnection, suffix: str, in_order: bool = False) -> None:
    """The batch tables become core.entity_links / core.entity_records in record_id order: renamed
    when their rows were appended in that order already (one batch: a sort of two million rows
    saved), else copied sorted."""
    for table in ("entity_links", "entity_records"):
        if in_order:
            con.execute(f"DROP TABLE IF EXISTS core.{table}")
            con.execute(f"ALTER TABLE core.{table}{suffix} RENAME TO {table}")
            continue
        con.execute(f"CREATE OR REPLACE TABLE core.{table} AS SELECT * FROM core.{table}{suffix} ORDER BY record_id")
        con.execute(f"DROP TABLE core.{table}{suffix}")


def build_with_resolver(con: duckdb.DuckDBPyConnection, resolver: Resolver) -> dict:
    """core.entity_links and core.entity_records from staging through an engine's `resolver` (the
    Spark engine passes warehouse/engines/spark_build.py's), written as the local batches are."""
    ensure_schemas(con)
    records = resolution_input(con)
    previous = previous_links(con)
    links, described = resolver(records[list(INPUT_COLUMNS)], judgements_path(), previous)
    entity_records = (
        described.merge(links[["record_id", "company_id"]], on="record_id", how="left")
        .merge(records[["record_id", "industry", "source"]].rename(columns={"source": "source_id"}), on="record_id")
    )
    hints = entity_records["record_id"].map(records.set_index("record_id")["region_hint"])
    entity_records = _fill_region_from_hint(entity_records, hints.to_numpy(dtype=object, na_value=None))
    links = links[list(LINK_COLUMNS)]
    with transaction(con):
        _create_tables(con, "_batches")
        entity_records = entity_records.reindex(columns=ENTITY_RECORD_COLUMNS)
        _write_tables(con, "_batches", len(links), lambda rows: links.iloc[rows], lambda rows: entity_records.iloc[rows])
        _swap_in(con, "_batches")
    changed = 0
    if previous is not None and len(previous):
        before = previous.drop_duplicates("record_id").set_index("record_id")["company_id"]
        now = links.set_index("record_id")["company_id"]
        common = now.index.intersection(before.index)
        changed = int((now.loc[common] != before.loc[common]).sum())
    return {"records": int(len(links)), "companies": int(links["company_id"].nunique()), "ids_changed": changed,
            "previous_ids": 0 if previous is None else int(len(previous))}


def build_entity_links(con: duckdb.DuckDBPyConnection, batch_records: int | None = None,
                       resolver: Resolver | None = None) -> dict:
    """Resolve staging.stg_entity_records in batches of whole components (warehouse/resolve/
    batches.py; `batch_records` default: configs/engine.yaml), each batch's links and records
    written before the next is resolved; the tables replace the old ones in one transaction, in
    record_id order. With `resolver` (another engine's), through it (`build_with_resolver`)."""
    bound_heap()  # the query's and the resolver's large arrays are given back when freed (resolve/heap.py)
    if resolver is not None:
        return build_with_resolver(con, resolver)
    ensure_schemas(con)
    records = resolution_input(con)
    previous = previous_links(con)
    side = side_columns(records)
    resolver_input = records[list(INPUT_COLUMNS)]
    del records
    settings = load_engine_config().resolve
    batches = resolve_batches(resolver_input, judgements=judgements_path(), previous=previous,
                              batch_records=settings.batch_records if batch_records is None else batch_records)
    n_previous = 0 if previous is None else len(previous)
    del resolver_input, previous
    suffix, stats, n_links, in_order = "_batches", {}, 0, True
    # The batch tables are scratch (a failed run leaves the core tables as they were, and the next
    # run replaces the scratch): each batch's stream is committed as it is written (appends held
    # uncommitted across statements grew the process by 0.1 GiB per 200k rows). The swap is one transaction.
    _create_tables(con, suffix)
    with duckdb_memory_limit(con, settings.duckdb_memory_limit):
        for batch in batches:
            in_order = in_order and bool(np.array_equal(batch.rows, np.arange(n_links, n_links + len(batch.rows))))
            link_rows, batch_side = batch.resolution.link_rows, side.iloc[batch.rows]
            _write_tables(con, suffix, len(link_rows), link_rows.frame,
                          functools.partial(_entity_records, batch.resolution, batch_side))
            n_links += len(link_rows)
            stats = merge_stats(stats, batch.resolution.stats)
            del batch, link_rows, batch_side
        del batches
        release_heap()
    with transaction(con):
        _swap_in(con, suffix, in_order)
    release_heap()
    log.info("entity links: %s", stats)
    return {"records": int(n_links), "companies": int(stats.get("companies", 0)), "ids_changed": int(stats.get("ids_changed", 0)),
            "previous_ids": int(n_previous),
            "batches": stats.get("batches", 0), "largest_component": stats.get("largest_component", 0)}


def _fill_region_from_hint(frame: pd.DataFrame, hints: np.ndarray) -> pd.DataFrame:
    """A directory's district tag (慈溪) or a source's region (浙江省) fills a region the name lacks
    (`hints`: one per row of `frame`, None where none). Such a region is the source's, not evidence
    the resolver weighed: `region_from_hint` marks it, and the conflicting-evidence check leaves it
    out. Each distinct hint is resolved once (a source has a handful, its records millions)."""
    from warehouse.regions import resolve_region_hint

    frame["region_from_hint"] = False
    missing = np.flatnonzero(frame["city"].isna().to_numpy() & pd.notna(hints))
    if not len(missing):
        return frame
    codes, distinct = pd.factorize(hints[missing])
    resolved = [resolve_region_hint(hint) for hint in distinct]
    found = np.array([isinstance(r, dict) for r in resolved], dtype=bool)[codes]
    frame.loc[frame.index[missing[found]], "region_from_hint"] = True
    for column in ("province", "city", "district"):
        values = np.array([r.get(column) if isinstance(r, dict) else None for r in resolved] + [None], dtype=object)[codes]
        at = frame.index[missing]
        frame.loc[at, column] = frame.loc[at, column].fillna(pd.Series(values, index=at, dtype=object))
    return frame
