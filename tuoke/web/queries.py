"""Every SQL the web app runs on the published warehouse, in one place: when the marts change
shape, this module changes and the pages do not.

Each function takes a cursor and a `Scope`; the scope's branch list is a condition in the SQL
itself, so a row outside the user's territory never leaves the database.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, replace
from typing import Any

import duckdb
import pandas as pd

from tuoke.prospects.scope import Scope

SEGMENTS = {"new_to_bank": "新客户", "existing_no_credit": "存量无贷", "existing_credit": "存量有贷"}
DIMENSIONS = (
    ("score_business", "business", "经营"),
    ("score_owner", "owner", "企业主"),
    ("score_reputation", "reputation", "口碑"),
    ("score_mitigation", "mitigation", "风险缓释"),
    ("score_willingness", "willingness", "合作意愿"),
    ("score_risk", "risk", "风险"),
)
BANK_SIGNALS = ("payroll_employer", "pos_merchant", "counterparty_of_customers", "credit_customer", "credit_overdue")
# ties broken by (rank, branch): unique per ranked row, and integers sort faster than company ids
SORTS = {
    "rank": "score DESC, rank, branch",
    "score": "score DESC, rank, branch",
    "name": "name, company_id",
    "fit": "fit DESC NULLS LAST, score DESC, rank, branch",
}
PAGE_SIZES = (25, 50, 100)
EXPORT_LIMIT = 50_000


@dataclass(frozen=True)
class ListFilters:
    branch: str | None = None
    segment: str | None = None
    product: str | None = None
    min_score: float | None = None
    signal: str | None = None
    new_only: bool = False
    q: str | None = None
    sort: str = "rank"
    page: int = 1
    page_size: int = 50

    @classmethod
    def from_query(cls, params) -> ListFilters:
        def text(key):
            value = (params.get(key) or "").strip()
            return value or None

        def number(key, default, cast):
            try:
                return cast(params.get(key)) if params.get(key) not in (None, "") else default
            except (TypeError, ValueError):
                return default

        min_score = number("min_score", None, float)
        if min_score is not None and not math.isfinite(min_score):
            min_score = None
        sort = params.get("sort") if params.get("sort") in SORTS else "rank"
        page_size = number("page_size", 50, int)
        return cls(
            branch=text("branch"), segment=text("segment") if params.get("segment") in SEGMENTS else None,
            product=text("product"), min_score=min_score, signal=text("signal"),
            new_only=params.get("new") in ("1", "on", "true"), q=text("q"), sort=sort,
            page=max(1, number("page", 1, int)), page_size=page_size if page_size in PAGE_SIZES else 50,
        )

    def as_query(self, **changes) -> dict[str, str]:
        """The filters as URL query parameters (for links to other pages and sorts)."""
        f = replace(self, **changes)
        out = {"branch": f.branch, "segment": f.segment, "product": f.product,
               "min_score": None if f.min_score is None else f"{f.min_score:g}", "signal": f.signal,
               "new": "1" if f.new_only else None, "q": f.q, "sort": f.sort if f.sort != "rank" else None,
               "page": str(f.page) if f.page != 1 else None,
               "page_size": str(f.page_size) if f.page_size != 50 else None}
        return {k: v for k, v in out.items() if v is not None}


def _records(cursor) -> list[dict]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _has_table(cur, schema: str, table: str) -> bool:
    return bool(cur.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
        [schema, table]).fetchone()[0])


def _reason_sql(fill: bool, s: str = "s", r: str = "r") -> str:
    """The readable reason of signal row `s` (ref.scoring_signals joined as `r`). `fill`: fill the
    template directly with ref.fill_reason (ref.signal_reason looks the template up with a
    subquery per call, ~80 ms a query); else ref.signal_reason (warehouses without fill_reason)."""
    args = f"{s}.value, {s}.amount, {s}.observed_at, {s}.detail, {s}.list_name, {s}.source_id"
    if fill:
        return f"coalesce(ref.fill_reason({r}.reason_template, {r}.label, {args}), {s}.signal)"
    return f"ref.signal_reason({s}.signal, {args})"


def _with_reasons(cur, sql: str, params: list, s: str = "s") -> list[dict]:
    """Run `sql` whose `{reason}` is the reason expression; falls back when fill_reason is absent."""
    try:
        return _records(cur.execute(sql.format(reason=_reason_sql(True, s)), params))
    except duckdb.CatalogException:
        return _records(cur.execute(sql.format(reason=_reason_sql(False, s)), params))


def _where(scope: Scope, f: ListFilters, precomputed: bool = False) -> tuple[str, list]:
    """The filters as SQL on `p` (marts.prospects_ranked, or serving.prospect_list when
    `precomputed`: the same rows with the signal-type mask and new flag of warehouse/serving.py)."""
    where, params = ["p.rank IS NOT NULL", scope.sql.replace("branch", "p.branch")], [*scope.params]
    if f.branch:
        where.append("p.branch = ?")
        params.append(f.branch)
    if f.segment:
        where.append("p.segment = ?")
        params.append(f.segment)
    if f.product:
        where.append("list_contains(p.products, ?)")
        params.append(f.product)
    if f.min_score is not None:
        where.append("p.score >= ?")
        params.append(f.min_score)
    if f.signal and precomputed:
        where.append("p.signal_mask & (CAST(1 AS UBIGINT) << (SELECT bit FROM serving.signal_bits WHERE signal = ?)) <> 0")
        params.append(f.signal)
    elif f.signal:
        where.append("p.company_id IN (SELECT company_id FROM core.company_signals WHERE signal = ?)")
        params.append(f.signal)
    if f.new_only:
        where.append("p.is_new" if precomputed else "p.company_id IN (SELECT company_id FROM marts.new_signals)")
    if f.q:
        where.append("(contains(p.name, ?) OR p.uscc = upper(?) OR p.company_id = ?)")
        params += [f.q, f.q, f.q]
    return " AND ".join(where), params


def list_prospects(cur, scope: Scope, f: ListFilters, limit: int | None = None, offset: int | None = None
                   ) -> tuple[list[dict], int]:
    """One page of ranked prospects under the filters, and how many there are in all."""
    precomputed = _has_table(cur, "serving", "prospect_list")
    table = "serving.prospect_list" if precomputed else "marts.prospects_ranked"
    where, params = _where(scope, f, precomputed)
    total = cur.execute(f"SELECT count(*) FROM {table} AS p WHERE {where}", params).fetchone()[0]
    limit = f.page_size if limit is None else limit
    offset = (f.page - 1) * f.page_size if offset is None else offset
    fit = "p.product_fit[?]" if f.product else "NULL::INTEGER"
    fit_params = [f.product] if f.product else []
    order = SORTS[f.sort] if (f.sort != "fit" or f.product) else SORTS["score"]
    if f.sort == "rank" and (f.branch or (scope.branches and len(scope.branches) == 1)):
        order = "rank, company_id"
    cursor = cur.execute(
        f"""
        SELECT p.branch, p.rank, p.company_id, p.name, p.uscc, p.score, p.segment, p.products, p.reasons,
               p.evidence_urls, {fit} AS fit
        FROM {table} AS p
        WHERE {where}
        ORDER BY {order}
        LIMIT ? OFFSET ?
        """,
        [*fit_params, *params, limit, offset],
    )
    return _records(cursor), int(total)


def export_frame(cur, scope: Scope, f: ListFilters) -> pd.DataFrame:
    """The current filter as the columns `tuoke export` writes (at most EXPORT_LIMIT rows)."""
    where, params = _where(scope, f)
    order = "rank, company_id" if f.branch else "branch, rank, company_id"
    return cur.execute(
        f"SELECT p.* FROM marts.prospects_ranked AS p WHERE {where} ORDER BY {order} LIMIT {EXPORT_LIMIT}", params
    ).df()


def filter_choices(cur, scope: Scope) -> dict[str, list]:
    branches = [r[0] for r in cur.execute(
        f"SELECT branch FROM marts.branch_summary WHERE {scope.sql} ORDER BY branch", scope.params).fetchall()]
    products = [r[0] for r in cur.execute("SELECT DISTINCT product FROM ref.scoring_products ORDER BY 1").fetchall()]
    signals = [(r[0], r[1]) for r in cur.execute(
        "SELECT signal, label FROM ref.scoring_signals WHERE kind <> 'risk' ORDER BY label").fetchall()]
    return {"branches": branches, "products": products, "signals": signals, "segments": list(SEGMENTS.items())}


def latest_build(cur) -> dict | None:
    if not _has_table(cur, "marts", "scoring_builds"):
        return None
    rows = _records(cur.execute("SELECT * FROM marts.scoring_builds ORDER BY built_at DESC LIMIT 1"))
    return rows[0] if rows else None


def _plain(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def prospect(cur, scope: Scope, company_id: str, cooling_off_days: dict[str, int] | None = None) -> dict | None:
    """Everything the prospect page shows, or None when the company is not in the user's scope."""
    rows = _records(cur.execute(
        f"WITH c AS MATERIALIZED (SELECT company_id, province, city, district, industry, first_seen, last_seen "
        f"FROM core.companies WHERE company_id = ?) "
        f"SELECT p.*, c.province, c.city, c.district, c.industry, c.first_seen, c.last_seen "
        f"FROM marts.prospects_ranked AS p LEFT JOIN c USING (company_id) "
        f"WHERE p.company_id = ? AND {scope.sql.replace('branch', 'p.branch')}",
        [company_id, company_id, *scope.params]))
    if not rows:
        return None
    company = {k: _plain(v) for k, v in rows[0].items()}
    company["dimensions"] = [(label, key, float(company.get(column) or 0)) for column, key, label in DIMENSIONS]
    fit = company.get("product_fit") or {}
    company["product_fit"] = sorted(dict(fit).items(), key=lambda kv: -(kv[1] or 0))
    # each lookup is a MATERIALIZED CTE on an indexed column (warehouse/serving.py indexes the
    # published copy): inlined, DuckDB may turn a filtered Top-N into a rowid semi-join that scans
    # the whole table instead of using the index; points are keyed by hash(company_id)
    signals = _with_reasons(cur, """
        WITH s AS MATERIALIZED (SELECT * FROM core.company_signals WHERE company_id = ?),
        p AS MATERIALIZED (SELECT signal_id, dimension, points FROM marts.signal_points_base
                           WHERE company_key = hash(?::VARCHAR))
        SELECT s.signal_id, s.signal, coalesce(r.label, s.signal) AS label, coalesce(r.kind, 'opportunity') AS kind,
               s.observed_at, s.value, s.amount, s.source_id, s.url, {reason} AS reason_text,
               coalesce(sum(p.points), 0) AS points,
               string_agg(p.dimension, ',' ORDER BY p.dimension) AS dimensions
        FROM s
        LEFT JOIN p ON p.signal_id = s.signal_id
        LEFT JOIN ref.scoring_signals AS r ON r.signal = s.signal
        GROUP BY ALL
        ORDER BY s.observed_at DESC NULLS LAST, s.signal_id
        """, [company_id, company_id])
    derived = _records(cur.execute(
        "SELECT b.dimension, b.signal, b.points, coalesce(r.label, b.signal) AS reason_text "
        "FROM marts.signal_points_base AS b LEFT JOIN ref.scoring_signals AS r USING (signal) "
        "WHERE b.company_key = hash(?::VARCHAR) AND b.signal_id < 0",
        [company_id]))
    flags = _records(cur.execute(
        "SELECT kind, signal, label, reason_text, list_name, source_id, url, observed_at, active FROM marts.company_flags "
        "WHERE company_id = ? ORDER BY active DESC, kind, observed_at DESC", [company_id]))
    cooling = cooling_off_days or {}
    for flag in flags:
        flag["expires"] = None
        days = cooling.get(flag.get("signal"))
        if days and flag.get("observed_at"):
            flag["expires"] = flag["observed_at"] + dt.timedelta(days=days)
    bank = [s for s in signals if s["signal"] in BANK_SIGNALS]
    public = [s for s in signals if s["signal"] not in BANK_SIGNALS]
    relations = _records(cur.execute(
        """
        WITH m AS MATERIALIZED (SELECT * FROM core.company_mentions WHERE company_id = ?)
        SELECT role, purchaser_name, project_name, amount_yuan, published_at, url, source_id, tier, list_name
        FROM m
        WHERE role IN ('winner', 'candidate', 'bidder', 'supplier')
        ORDER BY published_at DESC NULLS LAST LIMIT 30
        """, [company_id]))
    fellows = _records(cur.execute(
        """
        WITH m AS MATERIALIZED (SELECT * FROM core.company_mentions WHERE company_id = ?),
        mine AS (
            SELECT DISTINCT source_id, coalesce(list_name, tier, '') AS grouping
            FROM m WHERE role IN ('member', 'tenant', 'listed')
        )
        SELECT m.company_id, any_value(m.name) AS name, any_value(m.source_id) AS source_id,
               any_value(coalesce(m.list_name, m.tier)) AS grouping
        FROM core.company_mentions AS m JOIN mine USING (source_id)
        WHERE m.company_id <> ? AND m.role IN ('member', 'tenant', 'listed')
          AND coalesce(m.list_name, m.tier, '') = mine.grouping
        GROUP BY m.company_id ORDER BY name LIMIT 20
        """, [company_id, company_id]))
    visible = {r[0] for r in cur.execute(
        f"SELECT company_id FROM marts.prospects_ranked WHERE list_contains(?::VARCHAR[], company_id) AND {scope.sql}",
        [[f["company_id"] for f in fellows], *scope.params]).fetchall()} if fellows else set()
    for fellow in fellows:
        fellow["linkable"] = fellow["company_id"] in visible
    evidence = _records(cur.execute(
        """
        WITH l AS MATERIALIZED (SELECT record_id, rule, score, features FROM core.entity_links WHERE company_id = ?),
        r AS MATERIALIZED (SELECT record_id, display_name, source_id, uscc FROM core.entity_records WHERE company_id = ?)
        SELECT l.record_id, l.rule, l.score, l.features, r.display_name, r.source_id, r.uscc
        FROM l LEFT JOIN r USING (record_id)
        ORDER BY l.rule, r.source_id, l.record_id LIMIT 100
        """, [company_id, company_id]))
    for row in evidence:
        try:
            features = json.loads(row["features"]) if row["features"] else {}
        except (TypeError, ValueError):
            features = {}
        row["agreed"] = "、".join(features.get("agreed") or [])
        row["similarity"] = features.get("similarity")
    return {"company": company, "signals": public, "bank": bank, "derived": derived, "flags": flags,
            "relations": relations, "fellows": fellows, "evidence": evidence}


def dashboard(cur, scope: Scope, branch: str | None) -> dict:
    """Counts by segment and product, new this build, and the biggest movers since the last build."""
    cond, params = scope.sql, [*scope.params]
    if branch:
        cond += " AND branch = ?"
        params.append(branch)
    segments = _records(cur.execute(
        f"SELECT segment, count(*) AS n FROM marts.prospects_ranked WHERE rank IS NOT NULL AND {cond} "
        f"GROUP BY segment ORDER BY n DESC", params))
    products = _records(cur.execute(
        f"SELECT product, count(*) AS n FROM (SELECT unnest(products) AS product FROM marts.prospects_ranked "
        f"WHERE rank IS NOT NULL AND {cond}) GROUP BY product ORDER BY n DESC, product", params))
    held = cur.execute(
        f"SELECT count(*) FILTER (WHERE rank IS NOT NULL), count(*) FILTER (WHERE excluded), "
        f"count(*) FILTER (WHERE suppressed AND NOT excluded) FROM marts.prospects_ranked WHERE {cond}",
        params).fetchone()
    new = _records(cur.execute(
        f"SELECT branch, company_id, name, signal_label, reason_text, url, observed_at, rank FROM marts.new_signals "
        f"WHERE on_prospect AND {cond} ORDER BY rank NULLS LAST, observed_at DESC LIMIT 15", params))
    new_count = cur.execute(
        f"SELECT count(DISTINCT company_id) FROM marts.new_signals WHERE on_prospect AND {cond}", params).fetchone()[0]
    return {"segments": segments, "products": products, "ranked": held[0], "excluded": held[1],
            "suppressed": held[2], "new": new, "new_count": new_count,
            "movers": movers(cur, scope, branch)}


def movers(cur, scope: Scope, branch: str | None, limit: int = 10) -> list[dict]:
    """The companies whose rank moved most between the last two recorded builds, with why: the
    signal types that appeared, went or changed points (marts.rank_history_signals) and the 五好
    dimensions that gained or lost
    (decay, a lifted or new negative record). Empty until two builds are in marts.rank_history."""
    if not _has_table(cur, "marts", "rank_history"):
        return []
    builds = [r[0] for r in cur.execute(
        "SELECT build_seq FROM marts.rank_history GROUP BY build_seq ORDER BY build_seq DESC LIMIT 2").fetchall()]
    if len(builds) < 2:
        return []
    cond, params = scope.sql.replace("branch", "now.branch"), [*scope.params]
    if branch:
        cond += " AND now.branch = ?"
        params.append(branch)
    rows = _records(cur.execute(
        f"""
        SELECT now.company_id, now.branch, now.rank AS rank_now, before.rank AS rank_before,
               now.score AS score_now, before.score AS score_before, now.build_id, p.name,
               {', '.join(f'now.{c} - coalesce(before.{c}, 0) AS d_{k}' for c, k, _ in DIMENSIONS)}
        FROM marts.rank_history AS now
        LEFT JOIN marts.rank_history AS before ON before.company_id = now.company_id AND before.build_seq = ?
        JOIN marts.prospects_ranked AS p ON p.company_id = now.company_id
        WHERE now.build_seq = ? AND now.rank IS NOT NULL AND {cond}
          AND (before.rank IS NULL OR before.rank <> now.rank)
          -- a company that only slid because another passed it has nothing of its own to explain
          AND (before.rank IS NULL OR abs(now.score - before.score) >= 0.01)
        ORDER BY abs(coalesce(before.rank, now.rank + 1000) - now.rank) DESC, now.rank LIMIT ?
        """, [builds[1], builds[0], *params, limit]))
    if not rows:
        return rows
    detail = _records(cur.execute(
        """
        WITH now AS (SELECT * FROM marts.rank_history_signals WHERE build_seq = ? AND list_contains(?::VARCHAR[], company_id)),
        before AS (SELECT * FROM marts.rank_history_signals WHERE build_seq = ? AND list_contains(?::VARCHAR[], company_id))
        SELECT coalesce(now.company_id, before.company_id) AS company_id,
               coalesce(r.label, now.signal, before.signal) AS label,
               coalesce(now.signals, 0) - coalesce(before.signals, 0) AS added,
               coalesce(now.points, 0) - coalesce(before.points, 0) AS delta
        FROM now FULL JOIN before ON before.company_id = now.company_id AND before.signal = now.signal
        LEFT JOIN ref.scoring_signals AS r ON r.signal = coalesce(now.signal, before.signal)
        ORDER BY abs(delta) DESC
        """, [builds[0], [r["company_id"] for r in rows], builds[1], [r["company_id"] for r in rows]])
    ) if _has_table(cur, "marts", "rank_history_signals") and cur.execute(
        "SELECT count(*) > 0 FROM marts.rank_history_signals WHERE build_seq = ?", [builds[1]]).fetchone()[0] else []
    by_company: dict[str, list[str]] = {}
    for d in detail:
        if d["added"] > 0:
            text = f"新信号：{d['label']}" + (f" ×{d['added']}" if d["added"] > 1 else "")
        elif d["added"] < 0:
            text = f"信号消失：{d['label']}"
        elif abs(d["delta"]) >= 0.01:
            text = f"{d['label']} {d['delta']:+.2f}" + ("（时间衰减）" if d["delta"] < 0 else "")
        else:
            continue
        by_company.setdefault(d["company_id"], []).append(text)
    for row in rows:
        because = by_company.get(row["company_id"], [])[:3]
        for _, key, label in DIMENSIONS:
            delta = row.get(f"d_{key}") or 0
            if abs(delta) >= 0.01:
                because.append(f"{label} {'+' if delta > 0 else ''}{delta:.2f}")
        if row["rank_before"] is None:
            because.insert(0, "新进入名单")
        row["because"] = because or ["得分变化"]
    return rows
