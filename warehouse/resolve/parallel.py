"""Run chunked parse work in forked children, or in this process alone.

The work is cut into chunks that the children take off one shared counter (so a child slowed down
by other load simply takes fewer); children read their input from memory inherited at the fork and
send back only their results. The parent parses nothing while it has children: it takes their
results as they come and hands out more at once (on the 1M build's 1.54M distinct names, the parent
parsing beside one child took 42-45 s, two children with the parent only collecting 29-36 s;
docs/benchmarks.md, stop 32). A child that dies costs time, not results: its chunks are parsed
again here. Fork is Linux-only; elsewhere, or with one worker, everything runs in this process
(`TUOKE_RESOLVE_WORKERS=1` forces it).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import pickle
import sys
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
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
    """Take chunks off the shared counter until none are left, or `limit` are done (a child, or the
    parent alone)."""
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


def _run_tasks_packed(limit: int) -> bytes:
    """A child's `_run_tasks`, its results pickled here: the parent's pool thread receives one
    bytes object, and the parent's main thread unpickles it (`_collect`). Unpickled in the pool's
    thread, the parsed names were allocated in that thread's own malloc arena, where the main
    thread's later steps could not reuse the space: the 1M build's resolution peaked 0.24 GiB higher."""
    return pickle.dumps(_run_tasks(limit), protocol=pickle.HIGHEST_PROTOCOL)


def _remaining() -> bool:
    return _SHARED["counter"].value < len(_SHARED["tasks"])


def _start_pool(children: int, tasks: list, jobs: dict[str, Job]):
    try:
        context = multiprocessing.get_context("fork")
        counter = context.Value("q", 0)
        _SHARED.update(tasks=tasks, jobs=jobs, counter=counter)
        return ProcessPoolExecutor(children, mp_context=context)
    except (OSError, ImportError, ValueError) as exc:  # no fork or semaphores: parse here
        log.warning("resolve: parsing in one process (%s)", exc)
        return None


def _collect(future, results: list) -> None:
    try:
        results.extend(pickle.loads(future.result()))
    except BrokenProcessPool as exc:  # a worker died (e.g. killed): its chunks are redone by run_jobs
        log.warning("resolve: a parse worker died (%s); parsing its chunks here", exc)


def _with_children(pool, children: int) -> list[tuple[int, object]]:
    """The children's results, taken as each child sends a few chunks' worth; each is handed more
    while chunks remain, so no child holds much more than a few chunks' results. The parent only
    collects: when it parsed too, it handed a child more work only between its own chunks, and the
    child sat idle meanwhile (22 CPU s of a 45 s parse, against the parent's 45)."""
    results: list = []
    with pool:
        try:
            pending = {pool.submit(_run_tasks_packed, CHILD_TASKS) for _ in range(children)}
        except (OSError, BrokenProcessPool) as exc:  # the fork itself failed (memory, process limit)
            log.warning("resolve: parse workers could not start (%s)", exc)
            pending = set()
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                _collect(future, results)
                if _remaining() and not isinstance(future.exception(), BrokenProcessPool):
                    try:
                        pending.add(pool.submit(_run_tasks_packed, CHILD_TASKS))
                    except (OSError, BrokenProcessPool, RuntimeError):  # the pool broke: run_jobs parses the rest here
                        pass
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
