"""The build's `engine` resource: duckdb by default, spark by TUOKE_ENGINE or config, anything else
one clear failure; and the Spark engine's workdir as Spark reads it (no Java needed)."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from kernel.engine_config import SparkSettings
from pipelines.resources import ENGINE_ENV, BuildEngine
from warehouse.engines.spark_resolve import under


def test_duckdb_is_the_default_and_starts_no_spark(monkeypatch, tmp_path):
    monkeypatch.delenv(ENGINE_ENV, raising=False)
    engine = BuildEngine()
    assert engine.chosen() == "duckdb"
    assert engine.spark_build(tmp_path) is None


def test_the_environment_chooses_spark_and_the_resource_config_wins(monkeypatch, tmp_path):
    monkeypatch.setenv(ENGINE_ENV, "Spark")
    assert BuildEngine().chosen() == "spark"
    assert BuildEngine(name="duckdb").chosen() == "duckdb"


def test_an_unknown_engine_is_one_failure_naming_the_choices(monkeypatch):
    monkeypatch.setenv(ENGINE_ENV, "trino")
    with pytest.raises(dg.Failure, match="engine 'trino' .*expected duckdb or spark"):
        BuildEngine().chosen()


def test_the_cli_refuses_an_unknown_engine_in_one_line():
    from typer.testing import CliRunner

    from tuoke.cli import app

    result = CliRunner().invoke(app, ["build", "--engine", "trino"])
    assert result.exit_code != 0
    assert "expected duckdb or spark" in str(result.exception or result.output)


def test_a_relative_workdir_is_under_the_data_root_and_a_uri_is_kept():
    assert SparkSettings().workdir_under(Path("/data")) == "/data/work/spark"
    assert SparkSettings(workdir="/mnt/shared/tuoke").workdir_under(Path("/data")) == "/mnt/shared/tuoke"
    assert SparkSettings(workdir="hdfs://nn:8020/tuoke/").workdir_under(Path("/data")) == "hdfs://nn:8020/tuoke"
    # pathlib would fold hdfs://nn into hdfs:/nn: Spark's locations are joined as text
    assert under("hdfs://nn:8020/tuoke", "resolve/edges") == "hdfs://nn:8020/tuoke/resolve/edges"


def test_every_build_definition_has_the_engine_resource():
    from pipelines.assemble import build_definitions

    defs = build_definitions(sources=[])
    assert "engine" in defs.resources
