-- asset: core.companies
-- blocking: true
-- No repeated company_id, no USCC split over two company_ids, and at most 2% of companies sharing
-- an exact name with another; each row that comes back is one problem.
SELECT 'repeated company_id' AS problem, company_id AS example, count(*) AS n
FROM core.companies
GROUP BY company_id
HAVING count(*) > 1
UNION ALL
SELECT 'USCC split over company_ids', uscc, count(DISTINCT company_id)
FROM core.companies
WHERE uscc IS NOT NULL
GROUP BY uscc
HAVING count(DISTINCT company_id) > 1
UNION ALL
SELECT 'over 2% of companies share an exact name', CAST(round(shared / total, 4) AS VARCHAR), shared
FROM (
    SELECT (SELECT count(*) FROM core.companies) AS total,
           (SELECT coalesce(sum(n), 0) FROM (SELECT count(DISTINCT company_id) AS n FROM core.companies
                                            GROUP BY name HAVING count(DISTINCT company_id) > 1)) AS shared
)
WHERE total > 0 AND shared / total > 0.02
