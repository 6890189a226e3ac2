"""configs/engine.yaml: DuckDB's memory bounds as a frozen model; a typo names its key path."""

from __future__ import annotations

import pytest

from kernel.engine_config import EngineConfig, EngineConfigError, load_engine_config
from kernel.paths import configs_dir


def test_the_shipped_file_loads_and_bounds_duckdb():
    config = load_engine_config(configs_dir() / "engine.yaml")
    assert config.duckdb.memory_limit.endswith("GB")
    assert config.duckdb.temp_path(tmp_root := configs_dir().parent / "data").is_relative_to(tmp_root)


def test_a_misspelt_key_names_its_path(tmp_path):
    path = tmp_path / "engine.yaml"
    path.write_text("duckdb:\n  memory_limt: 2GB\n", encoding="utf-8")
    with pytest.raises(EngineConfigError, match=r"duckdb\.memory_limt: unknown key"):
        load_engine_config(path)


def test_a_size_without_a_unit_is_refused(tmp_path):
    path = tmp_path / "engine.yaml"
    path.write_text("duckdb:\n  memory_limit: '2'\n", encoding="utf-8")
    with pytest.raises(EngineConfigError, match=r"duckdb\.memory_limit: '2' is not a size"):
        load_engine_config(path)


def test_a_missing_file_means_the_defaults(tmp_path):
    assert load_engine_config(tmp_path / "absent.yaml") == EngineConfig()
