"""One benchmark size in its own process (so peak RSS is per size); prints one JSON line."""

from __future__ import annotations

import argparse
import json
import resource
import time

import pandas as pd

from benchmarks.resolve.generate import generate
from benchmarks.resolve.metrics import pairwise_scores


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--method", choices=["tuoke", "baseline"], default="tuoke")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    frame = generate(args.size, seed=args.seed)
    records = frame[["record_id", "source", "name", "uscc", "address"]]
    start = time.perf_counter()
    if args.method == "tuoke":
        from warehouse.resolve import LAST_STATS, resolve_records

        predicted = resolve_records(records)["company_id"].to_numpy()
        stats = dict(LAST_STATS)
    else:  # the simplest baseline: exact normalised name (match key)
        from warehouse.names import parse_company_name

        inverse, uniq = pd.factorize(records["name"])
        keys = pd.Series([parse_company_name(n).match_key for n in uniq])
        predicted = keys.to_numpy()[inverse]
        stats = {}
    seconds = time.perf_counter() - start
    scores = pairwise_scores(frame["gold"].to_numpy(), predicted)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"size": len(frame), "method": args.method, "seconds": round(seconds, 2),
                      "peak_rss_mb": round(rss_mb), **{k: round(v, 4) if isinstance(v, float) else v
                                                         for k, v in scores.items()},
                      "entities": int(frame["gold"].nunique()), "companies": int(pd.Series(predicted).nunique()),
                      "blocking": stats.get("blocking", {})}, ensure_ascii=False))


if __name__ == "__main__":
    main()
