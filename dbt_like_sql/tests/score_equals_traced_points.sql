-- asset: marts.prospects_ranked
-- blocking: true
-- Every score is the sum of its traced points (marts.signal_points_base, which marts.signal_points
-- shows with evidence and reasons).
WITH traced AS (
    SELECT company_key, sum(points) AS points
    FROM marts.signal_points_base
    GROUP BY company_key
)
SELECT p.company_id, p.score, coalesce(t.points, 0) AS traced
FROM marts.prospects_ranked AS p
LEFT JOIN traced AS t ON t.company_key = hash(p.company_id)
WHERE abs(p.score - coalesce(t.points, 0)) > 1e-6
