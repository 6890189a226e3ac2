"""The parse pool (warehouse/resolve/parallel.py): children parse, the parent only collects (a child
that dies: tests/resolve/test_blocking.py)."""

import os
import sys

import pytest

from warehouse.resolve.parallel import Job, run_jobs

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the pool forks (Linux only)")

VALUES = list(range(1_000))


def _with_pid(chunk: list) -> tuple[int, list]:
    return os.getpid(), [v * 2 for v in chunk]


def test_children_parse_every_chunk_in_order_and_the_parent_none():
    done = run_jobs({"n": Job(_with_pid, VALUES, 37)}, workers=2, parallel=True)["n"]
    assert [v for _pid, chunk in done for v in chunk] == [v * 2 for v in VALUES]
    pids = {pid for pid, _chunk in done}
    assert os.getpid() not in pids  # the parent only collected
    assert 1 <= len(pids) <= 2


def test_one_process_parses_everything_itself():
    done = run_jobs({"n": Job(_with_pid, VALUES, 37)}, workers=1, parallel=True)["n"]
    assert {pid for pid, _chunk in done} == {os.getpid()}
    assert [v for _pid, chunk in done for v in chunk] == [v * 2 for v in VALUES]
