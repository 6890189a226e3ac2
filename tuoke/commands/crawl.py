"""`tuoke crawl [SOURCE_ID...] [--all]`: crawl sources, each in its own Scrapy process.

`tuoke crawl SOURCE_ID --dry-run` fetches one list page and one detail page (scrapers.dryrun),
prints the mentions and writes nothing: the first thing to run against a live site.
"""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from kernel.errors import UserError
from kernel.sources import load_sources

COLUMNS = ("pages", "list_pages", "detail_pages", "attachments", "items", "quarantined", "blocked", "http_errors")


def crawl_command(
    source_ids: list[str] = typer.Argument(None, help="Source ids to crawl (see `tuoke sources`)."),
    all_sources: bool = typer.Option(False, "--all", help="Crawl every configured source."),
    timeout: float = typer.Option(None, "--timeout", help="Give up on one crawl after this many seconds."),
    dry_run: bool = typer.Option(False, "--dry-run", help="One list page and one detail page; print the mentions, "
                                                          "write nothing (no landing, no seen state)."),
) -> None:
    """Crawl public sources into data/landing (one subprocess per source) and show the run stats."""
    from scrapers.run import CrawlFailed, run_crawl_subprocess

    known = [s.id for s in load_sources()]
    if dry_run:
        if all_sources or not source_ids or len(source_ids) != 1:
            raise UserError("--dry-run takes exactly one SOURCE_ID (see `tuoke sources`)")
        if source_ids[0] not in known:
            raise UserError(f"unknown source {source_ids[0]!r}; known: {', '.join(known) or 'none'}")
        raise typer.Exit(show_dry_run(source_ids[0], timeout))
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
    health = health_table()
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
        add_health_row(health, source_id, stats)
    console.print(table)
    if health.row_count:
        console.print(health)
    if failed:
        raise typer.Exit(1)


def health_table() -> Table:
    """Extraction health per run (scrapers.extract.health): the silent misses, each as count/of (share)."""
    from kernel.contracts import EXTRACTION_HEALTH

    return Table("source", *(what for what, _, _ in EXTRACTION_HEALTH), "warnings",
                 title="extraction health (a share over its limit is a page layout to look at)")


def add_health_row(table: Table, source_id: str, stats: dict) -> None:
    from scrapers.extract.health import HEALTH_SHARE_MAX, health_shares, health_warnings

    cells = []
    for key, _, count, of, share in health_shares(stats):
        text = f"{count}/{of}" + (f" ({share:.0%})" if share is not None else "")
        cells.append(f"[red]{text}[/red]" if share is not None and share > HEALTH_SHARE_MAX[key] else text)
    warnings = health_warnings(stats)
    table.add_row(source_id, *cells, "[yellow]" + "; ".join(warnings) + "[/yellow]" if warnings else "-")


def show_dry_run(source_id: str, timeout: float | None) -> int:
    """Run scrapers.dryrun in a child process and print what it found; 1 when no mention came back."""
    import json
    import os
    import subprocess
    import sys

    console = Console()
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.setdefault("SCRAPY_SETTINGS_MODULE", "scrapers.settings")
    with console.status(f"dry run of {source_id}: one list page, one detail page …"):
        try:
            proc = subprocess.run([sys.executable, "-m", "scrapers.dryrun", source_id], env=env, capture_output=True,
                                  text=True, encoding="utf-8", errors="replace", timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise UserError(f"dry run of {source_id} exceeded {timeout}s") from exc
    if proc.returncode == 2 and "error: " in proc.stderr:
        raise UserError(proc.stderr.strip().splitlines()[-1].removeprefix("error: "))
    rows = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    summary = next((r["dry_run"] for r in rows if "dry_run" in r), None)
    if summary is None:
        console.print(f"[red]{source_id}: dry run printed no summary[/red]\n{proc.stderr[-2000:]}")
        return 1
    table = Table("role", "name", "amount (元)", "lot", "notice", "url", title=f"dry run of {source_id}: mentions")
    for row in (r["mention"] for r in rows if "mention" in r):
        amount = row.get("amount_yuan")
        table.add_row(row.get("role", ""), row.get("name", ""), f"{amount:,.2f}" if isinstance(amount, (int, float)) else "",
                      str(row.get("lot") or ""), (row.get("notice_title") or "")[:40], row.get("url", ""))
    console.print(table)
    for row in (r["quarantined"] for r in rows if "quarantined" in r):
        console.print(f"[yellow]quarantined[/yellow] {row.get('reason')}: {row.get('detail')} ({row.get('url')})")
    if summary.get("health"):
        health = health_table()
        add_health_row(health, source_id, {**summary["health"], "detail_pages": summary["detail_pages"],
                                           "list_pages": summary["list_pages"]})
        console.print(health)
    kinds = ", ".join(f"{k}×{v}" for k, v in summary.get("pages_by_kind", {}).items())
    console.print(f"{source_id}: {summary['list_pages']} list page, {summary['detail_pages']} detail page, "
                  f"{summary['attachments']} attachment(s) → {summary['mentions']} mention(s), "
                  f"{summary['quarantined']} quarantined" + (f"; page kinds {kinds}" if kinds else "")
                  + "; nothing written")
    if summary["mentions"] == 0:
        console.print(f"[red]{source_id}: no mentions — check the list selectors and the detail page (tuoke extract URL)[/red]")
        return 1
    return 0


def register(app: typer.Typer) -> None:
    app.command("crawl")(crawl_command)
