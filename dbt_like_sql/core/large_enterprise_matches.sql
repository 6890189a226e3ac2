-- core.large_enterprise_matches: one row per company and large-enterprise evidence that names it —
-- an entry of a public list (configs/large_enterprises.yaml: listed companies, 央企名录, provincial
-- 国资委 监管企业名录) or the registry's enterprise type (股份有限公司(上市)) — with the rule that tied
-- them, strongest first:
--   uscc          the company's USCC is the entry's;
--   name          a record of the company has the entry's match key (the resolver's normalised name);
--   branch_of     a branch (分公司) whose parent's match key is the entry's: a branch is its firm;
--   group_name    the company's name begins with the entry's name up to its 集团 (中国XX集团浙江有限公司
--                 of 中国XX集团有限公司; at least ref.size_settings.min_stem_chars before it), the
--                 subsidiary rule of docs/sizing.md (a firm a large enterprise controls is no SME, 财库〔2020〕46号);
--   group_prefix  the name begins with a prefix the entry lists (a group's brand: 中铁十局 …);
--   registry_type the registry names the company's type as listed (ref.size_words large_enterprise_type,
--                 unless a large_enterprise_type_exception such as 非上市 is in it).
CREATE OR REPLACE TABLE core.large_enterprise_matches AS
WITH company_records AS (
    SELECT DISTINCT company_id, match_key, parent_match_key, coalesce(is_branch, false) AS is_branch,
           CASE WHEN uscc_valid THEN uscc END AS uscc
    FROM core.entity_records
    WHERE company_id IS NOT NULL AND match_key IS NOT NULL
),
record_stems AS (
    -- the name up to its first group word after the minimum stem (instr/substr: both engines have them)
    SELECT r.company_id, r.match_key,
           CASE WHEN instr(substr(r.match_key, s.min_stem_chars + 1), s.group_word) > 0
                THEN substr(r.match_key, 1, s.min_stem_chars + instr(substr(r.match_key, s.min_stem_chars + 1), s.group_word)
                                            - 1 + length(s.group_word))
           END AS group_stem
    FROM company_records AS r
    CROSS JOIN ref.size_settings AS s
),
entry_prefixes AS (
    SELECT list_id, name, p.prefix
    FROM (SELECT list_id, name, unnest(list_transform(prefixes, lambda x: {'prefix': x})) AS p
          FROM ref.large_enterprises)
),
list_matches AS (
    SELECT r.company_id, e.list_id, e.name, 'uscc' AS rule, 1 AS strength
    FROM company_records AS r JOIN ref.large_enterprises AS e ON e.uscc = r.uscc
    UNION ALL
    SELECT r.company_id, e.list_id, e.name, 'name', 2
    FROM company_records AS r JOIN ref.large_enterprises AS e ON e.match_key = r.match_key
    UNION ALL
    SELECT r.company_id, e.list_id, e.name, 'branch_of', 3
    FROM company_records AS r JOIN ref.large_enterprises AS e ON r.is_branch AND e.match_key = r.parent_match_key
    UNION ALL
    SELECT r.company_id, e.list_id, e.name, 'group_name', 4
    FROM record_stems AS r JOIN ref.large_enterprises AS e ON e.group_stem = r.group_stem
    WHERE r.match_key <> e.match_key
    UNION ALL
    SELECT r.company_id, p.list_id, p.name, 'group_prefix', 5
    FROM company_records AS r JOIN entry_prefixes AS p ON starts_with(r.match_key, p.prefix)
),
strongest_list_match AS (
    SELECT m.company_id, m.rule, m.strength, e.list_id, e.list_kind, e.list_label, e.list_title, e.url, e.name,
           e.code, e.group_stem
    FROM list_matches AS m
    JOIN ref.large_enterprises AS e ON e.list_id = m.list_id AND e.name = m.name
    QUALIFY row_number() OVER (PARTITION BY m.company_id, m.list_id, m.name ORDER BY m.strength) = 1
),
listed_by_registry AS (
    -- joins on contains(), not correlated EXISTS: both engines run them the same way
    SELECT t.company_id, 'registry_type' AS rule, 6 AS strength, 'registry' AS list_id, 'listed' AS list_kind,
           '上市公司' AS list_label, '工商登记企业类型' AS list_title, NULL AS url, t.enterprise_type AS name,
           NULL AS code, NULL AS group_stem
    FROM core.registry_companies AS t
    JOIN ref.size_words AS w ON w.vocabulary = 'large_enterprise_type' AND contains(t.enterprise_type, w.word)
    LEFT JOIN ref.size_words AS x
      ON x.vocabulary = 'large_enterprise_type_exception' AND contains(t.enterprise_type, x.word)
    WHERE x.word IS NULL
    QUALIFY row_number() OVER (PARTITION BY t.company_id ORDER BY w.word) = 1
)
SELECT company_id, rule, strength, list_id, list_kind, list_label, list_title, url, name AS entry_name, code,
       group_stem
FROM (SELECT * FROM strongest_list_match UNION ALL SELECT * FROM listed_by_registry);
