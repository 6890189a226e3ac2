"""Loads landing JSONL files (one per crawl run) into raw.mentions, idempotently per file.

A landing file is immutable once written, so reloading it replaces exactly its own rows: running
the load twice leaves the warehouse as running it once. Run stats go to raw.crawl_stats.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from kernel.contracts import MENTION_COLUMNS, RUN_STATS_COLUMNS
from kernel.paths import DataPaths
from warehouse.db import ensure_schemas, one_checkpoint, transaction


def create_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    ensure_schemas(con)
    mention_cols = ", ".join(f'"{c}" {t}' for c, t in MENTION_COLUMNS.items())
    con.execute(f"CREATE TABLE IF NOT EXISTS raw.mentions ({mention_cols}, landing_file VARCHAR)")
    for column, ctype in MENTION_COLUMNS.items():  # a warehouse built before a mention key was added
        con.execute(f'ALTER TABLE raw.mentions ADD COLUMN IF NOT EXISTS "{column}" {ctype}')
    con.execute(
        "CREATE TABLE IF NOT EXISTS raw.landing_files ("
        "landing_file VARCHAR PRIMARY KEY, source_id VARCHAR, run_id VARCHAR, rows INTEGER,"
        " bytes BIGINT, loaded_at TIMESTAMP)"
    )
    stats_cols = ", ".join(f'"{c}" {t}' for c, t in RUN_STATS_COLUMNS.items())
    con.execute(f"CREATE TABLE IF NOT EXISTS raw.crawl_stats ({stats_cols}, stats_file VARCHAR)")
    for column, ctype in RUN_STATS_COLUMNS.items():  # a warehouse built before a stats key was added
        con.execute(f'ALTER TABLE raw.crawl_stats ADD COLUMN IF NOT EXISTS "{column}" {ctype}')


def _relative(path: Path, paths: DataPaths) -> str:
    return path.relative_to(paths.landing).as_posix()


def _hash_legal_reps(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """A negative list's 法定代表人 (extra.legal_rep) is a person: the warehouse keeps only its keyed
    hash (extra.legal_rep_hash, as the owners feed hashes owner names), so an owner can be matched
    by name plus company without a clear name in any table."""
    reps = con.execute(
        "SELECT mention_id, json_extract_string(extra, '$.legal_rep') FROM raw.mentions "
        "WHERE landing_file = ? AND json_extract_string(extra, '$.legal_rep') IS NOT NULL", [name]
    ).fetchall()
    if not reps:
        return
    from warehouse.pii import hash_pii  # needs the key only when a list names a person

    con.executemany(
        "UPDATE raw.mentions SET extra = json_merge_patch(extra, json_object('legal_rep', NULL, 'legal_rep_hash', ?)) "
        "WHERE landing_file = ? AND mention_id = ?",
        [[hash_pii(rep, "person_name"), name, mention_id] for mention_id, rep in reps],
    )


def _load_one(con: duckdb.DuckDBPyConnection, path: Path, name: str) -> int:
    columns = ", ".join(f"'{c}': '{t}'" for c, t in MENTION_COLUMNS.items())
    select = ", ".join(f'"{c}"' for c in MENTION_COLUMNS)
    with transaction(con):
        con.execute("DELETE FROM raw.mentions WHERE landing_file = ?", [name])
        if path.stat().st_size:
            con.execute(
                f"INSERT INTO raw.mentions ({select}, landing_file) SELECT {select}, ? AS landing_file "
                f"FROM read_json(?, format='newline_delimited', columns={{{columns}}})",
                [name, str(path)],
            )
        _hash_legal_reps(con, name)
        rows = con.execute("SELECT count(*) FROM raw.mentions WHERE landing_file = ?", [name]).fetchone()[0]
        source_id = path.parent.name
        con.execute("DELETE FROM raw.landing_files WHERE landing_file = ?", [name])
        con.execute(
            "INSERT INTO raw.landing_files VALUES (?, ?, ?, ?, ?, current_timestamp)",
            [name, source_id, path.stem, rows, path.stat().st_size],
        )
    return rows


def _load_stats(con: duckdb.DuckDBPyConnection, path: Path, name: str) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    values = []
    for column, ctype in RUN_STATS_COLUMNS.items():
        value = data.get(column)
        if ctype == "JSON":
            value = json.dumps(value or {}, ensure_ascii=False)
        values.append(value)
    placeholders = ", ".join("?" for _ in range(len(values) + 1))
    con.execute("DELETE FROM raw.crawl_stats WHERE stats_file = ?", [name])
    names = ", ".join(f'"{c}"' for c in (*RUN_STATS_COLUMNS, "stats_file"))
    con.execute(f"INSERT INTO raw.crawl_stats ({names}) VALUES ({placeholders})", [*values, name])


def load_landing(con: duckdb.DuckDBPyConnection, paths: DataPaths | None = None) -> dict:
    """Load every landing file not yet loaded (or changed since) and every run's stats."""
    paths = paths or DataPaths.from_env()
    create_raw_tables(con)
    loaded = {
        row[0]: row[1]
        for row in con.execute("SELECT landing_file, bytes FROM raw.landing_files").fetchall()
    }
    files = sorted(paths.landing.glob("*/*.jsonl")) if paths.landing.exists() else []
    new_files, new_rows = 0, 0
    with one_checkpoint(con):
        for path in files:
            name = _relative(path, paths)
            if loaded.get(name) == path.stat().st_size:
                continue
            new_rows += _load_one(con, path, name)
            new_files += 1
    for stats_path in sorted(paths.landing.glob("*/*.stats.json")) if paths.landing.exists() else []:
        _load_stats(con, stats_path, _relative(stats_path, paths))
    total = con.execute("SELECT count(*) FROM raw.mentions").fetchone()[0]
    return {"files_seen": len(files), "files_loaded": new_files, "rows_loaded": new_rows, "mentions_total": total}
