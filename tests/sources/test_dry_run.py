"""`tuoke crawl SOURCE --dry-run`: one list page, one detail page, mentions printed, nothing written."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from replay_helpers import MANIFEST, replay_source_dir
from typer.testing import CliRunner

from tuoke.cli import app

RECORDED = json.loads(MANIFEST.read_text(encoding="utf-8"))["sources"]


@pytest.fixture
def replay_env(replay_bases, tmp_path, monkeypatch):
    def point(source_id: str):
        sources = replay_source_dir(source_id, replay_bases, tmp_path / "sources")
        monkeypatch.setenv("TUOKE_SOURCES_DIR", str(sources))
        monkeypatch.setenv("TUOKE_DATA_DIR", str(tmp_path / "data"))
        return tmp_path / "data"
    return point


def test_dry_run_prints_the_mentions_of_one_detail_page_and_writes_nothing(replay_env):
    data_dir = replay_env("ccgp_dfgg_cjgg")
    out = CliRunner().invoke(app, ["crawl", "ccgp_dfgg_cjgg", "--dry-run"], env={"COLUMNS": "250"})
    assert out.exit_code == 0, out.output
    assert "1 list page, 1 detail page" in out.output
    # the one detail page fetched is one of the recorded notices: one of their suppliers is printed as such
    suppliers = {m["name"] for m in RECORDED["ccgp_dfgg_cjgg"]["expect"]}
    assert any(name in out.output for name in suppliers), out.output
    assert "winner" in out.output and "nothing written" in out.output
    # no landing, quarantine, seen state or cache: the data folder is not even created
    assert not data_dir.exists() or not any(p.is_file() for p in data_dir.rglob("*"))


def test_dry_run_of_an_auto_source_says_the_page_kind(replay_env):
    replay_env("cqgp_notices")
    out = CliRunner().invoke(app, ["crawl", "cqgp_notices", "--dry-run"], env={"COLUMNS": "250"})
    assert "page kinds" in out.output, out.output


def test_dry_run_mistakes_print_one_line_and_exit_2(replay_env):
    replay_env("ccgp_dfgg_cjgg")  # the environment (sources folder) is inherited by the child
    for args in (["ccgp_dfgg_cjgg", "ccgp_dfgg_cjgg"], ["no_such_source"], []):
        done = subprocess.run([sys.executable, "-c", "from tuoke.cli import main; main()", "crawl", *args, "--dry-run"],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 2, done.stderr
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
