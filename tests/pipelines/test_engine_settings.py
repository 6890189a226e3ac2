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
