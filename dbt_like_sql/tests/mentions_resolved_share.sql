-- asset: core.company_mentions
-- blocking: true
-- At least 95% of public mentions are tied to a company (a row comes back when fewer are).
WITH counts AS (
    SELECT (SELECT count(*) FROM staging.stg_mentions) AS mentions,
           (SELECT count(DISTINCT mention_id) FROM core.company_mentions WHERE company_id IS NOT NULL) AS resolved
)
SELECT mentions, resolved, round(resolved / mentions, 4) AS share, 0.95 AS minimum
FROM counts
WHERE mentions > 0 AND resolved / mentions < 0.95
