"""The scoring configuration (configs/scoring.yaml) as ref.* tables; the scoring itself is SQL.

`write_scoring_reference(con, cfg)` writes, from the checked YAML, plain rows (no SQL is generated
from the configuration):

- `ref.scoring_settings(as_of)` — the date decay counts from (the YAML's as_of, else the build day);
- `ref.scoring_signals(signal, label, kind, reason_template, negative)` — the signal catalogue;
  `negative`: a risk or exclusion signal, which takes away 无负面清单记录 while active;
- `ref.scoring_reason_parts(signal, position, literal, placeholder, optional_group)` — each reason
  template cut into literal text and placeholders; a part of an optional `[ ]` group is shown only
  when every placeholder of its group has a value (read by the `ref.signal_reason` macro of
  dbt_like_sql/macros/signal_reason.sql);
- `ref.scoring_dimensions(dimension, label, position, weight, cap)` — the five 五好 then `risk`;
- `ref.scoring_rules(rule_id, dimension, signal, derived, points, points_by_value, amount_unit_yuan,
  amount_points, amount_scale, amount_max, half_life_days, cap, value_in, value_not_in,
  dimension_label, dimension_cap, dimension_weight)` — one row per (dimension, signal) rule;
- `ref.scoring_products(product, signal, weight, half_life_days, min_fit, blocks)`: blocks = the
  signal keeps the product off (`unless`), else it fits;
- `ref.scoring_flags(kind, signal, label, cooling_off_days)` — exclusions (不得受理) and bank-state
  suppressions; `ref.scoring_restricted_industries(label, keyword, match_on)`;
- `ref.scoring_segments(signal, segment_role)` (existing | credit) and `ref.scoring_alerts(signal)`;
- `ref.scoring_sizing(medium, medium_label, puhui_segments, max_credit_per_borrower_yuan, closed_statuses,
  newly_established_days)` — one row: who counts as 普惠 and the registry rules (docs/sizing.md);
  products carry `sizes` (the size segments offered it) and `min_years_in_business` (持续经营满N年).

The marts that apply them are SQL files in dbt_like_sql/marts/ (company_segments, product_fit,
signal_points_rows, signal_points_base, signal_points, company_flags, signal_first_seen,
signal_history, scoring_builds, prospects_ranked, …), each one Dagster asset. `build_ranking` runs
them in order for tests and benchmarks.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path

import duckdb
import pandas as pd

from kernel.contracts import DERIVED_SIGNALS
from kernel.paths import sql_models_dir
from kernel.scoring_config import ScoringConfig, load_scoring_config
from warehouse.db import ensure_schemas

# The build log: one row per build; the only marts table a rebuild on unchanged inputs changes.
BUILD_LOG = "marts.scoring_builds"


# The scoring and ranking models in the order their dependencies allow (Dagster derives the same
# order from the SQL with sqlglot; this list serves tests and benchmarks that run without Dagster).
RANKING_MODELS = (
    ("core", "registry_companies"), ("core", "large_enterprise_matches"), ("core", "company_signals"), ("core", "company_size_evidence"),
    ("core", "company_size"), ("marts", "company_segments"), ("marts", "product_fit"),
    ("marts", "signal_points_rows"), ("marts", "signal_points_base"), ("marts", "signal_points"),
    ("marts", "company_flags"), ("marts", "signal_first_seen"), ("marts", "signal_history"),
    ("marts", "scoring_builds"), ("marts", "prospects_ranked"), ("marts", "branch_summary"),
    ("marts", "new_signals"),
)
MACROS = ("signal_reason", "size_text")


def reason_parts(signal: str, template: str, label: str) -> list[tuple]:
    """(signal, position, literal, placeholder, optional_group) rows of one reason template:
    "{month} 中标 {value}[ {amount_wan} 万元]" → literal/placeholder pieces, the [ ] part in group 1."""
    rows: list[tuple] = []
    for group_index, chunk in enumerate(re.split(r"\[([^\[\]]*)\]", template)):
        group = (group_index + 1) // 2 if group_index % 2 == 1 else 0
        for piece_index, piece in enumerate(re.split(r"\{([^{}]*)\}", chunk)):
            if not piece:
                continue
            if piece_index % 2 == 0:
                rows.append((signal, len(rows), piece, None, group))
            elif piece == "label":
                rows.append((signal, len(rows), label, None, group))
            else:
                rows.append((signal, len(rows), None, piece, group))
    return rows


def _rule_rows(cfg: ScoringConfig) -> list[dict]:
    rows = []
    for dimension, label, weight, cap, rules in cfg.scored_dimensions():
        for signal, rule in rules.items():
            amount = rule.amount
            rows.append({
                "dimension": dimension, "signal": signal, "derived": signal in DERIVED_SIGNALS,
                "points": rule.points,
                "points_by_value": [{"value_contains": k, "points": v} for k, v in rule.points_by_value.items()],
                "amount_unit_yuan": amount.unit_yuan if amount else None,
                "amount_points": amount.points if amount else None,
                "amount_scale": amount.scale if amount else None,
                "amount_max": amount.max if amount else None,
                "half_life_days": rule.half_life_days, "cap": rule.cap,
                "value_in": rule.when.value_in if rule.when else None,
                "value_not_in": rule.when.value_not_in if rule.when else None,
                "dimension_label": label, "dimension_cap": cap, "dimension_weight": weight,
            })
    for rule_id, row in enumerate(rows):
        row["rule_id"] = rule_id
    return rows


def _write(con: duckdb.DuckDBPyConnection, table: str, columns: str, rows: list) -> None:
    """CREATE OR REPLACE `table` (typed `columns`) holding `rows` (tuples in column order)."""
    con.execute(f"CREATE OR REPLACE TABLE {table} ({columns})")
    if rows:
        marks = ", ".join("?" for _ in rows[0])
        con.executemany(f"INSERT INTO {table} VALUES ({marks})", [list(r) for r in rows])


def write_scoring_reference(con: duckdb.DuckDBPyConnection, cfg: ScoringConfig | None = None) -> dict:
    """The scoring configuration as ref.scoring_* tables (see the module doc) and the reason macro."""
    cfg = load_scoring_config(cfg)
    ensure_schemas(con)
    negative = {s for s, info in cfg.signals.items() if info.kind == "risk"} | set(cfg.exclusions.signals)
    _write(con, "ref.scoring_settings", "as_of DATE", [(cfg.as_of or dt.date.today(),)])
    _write(con, "ref.scoring_signals",
           "signal VARCHAR, label VARCHAR, kind VARCHAR, reason_template VARCHAR, negative BOOLEAN",
           [(s, i.label, i.kind, i.reason, s in negative) for s, i in cfg.signals.items()])
    _write(con, "ref.scoring_reason_parts",
           "signal VARCHAR, position INTEGER, literal VARCHAR, placeholder VARCHAR, optional_group INTEGER",
           [row for s, i in cfg.signals.items() for row in reason_parts(s, i.reason, i.label)])
    _write(con, "ref.scoring_dimensions", "dimension VARCHAR, label VARCHAR, position INTEGER, weight DOUBLE, cap DOUBLE",
           [(name, label, position, weight, cap)
            for position, (name, label, weight, cap, _) in enumerate(cfg.scored_dimensions())])
    rules = pd.DataFrame(_rule_rows(cfg), columns=[
        "rule_id", "dimension", "signal", "derived", "points", "points_by_value", "amount_unit_yuan", "amount_points",
        "amount_scale", "amount_max", "half_life_days", "cap", "value_in", "value_not_in", "dimension_label",
        "dimension_cap", "dimension_weight"])
    con.register("scoring_rule_rows", rules)
    try:
        con.execute("""
            CREATE OR REPLACE TABLE ref.scoring_rules AS
            SELECT CAST(rule_id AS USMALLINT) AS rule_id, dimension, signal, CAST(derived AS BOOLEAN) AS derived,
                   CAST(points AS DOUBLE) AS points,
                   CAST(points_by_value AS STRUCT(value_contains VARCHAR, points DOUBLE)[]) AS points_by_value,
                   CAST(amount_unit_yuan AS DOUBLE) AS amount_unit_yuan, CAST(amount_points AS DOUBLE) AS amount_points,
                   CAST(amount_scale AS VARCHAR) AS amount_scale, CAST(amount_max AS DOUBLE) AS amount_max,
                   CAST(half_life_days AS DOUBLE) AS half_life_days, CAST(cap AS DOUBLE) AS cap,
                   CAST(value_in AS VARCHAR[]) AS value_in, CAST(value_not_in AS VARCHAR[]) AS value_not_in,
                   dimension_label, CAST(dimension_cap AS DOUBLE) AS dimension_cap,
                   CAST(dimension_weight AS DOUBLE) AS dimension_weight
            FROM scoring_rule_rows ORDER BY rule_id
        """)
    finally:
        con.unregister("scoring_rule_rows")
    _write(con, "ref.scoring_products",
           "product VARCHAR, signal VARCHAR, weight DOUBLE, half_life_days DOUBLE, min_fit DOUBLE, blocks BOOLEAN, "
           "sizes VARCHAR[], min_years_in_business DOUBLE",
           [(p, s, b.weight, b.half_life_days, body.min_fit, False, body.sizes, body.min_years_in_business)
            for p, body in cfg.products.items() for s, b in body.signals.items()]
           + [(p, s, None, None, body.min_fit, True, body.sizes, body.min_years_in_business)
              for p, body in cfg.products.items() for s in body.unless])
    sizing = cfg.sizing
    _write(con, "ref.scoring_sizing",
           "medium VARCHAR, medium_label VARCHAR, puhui_segments VARCHAR[], max_credit_per_borrower_yuan DOUBLE, "
           "closed_statuses VARCHAR[], newly_established_days INTEGER",
           [(sizing.medium, sizing.medium_label, sizing.puhui_segments, sizing.max_credit_per_borrower_yuan,
             sizing.closed_statuses, sizing.newly_established_days)])
    flags = [("exclusion", s, label, None) for s, label in cfg.exclusion_labels().items()]
    flags += [("suppression", s, b.label or cfg.signals[s].label, b.cooling_off_days) for s, b in cfg.suppressions.items()]
    _write(con, "ref.scoring_flags", "kind VARCHAR, signal VARCHAR, label VARCHAR, cooling_off_days INTEGER", flags)
    _write(con, "ref.scoring_restricted_industries", "label VARCHAR, keyword VARCHAR, match_on VARCHAR[]",
           [(i.label, k, list(i.match_on)) for i in cfg.exclusions.restricted_industries for k in i.keywords])
    _write(con, "ref.scoring_segments", "signal VARCHAR, segment_role VARCHAR",
           [(s, "existing") for s in cfg.segments.existing_signals]
           + [(s, "credit") for s in cfg.segments.credit_signals])
    _write(con, "ref.scoring_alerts", "signal VARCHAR", [(s,) for s in cfg.alerts.signals])
    for macro in MACROS:
        con.execute((sql_models_dir() / "macros" / f"{macro}.sql").read_text(encoding="utf-8"))
    return {"scoring_rules": len(rules), "signals": len(cfg.signals), "products": len(cfg.products)}


def run_sql_model(con: duckdb.DuckDBPyConnection, layer: str, name: str) -> None:
    """Run dbt_like_sql/<layer>/<name>.sql (its statements, one of which creates <layer>.<name>)."""
    con.execute((sql_models_dir() / layer / f"{name}.sql").read_text(encoding="utf-8"))


def build_ranking(
    con: duckdb.DuckDBPyConnection,
    scoring: Path | str | Mapping | ScoringConfig | None = None,
    models: tuple[tuple[str, str], ...] = RANKING_MODELS,
) -> dict:
    """ref.scoring_* from `scoring`, then company_signals → scoring marts → prospects_ranked,
    branch_summary, new_signals: what the Dagster assets do one by one, for tests, benchmarks and
    ad-hoc rebuilds. Returns the build's row of the build log."""
    ensure_schemas(con)
    write_scoring_reference(con, load_scoring_config(scoring))
    for layer, name in models:
        run_sql_model(con, layer, name)
    row = con.execute(f"SELECT * FROM {BUILD_LOG} ORDER BY built_at DESC, build_id DESC LIMIT 1").fetchone()
    columns = [d[0] for d in con.description]
    return dict(zip(columns, row)) if row else {}
