-- marts.signal_points_rows: every point of every score, narrow — one row per (signal row, rule of
-- ref.scoring_rules) that gives points: company_key, rule_id, points (DECIMAL(12,2)), signal_id
-- (the row of core.company_signals; negative for a derived signal such as 无负面清单记录, which a
-- company without an active negative signal earns). Points of one row = (points, or the first
-- points_by_value key the value contains, + the amount term) × decay 0.5^(age / half_life_days).
-- Caps scale rows down proportionally — a rule's cap over the company's rows of that rule, then
-- the dimension's cap over its capped rules, times the dimension's weight — so a score is exactly
-- the sum of its rows. marts.signal_points_base adds the dimension and signal names.
SET preserve_insertion_order = false;
CREATE OR REPLACE TEMP TABLE point_rows AS
SELECT company_key, rule_id, signal_id, raw_points
FROM (
    SELECT
        hash(s.company_id) AS company_key,
        r.rule_id,
        s.signal_id,
        (
            CASE WHEN array_length(r.points_by_value) = 0 THEN r.points
                 ELSE coalesce(list_filter(r.points_by_value,
                                           lambda p: contains(coalesce(s.value, ''), p.value_contains))[1].points,
                               r.points)
            END
            + CASE
                WHEN r.amount_unit_yuan IS NULL THEN 0.0
                WHEN r.amount_max IS NULL THEN amount_term
                WHEN r.amount_points >= 0 THEN least(r.amount_max, amount_term)
                ELSE greatest(r.amount_max, amount_term)
              END
        ) * CASE WHEN r.half_life_days IS NULL OR s.observed_at IS NULL THEN 1.0
                 ELSE pow(0.5, greatest(0, date_diff('day', s.observed_at, a.as_of)) / r.half_life_days) END
            AS raw_points
    FROM core.company_signals AS s
    JOIN ref.scoring_rules AS r ON r.signal = s.signal AND NOT r.derived
    CROSS JOIN ref.scoring_settings AS a
    CROSS JOIN LATERAL (
        SELECT CASE r.amount_scale
                   WHEN 'log' THEN log2(1 + greatest(coalesce(s.amount, 0), 0) / r.amount_unit_yuan) * r.amount_points
                   ELSE greatest(coalesce(s.amount, 0), 0) / r.amount_unit_yuan * r.amount_points
               END AS amount_term
    ) AS t
    WHERE (r.value_in IS NULL OR list_contains(r.value_in, coalesce(s.value, '')))
      AND (r.value_not_in IS NULL OR NOT list_contains(r.value_not_in, coalesce(s.value, '')))
    UNION ALL
    -- derived signals: 无负面清单记录 for every company without an active negative signal
    SELECT g.company_key, r.rule_id, -(CAST(r.rule_id AS BIGINT) + 1) AS signal_id, r.points AS raw_points
    FROM marts.company_segments AS g
    JOIN ref.scoring_rules AS r ON r.derived
    WHERE NOT g.has_active_negative
);

CREATE OR REPLACE TABLE marts.signal_points_rows AS
WITH rule_totals AS (
    SELECT company_key, rule_id, abs(sum(raw_points)) AS total
    FROM point_rows
    GROUP BY company_key, rule_id
),
capped_rules AS (
    -- a rule over its cap is scaled to the cap (rule_factor); capped_total is what it then gives
    SELECT t.company_key, t.rule_id, r.dimension,
           CASE WHEN t.total > r.cap THEN r.cap / t.total ELSE 1.0 END AS rule_factor,
           CASE WHEN t.total > r.cap THEN r.cap ELSE t.total END AS capped_total
    FROM rule_totals AS t
    JOIN ref.scoring_rules AS r USING (rule_id)
),
dimension_factors AS (
    -- only the (company, dimension) pairs whose factor is not 1: over the cap, or weighted
    SELECT company_key, dimension, factor
    FROM (
        SELECT c.company_key, c.dimension,
               CASE WHEN sum(c.capped_total) > any_value(d.cap) THEN any_value(d.cap) / sum(c.capped_total) ELSE 1.0 END
                   * any_value(d.weight) AS factor
        FROM capped_rules AS c
        JOIN ref.scoring_dimensions AS d USING (dimension)
        GROUP BY c.company_key, c.dimension
    )
    WHERE factor <> 1.0
),
scaled_rules AS (
    SELECT c.company_key, c.rule_id, c.rule_factor * coalesce(f.factor, 1.0) AS factor
    FROM capped_rules AS c
    LEFT JOIN dimension_factors AS f USING (company_key, dimension)
    WHERE c.rule_factor * coalesce(f.factor, 1.0) <> 1.0
)
SELECT company_key, rule_id, CAST(rounded_points AS DECIMAL(12, 2)) AS points, signal_id
FROM (
    SELECT p.company_key, p.rule_id, round(p.raw_points * coalesce(f.factor, 1.0), 2) AS rounded_points, p.signal_id
    FROM point_rows AS p
    LEFT JOIN scaled_rules AS f USING (company_key, rule_id)
)
WHERE rounded_points <> 0;

DROP TABLE point_rows;
