"""Crawl benchmark: a full and an incremental crawl of a generated ~10k-notice demo site.

    .venv/bin/python -m benchmarks.bench_crawl [--runs 3] [--notices 10000] [--source demo_zj_award]

Generates the demo site once, serves it on localhost, then per run (fresh data folder): a full
crawl and a second crawl of the unchanged site, each in its own subprocess through
`scrapers.run.run_crawl_subprocess` (the path Dagster and `tuoke crawl` use). Reports medians of
wall time, pages/s, peak RSS of the crawl process and the second crawl's detail-page fetches
(target 0). Prints a markdown table and writes benchmarks/out/crawl.md.
"""

from __future__ import annotations

import argparse
import inspect
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from kernel.paths import REPO_ROOT, demo_sources_dir
from scrapers.run import run_crawl_subprocess

OUT = REPO_ROOT / "benchmarks" / "out" / "crawl.md"


def generate(site_dir: Path, notices: int) -> None:
    from demo.generate import generate_site

    params = inspect.signature(generate_site).parameters
    if "notices" in params:
        generate_site(site_dir, notices=notices)
    elif "scale" in params:  # the generator may size the site by a scale factor instead
        generate_site(site_dir, scale=max(1, round(notices / 1000)))
    else:
        generate_site(site_dir)


def children_peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def unbounded_sources(out_dir: Path, source: str) -> Path:
    """A copy of the demo source YAML with list paging unbounded: the demo caps max_pages for the
    default site size, and a 10k-notice site has ~500 list pages."""
    import yaml

    data = yaml.safe_load((demo_sources_dir() / f"{source}.yaml").read_text(encoding="utf-8"))
    data.setdefault("list", {})["max_pages"] = 100_000
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"{source}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return out_dir


def one_run(source: str, base_url: str, data_dir: Path, sources_dir: Path) -> dict:
    env = {"TUOKE_DEMO_BASE_URL": base_url, "TUOKE_SOURCES_DIR": str(sources_dir),
           "TUOKE_DATA_DIR": str(data_dir)}
    t0 = time.perf_counter()
    full = run_crawl_subprocess(source, env=env, timeout=3600)
    t1 = time.perf_counter()
    again = run_crawl_subprocess(source, env=env, timeout=3600)
    t2 = time.perf_counter()
    return {
        "full_s": t1 - t0, "full_pages": full["pages"], "full_detail": full["detail_pages"],
        "full_items": full["items"], "full_quarantined": full["quarantined"],
        "full_pps": full["pages"] / (t1 - t0), "full_rss": full.get("peak_rss_mb") or 0.0,
        "incr_s": t2 - t1, "incr_pages": again["pages"], "incr_detail": again["detail_pages"],
        "incr_requests": again.get("downloader_requests", 0), "incr_rss": again.get("peak_rss_mb") or 0.0,
        "finish": f"{full['finish_reason']}/{again['finish_reason']}",
    }


def report(rows: list[dict], *, source: str, notices: int, gen_s: float) -> str:
    def med(key: str) -> float:
        return statistics.median(r[key] for r in rows)

    lines = [
        f"# Crawl benchmark — {source}",
        "",
        f"Demo site with ~{notices} notices (generated in {gen_s:.1f} s), served on localhost; "
        f"median of {len(rows)} run(s); each crawl in its own subprocess. "
        f"Python {platform.python_version()}, {platform.machine()}, {platform.system()}.",
        "",
        "| measure | full crawl | second (incremental) crawl |",
        "|---|---:|---:|",
        f"| wall time (s) | {med('full_s'):.1f} | {med('incr_s'):.1f} |",
        f"| pages fetched | {med('full_pages'):.0f} | {med('incr_pages'):.0f} |",
        f"| detail pages fetched | {med('full_detail'):.0f} | **{med('incr_detail'):.0f}** (target 0) |",
        f"| pages/s | {med('full_pps'):.0f} | {med('incr_pages') / med('incr_s'):.1f} |",
        f"| mentions landed | {med('full_items'):.0f} | — |",
        f"| quarantined | {med('full_quarantined'):.0f} | — |",
        f"| peak RSS of crawl process (MB) | {med('full_rss'):.0f} | {med('incr_rss'):.0f} |",
        "",
        "Peak RSS of a crawl = VmHWM of the crawl process at close. "
        f"RUSAGE_CHILDREN max over all crawl subprocesses: {children_peak_rss_mb():.0f} MB (an upper bound: "
        "on Linux a child's ru_maxrss starts from the forking parent's high-water mark, and this parent "
        "holds the generated site). "
        f"Finish reasons: {', '.join(sorted({r['finish'] for r in rows}))}.",
        "",
        "| run | full s | pages | pages/s | 2nd s | 2nd detail pages | 2nd requests |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for i, r in enumerate(rows, 1):
        lines.append(f"| {i} | {r['full_s']:.1f} | {r['full_pages']} | {r['full_pps']:.0f} | {r['incr_s']:.1f} | "
                     f"{r['incr_detail']} | {r['incr_requests']} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--notices", type=int, default=10_000)
    parser.add_argument("--source", default="demo_zj_award")
    args = parser.parse_args(argv)
    from demo.server import DemoServer

    with tempfile.TemporaryDirectory(prefix="tuoke-bench-") as tmp:
        site = Path(tmp) / "site"
        t0 = time.perf_counter()
        generate(site, args.notices)
        gen_s = time.perf_counter() - t0
        rows = []
        sources_dir = unbounded_sources(Path(tmp) / "sources", args.source)
        with DemoServer(site) as server:
            for i in range(args.runs):
                row = one_run(args.source, server.base_url, Path(tmp) / f"data{i}", sources_dir)
                print(f"run {i + 1}/{args.runs}: full {row['full_s']:.1f}s {row['full_pages']} pages, "
                      f"second {row['incr_s']:.1f}s {row['incr_detail']} detail pages", file=sys.stderr)
                rows.append(row)
    text = report(rows, source=args.source, notices=args.notices, gen_s=gen_s)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
