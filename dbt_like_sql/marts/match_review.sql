-- marts.match_review: the grey zone of entity resolution, one row per decision a person should
-- look at: a record the matcher attached to another on thin evidence — a weak edge (it joined the
-- only candidate its name allowed), a weak rule (a one-character typo, a shared trade name), or a
-- score below 0.95 — with both names, codes, regions, addresses and sources, the rule, score,
-- features and the evidence that agreed. Records of one node share a decision: one row per node
-- (`records` counts them). `tuoke review accept|reject <pair_id>` writes the decision to
-- configs/judgements.csv, which every build applies; a judged pair leaves the queue.
CREATE OR REPLACE TABLE marts.match_review AS
WITH decided_links AS (
    SELECT record_id, matched_record, company_id, rule, score, features,
           json_extract_string(features, '$.strength') AS strength
    FROM core.entity_links
    WHERE matched_record IS NOT NULL
      AND rule NOT IN ('canonical', 'same_key', 'uscc', 'judgement')
),
grey_links AS (
    SELECT *,
           CASE WHEN strength = 'weak' THEN 'weak_edge'
                WHEN rule IN ('typo', 'trade_name') THEN 'weak_rule'
                ELSE 'low_score' END AS reason
    FROM decided_links
    WHERE strength = 'weak' OR rule IN ('typo', 'trade_name') OR score < 0.95
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
ORDER BY g.reason DESC, g.score, pair_id
