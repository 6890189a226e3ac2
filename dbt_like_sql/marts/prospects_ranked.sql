-- marts.prospects_ranked: one row per company that some signal names (public or internal), with
-- its branch, its score (= the sum of its rows in marts.signal_points), the five 五好 sub-scores,
-- segment, readable reasons (its strongest evidence first, then its risk signals; at most 6 + 3), fitting
-- products and evidence URLs. Excluded (不得受理) and suppressed (bank state) companies stay in
-- the table with their reasons and rank NULL; rank counts 1.. per branch among the rest, best
-- score first.
--
-- Reasons and evidence URLs are rendered for the first 5000 ranked companies of each branch (the
-- list a branch works); further down, and for excluded or suppressed companies (which carry
-- exclusion_reason / suppression_reason), they are empty and every point is on demand in
-- marts.signal_points (`tuoke explain`). Rendering them for a million companies would cost more
-- than the whole ranking. Companies are keyed by company_key = hash(company_id) as in
-- marts.signal_points_base and marts.company_segments (collisions are checked by the scoring
-- step); equal points order by signal_id, so a rebuild on the same inputs gives the same reasons.
CREATE OR REPLACE TABLE marts.prospects_ranked AS
WITH settings AS (
    SELECT 5000 AS reasons_per_branch
),
prospect_companies AS (
    SELECT g.company_key, c.company_id, c.name, c.uscc, coalesce(c.branch, '未分配') AS branch, g.segment,
           g.products, g.product_fit
    FROM marts.company_segments AS g
    JOIN core.companies AS c USING (company_id)
    WHERE NOT coalesce(c.is_non_enterprise, false)
),
points_by_company AS (
    -- sum(CASE …) rather than FILTER: several times faster over ten million rows
    SELECT
        company_key,
        CAST(sum(points) AS DOUBLE) AS score,
        CAST(coalesce(sum(CASE WHEN dimension = 'business' THEN points END), 0) AS DOUBLE) AS score_business,
        CAST(coalesce(sum(CASE WHEN dimension = 'owner' THEN points END), 0) AS DOUBLE) AS score_owner,
        CAST(coalesce(sum(CASE WHEN dimension = 'reputation' THEN points END), 0) AS DOUBLE) AS score_reputation,
        CAST(coalesce(sum(CASE WHEN dimension = 'mitigation' THEN points END), 0) AS DOUBLE) AS score_mitigation,
        CAST(coalesce(sum(CASE WHEN dimension = 'willingness' THEN points END), 0) AS DOUBLE) AS score_willingness,
        CAST(coalesce(sum(CASE WHEN dimension = 'risk' THEN points END), 0) AS DOUBLE) AS score_risk
    FROM marts.signal_points_base
    GROUP BY company_key
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
scored AS (
    SELECT
        p.company_key, p.branch, p.company_id, p.name, p.uscc,
        coalesce(s.score, 0) AS score,
        coalesce(s.score_business, 0) AS score_business,
        coalesce(s.score_owner, 0) AS score_owner,
        coalesce(s.score_reputation, 0) AS score_reputation,
        coalesce(s.score_mitigation, 0) AS score_mitigation,
        coalesce(s.score_willingness, 0) AS score_willingness,
        coalesce(s.score_risk, 0) AS score_risk,
        p.segment, p.products, p.product_fit,
        coalesce(f.excluded, false) AS excluded,
        f.exclusion_reason,
        coalesce(f.suppressed, false) AS suppressed,
        f.suppression_reason
    FROM prospect_companies AS p
    LEFT JOIN points_by_company AS s USING (company_key)
    LEFT JOIN active_flags AS f USING (company_id)
),
ranks AS (
    -- ranked on the narrow columns only, then joined back
    SELECT company_key, row_number() OVER (PARTITION BY branch ORDER BY score DESC, company_id) AS rank
    FROM scored
    WHERE NOT excluded AND NOT suppressed
),
top_points AS (
    -- strongest evidence first, then the heaviest risk signals (ids of core.company_signals rows;
    -- negative ids are derived signals such as 无负面清单记录); the sort key is the points in cents
    -- with the signal_id below them, so equal points order by signal_id
    SELECT
        b.company_key,
        list_concat(
            coalesce(arg_max(b.signal_id, CAST(b.points * 100 AS BIGINT) * 4294967296 - b.signal_id, 6)
                     FILTER (WHERE b.points > 0), []),
            coalesce(arg_min(b.signal_id, CAST(b.points * 100 AS BIGINT) * 4294967296 + b.signal_id, 3)
                     FILTER (WHERE b.points < 0), [])
        ) AS evidence_ids,
        min(b.signal) FILTER (WHERE b.signal_id < 0) AS derived_signal
    FROM marts.signal_points_base AS b
    SEMI JOIN ranks AS r ON r.company_key = b.company_key AND r.rank <= (SELECT reasons_per_branch FROM settings)
    GROUP BY b.company_key
),
top_evidence AS (
    -- the same evidence may score in two dimensions (payroll: 经营 and 合作意愿): name it once
    SELECT company_key, derived_signal, unnest(evidence) AS signal_id, generate_subscripts(evidence, 1) AS position
    FROM (
        SELECT company_key, derived_signal,
               list_filter(evidence_ids, lambda x, i: list_position(evidence_ids, x) = i) AS evidence
        FROM top_points
    )
),
evidence_reasons AS (
    -- one list of (position, reason, url) per company; list_sort orders it by position
    SELECT
        company_key,
        list_transform(evidence, lambda e: e.reason) AS reasons,
        list_transform(list_filter(evidence, lambda e: e.url IS NOT NULL), lambda e: e.url) AS evidence_urls
    FROM (
        SELECT
            t.company_key,
            list_sort(list({
                'position': t.position,
                'reason': CASE WHEN t.signal_id < 0
                               THEN ref.signal_reason(t.derived_signal, NULL, NULL, NULL, NULL, NULL, NULL)
                               ELSE ref.signal_reason(s.signal, s.value, s.amount, s.observed_at, s.detail,
                                                      s.list_name, s.source_id)
                          END,
                'url': s.url
            })) AS evidence
        FROM top_evidence AS t
        LEFT JOIN core.company_signals AS s ON s.signal_id = t.signal_id  -- derived ids are negative: no match
        GROUP BY t.company_key
    )
)
SELECT
    s.branch,
    k.rank,
    s.company_id, s.name, s.uscc, s.score,
    s.score_business, s.score_owner, s.score_reputation, s.score_mitigation, s.score_willingness, s.score_risk,
    s.segment,
    coalesce(r.reasons, []) AS reasons,
    s.products,
    s.product_fit,
    coalesce(list_filter(r.evidence_urls, lambda x, i: list_position(r.evidence_urls, x) = i)[1:10], [])
        AS evidence_urls,
    s.excluded, s.exclusion_reason, s.suppressed, s.suppression_reason
FROM scored AS s
LEFT JOIN ranks AS k USING (company_key)
LEFT JOIN evidence_reasons AS r USING (company_key);
