"""`tuoke build` checks every config before any step runs: a mistake is one line with its key path, exit 2."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TUOKE = str(Path(sys.executable).parent / "tuoke")


@pytest.mark.parametrize(("file", "bad", "expected"), [
    ("feeds.yaml", "    title: 代发工资单位\n", "    titel: 代发工资单位\n"),
    ("territories.yaml", "default_branch: 省分行营业部\n", "default_branch: ''\n"),
])
def test_a_config_mistake_stops_the_build_in_one_line(tmp_path, file, bad, expected):
    configs = tmp_path / "configs"
    shutil.copytree(REPO / "configs", configs, ignore=shutil.ignore_patterns("sources", "demo"))
    text = (configs / file).read_text(encoding="utf-8")
    assert bad in text
    (configs / file).write_text(text.replace(bad, expected, 1), encoding="utf-8")
    env = {**os.environ, "TUOKE_CONFIGS_DIR": str(configs), "TUOKE_PII_DEMO_KEY": "1",
           "TUOKE_SOURCES_DIR": str(REPO / "configs" / "demo" / "sources")}
    proc = subprocess.run([TUOKE, "build", "--data-dir", str(tmp_path / "data"), "--no-progress"],
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 2, proc.stdout[-1500:] + proc.stderr[-1500:]
    lines = [line for line in proc.stderr.splitlines() if line.strip() and not line.startswith("PII")]
    assert len(lines) == 1 and str(configs / file) in lines[0], proc.stderr
    key = "feeds.payroll.titel: unknown key" if file == "feeds.yaml" else "default_branch: String should have at least 1"
    assert key in lines[0], lines[0]
    assert not (tmp_path / "data" / "tuoke.duckdb").exists()  # nothing built, nothing published
