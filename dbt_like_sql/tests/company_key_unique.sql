-- asset: marts.company_segments
-- blocking: true
-- The scoring groups companies on company_key = hash(company_id); two ids with one key would share
-- caps and points. With 64-bit hashes that is ~1e-8 likely at a million companies: checked, not assumed.
SELECT hash(company_id) AS company_key, count(DISTINCT company_id) AS companies, min(company_id), max(company_id)
FROM core.companies
GROUP BY company_key
HAVING count(DISTINCT company_id) > 1
