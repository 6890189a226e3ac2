"""One benchmark size in its own process (so peak memory is per size): the resolver, then the
exact-name baseline in the same process; prints one JSON line per method.

Measured around the resolve call only (generation excluded): wall seconds, CPU seconds of this
process and its parse workers, the 1-minute load average before and after (the machine may be
shared), peak RSS of this process, and the peak of the summed PSS of this process and its
workers (proportional set size: pages a forked worker shares with its parent are counted once),
sampled every 200 ms by a separate process from /proc/<pid>/smaps_rollup.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time

import numpy as np
import pandas as pd

from benchmarks.resolve.generate import generate
from benchmarks.resolve.metrics import pairwise_scores, recall_by_variant, review_queue_figures


def _memory_of(pid: int) -> tuple[int, int]:
    """(PSS, RSS) bytes of one process from /proc/<pid>/smaps_rollup (the kernel sums it: a read
    costs well under a millisecond, where parsing the full smaps costs ~10 ms per GB)."""
    pss = rss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1]) * 1024
                elif line.startswith("Rss:"):
                    rss = int(line.split()[1]) * 1024
    except OSError:  # a worker that just exited
        pass
    return pss, rss


def _sample_memory(pid: int, interval: float, stop, peaks) -> None:
    """In its own process, so sampling neither takes the GIL of the measured process nor counts in
    its CPU time: peak summed PSS / RSS of `pid` and its children (except this sampler)."""
    import psutil

    me = os.getpid()
    parent = psutil.Process(pid)
    while True:
        try:
            pids = [pid] + [c.pid for c in parent.children(recursive=True) if c.pid != me]
        except psutil.Error:
            pids = [pid]
        pss = rss = 0
        for p in pids:
            a, b = _memory_of(p)
            pss, rss = pss + a, rss + b
        peaks[0], peaks[1] = max(peaks[0], pss), max(peaks[1], rss)
        if stop.wait(interval):
            return


class MemorySampler:
    """Peak summed PSS / RSS of this process and its children, sampled every 200 ms from a forked
    process (copy-on-write: it shares the input frame and touches none of it)."""

    def __init__(self, interval: float = 0.2) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self.stop_event = context.Event()
        self.peaks = context.Array("q", 2)
        self.process = context.Process(target=_sample_memory, args=(os.getpid(), interval, self.stop_event, self.peaks),
                                       daemon=True)

    def start(self) -> None:
        self.process.start()

    def stop(self) -> None:
        self.stop_event.set()
        self.process.join()

    @property
    def peak_pss(self) -> int:
        return self.peaks[0]

    @property
    def peak_rss(self) -> int:
        return self.peaks[1]


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def _resolve(records: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame, dict]:
    from warehouse.resolve import LAST_STATS, resolve_records

    links = resolve_records(records)
    return links["company_id"].to_numpy(), links, dict(LAST_STATS)


def _baseline(records: pd.DataFrame) -> tuple[np.ndarray, None, dict]:
    """The simplest baseline: exact normalised name (match key), parsed once per distinct name."""
    from warehouse.resolve.name_parts import parse_company_name

    inverse, uniq = pd.factorize(records["name"])
    keys = pd.Series([parse_company_name(n).match_key for n in uniq])
    return keys.to_numpy()[inverse], None, {}


def _measure(method: str, frame: pd.DataFrame) -> dict:
    records = frame[["record_id", "source", "name", "uscc", "address"]]
    sampler = MemorySampler()
    sampler.start()
    load_before = _load()
    cpu_before = os.times()
    start = time.perf_counter()
    predicted, links, stats = (_resolve if method == "tuoke" else _baseline)(records)
    seconds = time.perf_counter() - start
    cpu_after = os.times()  # before the sampler is reaped: its CPU time is not the resolver's
    sampler.stop()
    cpu = sum(getattr(cpu_after, f) - getattr(cpu_before, f)
              for f in ("user", "system", "children_user", "children_system"))
    scores = pairwise_scores(frame["gold"].to_numpy(), predicted)
    return {
        "size": len(frame), "method": method, "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2),
        "load_before": load_before, "load_after": _load(),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "peak_pss_mb": round(sampler.peak_pss / 2**20), "peak_rss_all_mb": round(sampler.peak_rss / 2**20),
        **{k: round(v, 4) if isinstance(v, float) else v for k, v in scores.items()},
        "entities": int(frame["gold"].nunique()), "companies": int(pd.Series(predicted).nunique()),
        "blocking": stats.get("blocking", {}), "steps": stats.get("seconds", {}), "cpu_steps": stats.get("cpu_seconds", {}),
        "rss_steps": stats.get("peak_rss_mb", {}), "levels": stats.get("levels", {}),
        "by_variant": recall_by_variant(frame["gold"], predicted, frame["variant"]),
        "review": review_queue_figures(links, frame.set_index("record_id")["gold"]) if links is not None else {},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--methods", default="tuoke,baseline",
                        help="run in this order in this one process (tuoke first: its peak memory is its own)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    frame = generate(args.size, seed=args.seed)
    for method in args.methods.split(","):
        print(json.dumps(_measure(method, frame), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
