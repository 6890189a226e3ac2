"""The branch dashboard, read like every list: counts by segment and product, what is new in this
build, and the biggest movers since the last recorded build with why they moved."""

from __future__ import annotations

from tuoke.prospects.catalog import Catalog
from tuoke.prospects.lists import records
from tuoke.prospects.scope import Scope
from tuoke.prospects.where import Where

NEW_SHOWN = 15
MOVERS_SHOWN = 10
SCORE_STEP = 0.01  # a change below this is rounding, not a reason


def _scoped(scope: Scope, column: str, branch: str | None) -> Where:
    where = Where().add_condition(scope.condition(column))
    if branch:
        where.add(f"{column} = ?", branch)
    return where


def read_dashboard(cur, catalog: Catalog, scope: Scope, branch: str | None) -> dict:
    """Counts by segment and product, new this build, and the biggest movers since the last build."""
    w = _scoped(scope, "p.branch", branch)
    segments = records(cur.execute(
        f"SELECT p.segment, count(*) AS n FROM marts.prospects_ranked AS p WHERE p.rank IS NOT NULL AND {w.sql} "
        "GROUP BY p.segment ORDER BY n DESC", w.params))
    products = records(cur.execute(
        "SELECT product, count(*) AS n FROM (SELECT unnest(p.products) AS product FROM marts.prospects_ranked AS p "
        f"WHERE p.rank IS NOT NULL AND {w.sql}) GROUP BY product ORDER BY n DESC, product", w.params))
    held = cur.execute(
        "SELECT count(*) FILTER (WHERE p.rank IS NOT NULL), count(*) FILTER (WHERE p.excluded), "
        f"count(*) FILTER (WHERE p.suppressed AND NOT p.excluded) FROM marts.prospects_ranked AS p WHERE {w.sql}",
        w.params).fetchone()
    n = _scoped(scope, "s.branch", branch)
    new = records(cur.execute(
        "SELECT s.branch, s.company_id, s.name, s.signal_label, s.reason_text, s.url, s.observed_at, s.rank "
        f"FROM marts.new_signals AS s WHERE s.on_prospect AND {n.sql} "
        f"ORDER BY s.rank NULLS LAST, s.observed_at DESC LIMIT {NEW_SHOWN}", n.params))
    new_count = cur.execute(
        f"SELECT count(DISTINCT s.company_id) FROM marts.new_signals AS s WHERE s.on_prospect AND {n.sql}",
        n.params).fetchone()[0]
    return {"segments": segments, "products": products, "ranked": held[0], "excluded": held[1],
            "suppressed": held[2], "new": new, "new_count": new_count,
            "movers": read_movers(cur, catalog, scope, branch)}


def _last_two_builds(cur, catalog: Catalog) -> list[int]:
    if not catalog.has("marts.rank_history"):
        return []
    return [r[0] for r in cur.execute(
        "SELECT build_seq FROM marts.rank_history GROUP BY build_seq ORDER BY build_seq DESC LIMIT 2").fetchall()]


def _signal_changes(cur, catalog: Catalog, builds: list[int], company_ids: list[str]) -> dict[str, list[str]]:
    """Per company: the signal types that appeared, went or changed points between the two builds."""
    if not catalog.has("marts.rank_history_signals") or not cur.execute(
            "SELECT count(*) > 0 FROM marts.rank_history_signals WHERE build_seq = ?", [builds[1]]).fetchone()[0]:
        return {}
    detail = records(cur.execute(
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
        """, [builds[0], company_ids, builds[1], company_ids]))
    by_company: dict[str, list[str]] = {}
    for d in detail:
        if d["added"] > 0:
            text = f"新信号：{d['label']}" + (f" ×{d['added']}" if d["added"] > 1 else "")
        elif d["added"] < 0:
            text = f"信号消失：{d['label']}"
        elif abs(d["delta"]) >= SCORE_STEP:
            text = f"{d['label']} {d['delta']:+.2f}" + ("（时间衰减）" if d["delta"] < 0 else "")
        else:
            continue
        by_company.setdefault(d["company_id"], []).append(text)
    return by_company


def read_movers(cur, catalog: Catalog, scope: Scope, branch: str | None, limit: int = MOVERS_SHOWN) -> list[dict]:
    """The companies whose rank moved most between the last two recorded builds, with why: the
    signal types that appeared, went or changed points (marts.rank_history_signals) and the 五好
    dimensions that gained or lost (decay, a lifted or new negative record). Empty until two
    builds are in marts.rank_history."""
    builds = _last_two_builds(cur, catalog)
    if len(builds) < 2:
        return []
    w = _scoped(scope, "now.branch", branch)
    deltas = ", ".join(f"now.{d.column} - coalesce(before.{d.column}, 0) AS d_{d.key}" for d in catalog.dimensions)
    rows = records(cur.execute(
        f"""
        SELECT now.company_id, now.branch, now.rank AS rank_now, before.rank AS rank_before,
               now.score AS score_now, before.score AS score_before, now.build_id, p.name, {deltas}
        FROM marts.rank_history AS now
        LEFT JOIN marts.rank_history AS before ON before.company_id = now.company_id AND before.build_seq = ?
        JOIN marts.prospects_ranked AS p ON p.company_id = now.company_id
        WHERE now.build_seq = ? AND now.rank IS NOT NULL AND {w.sql}
          AND (before.rank IS NULL OR before.rank <> now.rank)
          -- a company that only slid because another passed it has nothing of its own to explain
          AND (before.rank IS NULL OR abs(now.score - before.score) >= {SCORE_STEP})
        ORDER BY abs(coalesce(before.rank, now.rank + 1000) - now.rank) DESC, now.rank LIMIT ?
        """, [builds[1], builds[0], *w.params, limit]))
    if not rows:
        return rows
    changes = _signal_changes(cur, catalog, builds, [r["company_id"] for r in rows])
    for row in rows:
        because = changes.get(row["company_id"], [])[:3]
        for d in catalog.dimensions:
            delta = row.get(f"d_{d.key}") or 0
            if abs(delta) >= SCORE_STEP:
                because.append(f"{d.label} {'+' if delta > 0 else ''}{delta:.2f}")
        if row["rank_before"] is None:
            because.insert(0, "新进入名单")
        row["because"] = because or ["得分变化"]
    return rows
