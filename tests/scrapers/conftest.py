"""Fixtures for crawl tests (helpers live in crawl_helpers.py)."""

from __future__ import annotations

import pytest
from crawl_helpers import robust_site_server


@pytest.fixture(scope="session")
def robust_site():
    with robust_site_server() as base_url:
        yield base_url
