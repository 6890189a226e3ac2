"""`tuoke build`: re-materialize everything downstream of the landing files and internal feeds.

No crawl. Runs the Dagster `build` job in-process (one process, one DuckDB writer) against the
DAGSTER_HOME instance when that is set (runs show up in `dagster dev`), else an ephemeral one.
The build writes data/work/tuoke.duckdb and, only when every blocking check passed, publishes it
atomically onto data/tuoke.duckdb; a failed or killed build leaves the published file as it was.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from kernel.errors import UserError
from kernel.paths import DataPaths

DEFAULT_DEFINITIONS = "pipelines.definitions:defs"


def load_definitions(spec: str = DEFAULT_DEFINITIONS):
    module_name, _, attr = spec.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise UserError(f"cannot import definitions module {module_name!r}: {exc}") from exc
    defs = getattr(module, attr or "defs", None)
    if defs is None:
        raise UserError(f"{module_name} has no attribute {attr or 'defs'}")
    return defs


def run_build(defs=None, *, console: Console | None = None, show_progress: bool = True):
    """Run the build job with a live progress bar; returns pipelines.runner.RunOutcome."""
    from pipelines import runner

    console = console or Console()
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, transient=True, disable=not show_progress,
    ) as progress:
        return runner.run_build(progress=progress, defs=defs)


def print_outcome(outcome, console: Console) -> None:
    if outcome.checks:
        table = Table("check", "asset", "result", "blocking", "detail", title="asset checks")
        for c in sorted(outcome.checks, key=lambda c: (c.passed, c.asset, c.name)):
            result = "[green]passed" if c.passed else ("[red]FAILED" if c.severity == "ERROR" else "[yellow]warn")
            table.add_row(c.name, c.asset, result, "yes" if c.blocking else "", c.description)
        console.print(table)
    for step in outcome.failed_steps:
        console.print(f"[red]failed:[/red] {step}: {outcome.failures.get(step, '')}", highlight=False)
    if outcome.skipped_steps:
        console.print(f"[yellow]not run (an upstream step failed or a blocking check stopped it):[/yellow] "
                      f"{', '.join(outcome.skipped_steps)}")
    if outcome.published:
        console.print(f"[green]built and published[/green] in {outcome.seconds:.1f}s → [bold]{outcome.published}[/bold]")
        console.print(f"working copy {outcome.working} (builds only); run {outcome.run_id}")
        console.print(f'read it: tuoke query "SHOW ALL TABLES"   or   duckdb -readonly {outcome.published}')
    else:
        published = DataPaths.from_env().published_db
        kept = f"{published} still holds the previous build" if published.exists() else "nothing is published yet"
        console.print(f"[red]build did not publish[/red]: {kept}; run {outcome.run_id}")


def check_configs() -> None:
    """Every config file the build reads, checked before any step runs: a mistake is one line
    naming the file and the key path (exit 2), not a failed step deep in the run."""
    from kernel.feeds import load_feeds_config
    from kernel.scoring_config import load_scoring_config
    from kernel.territories import load_territories_config

    load_feeds_config()
    load_territories_config()
    load_scoring_config()


def build_command(
    data_dir: Path = typer.Option(None, "--data-dir", help="Data root (default: TUOKE_DATA_DIR or ./data)."),
    definitions: str = typer.Option(DEFAULT_DEFINITIONS, "--definitions", hidden=True,
                                     help="module:attr of the Dagster Definitions to build."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a live progress bar."),
    fresh: bool = typer.Option(False, "--fresh", help="Start from an empty working warehouse (e.g. after a "
                               "schema change); the published one is untouched until the build passes."),
    engine: str = typer.Option("duckdb", "--engine", help="duckdb, or spark: the same build with feed rows, "
                               "name resolution and every SQL model computed on Spark (configs/engine.yaml "
                               "`spark`; needs the `scale` extra and Java); published as the same DuckDB file."),
) -> int:
    """Rebuild the warehouse from landing files and internal feeds (no crawl), check it, publish it."""
    from pipelines.resources import ENGINE_ENV, ENGINES

    if engine not in ENGINES:
        raise UserError(f"--engine {engine!r}: expected duckdb or spark")
    if engine == "spark":
        require_spark()
    if data_dir is not None:
        os.environ["TUOKE_DATA_DIR"] = str(Path(data_dir).resolve())
    if fresh:
        working = DataPaths.from_env().working_db
        for path in (working, working.with_name(working.name + ".wal")):
            path.unlink(missing_ok=True)
    console = Console()
    from warehouse.pii import DEMO_KEY_NOTICE, require_pii_key, using_demo_key

    require_pii_key()  # outside the demo, no key means no build (one line, exit 2)
    if using_demo_key():
        console.print(f"[yellow]{DEMO_KEY_NOTICE}[/yellow]")
    check_configs()
    before = os.environ.get(ENGINE_ENV)
    os.environ[ENGINE_ENV] = engine  # the build's `engine` resource reads it (pipelines/resources.py)
    try:
        outcome = run_build(load_definitions(definitions), console=console, show_progress=progress)
    finally:
        if before is None:
            os.environ.pop(ENGINE_ENV, None)
        else:
            os.environ[ENGINE_ENV] = before
    print_outcome(outcome, console)
    return 0 if outcome.success else 1


def require_spark() -> None:
    """--engine spark without pyspark or Java is one line, before anything is built."""
    import importlib.util
    import shutil

    if importlib.util.find_spec("pyspark") is None:
        raise UserError("--engine spark needs the `scale` extra (pip install -e '.[scale]'): pyspark is not installed")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise UserError("--engine spark needs Java 17 or later (java on PATH or JAVA_HOME)")


def register(app: typer.Typer) -> None:
    app.command("build")(build_command)
