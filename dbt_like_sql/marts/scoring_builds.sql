-- marts.scoring_builds: the build log, one row per scoring build — build_id, built_at, as_of,
-- signal_points (rows of marts.signal_points_rows) and new_signals (alert signals first seen since
-- the previous build). The only marts table a rebuild on unchanged inputs changes.
CREATE TABLE IF NOT EXISTS marts.scoring_builds (
    build_id VARCHAR, built_at TIMESTAMP, as_of DATE, signal_points BIGINT, new_signals BIGINT
);

INSERT INTO marts.scoring_builds (build_id, built_at, as_of, signal_points, new_signals)
SELECT strftime(current_timestamp::TIMESTAMP, '%Y%m%dT%H%M%S%fZ'), current_timestamp::TIMESTAMP,
       (SELECT as_of FROM ref.scoring_settings),
       (SELECT count(*) FROM marts.signal_points_rows),
       (SELECT count(*) FROM marts.signal_first_seen AS f
        WHERE f.first_seen_at > (SELECT coalesce(max(b.built_at), TIMESTAMP '1970-01-01') FROM marts.scoring_builds AS b));
