"""`tuoke demo`: serve the bundled demo web, crawl it with the real spiders, build the warehouse
through Dagster, print the top prospects and write the Excel export."""

from __future__ import annotations

import os
import shutil
import time
from datetime import date
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from kernel.errors import UserError
from kernel.paths import REPO_ROOT, DataPaths, demo_sources_dir

DEMO_INTERNAL_DIR = REPO_ROOT / "demo" / "internal"

EXAMPLE_QUERY = (
    "SELECT branch, rank, name, score, segment FROM marts.prospects_ranked "
    "WHERE rank <= 5 ORDER BY branch, rank"
)


def demo_feed_of(filename: str, feeds: tuple[str, ...]) -> str | None:
    """The feed a demo export belongs to: its name is the feed's (`counterparties.csv`) or starts
    with it (`payroll_employers.csv` → payroll); the longest such feed of feeds.yaml wins."""
    stem = Path(filename).stem
    matches = [feed for feed in feeds if stem == feed or stem.startswith(feed + "_")]
    return max(matches, key=len) if matches else None


def drop_demo_feeds(paths: DataPaths) -> int:
    """Copy the sample bank exports into the feed drop folders, as a bank job would."""
    from kernel.feeds import feed_names

    feeds = feed_names()
    copied = 0
    for source in sorted(DEMO_INTERNAL_DIR.glob("*.csv")):
        feed = demo_feed_of(source.name, feeds)
        if feed is None:
            raise UserError(f"{source}: no feed of configs/feeds.yaml is named like it")
        target_dir = paths.inbox / feed
        target_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target_dir / source.name)
        copied += 1
    return copied


def _print_top(published_db: Path, top: int) -> None:
    """The best prospects over all branches, in the table `tuoke rank` prints."""
    from tuoke.commands.rank import print_prospects, query_prospects
    from tuoke.prospects import open_published

    with open_published(published_db) as reader:
        prospects = query_prospects(reader)
    best = prospects.sort_values(["score", "company_id"], ascending=[False, True]).head(top)
    best = best.sort_values(["branch", "rank", "company_id"])
    print_prospects(best, f"Top {top} prospects by score, by branch (# = rank in its branch)")


def _start_demo_server(server_class, site_dir: Path, port: int, console: Console):
    """Prefer the fixed port: page URLs are part of mention ids and of the seen-URL crawl state."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
            free = True
        except OSError:
            free = False
    if free:
        return server_class(site_dir, port=port)
    else:
        console.print(f"[yellow]port {port} is busy; serving on a free port (URLs differ from earlier runs)[/yellow]")
        return server_class(site_dir, port=0)


def demo_command(
    seed: int = typer.Option(42, help="Seed of the demo web generator (same seed, same site)."),
    top: int = typer.Option(20, help="How many prospects to print."),
    port: int = typer.Option(
        8765, help="Port of the demo web. Kept fixed so re-runs see the same URLs (incremental crawl)."
    ),
) -> None:
    """Serve the demo web on localhost, crawl it, build the warehouse, print and export prospects."""
    from demo.generate import generate_site
    from demo.server import DemoServer
    from pipelines.runner import run_build, run_crawls
    from tuoke.commands.serve import serve_url
    from tuoke.exporting import export_prospects_xlsx
    from tuoke.prospects import open_published
    from warehouse.pii import DEMO_KEY_NOTICE, using_demo_key

    console = Console()
    started = time.monotonic()
    paths = DataPaths.from_env()
    paths.root.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("TUOKE_SOURCES_DIR", str(demo_sources_dir()))
    os.environ.setdefault("TUOKE_PII_DEMO_KEY", "1")  # invented people; a real key, when set, still wins
    if using_demo_key():
        console.print(f"[yellow]{DEMO_KEY_NOTICE}[/yellow]")
    site_dir = paths.root / "demo_site"

    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(), console=console,
    ) as progress:
        step = progress.add_task("generating the demo web", total=1)
        generate_site(site_dir, seed=seed)
        progress.update(step, completed=1)
        with _start_demo_server(DemoServer, site_dir, port, progress.console) as server:
            os.environ["TUOKE_DEMO_BASE_URL"] = server.base_url
            progress.console.print(f"demo web served at {server.base_url}")
            drop_demo_feeds(paths)
            crawl_stats = run_crawls(progress=progress)
        build_result = run_build(progress=progress)

    crawl_table = Table("source", "pages", "items", "quarantined", "blocked", title="Crawl runs")
    for source_id, stats in sorted(crawl_stats.items()):
        crawl_table.add_row(
            source_id, str(stats.get("pages", 0)), str(stats.get("items", 0)),
            str(stats.get("quarantined", 0)), str(stats.get("blocked", 0)),
        )
    console.print(crawl_table)
    _print_top(paths.published_db, top)
    export_path = paths.exports / f"prospects-{date.today().isoformat()}.xlsx"
    with open_published(paths.published_db) as reader:
        export_prospects_xlsx(reader, export_path)
    console.print(f"Excel export: [bold]{export_path}[/bold]")
    console.print(f"Warehouse:    [bold]{paths.published_db}[/bold]  (read-only copy of the last complete build)")
    console.print(f'Try:          tuoke query "{EXAMPLE_QUERY}"')
    console.print(f"   or:        duckdb -readonly {paths.published_db}")
    console.print(f"Web page:     tuoke serve  →  [bold]{serve_url()}[/bold]  (demo users in configs/users.yaml, "
                  "e.g. hz_rm / hz-demo-pass)")
    if not build_result.success:
        console.print("[yellow]Some checks failed; see above.[/yellow]")
    console.print(f"Done in {time.monotonic() - started:.0f} s.")


def register(app: typer.Typer) -> None:
    app.command("demo")(demo_command)
