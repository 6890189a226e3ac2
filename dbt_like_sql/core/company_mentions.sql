-- core.company_mentions: one row per public mention, tied to the company it names (company_id from
-- entity resolution), with the purchaser of the same notice beside award mentions.
CREATE OR REPLACE TABLE core.company_mentions AS
WITH purchasers_by_notice AS (
    SELECT url, min(name) AS purchaser_name
    FROM staging.stg_mentions
    WHERE role = 'purchaser'
    GROUP BY url
)
SELECT
    m.mention_id,
    l.company_id,
    m.source_id,
    m.source_kind,
    m.role,
    m.name,
    m.uscc,
    m.amount_yuan,
    m.amount_label,
    m.amount_unit,
    m.published_at,
    m.url,
    m.notice_title,
    m.project_name,
    m.project_code,
    p.purchaser_name,
    m.tier,
    m.list_name,
    m.industry,
    m.penalty_type,
    m.reason,
    m.authority,
    m.status,
    m.rank,
    m.lot,
    m.region,
    m.district,
    m.run_id,
    m.fetched_at,
    -- a negative list's 法定代表人, only as its keyed hash (warehouse/landing_loader.py)
    json_extract_string(m.extra, '$.legal_rep_hash') AS legal_rep_hash
FROM staging.stg_mentions AS m
JOIN core.entity_links AS l ON l.record_id = m.mention_id
LEFT JOIN purchasers_by_notice AS p ON p.url = m.url;
