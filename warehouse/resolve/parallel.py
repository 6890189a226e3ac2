"""Run chunked parse work in this process and `workers - 1` forked children.

The work is cut into chunks that the parent and the children take off one shared counter (so a
child slowed down by other load simply takes fewer); children read their input from memory
inherited at the fork and send back only their results. A child that dies costs time, not
results: its chunks are parsed again here. Fork is Linux-only; elsewhere, or with one worker,
everything runs in this process (`TUOKE_RESOLVE_WORKERS=1` forces it).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    """One kind of work: `parse(values[lo:hi])` per chunk of `chunk` values."""

    parse: Callable[[list], object]
    values: list
    chunk: int


_SHARED: dict = {}  # what forked children read (set just before the fork, so nothing is pickled in)


def default_workers() -> int:
    """Processes for parsing: the CPUs this process may use, at most 4; 1 where fork is unsafe."""
    if not sys.platform.startswith("linux"):
        return 1
    env = os.environ.get("TUOKE_RESOLVE_WORKERS")
    if env and env.isdigit():
        return max(1, int(env))
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, 4))


class _LocalCounter:
    """The interface of multiprocessing.Value for the one-process path."""

    def __init__(self) -> None:
        self.value = 0

    def get_lock(self):
        return contextlib.nullcontext()


CHILD_TASKS = 4  # chunks a child parses before it sends them back: it never holds more results than that


def _run_tasks(limit: int | None = None) -> list[tuple[int, object]]:
    """Take chunks off the shared counter until none are left, or `limit` are done (parent and
    children alike)."""
    tasks, counter, jobs = _SHARED["tasks"], _SHARED["counter"], _SHARED["jobs"]
    done = []
    while limit is None or len(done) < limit:
        with counter.get_lock():
            i = counter.value
            counter.value = i + 1
        if i >= len(tasks):
            return done
        kind, lo, hi = tasks[i]
        job = jobs[kind]
        done.append((i, job.parse(job.values[lo:hi])))
    return done


def _remaining() -> bool:
    return _SHARED["counter"].value < len(_SHARED["tasks"])


def _start_pool(workers: int, tasks: list, jobs: dict[str, Job]):
    try:
        context = multiprocessing.get_context("fork")
        counter = context.Value("q", 0)
        _SHARED.update(tasks=tasks, jobs=jobs, counter=counter)
        return ProcessPoolExecutor(workers - 1, mp_context=context)
    except (OSError, ImportError, ValueError) as exc:  # no fork or semaphores: parse here
        log.warning("resolve: parsing in one process (%s)", exc)
        return None


def _collect(future, results: list) -> None:
    try:
        results.extend(future.result())
    except BrokenProcessPool as exc:  # a worker died (e.g. killed): its chunks are redone by run_jobs
        log.warning("resolve: a parse worker died (%s); parsing its chunks here", exc)


def _with_children(pool, workers: int) -> list[tuple[int, object]]:
    """The parent parses a chunk at a time; between chunks it takes the children's results (a few
    chunks each) and hands them more, so no child holds much more than a few chunks' results."""
    results: list = []
    with pool:
        try:
            pending = {pool.submit(_run_tasks, CHILD_TASKS) for _ in range(workers - 1)}
        except (OSError, BrokenProcessPool) as exc:  # the fork itself failed (memory, process limit)
            log.warning("resolve: parse workers could not start (%s)", exc)
            pending = set()
        while True:
            for future in [f for f in pending if f.done()]:
                pending.discard(future)
                _collect(future, results)
                if _remaining() and not isinstance(future.exception(), BrokenProcessPool):
                    try:
                        pending.add(pool.submit(_run_tasks, CHILD_TASKS))
                    except (OSError, BrokenProcessPool, RuntimeError):  # the pool broke: the parent goes on alone
                        pass
            mine = _run_tasks(1)
            if not mine:
                break
            results.extend(mine)
        for future in pending:
            _collect(future, results)
    return results


def run_jobs(jobs: dict[str, Job], workers: int, parallel: bool) -> dict[str, list]:
    """Results per job kind, one per chunk in order."""
    tasks = [(kind, lo, min(lo + job.chunk, len(job.values)))
             for kind, job in jobs.items() for lo in range(0, len(job.values), job.chunk)]
    pool = _start_pool(workers, tasks, jobs) if parallel and workers > 1 else None
    if pool is None:
        _SHARED.update(tasks=tasks, jobs=jobs, counter=_LocalCounter())
    try:
        results = _with_children(pool, workers) if pool is not None else _run_tasks()
        done = {i for i, _ in results}
        for i in range(len(tasks)):
            if i not in done:
                kind, lo, hi = tasks[i]
                results.append((i, jobs[kind].parse(jobs[kind].values[lo:hi])))
    finally:
        _SHARED.clear()
    results.sort(key=lambda r: r[0])
    by_kind: dict[str, list] = {kind: [] for kind in jobs}
    for i, result in results:
        by_kind[tasks[i][0]].append(result)
    return by_kind
