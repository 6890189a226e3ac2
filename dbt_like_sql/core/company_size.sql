-- core.company_size: one row per resolved company — its size class (micro / small / medium / large /
-- unknown) from the best evidence that decides one (core.company_size_evidence, in the order of
-- ref.size_evidence: a large-enterprise list, a 中小企业声明函, a policy declaration, the registry's
-- 年报, the bank's lower bounds, the registration kind), the reason that names that evidence
-- (`小型企业（2025-06 中小企业声明函：从业人员 35 人，营业收入 1,200 万元）`), or `规模待核实（…）` with
-- what there is. Evidence that says otherwise is shown in size_conflict, never averaged in.
-- size_segment is what the product and 普惠 rules read: individual_business for a 个体工商户 (unless
-- evidence makes it large), else the size class. established_on is the registry's founding date.
CREATE OR REPLACE TABLE core.company_size AS
WITH companies AS (
    SELECT DISTINCT company_id FROM core.entity_records WHERE company_id IS NOT NULL
),
ranked_evidence AS (
    SELECT e.*,
           row_number() OVER (PARTITION BY e.company_id, e.size_class IS NULL
                              ORDER BY e.position, e.observed_at DESC NULLS LAST, e.evidence_id) AS choice
    FROM core.company_size_evidence AS e
),
chosen AS (
    SELECT * FROM ranked_evidence WHERE size_class IS NOT NULL AND choice = 1
),
best_undecided AS (
    SELECT * FROM ranked_evidence WHERE size_class IS NULL AND choice = 1
),
labelled AS (
    -- every piece of evidence with the labels of what it decides and of what its figures allow
    SELECT e.*, d.class_rank AS decided_rank, d.label AS decided_label,
           lo.class_rank AS min_rank, hi.class_rank AS max_rank,
           CASE WHEN lo.label = hi.label THEN lo.label ELSE lo.label || '至' || hi.label END AS figures_label
    FROM ranked_evidence AS e
    LEFT JOIN ref.size_classes AS d ON d.size_class = e.size_class
    LEFT JOIN ref.size_classes AS lo ON lo.size_class = e.figures_min
    LEFT JOIN ref.size_classes AS hi ON hi.size_class = e.figures_max
),
conflicting AS (
    -- (1) other evidence deciding another class; (2) a declaration whose own figures the standard
    -- classes otherwise; (3) lower bounds that prove more than the class chosen
    SELECT l.company_id, l.evidence_text || ' → ' || l.decided_label AS conflict
    FROM labelled AS l JOIN chosen AS c USING (company_id)
    WHERE l.size_class IS NOT NULL AND l.evidence_id <> c.evidence_id AND l.size_class <> c.size_class
    UNION ALL
    SELECT l.company_id, l.evidence_text || '（所填数据按划型标准为' || l.figures_label || '）'
    FROM labelled AS l
    WHERE l.evidence IN ('sme_declaration', 'policy_declaration') AND l.bound = 'exact' AND l.decided_rank IS NOT NULL
      AND l.min_rank IS NOT NULL AND (l.decided_rank < l.min_rank OR l.decided_rank > l.max_rank)
    UNION ALL
    SELECT l.company_id, l.evidence_text || '（至少为' || l.figures_label || '）'
    FROM labelled AS l
    JOIN chosen AS c USING (company_id)
    JOIN ref.size_classes AS k ON k.size_class = c.size_class
    WHERE l.bound = 'lower' AND l.size_class IS NULL AND l.min_rank > k.class_rank
),
conflicts AS (
    SELECT company_id, string_agg(DISTINCT conflict, '；' ORDER BY conflict) AS size_conflict
    FROM conflicting
    GROUP BY company_id
),
kinds AS (
    SELECT company_id, min(registration_kind) AS registration_kind
    FROM core.company_size_evidence
    WHERE registration_kind IS NOT NULL
    GROUP BY company_id
),
undecided_text AS (
    SELECT u.company_id,
           u.evidence_text
           || CASE WHEN u.figures_min IS NOT NULL AND NOT (u.figures_min = 'micro' AND u.figures_max = 'large')
                        AND u.bound = 'exact'
                   THEN '，按划型标准为' || CASE WHEN lo.label = hi.label THEN lo.label ELSE lo.label || '至' || hi.label END
                   ELSE '' END AS text
    FROM best_undecided AS u
    LEFT JOIN ref.size_classes AS lo ON lo.size_class = u.figures_min
    LEFT JOIN ref.size_classes AS hi ON hi.size_class = u.figures_max
)
SELECT
    c.company_id,
    coalesce(ch.size_class, 'unknown') AS size_class,
    CASE WHEN ch.size_class = 'large' THEN 'large'
         WHEN k.registration_kind = 'individual_business' THEN 'individual_business'
         ELSE coalesce(ch.size_class, 'unknown') END AS size_segment,
    coalesce(k.registration_kind = 'individual_business', false) AS is_individual_business,
    k.registration_kind,
    ch.evidence AS size_evidence,
    CASE WHEN ch.size_class IS NOT NULL THEN l.label || '（' || ch.evidence_text || '）'
         ELSE u.label || '（' || coalesce(t.text, u.no_evidence_text) || '）' END AS size_reason,
    x.size_conflict,
    ch.observed_at AS size_observed_at,
    ch.url AS size_url,
    r.established_on
FROM companies AS c
LEFT JOIN chosen AS ch USING (company_id)
LEFT JOIN ref.size_classes AS l ON l.size_class = ch.size_class
LEFT JOIN undecided_text AS t USING (company_id)
CROSS JOIN (SELECT c.label, s.no_evidence_text FROM ref.size_classes AS c CROSS JOIN ref.size_settings AS s
            WHERE c.size_class = 'unknown') AS u
LEFT JOIN conflicts AS x USING (company_id)
LEFT JOIN kinds AS k USING (company_id)
LEFT JOIN core.registry_companies AS r USING (company_id);
