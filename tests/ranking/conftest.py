"""Fixtures of the ranking tests; the small warehouse builder lives in ranking_world.py."""

import pytest
from ranking_world import World


@pytest.fixture
def world(tmp_path):
    w = World(tmp_path / "tuoke.duckdb")
    yield w
    w.con.close()
