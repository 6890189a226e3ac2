"""`tuoke crawl [SOURCE_ID...] [--all]`: crawl sources, each in its own Scrapy process."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from tuoke.core.errors import UserError
from tuoke.core.sources import load_sources

COLUMNS = ("pages", "list_pages", "detail_pages", "attachments", "items", "quarantined", "blocked", "http_errors")


def crawl_command(
    source_ids: list[str] = typer.Argument(None, help="Source ids to crawl (see `tuoke sources`)."),
    all_sources: bool = typer.Option(False, "--all", help="Crawl every configured source."),
    timeout: float = typer.Option(None, "--timeout", help="Give up on one crawl after this many seconds."),
) -> None:
    """Crawl public sources into data/landing (one subprocess per source) and show the run stats."""
    from scrapers.run import CrawlFailed, run_crawl_subprocess

    known = [s.id for s in load_sources()]
    if all_sources:
        wanted = known
    elif source_ids:
        unknown = [s for s in source_ids if s not in known]
        if unknown:
            raise UserError(f"unknown source(s): {', '.join(unknown)}; known: {', '.join(known) or 'none'}")
        wanted = list(source_ids)
    else:
        raise UserError("name at least one SOURCE_ID or pass --all (see `tuoke sources`)")
    console = Console()
    table = Table("source", "run_id", "finish", *COLUMNS, "top quarantine reasons", title="crawl runs")
    failed = 0
    for source_id in wanted:
        with console.status(f"crawling {source_id} …"):
            try:
                stats = run_crawl_subprocess(source_id, timeout=timeout)
            except CrawlFailed as exc:
                failed += 1
                console.print(f"[red]{source_id}: crawl failed[/red] {str(exc).splitlines()[0]}")
                table.add_row(source_id, "-", "[red]failed[/red]", *("-" for _ in COLUMNS), "")
                continue
        finish = stats.get("finish_reason", "?")
        if finish != "finished":
            failed += 1
        reasons = ", ".join(f"{k}×{v}" for k, v in list((stats.get("quarantine_reasons") or {}).items())[:3])
        table.add_row(source_id, stats.get("run_id", ""), finish if finish == "finished" else f"[red]{finish}[/red]",
                      *(str(stats.get(c, 0)) for c in COLUMNS), reasons)
    console.print(table)
    if failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("crawl")(crawl_command)
