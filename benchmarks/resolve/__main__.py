"""Resolution benchmark: `python -m benchmarks.resolve --sizes 100000,1000000`.

Each (size, run) runs in its own subprocess so peak memory is per run: the resolver
(warehouse.resolve.resolve_records) and then the exact-name baseline (one parse per distinct name,
match keys compared) in that same process, on the same generated records. Sizes up to `--small`
get `--repeat` runs (median wall time reported), larger ones `--repeat-large`. Prints a markdown
table and writes it to benchmarks/out/resolve.md, with wall, CPU and peak RSS per step and the
share of each variation class kept with its company (recall by class). Targets (issue 19, 2
cores): F1 >= 0.98 at 1M, <= 30 s, <= 1.5 GB peak RSS, <= 3x the baseline. The machine may be
shared: every row carries the 1-minute load average before/after the run, and CPU seconds (this
process + parse workers) beside wall seconds; time it with `heavy --quiet` at load < 2.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "out" / "resolve.md"


def run(size: int, seed: int) -> dict[str, dict]:
    """{method: figures} of one subprocess that runs the resolver, then the baseline."""
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.resolve.run_one", "--size", str(size), "--seed", str(seed)],
        capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2],
    )
    if result.returncode != 0:
        raise SystemExit(f"benchmark {size} failed:\n{result.stderr[-2000:]}")
    rows = [json.loads(line) for line in result.stdout.strip().splitlines() if line.startswith("{")]
    return {row["method"]: row for row in rows}


def _median_run(runs: list[dict]) -> dict:
    """The run with the median wall time (its other figures belong to that same run)."""
    ordered = sorted(runs, key=lambda r: r["seconds"])
    chosen = dict(ordered[(len(ordered) - 1) // 2])
    chosen["runs"] = len(runs)
    chosen["all_seconds"] = [r["seconds"] for r in runs]
    chosen["max_pss_mb"] = max(r["peak_pss_mb"] for r in runs)
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=3, help="runs per size up to --small (median reported)")
    parser.add_argument("--repeat-large", type=int, default=1, help="runs per size above --small")
    parser.add_argument("--small", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    rows = []
    for size in (int(s) for s in args.sizes.split(",") if s):
        runs: dict[str, list] = {"tuoke": [], "baseline": []}
        for _ in range(args.repeat if size <= args.small else args.repeat_large):
            for method, r in run(size, args.seed).items():
                runs[method].append(r)
                print(f"{method:8} {size:>9}: F1 {r['f1']:.4f}  {r['seconds']:.1f}s wall  {r['cpu_seconds']:.1f}s cpu  "
                      f"RSS {r['peak_rss_mb']} MB  load {r['load_before']}->{r['load_after']}", file=sys.stderr)
        ours, base = _median_run(runs["tuoke"]), _median_run(runs["baseline"])
        ours["vs_baseline"] = round(ours["seconds"] / base["seconds"], 2) if base["seconds"] else None
        rows += [base, ours]
    lines = [
        "# Entity resolution benchmark",
        "",
        f"Synthetic labelled mentions (benchmarks/resolve/generate.py, seed {args.seed}); pairwise metrics from "
        f"contingency counts. Time = the resolve call only (not generation): wall seconds (median of the runs; "
        f"all runs listed), CPU seconds of the process and its parse workers in that run. Memory: peak RSS of the "
        f"main process, and the peak summed PSS of the process and its forked parse workers (shared pages "
        f"counted once; this includes the generated input frame). Load = 1-minute load average before -> after "
        f"the run (the machine is shared). The baseline runs after the resolver in the same process (its "
        f"RSS is the process's peak, the resolver's included). Machine: {platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}.",
        "",
        "| records | method | precision | recall | F1 | wall s | CPU s | x baseline | peak RSS MB | peak PSS MB "
        "(all procs) | load | entities | companies | candidate pairs | runs (wall s) |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['size']:,} | {r['method']} | {r['precision']:.4f} | {r['recall']:.4f} | {r['f1']:.4f} | "
            f"{r['seconds']:.1f} | {r['cpu_seconds']:.1f} | {r.get('vs_baseline') or ''} | {r['peak_rss_mb']:,} | "
            f"{r['max_pss_mb']:,} | {r['load_before']} -> {r['load_after']} | {r['entities']:,} | {r['companies']:,} | "
            f"{r.get('blocking', {}).get('pairs', '')} | {r['runs']} ({', '.join(f'{s:.1f}' for s in r['all_seconds'])}) |"
        )
    steps = [r for r in rows if r["method"] == "tuoke" and r.get("steps")]
    if steps:
        lines += ["", "| records | step | wall s | CPU s | peak RSS MB after it |", "|---:|---|---:|---:|---:|"]
        for r in steps:
            for step, wall in r["steps"].items():
                lines.append(f"| {r['size']:,} | {step} | {wall} | {r['cpu_steps'].get(step, '')} | "
                             f"{r.get('rss_steps', {}).get(step, '')} |")
    queues = [r for r in rows if r.get("review")]
    if queues:
        lines += ["", "Review queue (marts.match_review's rule on the same links): pairs to review, the share of "
                  "queued links that join different gold companies, and the share of all such wrong links it holds: "
                  + "; ".join(f"{r['size']:,}: {r['review']['queue_pairs']:,} pairs, "
                              f"{r['review']['queue_wrong_share']:.1%} wrong, {r['review']['wrong_links_caught']:.1%} "
                              f"of wrong links; priority 1: {r['review'].get('priority1_links', 0):,} links, "
                              f"{r['review'].get('priority1_wrong_share', 0):.1%} wrong" for r in queues)]
    largest = {}
    for r in rows:
        if r.get("by_variant") and r["size"] >= largest.get(r["method"], {}).get("size", 0):
            largest[r["method"]] = r
    if largest:
        methods = sorted(largest)
        lines += ["", "Mentions kept with their company's main cluster, by variation class (largest size; a "
                  "mention can carry several classes):", "",
                  "| class | mentions | " + " | ".join(methods) + " |", "|---|---:|" + "---:|" * len(methods)]
        classes = sorted(set().union(*(largest[m]["by_variant"] for m in methods)))
        for name in classes:
            count = max(largest[m]["by_variant"].get(name, {}).get("mentions", 0) for m in methods)
            shares = [largest[m]["by_variant"].get(name, {}).get("together") for m in methods]
            lines.append(f"| {name} | {count:,} | " + " | ".join("" if v is None else f"{v:.3f}" for v in shares) + " |")
    table = "\n".join(lines) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(table, encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
