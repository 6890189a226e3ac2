-- marts.signal_history: each first-seen alert signal of marts.signal_first_seen with its current
-- signal row (company, value, amount, url…); read by marts.new_signals, `tuoke alerts` and the
-- web page. A key whose evidence has left core.company_signals keeps its first-seen row but no
-- longer shows. Feed signals show their latest row per company.
CREATE OR REPLACE VIEW marts.signal_history AS
WITH alert_signals AS (
    SELECT hash(s.signal, coalesce(s.evidence_id, s.url)) AS key_hash, s.signal,
           coalesce(s.evidence_id, s.url) AS evidence_key, s.company_id, s.value, s.amount, s.observed_at,
           s.detail, s.list_name, s.source_id, s.url, s.evidence_id
    FROM core.company_signals AS s
    SEMI JOIN ref.scoring_alerts AS a ON a.signal = s.signal
    WHERE coalesce(s.source_id, '') NOT LIKE 'feed:%' AND coalesce(s.value, '') <> 'lifted'
    UNION ALL
    SELECT hash(s.signal, s.company_id) AS key_hash, s.signal, s.company_id AS evidence_key, s.company_id,
           arg_max(s.value, (s.observed_at, s.signal_id)) AS value,
           arg_max(s.amount, (s.observed_at, s.signal_id)) AS amount,
           max(s.observed_at) AS observed_at, arg_max(s.detail, (s.observed_at, s.signal_id)) AS detail,
           arg_max(s.list_name, (s.observed_at, s.signal_id)) AS list_name, any_value(s.source_id) AS source_id,
           NULL::VARCHAR AS url, arg_max(s.evidence_id, (s.observed_at, s.signal_id)) AS evidence_id
    FROM core.company_signals AS s
    SEMI JOIN ref.scoring_alerts AS a ON a.signal = s.signal
    WHERE s.source_id LIKE 'feed:%'
    GROUP BY s.signal, s.company_id
)
SELECT c.key_hash, c.signal, c.evidence_key, c.company_id, c.value, c.amount, c.observed_at, c.detail, c.list_name,
       c.source_id, c.url, c.evidence_id, f.first_seen_at, f.build_id
FROM marts.signal_first_seen AS f
JOIN alert_signals AS c ON c.key_hash = f.key_hash;
