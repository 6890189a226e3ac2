-- marts.prospects_ranked: one row per company that some signal names (public or internal), with
-- its branch, its score (= the sum of its rows in marts.signal_points), its points per dimension
-- (dimension_scores: the five 五好 and risk as scoring.yaml defines them; score_<dimension> columns
-- read the map for the export),
-- segment, readable reasons (its strongest evidence first, then its risk signals; at most 6 + 3), fitting
-- products and evidence URLs. Excluded (不得受理) and suppressed (bank state) companies stay in
-- the table with their reasons and rank NULL, and so are companies without one positive point from
-- evidence (has_positive_evidence false: only 无负面清单记录, or only risk); rank counts 1.. per
-- branch among the rest, best score first.
--
-- Reasons and evidence URLs are rendered for the first 5000 ranked companies of each branch (the
-- list a branch works); further down, and for excluded or suppressed companies (which carry
-- exclusion_reason / suppression_reason), they are empty and every point is on demand in
-- marts.signal_points (`tuoke explain`). Rendering them for a million companies would cost more
-- than the whole ranking. Companies are keyed by company_key = hash(company_id) as in
-- marts.signal_points_base and marts.company_segments (collisions are checked by the scoring
-- step); equal points order by signal_id, so a rebuild on the same inputs gives the same reasons.
--
-- Size (docs/sizing.md, core.company_size): size_class with size_reason naming its evidence (or
-- 规模待核实 with what there is), size_conflict (evidence that says otherwise), size_segment (the
-- 普惠 group: individual_business / micro / small / medium / unknown / large), is_individual_business;
-- puhui_eligible when the segment is one of ref.scoring_sizing.puhui_segments; credit_ceiling_yuan
-- for those: the 普惠 单户授信 ceiling (1,000 万元) less what we already lend it, so a credit line
-- suggested from this list never exceeds it. Large firms are excluded by marts.company_flags.
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
our_credit AS (
    -- what we lend the company today (the latest credit_customers export's balances)
    SELECT company_id, sum(coalesce(amount, 0)) AS balance_yuan
    FROM core.company_signals
    WHERE signal = 'credit_customer'
    GROUP BY company_id
),
sizes AS (
    SELECT z.company_id, z.size_class, z.size_segment, z.is_individual_business, z.size_reason, z.size_evidence,
           z.size_conflict,
           list_contains(g.puhui_segments, z.size_segment) AS puhui_eligible,
           CASE WHEN list_contains(g.puhui_segments, z.size_segment)
                THEN greatest(0, g.max_credit_per_borrower_yuan - coalesce(o.balance_yuan, 0)) END AS credit_ceiling_yuan
    FROM core.company_size AS z
    CROSS JOIN ref.scoring_sizing AS g
    LEFT JOIN our_credit AS o USING (company_id)
),
points_by_dimension AS (
    SELECT company_key, dimension, sum(points) AS points,
           bool_or(points > 0 AND signal_id > 0) AS has_positive_evidence
    FROM marts.signal_points_base
    GROUP BY company_key, dimension
),
points_by_company AS (
    -- the dimensions are whatever ref.scoring_dimensions (scoring.yaml) defines: a MAP, not columns
    SELECT
        company_key,
        CAST(sum(points) AS DOUBLE) AS score,
        map(list(dimension ORDER BY dimension), list(CAST(points AS DOUBLE) ORDER BY dimension))
            ::MAP(VARCHAR, DOUBLE) AS dimension_scores,
        bool_or(has_positive_evidence) AS has_positive_evidence
    FROM points_by_dimension
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
        coalesce(s.dimension_scores, MAP {}::MAP(VARCHAR, DOUBLE)) AS dimension_scores,
        coalesce(s.has_positive_evidence, false) AS has_positive_evidence,
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
    -- junk stays off the lists: a prospect needs at least one positive point from evidence
    -- (无负面清单记录 alone, or only risk points, is no reason to call)
    WHERE NOT excluded AND NOT suppressed AND has_positive_evidence
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
    -- (one struct per element rather than unnest beside generate_subscripts: Spark runs it too)
    SELECT company_key, derived_signal, e.signal_id, e.position
    FROM (
        SELECT company_key, derived_signal,
               unnest(list_transform(list_filter(evidence_ids, lambda x, i: list_position(evidence_ids, x) = i),
                                     lambda x, i: {'signal_id': x, 'position': i})) AS e
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
                'reason': coalesce(ref.fill_reason(g.reason_template, g.label, s.value, s.amount, s.observed_at,
                                                   s.detail, s.list_name, s.source_id),
                                   coalesce(s.signal, t.derived_signal)),
                'url': s.url
            })) AS evidence
        FROM top_evidence AS t
        LEFT JOIN core.company_signals AS s ON s.signal_id = t.signal_id  -- derived ids are negative: no match
        LEFT JOIN ref.scoring_signals AS g ON g.signal = coalesce(s.signal, t.derived_signal)
        GROUP BY t.company_key
    )
)
SELECT
    s.branch,
    k.rank,
    s.company_id, s.name, s.uscc, s.score,
    s.dimension_scores,
    -- the five 五好 and risk as columns too, for the xlsx export and the web page (read off the map;
    -- a dimension scoring.yaml does not define reads 0)
    coalesce(s.dimension_scores['business'], 0) AS score_business,
    coalesce(s.dimension_scores['owner'], 0) AS score_owner,
    coalesce(s.dimension_scores['reputation'], 0) AS score_reputation,
    coalesce(s.dimension_scores['mitigation'], 0) AS score_mitigation,
    coalesce(s.dimension_scores['willingness'], 0) AS score_willingness,
    coalesce(s.dimension_scores['risk'], 0) AS score_risk,
    s.segment,
    coalesce(r.reasons, []) AS reasons,
    s.products,
    s.product_fit,
    coalesce(list_filter(r.evidence_urls, lambda x, i: list_position(r.evidence_urls, x) = i)[1:10], [])
        AS evidence_urls,
    s.excluded, s.exclusion_reason, s.suppressed, s.suppression_reason,
    s.has_positive_evidence,
    coalesce(z.size_class, 'unknown') AS size_class,
    coalesce(z.size_segment, 'unknown') AS size_segment,
    coalesce(z.is_individual_business, false) AS is_individual_business,
    coalesce(z.size_reason, u.label || '（' || u.no_evidence_text || '）') AS size_reason,
    z.size_evidence,
    z.size_conflict,
    coalesce(z.puhui_eligible, list_contains(g.puhui_segments, 'unknown')) AS puhui_eligible,
    CASE WHEN z.company_id IS NOT NULL THEN z.credit_ceiling_yuan
         WHEN list_contains(g.puhui_segments, 'unknown') THEN g.max_credit_per_borrower_yuan END AS credit_ceiling_yuan
FROM scored AS s
LEFT JOIN ranks AS k USING (company_key)
LEFT JOIN evidence_reasons AS r USING (company_key)
LEFT JOIN sizes AS z ON z.company_id = s.company_id
CROSS JOIN ref.scoring_sizing AS g
CROSS JOIN (SELECT c.label, t.no_evidence_text FROM ref.size_classes AS c CROSS JOIN ref.size_settings AS t
            WHERE c.size_class = 'unknown') AS u;
