"""New signals on prospects (`tuoke alerts`, the trigger list): those new in the latest build
(marts.new_signals), or every signal first seen on or after a date (marts.signal_history)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from tuoke.prospects.scope import Scope
from tuoke.prospects.where import Where


def read_new_signals(cur, scope: Scope, branch: str | None = None, since: dt.date | None = None) -> pd.DataFrame:
    where = Where().add_condition(scope.condition("p.branch"))
    if branch:
        where.add("p.branch = ?", branch)
    if since is None:
        return cur.execute(f"SELECT p.* FROM marts.new_signals AS p WHERE {where.sql} "
                           "ORDER BY p.branch, p.kind, p.observed_at DESC NULLS LAST", where.params).df()
    where.add("CAST(h.first_seen_at AS DATE) >= ?", since)
    return cur.execute(
        f"""
        SELECT p.branch, h.company_id, p.name, h.signal, coalesce(r.label, h.signal) AS signal_label,
               coalesce(r.kind, 'opportunity') AS kind,
               ref.signal_reason(h.signal, h.value, h.amount, h.observed_at, h.detail, h.list_name, h.source_id)
                   AS reason_text,
               h.url, h.observed_at, h.first_seen_at AS first_seen, p.rank, p.score,
               p.rank IS NOT NULL AS on_prospect, p.excluded, p.suppressed
        FROM marts.signal_history AS h
        JOIN marts.prospects_ranked AS p USING (company_id)
        LEFT JOIN ref.scoring_signals AS r ON r.signal = h.signal
        WHERE {where.sql}
        ORDER BY p.branch, kind, h.observed_at DESC NULLS LAST
        """, where.params).df()
