-- asset: marts.prospects_ranked
-- blocking: true
-- Every score is the sum of its traced points (marts.signal_points_base, which marts.signal_points
-- shows with evidence and reasons). A company's key is read from marts.company_segments, not
-- recomputed: hash() is each engine's own (DuckDB's hash, Spark's xxhash64).
WITH traced AS (
    SELECT company_key, sum(points) AS points
    FROM marts.signal_points_base
    GROUP BY company_key
)
SELECT p.company_id, p.score, coalesce(t.points, 0) AS traced
FROM marts.prospects_ranked AS p
LEFT JOIN marts.company_segments AS k ON k.company_id = p.company_id
LEFT JOIN traced AS t ON t.company_key = k.company_key
WHERE abs(p.score - coalesce(t.points, 0)) > 1e-6
