"""Rank history: each build's ranked prospects (rank, score, 五好 sub-scores), kept across builds
in `marts.rank_history` so the branch dashboard can say who moved and why.

Written at publish time into the working warehouse (so the published copy carries it), once per
scoring build (`marts.scoring_builds.build_id`); a build whose ranks and scores equal the last
recorded one adds nothing, so "since the previous build" means the previous build that changed
something. The last KEEP_BUILDS recorded builds are kept.
"""

from __future__ import annotations

import duckdb

WRITES = ("marts.rank_history", "marts.rank_history_signals")
KEEP_BUILDS = 8
# per-signal detail is kept for the head of each branch's list: movers are read from there
SIGNAL_DETAIL_RANKS = 1000
SUB_SCORES = ("score_business", "score_owner", "score_reputation", "score_mitigation", "score_willingness",
              "score_risk")


def _columns(con, schema: str, table: str) -> set[str]:
    return {r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ?",
        [schema, table]).fetchall()}


def _fingerprint(con, where: str, params: list) -> int | None:
    return con.execute(
        f"SELECT bit_xor(hash(company_id, rank, round(score, 4))) FROM {where}", params).fetchone()[0]


def _record_signal_detail(con: duckdb.DuckDBPyConnection, seq: int) -> None:
    """Per company at the head of a list, per signal type: how many signal rows and how many points
    (so the dashboard can say which signals appeared, went or decayed between two builds)."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS marts.rank_history_signals (build_seq INTEGER, company_id VARCHAR, "
        "signal VARCHAR, signals BIGINT, points DOUBLE)")
    has_points = bool(_columns(con, "marts", "signal_points_base") >= {"company_key", "signal", "points"})
    points = (
        "SELECT t.company_id, b.signal, CAST(sum(b.points) AS DOUBLE) AS points "
        "FROM marts.signal_points_base AS b JOIN head AS t ON t.company_key = b.company_key GROUP BY ALL"
        if has_points else "SELECT NULL::VARCHAR AS company_id, NULL::VARCHAR AS signal, NULL::DOUBLE AS points "
        "WHERE false")
    # the key the models gave a company (hash() is each engine's own: DuckDB's, or Spark's xxhash64)
    keyed = "company_key" in _columns(con, "marts", "company_segments")
    key, key_join = ("k.company_key", " LEFT JOIN marts.company_segments AS k USING (company_id)") if keyed \
        else ("hash(p.company_id)", "")
    con.execute(
        f"""
        INSERT INTO marts.rank_history_signals
        WITH head AS (
            SELECT p.company_id, {key} AS company_key FROM marts.prospects_ranked AS p{key_join}
            WHERE p.rank <= {SIGNAL_DETAIL_RANKS}
        ),
        counts AS (
            SELECT s.company_id, s.signal, count(*) AS signals
            FROM core.company_signals AS s SEMI JOIN head USING (company_id) GROUP BY ALL
        ),
        points AS ({points})
        SELECT ?, coalesce(c.company_id, p.company_id), coalesce(c.signal, p.signal), coalesce(c.signals, 0),
               coalesce(p.points, 0)
        FROM counts AS c FULL JOIN points AS p ON p.company_id = c.company_id AND p.signal = c.signal
        """, [seq])
    con.execute("DELETE FROM marts.rank_history_signals WHERE build_seq <= ?", [seq - KEEP_BUILDS])


def record_rank_history(con: duckdb.DuckDBPyConnection) -> dict:
    """Append the current build's ranks to marts.rank_history (idempotent per build_id)."""
    ranked = _columns(con, "marts", "prospects_ranked")
    if not {"company_id", "branch", "rank", "score"} <= ranked or not _columns(con, "marts", "scoring_builds"):
        return {"recorded": False, "reason": "no ranking in this warehouse"}
    build = con.execute("SELECT build_id FROM marts.scoring_builds ORDER BY built_at DESC LIMIT 1").fetchone()
    if build is None:
        return {"recorded": False, "reason": "no scoring build"}
    build_id = build[0]
    subs = ", ".join(f"CAST({c} AS DOUBLE) AS {c}" if c in ranked else f"NULL::DOUBLE AS {c}" for c in SUB_SCORES)
    con.execute(
        "CREATE TABLE IF NOT EXISTS marts.rank_history (build_seq INTEGER, build_id VARCHAR, company_id VARCHAR, "
        "branch VARCHAR, rank BIGINT, score DOUBLE, "
        + ", ".join(f"{c} DOUBLE" for c in SUB_SCORES) + ")"
    )
    if con.execute("SELECT count(*) FROM marts.rank_history WHERE build_id = ?", [build_id]).fetchone()[0]:
        return {"recorded": False, "reason": "build already recorded", "build_id": build_id}
    last = con.execute("SELECT max(build_seq) FROM marts.rank_history").fetchone()[0]
    if last is not None:
        now = _fingerprint(con, "marts.prospects_ranked WHERE rank IS NOT NULL", [])
        before = _fingerprint(con, "marts.rank_history WHERE build_seq = ?", [last])
        if now == before:
            return {"recorded": False, "reason": "ranks unchanged since the last recorded build", "build_id": build_id}
    seq = (last or 0) + 1
    con.execute("BEGIN")
    try:
        con.execute(
            f"INSERT INTO marts.rank_history SELECT ?, ?, company_id, branch, rank, CAST(score AS DOUBLE), {subs} "
            f"FROM marts.prospects_ranked WHERE rank IS NOT NULL", [seq, build_id])
        con.execute("DELETE FROM marts.rank_history WHERE build_seq <= ?", [seq - KEEP_BUILDS])
        _record_signal_detail(con, seq)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    rows = con.execute("SELECT count(*) FROM marts.rank_history WHERE build_seq = ?", [seq]).fetchone()[0]
    return {"recorded": True, "build_id": build_id, "build_seq": seq, "rows": rows}
