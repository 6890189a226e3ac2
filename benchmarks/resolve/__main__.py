"""Resolution benchmark: `python -m benchmarks.resolve --sizes 10000,100000,1000000`.

Each (size, method) runs in its own subprocess so peak RSS is per size. Methods: `tuoke`
(warehouse.resolve.resolve_records) and `baseline` (exact normalised name). Prints a markdown
table and writes it to benchmarks/out/resolve.md. Targets: F1 >= 0.97 at 1M, <= 60 s, <= 4 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "out" / "resolve.md"


def run(size: int, method: str, seed: int) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.resolve.run_one", "--size", str(size), "--method", method, "--seed", str(seed)],
        capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2],
    )
    if result.returncode != 0:
        raise SystemExit(f"benchmark {method} {size} failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=1, help="runs per size (median time reported)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rows = []
    for size in (int(s) for s in args.sizes.split(",") if s):
        for method in ("baseline", "tuoke"):
            runs = [run(size, method, args.seed) for _ in range(args.repeat if method == "tuoke" else 1)]
            best = dict(runs[0])
            best["seconds"] = statistics.median(r["seconds"] for r in runs)
            best["peak_rss_mb"] = max(r["peak_rss_mb"] for r in runs)
            best["runs"] = len(runs)
            rows.append(best)
            print(f"{method:8} {size:>9}: F1 {best['f1']:.4f}  {best['seconds']:.1f}s  {best['peak_rss_mb']} MB", file=sys.stderr)
    lines = [
        "# Entity resolution benchmark",
        "",
        f"Synthetic labelled mentions (benchmarks/resolve/generate.py, seed {args.seed}); pairwise metrics from "
        f"contingency counts; time = resolve only (not generation), median of runs; RSS = peak of the process. "
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}.",
        "",
        "| records | method | precision | recall | F1 | seconds | peak RSS MB | entities | companies | candidate pairs | runs |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['size']:,} | {r['method']} | {r['precision']:.4f} | {r['recall']:.4f} | {r['f1']:.4f} | "
            f"{r['seconds']:.1f} | {r['peak_rss_mb']:,} | {r['entities']:,} | {r['companies']:,} | "
            f"{r.get('blocking', {}).get('pairs', '')} | {r['runs']} |"
        )
    table = "\n".join(lines) + "\n"
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(table, encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
