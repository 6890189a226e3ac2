"""`ProspectView`: everything behind one company's place on the list — its row, the 五好 scores
with their labels, every signal with the points it gave, derived points, exclusions and
suppressions (with the end of a cooling-off), what the bank already has, public relations, fellow
members of its lists and the match evidence. `tuoke explain` and the prospect page read it.

Each lookup is a MATERIALIZED CTE on an indexed column of the published copy (warehouse/serving.py):
inlined, DuckDB may turn a filtered Top-N into a rowid semi-join that scans the whole table
instead of using the index.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass
from typing import Any

from tuoke.prospects.catalog import Catalog, Dimension
from tuoke.prospects.lists import records
from tuoke.prospects.scope import Scope
from tuoke.prospects.where import Where

BANK_SIGNALS = ("payroll_employer", "pos_merchant", "counterparty_of_customers", "credit_customer", "credit_overdue")
RELATION_ROLES = ("winner", "candidate", "bidder", "supplier")
LIST_ROLES = ("member", "tenant", "listed")


@dataclass(frozen=True)
class DimensionScore:
    dimension: Dimension
    value: float

    @property
    def key(self) -> str:
        return self.dimension.key

    @property
    def label(self) -> str:
        return self.dimension.label


@dataclass(frozen=True)
class ProspectView:
    company: dict  # the marts.prospects_ranked row and core.companies' place and dates
    dimensions: list[DimensionScore]
    product_fit: list[tuple[str, int]]  # best fit first
    signals: list[dict]  # every signal row, newest first, with its points
    derived: list[dict]  # points from derived signals (无负面清单记录)
    flags: list[dict]  # exclusions and suppressions, active first, with `expires`
    relations: list[dict]  # purchasers and projects, newest first
    fellows: list[dict]  # companies on the same lists (`linkable`: in the user's scope)
    evidence: list[dict]  # the records linked into this company, with rule and agreed fields

    @property
    def public_signals(self) -> list[dict]:
        return [s for s in self.signals if s["signal"] not in BANK_SIGNALS]

    @property
    def bank_signals(self) -> list[dict]:
        return [s for s in self.signals if s["signal"] in BANK_SIGNALS]


def _plain(value: Any) -> Any:
    return None if isinstance(value, float) and math.isnan(value) else value


def _reason(catalog: Catalog, s: str = "s", r: str = "r") -> str:
    """The readable reason of signal row `s` (ref.scoring_signals joined as `r`): the template filled
    directly with ref.fill_reason (ref.signal_reason looks it up per call, ~80 ms a query)."""
    args = f"{s}.value, {s}.amount, {s}.observed_at, {s}.detail, {s}.list_name, {s}.source_id"
    if catalog.has_fill_reason:
        return f"coalesce(ref.fill_reason({r}.reason_template, {r}.label, {args}), {s}.signal)"
    return f"ref.signal_reason({s}.signal, {args})"


def read_company(cur, scope: Scope, company_id: str) -> dict | None:
    """The list row of one company with its place and dates, or None (not listed, not in scope).
    `company_key` is the scoring marts' surrogate key, read from marts.company_segments (never
    recomputed here: how the key is made is the SQL models' business)."""
    where = Where().add("p.company_id = ?", company_id).add_condition(scope.condition("p.branch"))
    rows = records(cur.execute(
        "WITH c AS MATERIALIZED (SELECT company_id, province, city, district, industry, first_seen, last_seen "
        "FROM core.companies WHERE company_id = ?), "
        "g AS MATERIALIZED (SELECT company_id, company_key FROM marts.company_segments WHERE company_id = ?) "
        "SELECT p.*, c.province, c.city, c.district, c.industry, c.first_seen, c.last_seen, g.company_key "
        f"FROM marts.prospects_ranked AS p LEFT JOIN c USING (company_id) LEFT JOIN g USING (company_id) "
        f"WHERE {where.sql}",
        [company_id, company_id, *where.params]))
    return {k: _plain(v) for k, v in rows[0].items()} if rows else None


def _signals(cur, catalog: Catalog, company_id: str, company_key) -> list[dict]:
    # the points rows are read by key and joined to their rules here (what the view
    # marts.signal_points_base does), aggregated per signal row before the join to the signals
    return records(cur.execute(f"""
        WITH s AS MATERIALIZED (SELECT signal_id, signal, observed_at, value, amount, source_id, url, detail, list_name
                                FROM core.company_signals WHERE company_id = ?),
        k AS MATERIALIZED (SELECT signal_id, rule_id, points FROM marts.signal_points_rows WHERE company_key = ?),
        p AS (SELECT k.signal_id, sum(k.points) AS points,
                     string_agg(u.dimension || ' ' || CAST(round(k.points, 2) AS VARCHAR), ', ' ORDER BY u.dimension)
                         AS points_by_dimension
              FROM k JOIN ref.scoring_rules AS u USING (rule_id) GROUP BY k.signal_id)
        SELECT s.signal_id, s.signal, coalesce(r.label, s.signal) AS label, coalesce(r.kind, 'opportunity') AS kind,
               s.observed_at, s.value, s.amount, s.source_id, s.url, {_reason(catalog)} AS reason_text,
               coalesce(p.points, 0) AS points, coalesce(p.points_by_dimension, '') AS points_by_dimension
        FROM s
        LEFT JOIN p USING (signal_id)
        LEFT JOIN ref.scoring_signals AS r ON r.signal = s.signal
        ORDER BY s.observed_at DESC NULLS LAST, s.signal_id
        """, [company_id, company_key]))


def _derived(cur, company_key) -> list[dict]:
    return records(cur.execute(
        "WITH k AS MATERIALIZED (SELECT signal_id, rule_id, points FROM marts.signal_points_rows "
        "WHERE company_key = ? AND signal_id < 0) "
        "SELECT u.dimension, u.signal, k.points, coalesce(r.label, u.signal) AS reason_text "
        "FROM k JOIN ref.scoring_rules AS u USING (rule_id) LEFT JOIN ref.scoring_signals AS r ON r.signal = u.signal "
        "ORDER BY u.dimension",
        [company_key]))


def _flags(cur, catalog: Catalog, company_id: str) -> list[dict]:
    flags = records(cur.execute(
        "SELECT kind, signal, label, reason_text, list_name, source_id, url, observed_at, active "
        "FROM marts.company_flags WHERE company_id = ? ORDER BY active DESC, kind, observed_at DESC", [company_id]))
    for flag in flags:
        days = catalog.cooling_off_days.get(flag.get("signal"))
        flag["expires"] = flag["observed_at"] + dt.timedelta(days=days) if days and flag.get("observed_at") else None
    return flags


def _relations(cur, company_id: str) -> list[dict]:
    return records(cur.execute(
        """
        WITH m AS MATERIALIZED (SELECT * FROM core.company_mentions WHERE company_id = ?)
        SELECT role, purchaser_name, project_name, amount_yuan, published_at, url, source_id, tier, list_name
        FROM m WHERE list_contains(?, role)
        ORDER BY published_at DESC NULLS LAST LIMIT 30
        """, [company_id, list(RELATION_ROLES)]))


def _fellows(cur, scope: Scope, company_id: str) -> list[dict]:
    fellows = records(cur.execute(
        """
        WITH m AS MATERIALIZED (SELECT * FROM core.company_mentions WHERE company_id = ?),
        mine AS (
            SELECT DISTINCT source_id, coalesce(list_name, tier, '') AS grouping
            FROM m WHERE list_contains(?, role)
        )
        SELECT f.company_id, any_value(f.name) AS name, any_value(f.source_id) AS source_id,
               any_value(coalesce(f.list_name, f.tier)) AS grouping
        FROM core.company_mentions AS f JOIN mine USING (source_id)
        WHERE f.company_id <> ? AND list_contains(?, f.role) AND coalesce(f.list_name, f.tier, '') = mine.grouping
        GROUP BY f.company_id ORDER BY name LIMIT 20
        """, [company_id, list(LIST_ROLES), company_id, list(LIST_ROLES)]))
    visible: set[str] = set()
    if fellows:
        where = Where().add("list_contains(?::VARCHAR[], p.company_id)", [f["company_id"] for f in fellows])
        where.add_condition(scope.condition("p.branch"))
        visible = {r[0] for r in cur.execute(
            f"SELECT p.company_id FROM marts.prospects_ranked AS p WHERE {where.sql}", where.params).fetchall()}
    for fellow in fellows:
        fellow["linkable"] = fellow["company_id"] in visible
    return fellows


def _evidence(cur, company_id: str) -> list[dict]:
    rows = records(cur.execute(
        """
        WITH l AS MATERIALIZED (SELECT record_id, rule, score, features FROM core.entity_links WHERE company_id = ?),
        r AS MATERIALIZED (SELECT record_id, display_name, source_id, uscc FROM core.entity_records WHERE company_id = ?)
        SELECT l.record_id, l.rule, l.score, l.features, r.display_name, r.source_id, r.uscc
        FROM l LEFT JOIN r USING (record_id)
        ORDER BY l.rule, r.source_id, l.record_id LIMIT 100
        """, [company_id, company_id]))
    for row in rows:
        try:
            features = json.loads(row["features"]) if row["features"] else {}
        except (TypeError, ValueError):
            features = {}
        features = features if isinstance(features, dict) else {}
        row["agreed"] = "、".join(str(a) for a in features.get("agreed") or [])
        row["similarity"] = features.get("similarity")
    return rows


def read_prospect(cur, catalog: Catalog, scope: Scope, company_id: str) -> ProspectView | None:
    """One company, or None when it is not on the list or not in the scope (the same answer)."""
    company = read_company(cur, scope, company_id)
    if company is None:
        return None
    fit = company.get("product_fit") or {}
    company_key = company.pop("company_key")
    return ProspectView(
        company=company,
        dimensions=[DimensionScore(d, float(company.get(d.column) or 0)) for d in catalog.dimensions],
        product_fit=sorted(dict(fit).items(), key=lambda kv: -(kv[1] or 0)),
        signals=_signals(cur, catalog, company_id, company_key),
        derived=_derived(cur, company_key),
        flags=_flags(cur, catalog, company_id),
        relations=_relations(cur, company_id) if catalog.has("core.company_mentions") else [],
        fellows=_fellows(cur, scope, company_id) if catalog.has("core.company_mentions") else [],
        evidence=_evidence(cur, company_id) if catalog.has("core.entity_records") else [],
    )
