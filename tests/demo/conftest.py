from __future__ import annotations

import pytest

from demo.generate import generate_site
from demo.server import DemoServer


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo_site") / "site"
    manifest = generate_site(out, seed=42)
    return out, manifest


@pytest.fixture(scope="session")
def demo_server(demo_site):
    site_dir, _ = demo_site
    with DemoServer(site_dir) as server:
        yield server
