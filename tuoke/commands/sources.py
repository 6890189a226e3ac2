"""`tuoke sources`: list the configured public sources."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from kernel.sources import load_sources


def sources_command(
    directory: Path = typer.Option(None, "--dir", help="Source YAML folder (default: TUOKE_SOURCES_DIR or configs/sources)."),
) -> None:
    """List configured sources: id, kind, region, schedule and item assertions."""
    table = Table("id", "kind", "region", "schedule", "min..max items", "title")
    for source in load_sources(directory):
        bounds = f"{source.min_items or '-'}..{source.max_items or '-'}"
        table.add_row(source.id, source.kind, source.region or "", source.schedule or "", bounds, source.title)
    Console().print(table)


def register(app: typer.Typer) -> None:
    app.command("sources")(sources_command)
