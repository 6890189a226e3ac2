-- core.company_mentions: one row per public mention, tied to the company it names (company_id from
-- entity resolution), with the purchaser of the same notice beside award mentions and, for a
-- 声明函 line, the size it declares.
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
    json_extract_string(m.extra, '$.legal_rep_hash') AS legal_rep_hash,
    -- a 中小企业声明函 line (role declarant, scrapers/extract/sme_declaration.py): which declaration,
    -- the class it declares, the industry it names and its figures (人, 元)
    json_extract_string(m.extra, '$.size_declaration.declaration') AS declaration,
    json_extract_string(m.extra, '$.size_declaration.declared') AS declared_size,
    json_extract_string(m.extra, '$.size_declaration.industry') AS declared_industry,
    TRY_CAST(json_extract_string(m.extra, '$.size_declaration.employees') AS BIGINT) AS declared_employees,
    TRY_CAST(json_extract_string(m.extra, '$.size_declaration.revenue_yuan') AS DOUBLE) AS declared_revenue_yuan,
    TRY_CAST(json_extract_string(m.extra, '$.size_declaration.assets_yuan') AS DOUBLE) AS declared_assets_yuan
FROM staging.stg_mentions AS m
JOIN core.entity_links AS l ON l.record_id = m.mention_id
LEFT JOIN purchasers_by_notice AS p ON p.url = m.url;
