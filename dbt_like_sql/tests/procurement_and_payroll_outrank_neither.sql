-- asset: marts.prospects_ranked
-- blocking: true
-- Ranked companies with a procurement win and payroll have a higher median score than ranked
-- companies with neither (a row comes back when they do not; no row when a side is empty).
WITH evidence AS (
    SELECT company_id,
           bool_or(signal = 'procurement_win') AS has_win,
           bool_or(signal = 'payroll_employer') AS has_payroll
    FROM core.company_signals
    GROUP BY company_id
),
medians AS (
    SELECT median(p.score) FILTER (WHERE e.has_win AND e.has_payroll) AS median_both,
           median(p.score) FILTER (WHERE NOT coalesce(e.has_win, false) AND NOT coalesce(e.has_payroll, false))
               AS median_neither
    FROM marts.prospects_ranked AS p
    LEFT JOIN evidence AS e USING (company_id)
    WHERE p.rank IS NOT NULL
)
SELECT median_both, median_neither
FROM medians
WHERE median_both <= median_neither
