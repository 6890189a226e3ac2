"""Replay fixtures: the recorded responses of the production sources, served on 127.0.0.1."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from replay_helpers import HERE, MANIFEST


@pytest.fixture(scope="session")
def replay_bases():
    """{real origin: local base URL} of a running replay server."""
    proc = subprocess.Popen([sys.executable, str(HERE / "replay_server.py"), str(MANIFEST)], stdout=subprocess.PIPE,
                            text=True)
    try:
        line = proc.stdout.readline()
        assert line.startswith("{"), "replay server did not start"
        yield json.loads(line)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def manifest() -> dict:
    return json.loads(MANIFEST.read_text(encoding="utf-8"))["sources"]
