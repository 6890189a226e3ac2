-- marts.prospects_ranked: one row per company that some signal names (public or internal), with
-- its branch, its score (= the sum of its rows in marts.signal_points), the five 五好 sub-scores,
-- segment, readable reasons (its strongest evidence first, then its risk signals; at most 6 + 3), fitting
-- products and evidence URLs. Excluded (不得受理) and suppressed (bank state) companies stay in
-- the table with their reasons and rank NULL; rank counts 1.. per branch among the rest, best
-- score first.
CREATE OR REPLACE TABLE marts.prospects_ranked AS
WITH prospect_companies AS (
    SELECT c.company_id, c.name, c.uscc, coalesce(c.branch, '未分配') AS branch, g.segment
    FROM marts.company_segments AS g
    JOIN core.companies AS c USING (company_id)
    WHERE NOT coalesce(c.is_non_enterprise, false)
),
points_by_company AS MATERIALIZED (
    SELECT
        any_value(company_id) AS company_id,
        CAST(sum(points) AS DOUBLE) AS score,
        CAST(coalesce(sum(points) FILTER (WHERE dimension = 'business'), 0) AS DOUBLE) AS score_business,
        CAST(coalesce(sum(points) FILTER (WHERE dimension = 'owner'), 0) AS DOUBLE) AS score_owner,
        CAST(coalesce(sum(points) FILTER (WHERE dimension = 'reputation'), 0) AS DOUBLE) AS score_reputation,
        CAST(coalesce(sum(points) FILTER (WHERE dimension = 'mitigation'), 0) AS DOUBLE) AS score_mitigation,
        CAST(coalesce(sum(points) FILTER (WHERE dimension = 'willingness'), 0) AS DOUBLE) AS score_willingness,
        CAST(coalesce(sum(points) FILTER (WHERE dimension = 'risk'), 0) AS DOUBLE) AS score_risk,
        -- strongest evidence first, then the heaviest risk signals (ids of core.company_signals rows;
        -- negative ids are derived signals such as 无负面清单记录)
        list_concat(
            coalesce(arg_max(signal_id, points, 6) FILTER (WHERE points > 0), []),
            coalesce(arg_min(signal_id, points, 3) FILTER (WHERE points < 0), [])
        ) AS evidence_ids,
        any_value(signal) FILTER (WHERE signal_id < 0) AS derived_signal
    FROM marts.signal_points_base
    GROUP BY hash(company_id)  -- a 64-bit key groups faster than the text (collisions checked in scoring)
),
top_evidence AS (
    -- the same evidence may score in two dimensions (payroll: 经营 and 合作意愿): name it once
    SELECT
        company_id,
        derived_signal,
        unnest(evidence) AS signal_id,
        generate_subscripts(evidence, 1) AS position
    FROM (
        SELECT company_id, derived_signal,
               list_filter(evidence_ids, lambda x, i: list_position(evidence_ids, x) = i) AS evidence
        FROM points_by_company
    )
),
evidence_reasons AS (
    -- list_sort of (position, text) pairs is much cheaper than an ordered list() aggregate
    SELECT
        any_value(t.company_id) AS company_id,
        list_transform(list_sort(list({
            'position': t.position,
            'reason': CASE WHEN t.signal_id < 0
                           THEN ref.signal_reason(t.derived_signal, NULL, NULL, NULL, NULL, NULL, NULL)
                           ELSE ref.signal_reason(s.signal, s.value, s.amount, s.observed_at, s.detail, s.list_name,
                                                  s.source_id)
                      END
        })), lambda e: e.reason) AS reasons,
        list_transform(list_sort(list({'position': t.position, 'url': s.url}) FILTER (WHERE s.url IS NOT NULL)),
                       lambda e: e.url) AS evidence_urls
    FROM top_evidence AS t
    LEFT JOIN core.company_signals AS s ON s.signal_id = t.signal_id  -- derived ids are negative: no match
    GROUP BY hash(t.company_id)
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
        list_transform(list_sort(list({'minus_fit': -fit, 'product': product})), lambda e: e.product) AS products,
        map_from_entries(list({'key': product, 'value': fit})) AS product_fit
    FROM marts.product_fit
    GROUP BY company_id
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
        coalesce(r.reasons, []) AS reasons,
        coalesce(pr.products, []) AS products,
        coalesce(pr.product_fit, MAP {}::MAP(VARCHAR, INTEGER)) AS product_fit,
        coalesce(list_filter(r.evidence_urls, lambda x, i: list_position(r.evidence_urls, x) = i)[1:10], [])
            AS evidence_urls,
        coalesce(f.excluded, false) AS excluded,
        f.exclusion_reason,
        coalesce(f.suppressed, false) AS suppressed,
        f.suppression_reason
    FROM prospect_companies AS p
    LEFT JOIN points_by_company AS s USING (company_id)
    LEFT JOIN evidence_reasons AS r USING (company_id)
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
