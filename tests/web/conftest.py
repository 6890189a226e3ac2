"""Fixtures of the web tests: a real demo warehouse built twice, a real `tuoke serve` process, and
Debian's Chromium (/usr/bin/chromium) driven by Playwright; see web_world.py."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from web_world import CHROMIUM, CHROMIUM_ARGS, WebWorld, free_port, run_tuoke


@pytest.fixture(scope="session")
def web_world() -> WebWorld:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} missing: apt-get install chromium fonts-noto-cjk (.ci/run does)")
    # a private folder: pytest's own temp root is pruned by other pytest runs on the same machine
    root = Path(tempfile.mkdtemp(prefix="tuoke-web-"))
    world = WebWorld(root)
    run_tuoke(["demo", "--port", str(free_port()), "--top", "1"], world.env, timeout=900)
    world.moved_company = world.add_payroll_for_a_listed_company()
    world.build()
    world.script_company = world.plant_script_name()
    world.start_server()
    try:
        yield world
    finally:
        world.stop_server()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def browser(web_world):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1360, "height": 900}, accept_downloads=True, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()



@pytest.fixture(scope="session")
def small_site(tmp_path_factory):
    """A small published warehouse for in-process app tests (tests/web/small_site.py)."""
    from small_site import build_small_warehouse

    return build_small_warehouse(tmp_path_factory.mktemp("small-site"))


# hypothesis profiles of the fuzz suites: `ci` (default, in `make test`) and `long` (`make fuzz`),
# chosen by HYPOTHESIS_PROFILE; the suites apply them per test (tests/web/test_route_fuzz.py)
from hypothesis import HealthCheck, settings  # noqa: E402

_FUZZ_CHECKS = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large]
settings.register_profile("ci", max_examples=40, deadline=None, suppress_health_check=_FUZZ_CHECKS)
settings.register_profile("long", max_examples=10_000, deadline=None, suppress_health_check=_FUZZ_CHECKS)
