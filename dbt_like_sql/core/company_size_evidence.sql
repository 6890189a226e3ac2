-- core.company_size_evidence: one row per piece of evidence of a company's size (docs/sizing.md), in
-- the order of ref.size_evidence (configs/size_standard.yaml), best first:
--   large_enterprise_list   a large-enterprise list or the registry's type (core.large_enterprise_matches) → large;
--   sme_declaration         a 中小企业声明函 line → the class it declares (its figures are kept and classed too);
--   policy_declaration      a 残疾人福利性单位 / 监狱企业 declaration → the class policy treats it as (small);
--   registry_annual_report  the registry's 年报 从业人数 / 营业收入 / 资产总额, classed by the standard;
--   bank_records            payroll headcount (≥ 从业人员) and POS volume × months (≥ 营业收入): lower bounds;
--   registration_kind       USCC kind digits (92 个体工商户, 93 合作社), the registry's type, name forms.
-- Figures are classed by 《中小企业划型标准规定》(ref.size_thresholds) for the evidence's industry (the
-- declaration's own, else the company's: registry code, registry industry, the industries its
-- mentions name), or over every industry when none is known: class_min is the class the figures
-- prove at least, class_max the most they allow; size_class is set when the evidence decides one
-- (a declared class; figures with class_min = class_max; lower bounds proving at least medium).
-- evidence_text names the evidence as a reason shows it ("2025-06 中小企业声明函：从业人员 35 人，营业收入 1,200 万元").
CREATE OR REPLACE TABLE core.company_size_evidence AS
WITH industry_words AS (
    SELECT word, value AS industry FROM ref.size_words WHERE vocabulary = 'industry_name'
),
registry_codes AS (
    -- a GB/T 4754 code as written (C3311, 3311, C): its section letter put in front when missing
    SELECT c.company_id,
           CASE WHEN regexp_matches(c.code, '^[0-9]{2}') THEN s.section || c.code ELSE c.code END AS code
    FROM (SELECT company_id, upper(replace(trim(industry_code), ' ', '')) AS code
          FROM core.registry_companies WHERE nullif(trim(industry_code), '') IS NOT NULL) AS c
    LEFT JOIN ref.size_sections AS s
      ON regexp_matches(c.code, '^[0-9]{2}') AND TRY_CAST(substr(c.code, 1, 2) AS INTEGER) BETWEEN s.low AND s.high
),
industry_by_code AS (
    -- the longest configured prefix; a code of a known section that no row covers is the catch-all's
    SELECT c.company_id, coalesce(w.value, ca.industry) AS industry
    FROM registry_codes AS c
    LEFT JOIN ref.size_words AS w ON w.vocabulary = 'industry_code' AND starts_with(c.code, w.word)
    LEFT JOIN ref.size_industries AS ca ON ca.catch_all AND regexp_matches(c.code, '^[A-T]')
    WHERE w.value IS NOT NULL OR ca.industry IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY c.company_id ORDER BY length(w.word) DESC NULLS LAST, w.value) = 1
),
industry_texts AS (
    -- industries written as words: the registry's (rank 1), then each industry a mention names
    SELECT company_id, industry AS text, 1 AS source_rank, 1 AS votes FROM core.registry_companies WHERE industry IS NOT NULL
    UNION ALL
    SELECT company_id, industry, 2, count(*) FROM core.entity_records WHERE industry IS NOT NULL GROUP BY company_id, industry
),
industry_by_name AS (
    SELECT t.company_id, w.industry
    FROM industry_texts AS t
    JOIN industry_words AS w ON contains(t.text, w.word)
    QUALIFY row_number() OVER (
        PARTITION BY t.company_id ORDER BY t.source_rank, t.votes DESC, length(w.word) DESC, w.industry
    ) = 1
),
company_industry AS (
    SELECT company_id, coalesce(c.industry, n.industry) AS industry
    FROM industry_by_code AS c
    FULL OUTER JOIN industry_by_name AS n USING (company_id)
),
large_lists AS (
    SELECT company_id, 'large_enterprise_list' AS evidence, evidence_id, observed_at, source_id, url,
           CAST(NULL AS VARCHAR) AS industry,
           CAST(NULL AS DOUBLE) AS employees, CAST(NULL AS DOUBLE) AS revenue_yuan, CAST(NULL AS DOUBLE) AS assets_yuan,
           'exact' AS bound, 'large' AS declared_class,
           value || ' ' || detail AS evidence_text
    FROM core.company_signals
    WHERE signal = 'large_enterprise'
),
declarations AS (
    -- a 声明函 line: its class word (ref.size_words declared_class), or a policy declaration's class
    SELECT s.company_id,
           CASE WHEN p.word IS NOT NULL THEN 'policy_declaration' ELSE 'sme_declaration' END AS evidence,
           s.evidence_id, s.observed_at, s.source_id, s.url,
           coalesce(di.industry, ci.industry) AS industry,
           CAST(m.declared_employees AS DOUBLE) AS employees, m.declared_revenue_yuan AS revenue_yuan,
           m.declared_assets_yuan AS assets_yuan,
           'exact' AS bound,
           coalesce(p.value, d.value) AS declared_class,
           concat_ws(' ', strftime(s.observed_at, '%Y-%m'), coalesce(m.declaration, '中小企业声明函')) AS evidence_text
    FROM core.company_signals AS s
    JOIN core.company_mentions AS m ON m.mention_id = s.evidence_id
    LEFT JOIN ref.size_words AS d ON d.vocabulary = 'declared_class' AND d.word = m.declared_size
    LEFT JOIN ref.size_words AS p ON p.vocabulary = 'policy_declaration' AND contains(coalesce(m.declaration, ''), p.word)
    LEFT JOIN industry_words AS di ON contains(coalesce(m.declared_industry, ''), di.word)
    LEFT JOIN company_industry AS ci ON ci.company_id = s.company_id
    WHERE s.signal = 'declared_size'
    QUALIFY row_number() OVER (PARTITION BY s.evidence_id ORDER BY length(di.word) DESC NULLS LAST, p.word) = 1
),
annual_reports AS (
    SELECT r.company_id, 'registry_annual_report' AS evidence, r.record_id AS evidence_id,
           CASE WHEN r.report_year BETWEEN 1990 AND 2100 THEN make_date(CAST(r.report_year AS INTEGER), 12, 31)
                ELSE r.feed_date END AS observed_at,
           'feed:registry' AS source_id, NULL AS url, ci.industry,
           CAST(r.employees AS DOUBLE) AS employees, r.revenue_yuan, r.assets_yuan,
           'exact' AS bound, CAST(NULL AS VARCHAR) AS declared_class,
           coalesce(CAST(r.report_year AS VARCHAR) || ' 年报', '工商年报') AS evidence_text
    FROM core.registry_companies AS r
    LEFT JOIN company_industry AS ci USING (company_id)
    WHERE r.employees IS NOT NULL OR r.revenue_yuan IS NOT NULL OR r.assets_yuan IS NOT NULL
),
bank_figures AS (
    -- the latest payroll export's headcount (the largest account: two accounts may pay the same
    -- people) and the sum of the company's POS merchants' monthly volumes
    SELECT company_id,
           max(CASE WHEN signal = 'payroll_employer' THEN TRY_CAST(value AS DOUBLE) END) AS headcount,
           sum(CASE WHEN signal = 'pos_merchant' THEN amount END) AS pos_monthly_yuan,
           max(observed_at) AS observed_at,
           max(evidence_id) AS evidence_id
    FROM core.company_signals
    WHERE signal IN ('payroll_employer', 'pos_merchant')
    GROUP BY company_id
),
bank_records AS (
    SELECT b.company_id, 'bank_records' AS evidence, b.evidence_id, b.observed_at,
           CASE WHEN b.headcount IS NOT NULL THEN 'feed:payroll' ELSE 'feed:pos' END AS source_id, NULL AS url,
           ci.industry, b.headcount AS employees, b.pos_monthly_yuan * st.pos_months_per_year AS revenue_yuan,
           CAST(NULL AS DOUBLE) AS assets_yuan, 'lower' AS bound, CAST(NULL AS VARCHAR) AS declared_class,
           CASE WHEN b.headcount IS NULL OR b.pos_monthly_yuan IS NULL THEN '仅有' ELSE '' END
           || concat_ws('，',
                  CASE WHEN b.headcount IS NOT NULL THEN '代发人数 ' || printf('%,d', CAST(b.headcount AS BIGINT)) || ' 人' END,
                  CASE WHEN b.pos_monthly_yuan IS NOT NULL THEN '收单月均 ' || ref.wan_text(b.pos_monthly_yuan) || ' 万元' END)
               AS evidence_text
    FROM bank_figures AS b
    CROSS JOIN ref.size_settings AS st
    LEFT JOIN company_industry AS ci USING (company_id)
    WHERE b.headcount IS NOT NULL OR b.pos_monthly_yuan IS NOT NULL
),
company_codes AS (
    -- per company: its valid USCC, and whether every name form its records carry is an individual
    -- business's (or a cooperative's) — the weakest evidence, used only without a USCC
    SELECT r.company_id,
           max(r.uscc) FILTER (WHERE r.uscc_valid) AS uscc,
           count(r.legal_form) AS forms,
           count(*) FILTER (WHERE w.vocabulary = 'individual_name_form') AS individual_forms,
           count(*) FILTER (WHERE w.vocabulary = 'cooperative_name_form') AS cooperative_forms,
           max(r.legal_form) FILTER (WHERE w.vocabulary IS NOT NULL) AS form
    FROM core.entity_records AS r
    LEFT JOIN ref.size_words AS w
      ON w.vocabulary IN ('individual_name_form', 'cooperative_name_form') AND w.word = r.legal_form
    WHERE r.company_id IS NOT NULL
    GROUP BY r.company_id
),
registration_kinds AS (
    SELECT c.company_id,
           CASE WHEN k.value IS NOT NULL THEN k.value
                WHEN t.word IS NOT NULL THEN 'individual_business'
                WHEN c.uscc IS NULL AND c.forms > 0 AND c.individual_forms = c.forms THEN 'individual_business'
                WHEN c.uscc IS NULL AND c.forms > 0 AND c.cooperative_forms = c.forms THEN 'cooperative'
           END AS kind,
           CASE WHEN k.value IS NOT NULL THEN k.label || '：统一社会信用代码 ' || substr(c.uscc, 1, 2) || ' 开头'
                WHEN t.word IS NOT NULL THEN '个体工商户：工商登记类型为' || r.enterprise_type
                WHEN c.individual_forms = c.forms THEN '个体工商户：名称以“' || c.form || '”结尾'
                ELSE '农民专业合作社：名称以“' || c.form || '”结尾'
           END AS evidence_text,
           coalesce(r.record_id, c.company_id) AS evidence_id,
           CASE WHEN k.value IS NOT NULL THEN 'uscc' WHEN t.word IS NOT NULL THEN 'feed:registry' ELSE 'name' END
               AS source_id
    FROM company_codes AS c
    LEFT JOIN ref.size_words AS k ON k.vocabulary = 'registration_kind' AND k.word = substr(c.uscc, 1, 2)
    LEFT JOIN core.registry_companies AS r ON r.company_id = c.company_id
    LEFT JOIN ref.size_words AS t
      ON t.vocabulary = 'individual_enterprise_type' AND contains(coalesce(r.enterprise_type, ''), t.word)
    QUALIFY row_number() OVER (PARTITION BY c.company_id ORDER BY t.word) = 1
),
registrations AS (
    SELECT g.company_id, 'registration_kind' AS evidence, g.evidence_id, CAST(NULL AS DATE) AS observed_at,
           g.source_id, NULL AS url, CAST(NULL AS VARCHAR) AS industry,
           CAST(NULL AS DOUBLE) AS employees, CAST(NULL AS DOUBLE) AS revenue_yuan, CAST(NULL AS DOUBLE) AS assets_yuan,
           'exact' AS bound,
           CASE WHEN g.kind = 'individual_business' AND st.individual_default_class <> 'unknown'
                THEN st.individual_default_class END AS declared_class,
           g.evidence_text || CASE WHEN g.kind = 'individual_business' THEN coalesce('，' || st.individual_default_note, '')
                                   ELSE '' END AS evidence_text
    FROM registration_kinds AS g
    CROSS JOIN ref.size_settings AS st
    WHERE g.kind IN ('individual_business', 'cooperative')
),
all_evidence AS (
    SELECT *, NULL AS registration_kind FROM large_lists
    UNION ALL SELECT *, NULL FROM declarations
    UNION ALL SELECT *, NULL FROM annual_reports
    UNION ALL SELECT *, NULL FROM bank_records
    UNION ALL SELECT r.*, g.kind FROM registrations AS r JOIN registration_kinds AS g USING (company_id)
),
keyed AS (
    SELECT row_number() OVER (ORDER BY company_id, evidence, evidence_id) AS evidence_key, *
    FROM all_evidence
),
figures AS (
    -- exact figures bound a measure from both sides; lower bounds only from below; none: 0 … ∞
    SELECT evidence_key, industry,
           employees AS employees_lo, CASE WHEN bound = 'exact' THEN employees END AS employees_hi,
           revenue_yuan AS revenue_lo, CASE WHEN bound = 'exact' THEN revenue_yuan END AS revenue_hi,
           assets_yuan AS assets_lo, CASE WHEN bound = 'exact' THEN assets_yuan END AS assets_hi
    FROM keyed
    WHERE employees IS NOT NULL OR revenue_yuan IS NOT NULL OR assets_yuan IS NOT NULL
),
figures_by_industry AS (
    -- the evidence's industry, or every industry of the standard when none is known
    SELECT f.*, t.industry AS standard_industry, t.class_rank, t.measure, t.threshold
    FROM figures AS f JOIN ref.size_thresholds AS t ON t.industry = f.industry
    UNION ALL
    SELECT f.*, t.industry, t.class_rank, t.measure, t.threshold
    FROM figures AS f CROSS JOIN ref.size_thresholds AS t
    WHERE f.industry IS NULL
),
classes_reached AS (
    -- a class is reached when every measure of it is: for sure (lower ends), or possibly (upper ends)
    SELECT evidence_key, standard_industry, class_rank,
           bool_and(coalesce(CASE measure WHEN 'employees' THEN employees_lo WHEN 'revenue' THEN revenue_lo
                                          ELSE assets_lo END, 0) >= threshold) AS surely,
           bool_and(coalesce(CASE measure WHEN 'employees' THEN employees_hi WHEN 'revenue' THEN revenue_hi
                                          ELSE assets_hi END, 1e300) >= threshold) AS possibly
    FROM figures_by_industry
    GROUP BY evidence_key, standard_industry, class_rank
),
class_ranges AS (
    SELECT evidence_key, min(class_min) AS class_min, max(class_max) AS class_max
    FROM (
        SELECT evidence_key, standard_industry,
               coalesce(max(class_rank) FILTER (WHERE surely), 0) AS class_min,
               coalesce(max(class_rank) FILTER (WHERE possibly), 0) AS class_max
        FROM classes_reached
        GROUP BY evidence_key, standard_industry
    ) AS per_industry
    GROUP BY evidence_key
),
described AS (
    SELECT k.*, e.position,
           lo.size_class AS figures_min, hi.size_class AS figures_max,
           concat_ws('，',
               CASE WHEN k.bound = 'exact' AND k.employees IS NOT NULL
                    THEN '从业人员 ' || printf('%,d', CAST(k.employees AS BIGINT)) || ' 人' END,
               CASE WHEN k.bound = 'exact' AND k.revenue_yuan IS NOT NULL
                    THEN '营业收入 ' || ref.wan_text(k.revenue_yuan) || ' 万元' END,
               CASE WHEN k.bound = 'exact' AND k.assets_yuan IS NOT NULL
                    THEN '资产总额 ' || ref.wan_text(k.assets_yuan) || ' 万元' END) AS figures_text
    FROM keyed AS k
    JOIN ref.size_evidence AS e ON e.evidence = k.evidence
    LEFT JOIN class_ranges AS r USING (evidence_key)
    LEFT JOIN ref.size_classes AS lo ON lo.class_rank = r.class_min
    LEFT JOIN ref.size_classes AS hi ON hi.class_rank = r.class_max
)
SELECT
    company_id,
    evidence,
    position,
    evidence_id,
    observed_at,
    source_id,
    url,
    industry,
    registration_kind,
    CAST(employees AS BIGINT) AS employees,
    revenue_yuan,
    assets_yuan,
    bound,
    declared_class,
    figures_min,
    figures_max,
    -- what the evidence decides: a declared class; figures that allow one class; lower bounds that
    -- prove at least medium (medium or large is no 普惠 prospect either way)
    CASE WHEN declared_class IS NOT NULL THEN declared_class
         WHEN bound = 'exact' AND figures_min = figures_max THEN figures_min
         WHEN bound = 'lower' AND figures_min IN ('medium', 'large') THEN figures_min
    END AS size_class,
    CASE WHEN figures_text <> '' AND evidence <> 'bank_records' THEN evidence_text || '：' || figures_text
         ELSE evidence_text END
    || CASE WHEN bound = 'lower' AND figures_min = 'small' THEN '，至少为小型' ELSE '' END AS evidence_text
FROM described;
