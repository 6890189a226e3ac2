"""Every demo source YAML loads with the real loader and points into the generated site."""

from __future__ import annotations

import json

import pytest

from kernel.paths import demo_sources_dir
from kernel.sources import load_source

YAMLS = sorted(demo_sources_dir().glob("*.yaml"))


def test_there_is_one_yaml_per_demo_source():
    assert {p.stem for p in YAMLS} == {
        "demo_zj_award", "demo_ggzy_candidates", "demo_zj_tender", "demo_grid_ecp", "demo_zj_srdi",
        "demo_nb_chamber", "demo_hz_park", "demo_credit_negative",
        "demo_zj_tax_credit", "demo_zj_high_tech", "demo_hz_market", "demo_hz_tech_insurance"}


@pytest.mark.parametrize("path", YAMLS, ids=lambda p: p.stem)
def test_demo_source_yaml_loads(path, monkeypatch, demo_site):
    monkeypatch.setenv("TUOKE_DEMO_BASE_URL", "http://127.0.0.1:9")
    source = load_source(path)
    assert source.politeness.get("download_delay") == 0
    assert source.schedule and source.min_items is not None and source.max_items >= source.min_items
    site_dir, _ = demo_site
    for url in source.start_urls:
        assert url.startswith("http://127.0.0.1:9/")
        assert (site_dir / url.split(":9/", 1)[1]).is_file(), url


@pytest.mark.parametrize("path", YAMLS, ids=lambda p: p.stem)
def test_assertions_hold_on_the_default_site(path, demo_site):
    """The truth's item count per source sits inside the YAML's min/max."""
    site_dir, _ = demo_site
    truth = json.loads((site_dir / "_truth.json").read_text("utf-8"))
    source = load_source(path)
    uses = sum(1 for c in truth["companies"] for u in c["uses"]
               if u["source"] == source.id and u["role"] not in ("tenant_card", "winner_corrected_from"))
    assert source.min_items <= uses <= source.max_items, uses
