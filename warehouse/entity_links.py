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

import logging
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd

from kernel.paths import configs_dir
from warehouse.db import ensure_schemas, table_exists, transaction
from warehouse.resolve import resolve_and_describe
from warehouse.resolve.records import INPUT_COLUMNS

log = logging.getLogger(__name__)

WRITES = ("core.entity_links", "core.entity_records")

ENTITY_RECORD_COLUMNS = [
    "record_id", "company_id", "display_name", "match_key", "core_name", "legal_form", "province", "city",
    "district", "is_branch", "parent_match_key", "is_non_enterprise", "uscc", "uscc_valid", "street_key",
    "registry_uscc", "region_from_hint", "industry", "source_id",
]
LINK_COLUMNS = ["record_id", "company_id", "rule", "score", "features", "matched_record", "parent_company_id"]


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
        return con.execute("SELECT record_id, company_id FROM core.entity_links").df()
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
        return con.execute(f"SELECT record_id, company_id FROM {alias}.core.entity_links").df()
    finally:
        con.execute(f"DETACH {alias}")


def resolution_input(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The records resolution reads (record_id order), as every engine's resolver gets them."""
    return con.execute(
        """
        SELECT r.record_id, r.source_id AS source, r.name, coalesce(r.uscc, '') AS uscc,
               coalesce(r.address, '') AS address, r.region_hint, m.industry
        FROM staging.stg_entity_records AS r
        LEFT JOIN staging.stg_mentions AS m ON m.mention_id = r.record_id
        ORDER BY r.record_id
        """
    ).df()


def judgements_path() -> Path | None:
    """configs/judgements.csv when it exists (the human decisions every resolver run applies)."""
    path = configs_dir() / "judgements.csv"
    return path if path.exists() else None


# (records, judgements file, previous links) -> (links, described): the engine that resolves
Resolver = Callable[[pd.DataFrame, Path | None, pd.DataFrame | None], tuple[pd.DataFrame, pd.DataFrame]]


def resolve_in_process(records: pd.DataFrame, judgements: Path | None, previous: pd.DataFrame | None
                       ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The DuckDB engine's resolver: this process (warehouse/resolve)."""
    return resolve_and_describe(records, judgements=judgements, previous=previous)


def build_entity_links(con: duckdb.DuckDBPyConnection, resolver: Resolver = resolve_in_process) -> dict:
    """core.entity_links and core.entity_records from staging; `resolver` is the engine's (the Spark
    engine passes warehouse/engines/spark_build.py's), everything around it is the same."""
    ensure_schemas(con)
    records = resolution_input(con)
    previous = previous_links(con)
    links, described = resolver(records[list(INPUT_COLUMNS)], judgements_path(), previous)
    entity_records = (
        described.merge(links[["record_id", "company_id"]], on="record_id", how="left")
        .merge(records[["record_id", "industry", "source"]].rename(columns={"source": "source_id"}), on="record_id")
    )
    region_hint = records.set_index("record_id")["region_hint"]
    entity_records = _fill_region_from_hint(entity_records, region_hint)
    entity_records = entity_records.reindex(columns=ENTITY_RECORD_COLUMNS)
    links = links[LINK_COLUMNS]
    try:
        with transaction(con):
            con.register("links_frame", links)
            con.register("records_frame", entity_records)
            con.execute(
                "CREATE OR REPLACE TABLE core.entity_links AS "
                "SELECT record_id, company_id, rule, CAST(score AS DOUBLE) AS score, CAST(features AS JSON) AS features, "
                "nullif(matched_record, '') AS matched_record, parent_company_id "
                "FROM links_frame ORDER BY record_id"
            )
            con.execute("CREATE OR REPLACE TABLE core.entity_records AS SELECT * FROM records_frame ORDER BY record_id")
    finally:
        con.unregister("links_frame")
        con.unregister("records_frame")
    companies = links["company_id"].nunique()
    changed = 0
    if previous is not None and len(previous):
        before = previous.drop_duplicates("record_id").set_index("record_id")["company_id"]
        now = links.set_index("record_id")["company_id"]
        common = now.index.intersection(before.index)
        changed = int((now.loc[common] != before.loc[common]).sum())
    return {"records": int(len(links)), "companies": int(companies), "ids_changed": changed,
            "previous_ids": 0 if previous is None else int(len(previous))}


def _fill_region_from_hint(frame: pd.DataFrame, region_hint: pd.Series) -> pd.DataFrame:
    """A directory's district tag (慈溪) or a source's region (浙江省) fills a region the name lacks.
    Such a region is the source's, not evidence the resolver weighed: `region_from_hint` marks it, and
    the conflicting-evidence check leaves it out."""
    from warehouse.regions import resolve_region_hint

    hints = frame["record_id"].map(region_hint)
    missing = frame["city"].isna() & hints.notna()
    frame["region_from_hint"] = False
    if missing.any():
        resolved = hints[missing].map(resolve_region_hint)
        frame.loc[resolved.index[resolved.notna().to_numpy()], "region_from_hint"] = True
        for column in ("province", "city", "district"):
            values = resolved.map(lambda r, c=column: (r or {}).get(c))
            frame.loc[missing, column] = frame.loc[missing, column].fillna(values)
    return frame
