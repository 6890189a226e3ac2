-- marts.new_signals: one row per alert-worthy signal first seen in the latest scoring build that
-- added signals (a new win, a new 专精特新 listing, a new negative-list hit…) on a company we would
-- call on or already serve: the trigger list a branch acts on this week. A rebuild on unchanged
-- inputs adds no signal, so it keeps the same list. `kind` says opportunity / risk / relationship;
-- `on_prospect` whether the company is currently ranked (not excluded or suppressed).
CREATE OR REPLACE TABLE marts.new_signals AS
WITH latest_build AS (
    SELECT build_id FROM marts.signal_first_seen ORDER BY first_seen_at DESC, build_id DESC LIMIT 1
),
first_seen_now AS (
    SELECT h.*
    FROM marts.signal_history AS h
    JOIN latest_build AS b USING (build_id)
)
SELECT
    coalesce(p.branch, '未分配') AS branch,
    n.company_id,
    coalesce(p.name, n.company_id) AS name,
    n.signal,
    coalesce(r.label, n.signal) AS signal_label,
    coalesce(r.kind, 'opportunity') AS kind,
    coalesce(ref.fill_reason(r.reason_template, r.label, n.value, n.amount, n.observed_at, n.detail, n.list_name,
                             n.source_id), n.signal) AS reason_text,
    n.url,
    n.observed_at,
    n.first_seen_at AS first_seen,
    p.rank,
    p.score,
    p.rank IS NOT NULL AS on_prospect,
    coalesce(p.excluded, false) AS excluded,
    coalesce(p.suppressed, false) AS suppressed
FROM first_seen_now AS n
JOIN marts.prospects_ranked AS p USING (company_id)
LEFT JOIN ref.scoring_signals AS r ON r.signal = n.signal
ORDER BY branch, kind, n.observed_at DESC NULLS LAST, p.score DESC, n.company_id, n.key_hash;
