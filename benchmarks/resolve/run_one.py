"""One benchmark size in its own process (so peak memory is per size); prints one JSON line.

Measured around the resolve call only (generation excluded): wall seconds, CPU seconds of this
process and its parse workers, the 1-minute load average before and after (the machine may be
shared), peak RSS of this process, and the peak of the summed PSS of this process and its
workers (proportional set size: pages a forked worker shares with its parent are counted once),
sampled every 200 ms (a sample costs a few ms of CPU).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import threading
import time

import pandas as pd

from benchmarks.resolve.generate import generate
from benchmarks.resolve.metrics import pairwise_scores, recall_by_variant, review_queue_figures


class MemorySampler(threading.Thread):
    """Peak summed PSS / RSS of this process and its children while running."""

    def __init__(self, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        import psutil

        self.process = psutil.Process()
        self.interval = interval
        self.peak_pss = 0
        self.peak_rss = 0
        self.stop = threading.Event()

    def sample(self) -> None:
        pss = rss = 0
        for proc in [self.process, *self.process.children(recursive=True)]:
            try:
                info = proc.memory_full_info()
            except Exception:  # a worker that just exited
                continue
            pss += info.pss
            rss += info.rss
        self.peak_pss = max(self.peak_pss, pss)
        self.peak_rss = max(self.peak_rss, rss)

    def run(self) -> None:
        while not self.stop.is_set():
            self.sample()
            self.stop.wait(self.interval)


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--method", choices=["tuoke", "baseline"], default="tuoke")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    frame = generate(args.size, seed=args.seed)
    records = frame[["record_id", "source", "name", "uscc", "address"]]
    sampler = MemorySampler()
    sampler.sample()
    sampler.start()
    load_before = _load()
    cpu_before = os.times()
    start = time.perf_counter()
    if args.method == "tuoke":
        from warehouse.resolve import LAST_STATS, resolve_records

        links = resolve_records(records)
        predicted = links["company_id"].to_numpy()
        stats = dict(LAST_STATS)
    else:  # the simplest baseline: exact normalised name (match key)
        from warehouse.names import parse_company_name

        inverse, uniq = pd.factorize(records["name"])
        keys = pd.Series([parse_company_name(n).match_key for n in uniq])
        predicted = keys.to_numpy()[inverse]
        stats = {}
    seconds = time.perf_counter() - start
    cpu_after = os.times()
    sampler.stop.set()
    sampler.join()
    cpu = sum(getattr(cpu_after, f) - getattr(cpu_before, f)
              for f in ("user", "system", "children_user", "children_system"))
    scores = pairwise_scores(frame["gold"].to_numpy(), predicted)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({
        "size": len(frame), "method": args.method, "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2),
        "load_before": load_before, "load_after": _load(), "peak_rss_mb": round(rss_mb),
        "peak_pss_mb": round(sampler.peak_pss / 2**20), "peak_rss_all_mb": round(sampler.peak_rss / 2**20),
        **{k: round(v, 4) if isinstance(v, float) else v for k, v in scores.items()},
        "entities": int(frame["gold"].nunique()), "companies": int(pd.Series(predicted).nunique()),
        "blocking": stats.get("blocking", {}), "steps": stats.get("seconds", {}),
        "by_variant": recall_by_variant(frame["gold"], predicted, frame["variant"]),
        "review": review_queue_figures(links, frame.set_index("record_id")["gold"]) if args.method == "tuoke" else {},
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
