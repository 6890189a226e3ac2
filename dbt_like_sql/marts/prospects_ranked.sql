-- marts.prospects_ranked: one row per company that some signal names (public or internal), with
-- its branch, its score (= the sum of its rows in marts.signal_points), the five 五好 sub-scores,
-- segment, readable reasons, fitting products and evidence URLs. Excluded (不得受理) and
-- suppressed (bank state) companies stay in the table with their reasons and rank NULL; rank
-- counts 1.. per branch among the rest, best score first.
CREATE OR REPLACE TABLE marts.prospects_ranked AS
WITH prospect_companies AS (
    SELECT c.company_id, c.name, c.uscc, coalesce(c.branch, '未分配') AS branch, g.segment
    FROM marts.company_segments AS g
    JOIN core.companies AS c USING (company_id)
    WHERE NOT coalesce(c.is_non_enterprise, false)
),
points_by_company AS (
    SELECT
        company_id,
        CAST(sum(points) AS DOUBLE) AS score,
        CAST(coalesce(sum(points) FILTER (WHERE dimension = 'business'), 0) AS DOUBLE) AS score_business,
        CAST(coalesce(sum(points) FILTER (WHERE dimension = 'owner'), 0) AS DOUBLE) AS score_owner,
        CAST(coalesce(sum(points) FILTER (WHERE dimension = 'reputation'), 0) AS DOUBLE) AS score_reputation,
        CAST(coalesce(sum(points) FILTER (WHERE dimension = 'mitigation'), 0) AS DOUBLE) AS score_mitigation,
        CAST(coalesce(sum(points) FILTER (WHERE dimension = 'willingness'), 0) AS DOUBLE) AS score_willingness,
        CAST(coalesce(sum(points) FILTER (WHERE dimension = 'risk'), 0) AS DOUBLE) AS score_risk,
        list(reason_text ORDER BY points DESC) FILTER (WHERE points > 0) AS positive_reasons,
        list(reason_text ORDER BY points) FILTER (WHERE points < 0) AS negative_reasons,
        list(url ORDER BY points DESC) FILTER (WHERE url IS NOT NULL) AS evidence_urls
    FROM marts.signal_points
    GROUP BY company_id
),
active_flags AS (
    SELECT
        company_id,
        bool_or(kind = 'exclusion') AS excluded,
        bool_or(kind = 'suppression') AS suppressed,
        string_agg(DISTINCT reason_text, '；' ORDER BY reason_text) FILTER (WHERE kind = 'exclusion') AS exclusion_reason,
        string_agg(DISTINCT reason_text, '；' ORDER BY reason_text) FILTER (WHERE kind = 'suppression') AS suppression_reason
    FROM marts.company_flags
    WHERE active
    GROUP BY company_id
),
products_by_company AS (
    SELECT
        company_id,
        list(product ORDER BY fit DESC, product) AS products,
        map_from_entries(list({'key': product, 'value': fit})) AS product_fit
    FROM marts.product_fit
    GROUP BY company_id
),
distinct_evidence AS (
    -- the same evidence may score in two dimensions: name it once, strongest first
    SELECT
        company_id, score, score_business, score_owner, score_reputation, score_mitigation, score_willingness,
        score_risk,
        list_filter(positive_reasons, lambda x, i: list_position(positive_reasons, x) = i) AS positive_reasons,
        list_filter(negative_reasons, lambda x, i: list_position(negative_reasons, x) = i) AS negative_reasons,
        list_filter(evidence_urls, lambda x, i: list_position(evidence_urls, x) = i) AS evidence_urls
    FROM points_by_company
),
scored AS (
    SELECT
        p.branch, p.company_id, p.name, p.uscc,
        coalesce(s.score, 0) AS score,
        coalesce(s.score_business, 0) AS score_business,
        coalesce(s.score_owner, 0) AS score_owner,
        coalesce(s.score_reputation, 0) AS score_reputation,
        coalesce(s.score_mitigation, 0) AS score_mitigation,
        coalesce(s.score_willingness, 0) AS score_willingness,
        coalesce(s.score_risk, 0) AS score_risk,
        p.segment,
        list_concat(coalesce(s.positive_reasons[1:6], []), coalesce(s.negative_reasons[1:3], [])) AS reasons,
        coalesce(pr.products, []) AS products,
        coalesce(pr.product_fit, MAP {}::MAP(VARCHAR, INTEGER)) AS product_fit,
        coalesce(s.evidence_urls[1:10], []) AS evidence_urls,
        coalesce(f.excluded, false) AS excluded,
        f.exclusion_reason,
        coalesce(f.suppressed, false) AS suppressed,
        f.suppression_reason
    FROM prospect_companies AS p
    LEFT JOIN distinct_evidence AS s USING (company_id)
    LEFT JOIN active_flags AS f USING (company_id)
    LEFT JOIN products_by_company AS pr USING (company_id)
)
SELECT
    branch,
    CASE WHEN NOT excluded AND NOT suppressed THEN
        row_number() OVER (PARTITION BY branch, excluded OR suppressed ORDER BY score DESC, company_id)
    END AS rank,
    company_id, name, uscc, score,
    score_business, score_owner, score_reputation, score_mitigation, score_willingness, score_risk,
    segment, reasons, products, product_fit, evidence_urls,
    excluded, exclusion_reason, suppressed, suppression_reason
FROM scored;
