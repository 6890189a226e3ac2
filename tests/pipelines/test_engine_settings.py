"""Every connection a build step opens carries configs/engine.yaml's memory limit and spill folder."""

from __future__ import annotations

import duckdb

from kernel.engine_config import load_engine_config
from pipelines.resources import TuokeWarehouse


def test_build_connections_spill_under_the_data_root_within_the_limit(tmp_path):
    warehouse = TuokeWarehouse(data_dir=str(tmp_path / "data"))
    settings = load_engine_config().duckdb
    with warehouse.open_write() as con:
        limit, spill = con.execute(
            "SELECT current_setting('memory_limit'), current_setting('temp_directory')").fetchone()
        con.execute("CREATE TABLE t AS SELECT 1 AS x")
    with warehouse.open_read() as con:
        read_limit = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    with duckdb.connect(config={"memory_limit": settings.memory_limit}) as plain:  # DuckDB's own spelling of it
        expected = plain.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    with duckdb.connect() as plain:
        default = plain.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    assert limit == read_limit == expected != default
    assert spill == str(tmp_path / "data" / settings.temp_directory)
    assert (tmp_path / "data" / settings.temp_directory).is_dir()


def test_the_working_file_a_build_creates_is_at_the_published_storage_version(tmp_path, monkeypatch):
    """Publish copies bytes only when the working file has the published format; the build's own
    connection once created it at DuckDB's newest format, so every publish was a logical rewrite."""
    from warehouse.db import DEFAULT_STORAGE_VERSION
    from warehouse.publish import publish

    monkeypatch.delenv("TUOKE_PUBLISH_STORAGE_VERSION", raising=False)
    warehouse = TuokeWarehouse(data_dir=str(tmp_path / "data"))
    with warehouse.open_write() as con:
        con.execute("CREATE TABLE marts.t AS SELECT range AS n FROM range(3)")
    working = warehouse.paths().working_db
    with duckdb.connect() as con:
        con.execute(f"ATTACH '{working}' AS w (READ_ONLY)")
        version = con.execute("SELECT tags['storage_version'] FROM duckdb_databases() WHERE database_name = 'w'").fetchone()[0]
    assert version == DEFAULT_STORAGE_VERSION + "+"
    result = publish(working, tmp_path / "published.duckdb")
    assert result.copied == "bytes"


def test_one_checkpoint_defers_checkpoints_to_the_end_of_the_block(tmp_path):
    """Landing commits file by file; a checkpoint per commit rewrote the growing raw.mentions. After the
    block the earlier threshold is back, and the commits are in the file (the WAL is empty)."""
    from warehouse.db import BATCH_CHECKPOINT_THRESHOLD, one_checkpoint, transaction

    path = tmp_path / "w.duckdb"
    wal = tmp_path / "w.duckdb.wal"
    con = duckdb.connect(str(path))
    con.execute("SET checkpoint_threshold = '1MB'")
    con.execute("CREATE TABLE t (n BIGINT, s VARCHAR)")
    before = con.execute("SELECT current_setting('checkpoint_threshold')").fetchone()[0]
    with duckdb.connect() as scratch:  # how DuckDB spells the batch threshold back
        scratch.execute(f"SET checkpoint_threshold = '{BATCH_CHECKPOINT_THRESHOLD}'")
        batch = scratch.execute("SELECT current_setting('checkpoint_threshold')").fetchone()[0]
    with one_checkpoint(con):
        for _ in range(2):
            with transaction(con):  # each 3 MB or so: past the threshold set above
                con.execute("INSERT INTO t SELECT range, 'x' || range FROM range(200000)")
            # no checkpoint per commit inside: the threshold is the batch one
            assert con.execute("SELECT current_setting('checkpoint_threshold')").fetchone()[0] == batch
    assert not wal.exists() or wal.stat().st_size == 0
    assert con.execute("SELECT current_setting('checkpoint_threshold')").fetchone()[0] == before != batch
    assert con.execute("SELECT count(*) FROM t").fetchone()[0] == 400_000
    con.close()
