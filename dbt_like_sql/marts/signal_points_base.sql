-- marts.signal_points_base: marts.signal_points_rows with the dimension (one of the five 五好 or
-- risk) and the signal of each rule: company_key, dimension, signal, points, signal_id.
CREATE OR REPLACE VIEW marts.signal_points_base AS
SELECT p.company_key, r.dimension, r.signal, p.points, p.signal_id
FROM marts.signal_points_rows AS p
JOIN ref.scoring_rules AS r USING (rule_id);
