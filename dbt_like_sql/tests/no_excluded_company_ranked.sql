-- asset: marts.prospects_ranked
-- blocking: true
-- An excluded company (不得受理) is listed with its reason but never ranked.
SELECT company_id, branch, rank, exclusion_reason
FROM marts.prospects_ranked
WHERE excluded AND rank IS NOT NULL
