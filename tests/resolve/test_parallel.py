"""The parse pool (warehouse/resolve/parallel.py): children parse, the parent only collects (a child
that dies: tests/resolve/test_blocking.py)."""

import os
import sys
import threading

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


UNPICKLED_IN: list[str] = []


def _made_here() -> str:
    UNPICKLED_IN.append(threading.current_thread().name)
    return "parsed"


class _Parsed:
    """A result that notes which thread of the parent unpickles it."""

    def __reduce__(self):
        return _made_here, ()


def test_the_parents_main_thread_unpickles_the_results():
    # unpickled by the pool's result thread, the parsed names landed in that thread's malloc arena,
    # where the main thread's later steps could not reuse the space (0.24 GiB at 1.9M records)
    UNPICKLED_IN.clear()
    done = run_jobs({"n": Job(lambda chunk: [_Parsed() for _ in chunk], VALUES, 100)}, workers=2, parallel=True)["n"]
    assert [v for chunk in done for v in chunk] == ["parsed"] * len(VALUES)
    assert set(UNPICKLED_IN) == {threading.main_thread().name}
