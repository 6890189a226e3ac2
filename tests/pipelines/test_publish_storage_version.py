"""The published copy is written at an explicit DuckDB storage version, so readers whose DuckDB lags
the one that builds (the duckdb CLI, BI tools' JDBC/ODBC drivers) still open it (issue 20)."""

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from warehouse.db import DEFAULT_STORAGE_VERSION
from warehouse.publish import PublishError, publish

CLI = Path(sys.executable).parent / "duckdb"


def _working(tmp_path: Path) -> Path:
    working = tmp_path / "work" / "tuoke.duckdb"
    working.parent.mkdir()
    con = duckdb.connect(str(working))
    con.execute("CREATE SCHEMA marts")
    con.execute("CREATE TABLE marts.prospects_ranked AS SELECT range AS rank, '甲公司' || range AS name FROM range(5)")
    con.execute("CREATE VIEW marts.top AS SELECT * FROM marts.prospects_ranked WHERE rank < 2")
    con.execute("CREATE MACRO marts.double_rank(r) AS r * 2")
    con.close()
    return working


def _storage_version(path: Path) -> str:
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH '{path}' AS f (READ_ONLY)")
        return con.execute("SELECT tags['storage_version'] FROM duckdb_databases() WHERE database_name = 'f'").fetchone()[0]
    finally:
        con.close()


def test_the_published_copy_targets_the_default_storage_version_and_keeps_views_and_macros(tmp_path, monkeypatch):
    monkeypatch.delenv("TUOKE_PUBLISH_STORAGE_VERSION", raising=False)
    published = tmp_path / "tuoke.duckdb"
    result = publish(_working(tmp_path), published)
    assert _storage_version(published) == DEFAULT_STORAGE_VERSION + "+"
    assert _storage_version(tmp_path / "work" / "tuoke.duckdb") != _storage_version(published)
    assert set(result.tables) == {"marts.prospects_ranked", "marts.top"}
    con = duckdb.connect(str(published), read_only=True)
    assert con.execute("SELECT marts.double_rank(max(rank)) FROM marts.top").fetchone() == (2,)
    con.close()


def test_the_duckdb_cli_opens_the_published_copy_but_not_the_working_file(tmp_path):
    published = tmp_path / "tuoke.duckdb"
    working = _working(tmp_path)
    publish(working, published)
    ok = subprocess.run([str(CLI), "-readonly", str(published), "-csv", "-noheader", "-c",
                         "SELECT count(*) FROM marts.top"], capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0 and ok.stdout.strip() == "2", ok.stderr
    refused = subprocess.run([str(CLI), "-readonly", str(working), "-c", "SELECT 1"],
                             capture_output=True, text=True, timeout=60)
    assert refused.returncode != 0 and "version" in refused.stderr  # why publish converts at all


def test_the_storage_version_is_configurable(tmp_path, monkeypatch):
    monkeypatch.setenv("TUOKE_PUBLISH_STORAGE_VERSION", "v1.2.0")
    published = tmp_path / "tuoke.duckdb"
    publish(_working(tmp_path), published)
    assert _storage_version(published) == "v1.2.0+"


def test_an_unknown_storage_version_is_one_line_and_keeps_the_previous_publish(tmp_path, monkeypatch):
    published = tmp_path / "tuoke.duckdb"
    working = _working(tmp_path)
    publish(working, published)
    before = published.read_bytes()
    monkeypatch.setenv("TUOKE_PUBLISH_STORAGE_VERSION", "v9.9")
    with pytest.raises(PublishError, match="TUOKE_PUBLISH_STORAGE_VERSION='v9.9'") as refused:
        publish(working, published)
    assert "\n" not in str(refused.value)
    assert published.read_bytes() == before and not list(tmp_path.glob(".tuoke.duckdb.publishing-*"))


def test_a_working_file_already_at_the_target_version_is_copied_byte_for_byte(tmp_path, monkeypatch):
    """The rewrite costs a minute at a million companies; it is only done when the formats differ."""
    working = _working(tmp_path)
    monkeypatch.setenv("TUOKE_PUBLISH_STORAGE_VERSION", "latest")
    published = tmp_path / "tuoke.duckdb"
    publish(working, published)
    assert published.read_bytes() == working.read_bytes()
    monkeypatch.delenv("TUOKE_PUBLISH_STORAGE_VERSION")
    publish(working, published)
    assert published.read_bytes() != working.read_bytes()


def test_a_working_file_the_build_creates_is_at_the_published_version_so_publish_copies_bytes(tmp_path, monkeypatch):
    from warehouse.db import connect

    monkeypatch.delenv("TUOKE_PUBLISH_STORAGE_VERSION", raising=False)
    working = tmp_path / "work" / "tuoke.duckdb"
    con = connect(working)
    con.execute("CREATE TABLE t AS SELECT range AS n FROM range(3)")
    con.close()
    assert _storage_version(working) == DEFAULT_STORAGE_VERSION + "+"
    published = tmp_path / "tuoke.duckdb"
    publish(working, published)
    assert published.read_bytes() == working.read_bytes()
