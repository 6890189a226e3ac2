"""Reference tables from configs: `ref.territories` (province/city/district → branch, from
configs/territories.yaml), `ref.core_enterprises` (name, match_key, branch: the branches' core
enterprises of the same file, one row per name or alias; core.company_signals joins the
counterparties feed's customer column to match_key), the scoring configuration as
`ref.scoring_*` tables, and who counts as 普惠: the size standard and the large-enterprise lists as
`ref.size_*` / `ref.large_enterprise*` tables (warehouse.sizing)."""

from __future__ import annotations

import duckdb

from kernel.territories import load_territories_config
from warehouse.db import ensure_schemas, transaction


def load_reference(con: duckdb.DuckDBPyConnection, territories=None, scoring=None, size_standard=None,
                   large_enterprises=None) -> dict:
    """Write ref.territories, ref.scoring_* and ref.size_* from configs; returns row counts."""
    from kernel.scoring_config import load_scoring_config
    from kernel.size_standard import load_size_standard
    from warehouse.scoring import write_scoring_reference
    from warehouse.sizing import write_size_reference

    ensure_schemas(con)
    territories_cfg = load_territories_config(territories)
    rows = territories_cfg.rows()
    core_rows = territories_cfg.core_enterprise_rows()
    cfg = load_scoring_config(scoring)
    standard = load_size_standard(size_standard)  # checked before anything is written
    with transaction(con):
        con.execute(
            "CREATE OR REPLACE TABLE ref.territories (province VARCHAR, city VARCHAR, district VARCHAR, branch VARCHAR)"
        )
        con.executemany("INSERT INTO ref.territories VALUES (?, ?, ?, ?)", [list(r) for r in rows])
        con.execute("CREATE OR REPLACE TABLE ref.core_enterprises (name VARCHAR, match_key VARCHAR, branch VARCHAR)")
        if core_rows:
            con.executemany("INSERT INTO ref.core_enterprises VALUES (?, ?, ?)", [list(r) for r in core_rows])
        write_scoring_reference(con, cfg)
        sizing = write_size_reference(con, standard, large_enterprises)
    return {
        "territories": len(rows),
        "branches": len({r[3] for r in rows}),
        "core_enterprises": len({r[0] for r in core_rows}),
        "scoring_rules": con.execute("SELECT count(*) FROM ref.scoring_rules").fetchone()[0],
        **sizing,
    }
