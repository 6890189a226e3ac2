-- staging.stg_mentions: one row per company named by a public source in a role, from the latest
-- crawl of each mention; mentions of a notice that a correction notice (更正公告) supersedes are
-- dropped, and a notice served twice under two URLs counts once.
CREATE OR REPLACE TABLE staging.stg_mentions AS
WITH latest_crawl_of_each_mention AS (
    SELECT *
    FROM raw.mentions
    WHERE nullif(trim(name), '') IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY mention_id ORDER BY fetched_at DESC, run_id DESC) = 1
),
superseded_keys AS (
    -- a correction names what it corrects by notice id, project code or title; it also
    -- supersedes every earlier notice of its own project code
    SELECT DISTINCT source_id, notice_key
    FROM latest_crawl_of_each_mention,
         unnest([supersedes, project_code]) AS keys(notice_key)
    WHERE is_correction AND notice_key IS NOT NULL
),
current_notices AS (
    SELECT m.*
    FROM latest_crawl_of_each_mention AS m
    WHERE coalesce(m.is_correction, false)
       OR NOT EXISTS (
            SELECT 1 FROM superseded_keys AS s
            WHERE s.source_id = m.source_id
              AND s.notice_key IN (m.notice_id, m.project_code, m.notice_title)
       )
),
duplicate_notices_collapsed AS (
    SELECT *
    FROM current_notices
    QUALIFY row_number() OVER (
        PARTITION BY source_id, coalesce(project_code, notice_title, url), role, trim(name),
                     coalesce(lot, ''), coalesce(rank, 0), coalesce(penalty_type, '')
        ORDER BY url
    ) = 1
)
SELECT
    mention_id,
    source_id,
    source_kind,
    run_id,
    url,
    fetched_at,
    notice_id,
    notice_title,
    published_at,
    coalesce(is_correction, false) AS is_correction,
    role,
    trim(name) AS name,
    nullif(upper(trim(uscc)), '') AS uscc,
    nullif(trim(address), '') AS address,
    amount_yuan,
    amount_label,
    amount_unit,
    lot,
    rank,
    project_name,
    project_code,
    region,
    district,
    tier,
    industry,
    list_name,
    penalty_type,
    reason,
    authority,
    coalesce(status, 'active') AS status,
    extra
FROM duplicate_notices_collapsed;
