"""How cost grows: the full `tuoke build` at several sizes, wall time and peak RSS per step.

    .venv/bin/python -m benchmarks.bench_scale [--sizes 300000,1000000,3000000,10000000] [--feed-ratio 1.0]

Each size runs in its own process (a clean heap, so peak RSS is that size's), with the data made
by the build benchmark's generator (`benchmarks.build_data.generate_data`: N public mentions and
N × feed-ratio internal feed rows naming the same companies). Reports per size: wall, peak RSS,
seconds per step group; and the slope between sizes (how much the time multiplies when the data
does). Writes benchmarks/out/scale.md and the chart docs/bench_scale.svg.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "benchmarks" / "out" / "scale.md"
CHART = ROOT / "docs" / "bench_scale.svg"
TOP_STEPS = 5


def measure_one(mentions: int, feed_rows: int) -> dict:
    """One full build at one size, in this process: wall, CPU, peak RSS, and seconds and peak RSS
    per step group (a model's asset and its checks are one group)."""
    from benchmarks.bench_build import _isolated_data_dir, measured_build, step_times
    from benchmarks.build_data import generate_data

    tmp, data = _isolated_data_dir()
    generated = generate_data(data, mentions, feed_rows)
    outcome, watcher, result = measured_build(data)
    groups: dict[str, float] = defaultdict(float)
    peaks: dict[str, float] = defaultdict(float)
    for key, start, end, _ in step_times(outcome.run_id):
        group = key.split("__")[0]
        groups[group] += end - start
        peaks[group] = max(peaks[group], watcher.window(start, end)[0] / 2**30)
    import shutil

    shutil.rmtree(tmp, ignore_errors=True)
    return {"mentions": generated["mentions"], "feed_rows": generated["feed_rows"], "wall": result["wall"],
            "cpu": result["cpu"] + result["child_cpu"], "peak_gib": result["peak"] / 2**30, "success": outcome.success,
            "steps": dict(groups), "step_peak_gib": dict(peaks), "loads": result["loads"],
            "load": os.getloadavg()[1],  # 5-minute load at the end: other work on the machine shows
            "failures": {k: str(v)[:300] for k, v in (outcome.failures or {}).items()}}


def _slope(small: dict, large: dict, key: str) -> float:
    """Time ratio per data ratio, as an exponent: 1.0 is linear, 2.0 quadratic."""
    import math

    data_ratio = large["mentions"] / small["mentions"]
    a = small["steps"].get(key, small["wall"]) if key != "wall" else small["wall"]
    b = large["steps"].get(key, large["wall"]) if key != "wall" else large["wall"]
    return math.log(max(b, 1e-3) / max(a, 1e-3)) / math.log(data_ratio)


def _panel(results: list[dict], series: dict[str, list[float]], title: str, unit: str, top: int) -> list[str]:
    """One log-log panel (x: public mentions) of the chart, `top` pixels down."""
    import math

    width, height, pad = 640, 330, 56
    xs = [r["mentions"] for r in results]
    ymax = max(max(v) for v in series.values())
    ymin = min(min(v) for v in series.values())
    lx = lambda x: pad + (math.log10(x) - math.log10(xs[0])) / max(math.log10(xs[-1] / xs[0]), 1e-9) * (width - 2 * pad)  # noqa: E731
    ly = lambda y: top + height - pad - (math.log10(y) - math.log10(ymin)) / max(math.log10(ymax / ymin), 1e-9) * (height - 2 * pad)  # noqa: E731
    colours = ["#1f4e79", "#c0392b", "#27ae60", "#8e44ad", "#d35400", "#7f8c8d"]
    parts = [f'<text x="{pad}" y="{top + 20}" font-size="13">{title}</text>',
             f'<line x1="{pad}" y1="{top + height - pad}" x2="{width - pad}" y2="{top + height - pad}" stroke="black"/>',
             f'<line x1="{pad}" y1="{top + pad}" x2="{pad}" y2="{top + height - pad}" stroke="black"/>']
    for x in xs:
        parts.append(f'<text x="{lx(x):.0f}" y="{top + height - pad + 16}" text-anchor="middle">{x / 1e6:g}M</text>')
    for y in (ymin, ymax):
        parts.append(f'<text x="{pad - 6}" y="{ly(y) + 4:.0f}" text-anchor="end">{y:.3g}{unit}</text>')
    for i, (name, values) in enumerate(series.items()):
        colour = colours[i % len(colours)]
        points = " ".join(f"{lx(x):.1f},{ly(y):.1f}" for x, y in zip(xs, values))
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
        parts += [f'<circle cx="{lx(x):.1f}" cy="{ly(y):.1f}" r="3" fill="{colour}"/>' for x, y in zip(xs, values)]
        parts.append(f'<text x="{width - pad - 150}" y="{top + pad + 14 * i}" fill="{colour}">{name}</text>')
    return parts


def svg_chart(results: list[dict], steps: list[str]) -> str:
    """Two log-log panels against size: seconds (whole build and the heaviest step groups) and peak
    RSS (whole build and those groups), as one small SVG."""
    seconds = {"whole build": [r["wall"] for r in results]}
    memory = {"whole build": [r["peak_gib"] for r in results]}
    for step in steps:
        seconds[step] = [max(r["steps"].get(step, 0.0), 0.01) for r in results]
        memory[step] = [max(r.get("step_peak_gib", {}).get(step, 0.0), 0.01) for r in results]
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="640" height="660" font-family="sans-serif" font-size="11">',
             '<rect width="640" height="660" fill="white"/>']
    parts += _panel(results, seconds, "tuoke build: seconds vs public mentions (log-log, 2 cores)", "s", 0)
    parts += _panel(results, memory, "peak RSS (GiB, process + children) vs public mentions", " GiB", 330)
    parts.append("</svg>")
    return "\n".join(parts)


def report(results: list[dict]) -> str:
    largest = results[-1]
    steps = sorted(largest["steps"], key=largest["steps"].get, reverse=True)[:TOP_STEPS]
    lines = ["# Scale benchmark: the full build at several sizes", "",
             f"{os.cpu_count()} CPUs; each size in a fresh process; feed rows in proportion.", "",
             "Step columns: seconds in the heaviest step groups (steps overlap, so they can add up to more",
             "than the wall time). Load: the machine's 5-minute load average when the size finished.", "",
             "| public mentions | feed rows | wall s | CPU s | peak RSS GiB | ok | load | " + " | ".join(steps) + " |",
             "|---:|---:|---:|---:|---:|---|---:|" + "---:|" * len(steps)]
    for r in results:
        lines.append(f"| {r['mentions']:,} | {r['feed_rows']:,} | {r['wall']:.1f} | {r.get('cpu', float('nan')):.1f} | "
                     f"{r['peak_gib']:.2f} | {'yes' if r['success'] else 'NO'} | {r.get('load', float('nan')):.1f} | "
                     + " | ".join(f"{r['steps'].get(s, 0):.1f}" for s in steps) + " |")
    lines += ["", "Peak RSS (GiB) per step group, the same steps:", "",
              "| public mentions | " + " | ".join(steps) + " |", "|---:|" + "---:|" * len(steps)]
    for r in results:
        lines.append(f"| {r['mentions']:,} | " + " | ".join(f"{r.get('step_peak_gib', {}).get(s, 0):.2f}" for s in steps)
                     + " |")
    for r in results:
        for step, why in (r.get("failures") or {}).items():
            lines.append(f"\nFailed at {r['mentions']:,}: `{step}`: {why}")
    if len(results) > 1:
        lines += ["", "Slope (exponent of time against data; 1.0 = linear) between consecutive sizes:", "",
                  "| sizes | whole build | " + " | ".join(steps) + " |", "|---|---:|" + "---:|" * len(steps)]
        for small, large in zip(results, results[1:]):
            lines.append(f"| {small['mentions']:,} → {large['mentions']:,} | {_slope(small, large, 'wall'):.2f} | "
                         + " | ".join(f"{_slope(small, large, s):.2f}" for s in steps) + " |")
    return "\n".join(lines) + "\n"


def write_chart(results: list[dict]) -> None:
    largest = results[-1]
    steps = sorted(largest["steps"], key=largest["steps"].get, reverse=True)[:TOP_STEPS - 1]
    CHART.parent.mkdir(parents=True, exist_ok=True)
    CHART.write_text(svg_chart(results, steps), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="300000,1000000,3000000,10000000")
    parser.add_argument("--feed-ratio", type=float, default=1.0)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # child mode: one size, JSON on stdout
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure_one(args.one, int(args.one * args.feed_ratio))))
        return
    results = []
    for size in [int(s) for s in args.sizes.split(",")]:
        print(f"building at {size:,} public mentions …", flush=True)
        child = subprocess.run([sys.executable, "-m", "benchmarks.bench_scale", "--one", str(size),
                                "--feed-ratio", str(args.feed_ratio)], cwd=ROOT, capture_output=True, text=True)
        if child.returncode != 0:
            print(child.stderr[-3000:])
            raise SystemExit(f"size {size} failed")
        results.append(json.loads(child.stdout.strip().splitlines()[-1]))
        print(f"  wall {results[-1]['wall']:.1f} s, peak {results[-1]['peak_gib']:.2f} GiB", flush=True)
        # written after every size: a larger size that runs out of memory keeps the smaller ones
        REPORT.parent.mkdir(parents=True, exist_ok=True)
        REPORT.write_text(report(results), encoding="utf-8")
        (REPORT.with_suffix(".json")).write_text(json.dumps(results, indent=1), encoding="utf-8")
        if len(results) > 1:
            write_chart(results)
    text = report(results)
    write_chart(results)
    print(text)
    print(f"written {REPORT} and {CHART}")


if __name__ == "__main__":
    main()
