"""Index the published copy for one-company lookups (the prospect page of `tuoke serve`).

A prospect page asks a dozen tables for the rows of one company. Without an index DuckDB scans
every row (ten million signals: about half a second); its min/max zone maps cannot help, because
company ids share their first bytes (`uscc-913…`, `name-…`) and VARCHAR statistics keep only a
prefix. An ART index answers the same lookup in milliseconds.

The indexes are made on the copy that is about to be published (`warehouse.publish.publish(...,
prepare=add_lookup_indexes)`), never on the working warehouse: builds replace and rewrite those
tables, and an index there would only slow them down or block an ALTER.
"""

from __future__ import annotations

import time
from pathlib import Path

import duckdb

# (table, column): the lookups a prospect page makes
LOOKUP_INDEXES = (
    ("core.companies", "company_id"),
    ("core.company_signals", "company_id"),
    ("core.company_mentions", "company_id"),
    ("core.entity_links", "company_id"),
    ("core.entity_records", "company_id"),
    ("marts.company_flags", "company_id"),
    ("marts.prospects_ranked", "company_id"),
    ("marts.signal_points_rows", "company_key"),
)


def _is_table_with(con, table: str, column: str) -> bool:
    schema, name = table.split(".")
    return bool(con.execute(
        "SELECT count(*) FROM information_schema.columns AS c JOIN information_schema.tables AS t "
        "USING (table_catalog, table_schema, table_name) WHERE c.table_schema = ? AND c.table_name = ? "
        "AND c.column_name = ? AND t.table_type = 'BASE TABLE' AND c.table_catalog = current_database()",
        [schema, name, column]).fetchone()[0])


def add_lookup_indexes(path: Path | str) -> dict[str, float]:
    """Create the LOOKUP_INDEXES that fit the file at `path` (absent tables or columns are
    skipped); returns seconds per index."""
    seconds = {}
    con = duckdb.connect(str(path))
    try:
        con.execute("SET enable_progress_bar = false")
        for table, column in LOOKUP_INDEXES:
            if not _is_table_with(con, table, column):
                continue
            started = time.monotonic()
            index = f"lookup_{table.replace('.', '_')}_{column}"
            con.execute(f"CREATE INDEX IF NOT EXISTS {index} ON {table} ({column})")
            seconds[table] = round(time.monotonic() - started, 3)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return seconds
