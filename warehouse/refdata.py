"""Reference tables from configs: `ref.territories` (province/city/district → branch, from
configs/territories.yaml) and the scoring configuration as `ref.scoring_*` tables."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import duckdb
import yaml

from tuoke.core.errors import UserError
from tuoke.core.paths import configs_dir
from warehouse.db import ensure_schemas

# Tables this step owns (pipelines/ reads this with ast to wire the Dagster asset).
WRITES = ("ref.territories", "ref.scoring_signals", "ref.scoring_rules", "ref.scoring_products")

TERRITORY_KEYS = ("province", "city", "district", "branch")


class TerritoriesConfigError(UserError):
    """territories.yaml is wrong; the message names the file, the entry and the problem."""


def load_territories(territories: Path | str | Mapping | None = None) -> list[tuple[str | None, ...]]:
    """Rows (province, city, district, branch); the default branch is the all-NULL row that
    core.companies falls back to when nothing more specific matches."""
    if territories is None or isinstance(territories, (str, Path)):
        path = Path(territories) if territories is not None else configs_dir() / "territories.yaml"
        if not path.exists():
            raise TerritoriesConfigError(f"{path}: territories config not found")
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise TerritoriesConfigError(f"{path}: not valid YAML ({exc})") from None
        origin = str(path)
    else:
        data, origin = dict(territories), "territories config"
    default = data.get("default_branch")
    if not isinstance(default, str) or not default.strip():
        raise TerritoriesConfigError(f"{origin}: default_branch: missing (the branch for places no entry covers)")
    entries = data.get("territories") or []
    if not isinstance(entries, list):
        raise TerritoriesConfigError(f"{origin}: territories: must be a list of {{province, city, district, branch}}")
    rows: list[tuple[str | None, ...]] = [(None, None, None, default.strip())]
    seen: dict[tuple, int] = {}
    for index, entry in enumerate(entries):
        key = f"territories[{index}]"
        if not isinstance(entry, Mapping):
            raise TerritoriesConfigError(f"{origin}: {key}: must be a mapping")
        unknown = [k for k in entry if k not in TERRITORY_KEYS]
        if unknown:
            raise TerritoriesConfigError(f"{origin}: {key}.{unknown[0]}: unknown key (allowed: {', '.join(TERRITORY_KEYS)})")
        branch = entry.get("branch")
        if not isinstance(branch, str) or not branch.strip():
            raise TerritoriesConfigError(f"{origin}: {key}.branch: missing")
        place = tuple((str(entry[k]).strip() or None) if entry.get(k) is not None else None
                      for k in ("province", "city", "district"))
        if place == (None, None, None):
            raise TerritoriesConfigError(f"{origin}: {key}: names no province, city or district (use default_branch)")
        if place in seen:
            raise TerritoriesConfigError(
                f"{origin}: {key}: same place as territories[{seen[place]}] with another branch")
        seen[place] = index
        rows.append((*place, branch.strip()))
    return rows


def load_reference(con: duckdb.DuckDBPyConnection, territories=None, scoring=None) -> dict:
    """Write ref.territories and ref.scoring_* from configs; returns row counts."""
    from warehouse.scoring import write_scoring_reference
    from warehouse.scoring_config import load_scoring_config

    ensure_schemas(con)
    rows = load_territories(territories)
    cfg = load_scoring_config(scoring)
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(
            "CREATE OR REPLACE TABLE ref.territories (province VARCHAR, city VARCHAR, district VARCHAR, branch VARCHAR)"
        )
        con.executemany("INSERT INTO ref.territories VALUES (?, ?, ?, ?)", [list(r) for r in rows])
        write_scoring_reference(con, cfg)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return {
        "territories": len(rows),
        "branches": len({r[3] for r in rows}),
        "scoring_rules": con.execute("SELECT count(*) FROM ref.scoring_rules").fetchone()[0],
    }
