-- marts.branch_summary: one row per branch — how many prospects it has to work (ranked), how many
-- are excluded (不得受理) or suppressed (bank state), the split by segment and product, and the
-- best and median score, so a regional head sees where the work is.
CREATE OR REPLACE TABLE marts.branch_summary AS
WITH ranked_prospects AS (
    SELECT * FROM marts.prospects_ranked WHERE rank IS NOT NULL
),
counts_by_branch AS (
    SELECT
        branch,
        count(*) AS companies,
        count(*) FILTER (WHERE excluded) AS excluded,
        count(*) FILTER (WHERE suppressed AND NOT excluded) AS suppressed
    FROM marts.prospects_ranked
    GROUP BY branch
),
prospects_by_branch AS (
    SELECT
        branch,
        count(*) AS prospects,
        count(*) FILTER (WHERE segment = 'new_to_bank') AS new_to_bank,
        count(*) FILTER (WHERE segment = 'existing_no_credit') AS existing_no_credit,
        count(*) FILTER (WHERE segment = 'existing_credit') AS existing_credit,
        count(*) FILTER (WHERE array_length(products) > 0) AS with_product_fit,
        max(score) AS top_score,
        -- not rounded here: half-way medians (30.095) round differently in DuckDB and Spark
        median(score) AS median_score,
        arg_min(name, rank) AS top_company  -- rank 1: best score, ties by company_id
    FROM ranked_prospects
    GROUP BY branch
)
SELECT
    c.branch,
    coalesce(p.prospects, 0) AS prospects,
    c.excluded,
    c.suppressed,
    coalesce(p.new_to_bank, 0) AS new_to_bank,
    coalesce(p.existing_no_credit, 0) AS existing_no_credit,
    coalesce(p.existing_credit, 0) AS existing_credit,
    coalesce(p.with_product_fit, 0) AS with_product_fit,
    p.top_score,
    p.median_score,
    p.top_company,
    c.companies
FROM counts_by_branch AS c
LEFT JOIN prospects_by_branch AS p USING (branch)
ORDER BY c.branch;
