-- core.companies: one row per resolved company (company_id from entity resolution): its name (the
-- registry's current name when the registry names it — the registry is authority — else the most
-- common way its records write it; a former name 曾用名 never), its code, where it is, which branch
-- covers it, and its size (core.company_size: size_class with the reason naming its evidence,
-- is_individual_business for a 个体工商户; docs/sizing.md).
CREATE OR REPLACE TABLE core.companies AS
WITH record_dates AS (
    SELECT r.record_id, r.company_id, coalesce(m.published_at, CAST(m.fetched_at AS DATE)) AS seen_on
    FROM core.entity_records AS r
    LEFT JOIN staging.stg_mentions AS m ON m.mention_id = r.record_id
),
name_votes AS (
    SELECT company_id, display_name, count(*) AS votes, bool_or(uscc_valid) AS with_valid_code,
           bool_or(source_id = 'feed:registry') AS registered
    FROM core.entity_records
    WHERE source_id IS DISTINCT FROM 'feed:registry:former'
    GROUP BY company_id, display_name
),
preferred_name AS (
    SELECT company_id, display_name
    FROM name_votes
    QUALIFY row_number() OVER (
        PARTITION BY company_id
        ORDER BY registered DESC, with_valid_code DESC, votes DESC, length(display_name) DESC, display_name
    ) = 1
),
location_votes AS (
    -- one place per company, voted as a whole row so province, city and district agree
    SELECT company_id, province, city, district, count(*) AS votes
    FROM core.entity_records
    WHERE province IS NOT NULL
    GROUP BY company_id, province, city, district
),
preferred_location AS (
    SELECT company_id, province, city, district
    FROM location_votes
    QUALIFY row_number() OVER (
        PARTITION BY company_id
        ORDER BY (district IS NOT NULL) DESC, (city IS NOT NULL) DESC, votes DESC, province, city, district
    ) = 1
),
industry_votes AS (
    -- the registry's industry first (authority), then the one the company's mentions name most
    SELECT company_id, industry
    FROM (
        SELECT company_id, industry, 1000000 AS votes
        FROM core.registry_companies
        WHERE industry IS NOT NULL
        UNION ALL
        SELECT company_id, industry, count(*) FROM core.entity_records WHERE industry IS NOT NULL
        GROUP BY company_id, industry
    ) AS v
    QUALIFY row_number() OVER (PARTITION BY company_id ORDER BY votes DESC, industry) = 1
),
company_facts AS (
    SELECT
        r.company_id,
        max(r.uscc) FILTER (WHERE r.uscc_valid) AS uscc,
        any_value(l.province) AS province,
        any_value(l.city) AS city,
        any_value(l.district) AS district,
        bool_or(r.is_branch) AS is_branch,
        bool_and(r.is_non_enterprise) AS is_non_enterprise,
        any_value(i.industry) AS industry,
        count(*) AS records
    FROM core.entity_records AS r
    LEFT JOIN preferred_location AS l USING (company_id)
    LEFT JOIN industry_votes AS i USING (company_id)
    GROUP BY r.company_id
),
company_dates AS (
    SELECT company_id, min(seen_on) AS first_seen, max(seen_on) AS last_seen
    FROM record_dates
    GROUP BY company_id
),
branch_candidates AS (
    SELECT
        f.company_id,
        t.branch,
        row_number() OVER (
            PARTITION BY f.company_id
            ORDER BY (t.district IS NOT NULL) DESC, (t.city IS NOT NULL) DESC, (t.province IS NOT NULL) DESC, t.branch
        ) AS specificity_rank
    FROM company_facts AS f
    JOIN ref.territories AS t
      ON (t.province IS NULL OR t.province = f.province)
     AND (t.city IS NULL OR t.city = f.city)
     AND (t.district IS NULL OR t.district = f.district)
)
SELECT
    f.company_id,
    n.display_name AS name,
    f.uscc,
    f.province,
    f.city,
    f.district,
    b.branch,
    f.industry,
    f.is_branch,
    f.is_non_enterprise,
    f.records,
    d.first_seen,
    d.last_seen,
    coalesce(z.size_class, 'unknown') AS size_class,
    z.size_reason,
    coalesce(z.is_individual_business, false) AS is_individual_business,
    z.registration_kind,
    z.established_on
FROM company_facts AS f
JOIN preferred_name AS n USING (company_id)
LEFT JOIN company_dates AS d USING (company_id)
LEFT JOIN core.company_size AS z USING (company_id)
LEFT JOIN branch_candidates AS b ON b.company_id = f.company_id AND b.specificity_rank = 1;
