"""Turns core.company_signals into traced points, following configs/scoring.yaml.

`build_signal_points(con)` generates DuckDB SQL from the YAML (no Python loop over rows) and
writes, in one transaction:

- `marts.signal_points_base(company_id, dimension, signal, points, signal_id)` — one row per
  (signal row, rule) that gave points (dimension is one of the five 五好 dimensions or `risk`);
  caps scale rows down proportionally, so a company's score is exactly the sum of its rows
  (points are DECIMAL(12,2)); derived signals (no_negative_record) carry a negative signal_id;
- `marts.signal_points` — a view adding observed_at, source_id, url, evidence_id and the
  readable reason_text (rendered on read by the ref.signal_reason macro, so a build never formats
  ten million strings nobody reads);
- `marts.company_flags(company_id, kind, signal, label, reason_text, source_id, list_name, url,
  observed_at, active)` — exclusions (不得受理) and bank-state suppressions, lifted/expired ones
  kept with active = false;
- `marts.product_fit(company_id, product, fit)` — fit 0–100 per product above its min_fit;
- `marts.company_segments(company_id, segment, has_active_negative)`;
- `marts.signal_history` (persisted across builds) and `marts.scoring_builds`: which alert-worthy
  signals each build saw first, read by marts.new_signals;
- `ref.scoring_signals`, `ref.scoring_rules`: the configuration as tables (for explain).

`dbt_like_sql/marts/prospects_ranked.sql` then aggregates these tables.
"""

from __future__ import annotations

import datetime as dt
import re
import time
import uuid
from collections.abc import Mapping
from pathlib import Path

import duckdb

from warehouse.db import ensure_schemas
from warehouse.scoring_config import ScoringConfig, SignalRule, load_scoring_config

# Tables this step owns (pipelines/ reads this with ast to wire the Dagster asset). It also
# refreshes the ref.scoring_* tables so it can run alone (benchmarks), but warehouse.refdata owns them.
WRITES = (
    "marts.signal_points_base", "marts.signal_points", "marts.company_flags", "marts.product_fit",
    "marts.company_segments", "marts.signal_history", "marts.scoring_builds",
)

_PLACEHOLDER_SQL = {
    "month": "strftime(s.observed_at, '%Y-%m')",
    "date": "strftime(s.observed_at, '%Y-%m-%d')",
    "value": "s.value",
    "detail": "s.detail",
    "list_name": "s.list_name",
    "source_id": "s.source_id",
    # 3260000 → '326', 312000 → '31.2', 3500 → '0.35'
    "amount_wan": "rtrim(rtrim(printf('%.2f', s.amount / 10000.0), '0'), '.')",
    "amount_yuan": "printf('%.0f', s.amount)",
}


def sql_text(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def sql_number(value: float | None) -> str:
    return "NULL::DOUBLE" if value is None else f"{float(value)!r}::DOUBLE"


def reason_sql(template: str, label: str, prefix: str = "s.") -> str:
    """A reason template ("{month} 中标 {value}[ {amount_wan} 万元]") as a SQL expression over the
    signal columns (alias `s.` by default, bare names inside the ref.signal_reason macro); a [ ]
    part is shown only when all its placeholders have values."""

    def column(placeholder: str) -> str:
        return _PLACEHOLDER_SQL[placeholder].replace("s.", prefix)

    def part_sql(text: str) -> tuple[list[str], list[str]]:
        pieces, needed = [], []
        for index, chunk in enumerate(re.split(r"\{([^{}]*)\}", text)):
            if index % 2 == 0:
                if chunk:
                    pieces.append(sql_text(chunk))
            elif chunk == "label":
                pieces.append(sql_text(label))
            else:
                pieces.append(column(chunk))
                needed.append(column(chunk))
        return pieces, needed

    pieces: list[str] = []
    for index, chunk in enumerate(re.split(r"\[([^\[\]]*)\]", template)):
        if not chunk:
            continue
        inner, needed = part_sql(chunk)
        if index % 2 == 1 and needed:
            condition = " AND ".join(f"{n} IS NOT NULL" for n in needed)
            pieces.append(f"CASE WHEN {condition} THEN concat({', '.join(inner)}) ELSE '' END")
        else:
            pieces.extend(inner)
    if not pieces:
        return "''"
    return f"trim(concat({', '.join(pieces)}))"


REASON_ARGS = "signal, value, amount, observed_at, detail, list_name, source_id"


def reason_macro_sql(cfg: ScoringConfig) -> str:
    """ref.signal_reason(signal, value, amount, observed_at, detail, list_name, source_id): the
    readable reason of any signal row, generated from the templates in scoring.yaml. Reasons are
    rendered when read (explain, the top reasons of a company, alerts), never for all rows."""
    whens = " ".join(
        f"WHEN {sql_text(name)} THEN {reason_sql(info.reason, info.label, prefix='')}"
        for name, info in cfg.signals.items()
    )
    return f"CREATE OR REPLACE MACRO ref.signal_reason({REASON_ARGS}) AS CASE signal {whens} ELSE signal END"


def _decay_sql(half_life: float | None, as_of: dt.date) -> str:
    if half_life is None:
        return "1.0"
    return (
        f"CASE WHEN s.observed_at IS NULL THEN 1.0 ELSE "
        f"pow(0.5, greatest(0, date_diff('day', s.observed_at, DATE '{as_of.isoformat()}')) / {float(half_life)!r}) END"
    )


def _points_sql(rule: SignalRule, as_of: dt.date) -> str:
    base = sql_number(rule.points)
    if rule.points_by_value:
        whens = " ".join(
            f"WHEN contains(coalesce(s.value, ''), {sql_text(k)}) THEN {sql_number(v)}" for k, v in rule.points_by_value
        )
        base = f"(CASE {whens} ELSE {sql_number(rule.points)} END)"
    amount = "0.0"
    if rule.amount is not None:
        a = rule.amount
        ratio = f"greatest(coalesce(s.amount, 0), 0) / {a.unit_yuan!r}"
        term = f"({ratio}) * {a.points!r}" if a.scale == "linear" else f"log2(1 + {ratio}) * {a.points!r}"
        if a.max is not None:
            term = f"least({a.max!r}, {term})" if a.points >= 0 else f"greatest({a.max!r}, {term})"
        amount = term
    return f"(({base}) + ({amount})) * ({_decay_sql(rule.half_life_days, as_of)})"


def _when_sql(rule: SignalRule) -> str:
    clauses = []
    if rule.value_in is not None:
        clauses.append(f"coalesce(s.value, '') IN ({', '.join(sql_text(v) for v in rule.value_in)})")
    if rule.value_not_in is not None:
        clauses.append(f"coalesce(s.value, '') NOT IN ({', '.join(sql_text(v) for v in rule.value_not_in)})")
    return " AND ".join(clauses) or "true"


def _signal_list(signals) -> str:
    return ", ".join(sql_text(s) for s in signals) or "NULL"


def _negative_signals(cfg: ScoringConfig) -> list[str]:
    return sorted({s for s, info in cfg.signals.items() if info.kind == "risk"} | set(cfg.exclusion_signals))


def company_segments_sql(cfg: ScoringConfig) -> str:
    return f"""
CREATE OR REPLACE TABLE marts.company_segments AS
SELECT
    any_value(s.company_id) AS company_id,
    CASE
        WHEN bool_or(s.signal IN ({_signal_list(cfg.credit_signals)})) THEN 'existing_credit'
        WHEN bool_or(s.signal IN ({_signal_list(cfg.existing_signals)})) THEN 'existing_no_credit'
        ELSE 'new_to_bank'
    END AS segment,
    coalesce(bool_or(s.signal IN ({_signal_list(_negative_signals(cfg))}) AND coalesce(s.value, '') <> 'lifted'), false)
        AS has_active_negative
FROM core.company_signals AS s
GROUP BY hash(s.company_id)  -- grouping on a 64-bit hash is ~3x faster than on the text; collisions are checked
"""


def signal_points_sql(cfg: ScoringConfig, as_of: dt.date) -> str:
    """marts.signal_points_base: the points of every (signal row, rule) pair, caps applied.
    One scan of core.company_signals joined to the rules (a VALUES list), not one scan per rule."""
    rules = [r for r in cfg.all_rules() if r.signal != "no_negative_record"]
    derived = [r for r in cfg.all_rules() if r.signal == "no_negative_record"]
    selects = []
    if rules:
        values = ", ".join(
            f"({i}, {sql_text(r.dimension)}, {sql_text(r.signal)}, {sql_number(r.cap)})" for i, r in enumerate(rules)
        )
        points_case = " ".join(f"WHEN {i} THEN {_points_sql(r, as_of)}" for i, r in enumerate(rules))
        when_case = " ".join(f"WHEN {i} THEN {_when_sql(r)}" for i, r in enumerate(rules))
        selects.append(
            f"SELECT s.signal_id, s.company_id, r.dimension, r.signal, r.rule_id, "
            f"CASE r.rule_id {points_case} END AS raw_points, r.signal_cap "
            f"FROM core.company_signals AS s "
            f"JOIN (VALUES {values}) AS r(rule_id, dimension, signal, signal_cap) ON r.signal = s.signal "
            f"WHERE CASE r.rule_id {when_case} END"
        )
    for i, rule in enumerate(derived, start=len(rules)):
        selects.append(
            f"SELECT {-(i + 1)}::BIGINT AS signal_id, g.company_id, {sql_text(rule.dimension)} AS dimension, "
            f"'no_negative_record' AS signal, {i} AS rule_id, {sql_number(rule.points)} AS raw_points, "
            f"{sql_number(rule.cap)} AS signal_cap "
            f"FROM marts.company_segments AS g WHERE NOT g.has_active_negative"
        )
    if not selects:
        selects.append(
            "SELECT NULL::BIGINT AS signal_id, NULL::VARCHAR AS company_id, NULL::VARCHAR AS dimension, "
            "NULL::VARCHAR AS signal, 0 AS rule_id, 0.0 AS raw_points, NULL::DOUBLE AS signal_cap WHERE false"
        )
    dim_caps = [(d.name, d.cap, d.weight) for d in cfg.dimensions] + [("risk", cfg.risk_cap, 1.0)]
    cap_case = " ".join(f"WHEN {sql_text(n)} THEN {sql_number(c)}" for n, c, _ in dim_caps)
    weight_case = " ".join(f"WHEN {sql_text(n)} THEN {w!r}" for n, _, w in dim_caps)
    union = "\n    UNION ALL\n    ".join(selects)
    # Caps: totals per (company, rule) and per (company, dimension) are computed once, and only the
    # groups a cap or a weight changes get a scale factor joined back; the company is keyed by a
    # 64-bit hash of company_id (collisions are checked in build_signal_points).
    return f"""
CREATE OR REPLACE TABLE marts.signal_points_base AS
WITH raw_points AS (
    SELECT hash(company_id) AS company_key, *
    FROM (
    {union}
    )
),
rule_totals AS (
    SELECT company_key, rule_id, any_value(dimension) AS dimension, abs(sum(raw_points)) AS total,
           any_value(signal_cap) AS signal_cap
    FROM raw_points
    GROUP BY company_key, rule_id
),
rule_capped AS (
    SELECT company_key, rule_id, dimension,
           CASE WHEN signal_cap IS NULL OR total <= signal_cap THEN 1.0 ELSE signal_cap / total END AS rule_factor,
           least(total, coalesce(signal_cap, total)) AS capped_total
    FROM rule_totals
),
dimension_factors AS (
    SELECT company_key, dimension,
           CASE WHEN dim_cap IS NULL OR total <= dim_cap THEN 1.0 ELSE dim_cap / total END
               * (CASE dimension {weight_case} ELSE 1.0 END) AS dimension_factor
    FROM (
        SELECT company_key, dimension, sum(capped_total) AS total, any_value(CASE dimension {cap_case} END) AS dim_cap
        FROM rule_capped
        GROUP BY company_key, dimension
    )
),
scaled_groups AS (
    SELECT r.company_key, r.rule_id, r.rule_factor * d.dimension_factor AS factor
    FROM rule_capped AS r
    JOIN dimension_factors AS d USING (company_key, dimension)
    WHERE r.rule_factor * d.dimension_factor <> 1.0
),
capped_points AS (
    SELECT p.company_id, p.dimension, p.signal,
           round(p.raw_points * coalesce(g.factor, 1.0), 2) AS rounded_points, p.signal_id
    FROM raw_points AS p
    LEFT JOIN scaled_groups AS g ON g.company_key = p.company_key AND g.rule_id = p.rule_id
)
SELECT company_id, dimension, signal, CAST(rounded_points AS DECIMAL(12, 2)) AS points, signal_id
FROM capped_points
WHERE rounded_points <> 0
"""


SIGNAL_POINTS_VIEW = """
CREATE OR REPLACE VIEW marts.signal_points AS
SELECT
    b.company_id,
    b.dimension,
    b.signal,
    b.points,
    s.observed_at,
    s.source_id,
    s.url,
    s.evidence_id,
    CASE WHEN b.signal_id < 0 THEN ref.signal_reason(b.signal, NULL, NULL, NULL, NULL, NULL, NULL)
         ELSE ref.signal_reason(s.signal, s.value, s.amount, s.observed_at, s.detail, s.list_name, s.source_id)
    END AS reason_text,
    b.signal_id
FROM marts.signal_points_base AS b
LEFT JOIN core.company_signals AS s ON s.signal_id = b.signal_id AND s.company_id = b.company_id
"""


def company_flags_sql(cfg: ScoringConfig, as_of: dt.date) -> str:
    parts = []
    for signal, label in cfg.exclusion_signals.items():
        info = cfg.signals[signal]
        parts.append(
            f"SELECT s.company_id, 'exclusion' AS kind, s.signal, {sql_text(label)} AS label, "
            f"ref.signal_reason(s.signal, s.value, s.amount, s.observed_at, s.detail, s.list_name, s.source_id) AS reason_text, "
            f"s.source_id, s.list_name, s.url, s.observed_at, "
            f"coalesce(s.value, 'active') <> 'lifted' AS active "
            f"FROM core.company_signals AS s WHERE s.signal = {sql_text(signal)}"
        )
    for industry in cfg.restricted_industries:
        fields = " || ' ' || ".join(f"coalesce(c.{f}, '')" for f in industry.match_on)
        pattern = "|".join(re.escape(k) for k in industry.keywords)
        parts.append(
            f"SELECT c.company_id, 'exclusion', 'restricted_industry', {sql_text(industry.label)}, "
            f"{sql_text(industry.label)} || '行业（' || regexp_extract({fields}, {sql_text(pattern)}) || '）', "
            f"'config:scoring.yaml', {sql_text(industry.label)}, NULL::VARCHAR, NULL::DATE, true "
            f"FROM core.companies AS c WHERE regexp_matches({fields}, {sql_text(pattern)})"
        )
    for suppression in cfg.suppressions:
        active = "true"
        if suppression.cooling_off_days:
            active = (
                f"(s.observed_at IS NULL OR s.observed_at >= DATE '{as_of.isoformat()}' - "
                f"INTERVAL {int(suppression.cooling_off_days)} DAY)"
            )
        parts.append(
            f"SELECT s.company_id, 'suppression', s.signal, {sql_text(suppression.label)}, "
            f"ref.signal_reason(s.signal, s.value, s.amount, s.observed_at, s.detail, s.list_name, s.source_id), "
            f"s.source_id, s.list_name, s.url, s.observed_at, {active} "
            f"FROM core.company_signals AS s WHERE s.signal = {sql_text(suppression.signal)}"
        )
    if not parts:
        parts.append(
            "SELECT NULL::VARCHAR AS company_id, NULL::VARCHAR AS kind, NULL::VARCHAR AS signal, NULL::VARCHAR AS label, "
            "NULL::VARCHAR AS reason_text, NULL::VARCHAR AS source_id, NULL::VARCHAR AS list_name, NULL::VARCHAR AS url, "
            "NULL::DATE AS observed_at, NULL::BOOLEAN AS active WHERE false"
        )
    return "CREATE OR REPLACE TABLE marts.company_flags AS\n" + "\nUNION ALL\n".join(parts)


def product_fit_sql(cfg: ScoringConfig, as_of: dt.date) -> str:
    parts = []
    for product in cfg.products:
        for signal, weight, half_life in product.signals:
            parts.append(
                f"SELECT s.company_id, {sql_text(product.product)} AS product, "
                f"{weight!r} * ({_decay_sql(half_life, as_of)}) AS fit "
                f"FROM core.company_signals AS s WHERE s.signal = {sql_text(signal)}"
            )
    if not parts:
        parts.append("SELECT NULL::VARCHAR AS company_id, NULL::VARCHAR AS product, 0.0 AS fit WHERE false")
    min_case = " ".join(f"WHEN {sql_text(p.product)} THEN {p.min_fit!r}" for p in cfg.products) or "WHEN NULL THEN 0"
    return (
        "CREATE OR REPLACE TABLE marts.product_fit AS\n"
        "SELECT company_id, product, CAST(round(100 * max(fit)) AS INTEGER) AS fit\nFROM (\n"
        + "\nUNION ALL\n".join(parts)
        + f"\n)\nGROUP BY company_id, product\nHAVING 100 * max(fit) >= (CASE product {min_case} ELSE 0 END)"
    )


def record_signal_history_sql(cfg: ScoringConfig, build_id: str) -> list[str]:
    """Statements that add this build's first-seen alert signals to marts.signal_history.

    A signal is known by (signal, evidence_key): public evidence by its mention (mention_id is a
    hash of raw source values, stable across crawls), an internal relationship by the company
    itself, so a new monthly payroll file does not make every employer "new" again."""
    alert_list = _signal_list(cfg.alert_signals)
    return [
        (
            "CREATE TABLE IF NOT EXISTS marts.signal_history (key_hash UBIGINT, signal VARCHAR, evidence_key VARCHAR, "
            "company_id VARCHAR, value VARCHAR, amount DOUBLE, observed_at DATE, detail VARCHAR, list_name VARCHAR, "
            "source_id VARCHAR, url VARCHAR, evidence_id VARCHAR, first_seen_at TIMESTAMP, build_id VARCHAR)"
        ),
        (
            "CREATE TABLE IF NOT EXISTS marts.scoring_builds (build_id VARCHAR, built_at TIMESTAMP, as_of DATE, "
            "signal_points BIGINT, new_signals BIGINT, seconds DOUBLE)"
        ),
        f"""
INSERT INTO marts.signal_history
WITH public_alert_signals AS (
    SELECT hash(s.signal, coalesce(s.evidence_id, s.url)) AS key_hash, s.signal,
           coalesce(s.evidence_id, s.url) AS evidence_key, s.company_id, s.value, s.amount, s.observed_at,
           s.detail, s.list_name, s.source_id, s.url, s.evidence_id
    FROM core.company_signals AS s
    WHERE s.signal IN ({alert_list}) AND s.source_id NOT LIKE 'feed:%'
      AND coalesce(s.value, '') <> 'lifted'  -- a lifted entry is no news to act on
),
internal_alert_signals AS (
    SELECT hash(any_value(s.signal), any_value(s.company_id)) AS key_hash, any_value(s.signal) AS signal,
           any_value(s.company_id) AS evidence_key, any_value(s.company_id) AS company_id,
           arg_max(s.value, s.observed_at) AS value, arg_max(s.amount, s.observed_at) AS amount,
           max(s.observed_at) AS observed_at, arg_max(s.detail, s.observed_at) AS detail,
           arg_max(s.list_name, s.observed_at) AS list_name, any_value(s.source_id) AS source_id,
           NULL::VARCHAR AS url, arg_max(s.evidence_id, s.observed_at) AS evidence_id
    FROM core.company_signals AS s
    WHERE s.signal IN ({alert_list}) AND s.source_id LIKE 'feed:%'
    GROUP BY hash(s.signal, s.company_id)
),
current_alert_signals AS (
    SELECT * FROM public_alert_signals
    UNION ALL
    SELECT * FROM internal_alert_signals
)
SELECT c.*, current_timestamp::TIMESTAMP, {sql_text(build_id)}
FROM current_alert_signals AS c
ANTI JOIN marts.signal_history AS h ON h.key_hash = c.key_hash
""",
    ]


def write_scoring_reference(con: duckdb.DuckDBPyConnection, cfg: ScoringConfig) -> None:
    """The configuration as tables, so explain and ad-hoc SQL can show labels and rules."""
    ensure_schemas(con)
    con.execute(reason_macro_sql(cfg))
    con.execute(
        "CREATE OR REPLACE TABLE ref.scoring_signals (signal VARCHAR, label VARCHAR, kind VARCHAR, reason_template VARCHAR)"
    )
    con.executemany(
        "INSERT INTO ref.scoring_signals VALUES (?, ?, ?, ?)",
        [[s, i.label, i.kind, i.reason] for s, i in cfg.signals.items()],
    )
    con.execute(
        "CREATE OR REPLACE TABLE ref.scoring_rules (dimension VARCHAR, dimension_label VARCHAR, signal VARCHAR, "
        "points DOUBLE, cap DOUBLE, half_life_days DOUBLE, dimension_cap DOUBLE, dimension_weight DOUBLE)"
    )
    rows = []
    for d in cfg.dimensions:
        rows += [[d.name, d.label, r.signal, r.points, r.cap, r.half_life_days, d.cap, d.weight] for r in d.rules]
    rows += [["risk", cfg.risk_label, r.signal, r.points, r.cap, r.half_life_days, cfg.risk_cap, 1.0]
             for r in cfg.risk_rules]
    if rows:
        con.executemany("INSERT INTO ref.scoring_rules VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    con.execute("CREATE OR REPLACE TABLE ref.scoring_products (product VARCHAR, signal VARCHAR, weight DOUBLE, "
                "half_life_days DOUBLE, min_fit DOUBLE)")
    product_rows = [[p.product, s, w, hl, p.min_fit] for p in cfg.products for s, w, hl in p.signals]
    if product_rows:
        con.executemany("INSERT INTO ref.scoring_products VALUES (?, ?, ?, ?, ?)", product_rows)


def _check_company_key_collisions(con: duckdb.DuckDBPyConnection) -> None:
    """The heavy aggregations group on hash(company_id); two ids with one hash would share caps.
    With 64-bit hashes that is ~1e-8 likely at a million companies, but it is checked, not assumed."""
    distinct_ids, distinct_keys = con.execute(
        "SELECT count(DISTINCT company_id), count(DISTINCT hash(company_id)) FROM core.companies"
    ).fetchone()
    if distinct_ids != distinct_keys:
        raise RuntimeError(
            f"hash(company_id) collides ({distinct_ids} ids, {distinct_keys} keys): scoring would merge companies"
        )


def build_signal_points(
    con: duckdb.DuckDBPyConnection,
    scoring: Path | str | Mapping | ScoringConfig | None = None,
    record_history: bool = True,
) -> dict:
    """Write marts.signal_points and its companions (see module doc) from core.company_signals."""
    started = time.monotonic()
    cfg = load_scoring_config(scoring)
    as_of = cfg.as_of or dt.date.today()
    build_id = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ") + "-" + uuid.uuid4().hex[:6]
    ensure_schemas(con)
    con.execute("BEGIN TRANSACTION")
    try:
        write_scoring_reference(con, cfg)
        con.execute(company_segments_sql(cfg))
        _check_company_key_collisions(con)
        con.execute(signal_points_sql(cfg, as_of))
        con.execute(SIGNAL_POINTS_VIEW)
        con.execute(company_flags_sql(cfg, as_of))
        con.execute(product_fit_sql(cfg, as_of))
        new_signals = 0
        for statement in record_signal_history_sql(cfg, build_id):
            if not record_history and statement.lstrip().startswith("INSERT"):
                continue
            con.execute(statement)
        if record_history:
            new_signals = con.execute(
                "SELECT count(*) FROM marts.signal_history WHERE build_id = ?", [build_id]
            ).fetchone()[0]
        points = con.execute("SELECT count(*) FROM marts.signal_points_base").fetchone()[0]
        con.execute(
            "INSERT INTO marts.scoring_builds VALUES (?, current_timestamp::TIMESTAMP, ?, ?, ?, ?)",
            [build_id, as_of, points, new_signals, time.monotonic() - started],
        )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    flags = dict(con.execute(
        "SELECT kind, count(DISTINCT company_id) FROM marts.company_flags WHERE active GROUP BY kind"
    ).fetchall())
    return {
        "build_id": build_id,
        "as_of": as_of.isoformat(),
        "signal_points": int(points),
        "companies_excluded": int(flags.get("exclusion", 0)),
        "companies_suppressed": int(flags.get("suppression", 0)),
        "new_signals": int(new_signals),
        "seconds": round(time.monotonic() - started, 2),
    }


RANKING_MODELS = (("core", "company_signals"), ("marts", "prospects_ranked"), ("marts", "branch_summary"),
                  ("marts", "new_signals"))


def run_sql_model(con: duckdb.DuckDBPyConnection, layer: str, name: str) -> None:
    """Run dbt_like_sql/<layer>/<name>.sql (one CREATE OR REPLACE statement)."""
    from tuoke.paths import sql_models_dir

    con.execute((sql_models_dir() / layer / f"{name}.sql").read_text(encoding="utf-8"))


def build_ranking(con: duckdb.DuckDBPyConnection, scoring=None, record_history: bool = True) -> dict:
    """company_signals → signal points → prospects_ranked, branch_summary, new_signals in order;
    what the Dagster assets do one by one, for tests, benchmarks and ad-hoc rebuilds."""
    ensure_schemas(con)
    run_sql_model(con, "core", "company_signals")
    result = build_signal_points(con, scoring, record_history=record_history)
    for layer, name in RANKING_MODELS[1:]:
        run_sql_model(con, layer, name)
    return result
