"""A working warehouse whose staging holds the given entity records, with core.entity_links built
by the real build step: what the blocking checks on core.entity_records are tested against."""

from __future__ import annotations

from pathlib import Path

from warehouse.db import connect, ensure_schemas
from warehouse.entity_links import build_entity_links

RECORD_COLUMNS = ("record_id", "source_id", "source_kind", "name", "uscc", "address", "region_hint")


def built_entity_records(folder: Path, rows: list[tuple]):
    """An open connection to folder/work/tuoke.duckdb after build_entity_links over `rows`
    (tuples in RECORD_COLUMNS order); the caller closes it."""
    con = connect(folder / "work" / "tuoke.duckdb")
    ensure_schemas(con)
    columns = ", ".join(f"{c} VARCHAR" for c in RECORD_COLUMNS)
    con.execute(f"CREATE TABLE staging.stg_entity_records ({columns})")
    con.executemany(f"INSERT INTO staging.stg_entity_records VALUES ({', '.join('?' * len(RECORD_COLUMNS))})", rows)
    con.execute("CREATE TABLE staging.stg_mentions AS SELECT record_id AS mention_id, "
                "CAST(NULL AS VARCHAR) AS industry FROM staging.stg_entity_records")
    build_entity_links(con)
    return con
