-- marts.signal_points: every point of every score with its evidence — company_id, dimension,
-- signal, points, observed_at, source_id, url, evidence_id and the readable reason_text (rendered
-- on read, so a build never formats ten million strings nobody reads), signal_id.
CREATE OR REPLACE VIEW marts.signal_points AS
SELECT
    g.company_id,
    b.dimension,
    b.signal,
    b.points,
    s.observed_at,
    s.source_id,
    s.url,
    s.evidence_id,
    coalesce(ref.fill_reason(t.reason_template, t.label, s.value, s.amount, s.observed_at, s.detail, s.list_name,
                             s.source_id), b.signal) AS reason_text,
    b.signal_id
FROM marts.signal_points_base AS b
JOIN marts.company_segments AS g ON g.company_key = b.company_key
LEFT JOIN core.company_signals AS s ON s.signal_id = b.signal_id
LEFT JOIN ref.scoring_signals AS t ON t.signal = b.signal;
