-- marts.signal_first_seen(key_hash, first_seen_at, build_id): when each alert-worthy signal
-- (ref.scoring_alerts) was first seen. Kept across builds; grows only by keys no earlier build saw,
-- so a rebuild on unchanged inputs adds nothing. Public evidence is known by its mention (a hash of
-- raw source values, stable across crawls); an internal relationship by the company itself (a new
-- monthly payroll file does not make every employer "new" again). A lifted entry is no news.
CREATE TABLE IF NOT EXISTS marts.signal_first_seen (key_hash UBIGINT, first_seen_at TIMESTAMP, build_id VARCHAR);

INSERT INTO marts.signal_first_seen
SELECT k.key_hash, current_timestamp::TIMESTAMP, strftime(current_timestamp::TIMESTAMP, '%Y%m%dT%H%M%S%fZ')
FROM (
    -- public evidence: one row per (signal, mention) in core.company_signals, so no DISTINCT needed
    SELECT hash(s.signal, coalesce(s.evidence_id, s.url)) AS key_hash
    FROM core.company_signals AS s
    SEMI JOIN ref.scoring_alerts AS a ON a.signal = s.signal
    WHERE coalesce(s.source_id, '') NOT LIKE 'feed:%' AND coalesce(s.value, '') <> 'lifted'
    UNION ALL
    SELECT DISTINCT hash(s.signal, s.company_id) AS key_hash
    FROM core.company_signals AS s
    SEMI JOIN ref.scoring_alerts AS a ON a.signal = s.signal
    WHERE s.source_id LIKE 'feed:%'
) AS k
ANTI JOIN marts.signal_first_seen AS h ON h.key_hash = k.key_hash;
