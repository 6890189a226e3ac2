-- marts.company_flags: why a company must not be called — exclusions (不得受理: a negative-list hit
-- of ref.scoring_flags, or a restricted industry of ref.scoring_restricted_industries by name or
-- industry) and bank-state suppressions (an open application, a risk decline within its cooling-off
-- days, do-not-contact). Lifted or expired entries are kept with active = false. Size routes too
-- (docs/sizing.md): a large enterprise (core.company_size) is excluded with the reason naming its
-- evidence and where to refer it (`大型企业（上市公司 600xxx）——建议转介公司金融部`), a medium one
-- when ref.scoring_sizing says medium: exclude; its suppliers and distributors are not touched.
CREATE OR REPLACE TABLE marts.company_flags AS
WITH industry_keywords AS (
    -- keywords as a list per industry, matched with contains(): a regular expression built from
    -- data would be compiled again for every company
    SELECT label, match_on, list(keyword ORDER BY keyword) AS keywords
    FROM ref.scoring_restricted_industries
    GROUP BY label, match_on
),
company_matches AS (
    SELECT c.company_id, i.label,
           list_filter(i.keywords, lambda k: contains(
               concat_ws(' ', CASE WHEN list_contains(i.match_on, 'industry') THEN coalesce(c.industry, '') END,
                              CASE WHEN list_contains(i.match_on, 'name') THEN coalesce(c.name, '') END), k))[1]
               AS keyword
    FROM core.companies AS c
    CROSS JOIN industry_keywords AS i
)
SELECT s.company_id, f.kind, s.signal, f.label,
       coalesce(ref.fill_reason(t.reason_template, t.label, s.value, s.amount, s.observed_at, s.detail, s.list_name,
                                s.source_id), s.signal) AS reason_text,
       s.source_id, s.list_name, s.url, s.observed_at,
       CASE WHEN f.kind = 'exclusion' THEN coalesce(s.value, 'active') <> 'lifted'
            WHEN f.cooling_off_days IS NULL THEN true
            ELSE s.observed_at IS NULL OR s.observed_at >= a.as_of - to_days(f.cooling_off_days)
       END AS active
FROM core.company_signals AS s
JOIN ref.scoring_flags AS f USING (signal)
LEFT JOIN ref.scoring_signals AS t USING (signal)
CROSS JOIN ref.scoring_settings AS a
UNION ALL
SELECT company_id, 'exclusion', 'restricted_industry', label, label || '行业（' || keyword || '）',
       'config:scoring.yaml', label, NULL::VARCHAR, NULL::DATE, true
FROM company_matches
WHERE keyword IS NOT NULL
UNION ALL
SELECT z.company_id, 'exclusion', 'large_enterprise', l.label,
       z.size_reason || '——' || st.referral,
       'size:' || z.size_evidence, NULL::VARCHAR, z.size_url, z.size_observed_at, true
FROM core.company_size AS z
CROSS JOIN ref.size_settings AS st
JOIN ref.size_classes AS l ON l.size_class = z.size_class
WHERE z.size_class = 'large'
UNION ALL
SELECT z.company_id, 'exclusion', 'medium_enterprise', l.label, z.size_reason || '——' || g.medium_label,
       'config:scoring.yaml', NULL::VARCHAR, z.size_url, z.size_observed_at, true
FROM core.company_size AS z
CROSS JOIN ref.scoring_sizing AS g
JOIN ref.size_classes AS l ON l.size_class = z.size_class
WHERE z.size_class = 'medium' AND g.medium = 'exclude';
