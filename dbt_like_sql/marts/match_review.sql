-- marts.match_review: the grey zone of entity resolution, one row per decision a person should
-- look at: a record the matcher attached to another on thin evidence — a weak edge (it joined the
-- only candidate its name allowed), a weak candidate rule (a one-character typo, a shared trade
-- name or prefix: features.candidates), or a score below 0.95 — with both names, codes, regions,
-- addresses and sources, the rule (the comparison level that decided), score, features and the
-- evidence that agreed (kernel/link_features.py defines the features). Records of one node share a decision: one row per node
-- (`records` counts them). `priority` orders the work (measured on the benchmark, where about
-- 1 in 6 priority-1 links is wrong, 1 in 50 of priority 2, 1 in 100 of priority 3):
--   1 = a look/sound-alike 字号 (typo) without an agreeing USCC or address, or a shared trade name
--       or prefix with no agreeing region or address;  2 = a shared trade name in an agreeing region;
--   3 = the rest (the one region-less candidate, or an agreeing USCC/address). `tuoke review accept|reject <pair_id>` writes the decision to
-- configs/judgements.csv, which every build applies; a judged pair leaves the queue.
CREATE OR REPLACE TABLE marts.match_review AS
WITH decided_links AS (
    SELECT record_id, matched_record, company_id, rule, score, features,
           json_extract_string(features, '$.strength') AS strength,
           coalesce(json_extract_string(features, '$.candidates'), '') AS candidates,
           from_json(json_extract(features, '$.agreed'), '["VARCHAR"]') AS agreed
    FROM core.entity_links
    WHERE matched_record IS NOT NULL
      AND rule NOT IN ('canonical', 'same_key', 'uscc', 'judgement')
),
grey_links AS (
    SELECT *,
           CASE WHEN strength = 'weak' THEN 'weak_edge'
                WHEN candidates IN ('typo', 'trade_name', 'prefix') THEN 'weak_rule'
                ELSE 'low_score' END AS reason,
           CASE WHEN list_has_any(agreed, ['uscc', 'address']) THEN 3
                WHEN candidates = 'typo' THEN 1
                WHEN candidates IN ('trade_name', 'prefix') AND NOT list_has_any(agreed, ['region', 'name_region']) THEN 1
                WHEN candidates IN ('trade_name', 'prefix') THEN 2
                ELSE 3 END AS priority
    FROM decided_links
    WHERE strength = 'weak' OR candidates IN ('typo', 'trade_name', 'prefix') OR score < 0.95
),
one_per_node AS (
    -- a node's records carry the same link and the same features: show the decision once
    SELECT g.matched_record, g.features, e.display_name, min(g.record_id) AS record_id, count(*) AS records
    FROM grey_links AS g
    JOIN core.entity_records AS e ON e.record_id = g.record_id
    GROUP BY g.matched_record, g.features, e.display_name
)
SELECT
    substr(sha256(least(g.record_id, g.matched_record) || '|' || greatest(g.record_id, g.matched_record)), 1, 12)
        AS pair_id,
    g.priority,
    g.reason,
    g.rule,
    g.score,
    g.strength,
    l.display_name AS left_name,
    r.display_name AS right_name,
    l.uscc AS left_uscc,
    r.uscc AS right_uscc,
    concat_ws(' ', l.province, l.city, l.district) AS left_region,
    concat_ws(' ', r.province, r.city, r.district) AS right_region,
    ls.address AS left_address,
    rs.address AS right_address,
    l.source_id AS left_source,
    r.source_id AS right_source,
    json_extract(g.features, '$.agreed') AS evidence,
    g.features,
    g.company_id,
    g.record_id AS left_record_id,
    g.matched_record AS right_record_id,
    l.match_key AS left_match_key,
    r.match_key AS right_match_key,
    n.records
FROM one_per_node AS n
JOIN grey_links AS g ON g.record_id = n.record_id
JOIN core.entity_records AS l ON l.record_id = g.record_id
JOIN core.entity_records AS r ON r.record_id = g.matched_record
LEFT JOIN staging.stg_entity_records AS ls ON ls.record_id = g.record_id
LEFT JOIN staging.stg_entity_records AS rs ON rs.record_id = g.matched_record
ORDER BY g.priority, g.score, pair_id
