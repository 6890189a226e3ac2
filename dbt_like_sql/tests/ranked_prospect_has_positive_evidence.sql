-- asset: marts.prospects_ranked
-- blocking: true
-- A ranked prospect has at least one positive point from evidence (a signal row), not only the
-- derived 无负面清单记录: junk stays off the lists. The company's key is the one marts.company_segments
-- gave it (hash() is each engine's own).
SELECT p.company_id, p.branch, p.rank, p.score
FROM marts.prospects_ranked AS p
WHERE p.rank IS NOT NULL
  AND NOT EXISTS (
      SELECT 1 FROM marts.signal_points_base AS b
      JOIN marts.company_segments AS k ON k.company_key = b.company_key
      WHERE k.company_id = p.company_id AND b.points > 0 AND b.signal_id > 0
  )
