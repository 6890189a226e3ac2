"""Fixtures of the size tests; the small warehouse builder lives in size_world.py."""

import pytest
from size_world import SizeWorld


@pytest.fixture
def world(tmp_path):
    w = SizeWorld(tmp_path / "tuoke.duckdb")
    yield w
    w.con.close()
