-- core.companies: one row per resolved company (company_id from entity resolution): the most
-- common way its records write its name, its code, where it is and which branch covers it.
CREATE OR REPLACE TABLE core.companies AS
WITH record_dates AS (
    SELECT r.record_id, r.company_id, coalesce(m.published_at, CAST(m.fetched_at AS DATE)) AS seen_on
    FROM core.entity_records AS r
    LEFT JOIN staging.stg_mentions AS m ON m.mention_id = r.record_id
),
name_votes AS (
    SELECT company_id, display_name, count(*) AS votes, bool_or(uscc_valid) AS with_valid_code
    FROM core.entity_records
    GROUP BY company_id, display_name
),
preferred_name AS (
    SELECT company_id, display_name
    FROM name_votes
    QUALIFY row_number() OVER (
        PARTITION BY company_id ORDER BY with_valid_code DESC, votes DESC, length(display_name) DESC, display_name
    ) = 1
),
company_facts AS (
    SELECT
        company_id,
        max(uscc) FILTER (WHERE uscc_valid) AS uscc,
        mode(province) FILTER (WHERE province IS NOT NULL) AS province,
        mode(city) FILTER (WHERE city IS NOT NULL) AS city,
        mode(district) FILTER (WHERE district IS NOT NULL) AS district,
        bool_or(is_branch) AS is_branch,
        bool_and(is_non_enterprise) AS is_non_enterprise,
        mode(industry) FILTER (WHERE industry IS NOT NULL) AS industry,
        count(*) AS records
    FROM core.entity_records
    GROUP BY company_id
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
    d.last_seen
FROM company_facts AS f
JOIN preferred_name AS n USING (company_id)
LEFT JOIN company_dates AS d USING (company_id)
LEFT JOIN branch_candidates AS b ON b.company_id = f.company_id AND b.specificity_rank = 1;
