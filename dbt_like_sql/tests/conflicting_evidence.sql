-- asset: core.entity_records
-- blocking: true
-- No company holds conflicting evidence (warehouse/resolve/evidence.py states the rule the resolver
-- keeps): two valid USCCs; or two different street addresses, or two regions that disagree at some
-- level, between records that one valid USCC does not vouch for (records carrying the company's
-- code may show several: a company that moved). A region filled from the source's region tag
-- (region_from_hint) is no evidence and is left out. A record named exactly as a registry name carries
-- the registry's code (registry_uscc, rule registry_name of warehouse/resolve/authority.py). One row per company and kind of conflict;
-- the build report counts them.
WITH evidence AS (
    SELECT company_id, record_id,
           CASE WHEN uscc_valid THEN uscc ELSE registry_uscc END AS code,
           street_key,
           CASE WHEN NOT coalesce(region_from_hint, false) THEN province END AS province,
           CASE WHEN NOT coalesce(region_from_hint, false) THEN city END AS city,
           CASE WHEN NOT coalesce(region_from_hint, false) THEN district END AS district
    FROM core.entity_records
),
per_company AS (
    SELECT company_id,
           count(DISTINCT code) AS codes,
           count(DISTINCT street_key) AS streets,
           bool_or(code IS NULL AND street_key IS NOT NULL) AS street_without_code,
           count(DISTINCT province) AS provinces,
           bool_or(code IS NULL AND province IS NOT NULL) AS province_without_code,
           count(DISTINCT city) AS cities,
           bool_or(code IS NULL AND city IS NOT NULL) AS city_without_code,
           count(DISTINCT district) AS districts,
           bool_or(code IS NULL AND district IS NOT NULL) AS district_without_code,
           min(record_id) AS example_record
    FROM evidence
    GROUP BY company_id
)
SELECT company_id, 'two valid USCCs' AS conflict, codes AS n, example_record FROM per_company WHERE codes > 1
UNION ALL
SELECT company_id, 'two street addresses', streets, example_record FROM per_company
WHERE street_without_code AND streets > 1
UNION ALL
SELECT company_id, 'two provinces', provinces, example_record FROM per_company
WHERE province_without_code AND provinces > 1
UNION ALL
SELECT company_id, 'two cities', cities, example_record FROM per_company
WHERE city_without_code AND cities > 1
UNION ALL
SELECT company_id, 'two districts', districts, example_record FROM per_company
WHERE district_without_code AND districts > 1
