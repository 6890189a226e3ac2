"""Runs entity resolution over staging.stg_entity_records and stores its result in the core schema.

`core.entity_links` holds one link per record (company_id, the rule that decided it, its score and
features) so `tuoke explain` can say why; `core.entity_records` holds the parsed name fields the
SQL models group by.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from tuoke.paths import configs_dir
from warehouse.db import ensure_schemas
from warehouse.resolve import describe_records, resolve_records

ENTITY_RECORD_COLUMNS = [
    "record_id", "company_id", "display_name", "match_key", "core_name", "legal_form", "province", "city",
    "district", "is_branch", "parent_match_key", "is_non_enterprise", "uscc", "uscc_valid", "industry",
    "source_id",
]


def _judgements_path() -> Path | None:
    path = configs_dir() / "judgements.csv"
    return path if path.exists() else None


def build_entity_links(con: duckdb.DuckDBPyConnection) -> dict:
    ensure_schemas(con)
    records = con.execute(
        """
        SELECT r.record_id, r.source_id AS source, r.name, coalesce(r.uscc, '') AS uscc,
               coalesce(r.address, '') AS address, r.region_hint, m.industry
        FROM staging.stg_entity_records AS r
        LEFT JOIN staging.stg_mentions AS m ON m.mention_id = r.record_id
        ORDER BY r.record_id
        """
    ).df()
    links = resolve_records(records[["record_id", "source", "name", "uscc", "address"]], judgements=_judgements_path())
    described = describe_records(records[["record_id", "source", "name", "uscc", "address"]])
    entity_records = (
        described.merge(links[["record_id", "company_id"]], on="record_id", how="left")
        .merge(records[["record_id", "industry", "source"]].rename(columns={"source": "source_id"}), on="record_id")
    )
    region_hint = records.set_index("record_id")["region_hint"]
    entity_records = _fill_region_from_hint(entity_records, region_hint)
    entity_records = entity_records.reindex(columns=ENTITY_RECORD_COLUMNS)
    links = links[["record_id", "company_id", "rule", "score", "features"]]
    con.execute("BEGIN TRANSACTION")
    try:
        con.register("links_frame", links)
        con.register("records_frame", entity_records)
        con.execute(
            "CREATE OR REPLACE TABLE core.entity_links AS "
            "SELECT record_id, company_id, rule, CAST(score AS DOUBLE) AS score, CAST(features AS JSON) AS features "
            "FROM links_frame ORDER BY record_id"
        )
        con.execute("CREATE OR REPLACE TABLE core.entity_records AS SELECT * FROM records_frame ORDER BY record_id")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    finally:
        con.unregister("links_frame")
        con.unregister("records_frame")
    companies = links["company_id"].nunique()
    return {"records": int(len(links)), "companies": int(companies)}


def _fill_region_from_hint(frame: pd.DataFrame, region_hint: pd.Series) -> pd.DataFrame:
    """A directory's district tag (慈溪) or a source's region (浙江省) fills a region the name lacks."""
    from warehouse.regions import resolve_region_hint

    hints = frame["record_id"].map(region_hint)
    missing = frame["city"].isna() & hints.notna()
    if missing.any():
        resolved = hints[missing].map(resolve_region_hint)
        for column in ("province", "city", "district"):
            values = resolved.map(lambda r, c=column: (r or {}).get(c))
            frame.loc[missing, column] = frame.loc[missing, column].fillna(values)
    return frame
