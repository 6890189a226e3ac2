import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory):
    """The demo crawled and built once: (working warehouse, temporary root)."""
    from demo.generate import generate_site
    from demo.server import DemoServer
    from kernel.paths import DataPaths, demo_sources_dir
    from pipelines.assemble import build_definitions
    from pipelines.runner import run_build, run_crawls
    from tuoke.commands.demo import drop_demo_feeds

    root = tmp_path_factory.mktemp("spark")
    saved = dict(os.environ)
    os.environ.update({"TUOKE_DATA_DIR": str(root / "data"), "TUOKE_SOURCES_DIR": str(demo_sources_dir())})
    generate_site(root / "site", seed=42)
    try:
        with DemoServer(root / "site") as web:
            os.environ["TUOKE_DEMO_BASE_URL"] = web.base_url
            paths = DataPaths.from_env()
            drop_demo_feeds(paths)
            defs = build_definitions()
            run_crawls(defs=defs)
            outcome = run_build(defs=defs)
        assert outcome.success, outcome.failures
        yield paths.working_db, root
    finally:
        os.environ.clear()
        os.environ.update(saved)
