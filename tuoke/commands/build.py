"""`tuoke build`: re-materialize everything downstream of the landing files and internal feeds.

No crawl. Runs the Dagster `build` job in-process (one process, one DuckDB writer) against the
DAGSTER_HOME instance when that is set (runs show up in `dagster dev`), else an ephemeral one.
The build writes data/work/tuoke.duckdb and, only when every blocking check passed, publishes it
atomically onto data/tuoke.duckdb; a failed or killed build leaves the published file as it was.
"""

from __future__ import annotations

import importlib
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from tuoke.errors import UserError
from tuoke.paths import DataPaths

DEFAULT_DEFINITIONS = "pipelines.definitions:defs"
BUILD_JOB = "build"


@dataclass
class CheckOutcome:
    asset: str
    name: str
    passed: bool
    severity: str
    blocking: bool
    description: str


@dataclass
class BuildOutcome:
    success: bool
    run_id: str
    published: Path | None
    working: Path
    checks: list[CheckOutcome] = field(default_factory=list)
    failed_steps: list[str] = field(default_factory=list)
    skipped_steps: list[str] = field(default_factory=list)
    seconds: float = 0.0


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


def _instance():
    from dagster import DagsterInstance

    if os.environ.get("DAGSTER_HOME"):
        return DagsterInstance.get()
    return DagsterInstance.ephemeral()


class _ProgressWatcher(threading.Thread):
    """Polls the run's event log and moves a rich progress bar (execute_in_process blocks)."""

    def __init__(self, instance, run_id: str, progress: Progress, task) -> None:
        super().__init__(daemon=True)
        self.instance, self.run_id, self.progress, self.task = instance, run_id, progress, task
        self.stop = threading.Event()
        self.seen = 0

    def poll(self) -> None:
        try:
            records = self.instance.all_logs(self.run_id)
        except Exception:  # storage not ready yet / transient sqlite lock: try again next tick
            return
        for record in records[self.seen:]:
            event = record.dagster_event
            if event is None:
                continue
            kind = event.event_type_value
            if kind == "STEP_START":
                self.progress.update(self.task, description=f"[cyan]{event.step_key}")
            elif kind in ("STEP_SUCCESS", "STEP_FAILURE", "STEP_SKIPPED"):
                self.progress.advance(self.task)
        self.seen = len(records)

    def run(self) -> None:
        while not self.stop.is_set():
            self.poll()
            time.sleep(0.2)
        self.poll()


def run_build(defs=None, *, console: Console | None = None, show_progress: bool = True) -> BuildOutcome:
    from dagster import AssetCheckSeverity
    from dagster._core.utils import make_new_run_id

    console = console or Console()
    defs = defs if defs is not None else load_definitions()
    try:
        job = defs.resolve_job_def(BUILD_JOB)
    except Exception as exc:
        raise UserError(f"the definitions have no {BUILD_JOB!r} job: {exc}") from exc
    blocking = {
        (spec.asset_key.to_user_string(), spec.name): spec.blocking
        for spec in defs.resolve_asset_graph().asset_check_specs
    } if hasattr(defs.resolve_asset_graph(), "asset_check_specs") else {}
    paths = DataPaths.from_env()
    instance = _instance()
    run_id = make_new_run_id()
    total_steps = len(job.graph.node_dict)
    started = time.monotonic()
    # Dagster's own console logger would print every event; keep warnings and errors only.
    run_config = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}
    logging.getLogger("dagster").setLevel(logging.ERROR)

    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, transient=True, disable=not show_progress,
    ) as progress:
        task = progress.add_task("[cyan]starting build", total=total_steps)
        watcher = _ProgressWatcher(instance, run_id, progress, task)
        watcher.start()
        try:
            result = job.execute_in_process(
                instance=instance, run_id=run_id, raise_on_error=False, run_config=run_config
            )
        finally:
            watcher.stop.set()
            watcher.join(timeout=5)

    outcome = BuildOutcome(
        success=result.success, run_id=run_id, published=None, working=paths.working_db,
        seconds=time.monotonic() - started,
    )
    for evaluation in result.get_asset_check_evaluations():
        asset = evaluation.asset_key.to_user_string()
        outcome.checks.append(
            CheckOutcome(
                asset=asset,
                name=evaluation.check_name,
                passed=evaluation.passed,
                severity="ERROR" if evaluation.severity == AssetCheckSeverity.ERROR else "WARN",
                blocking=bool(getattr(evaluation, "blocking", None) or blocking.get((asset, evaluation.check_name))),
                description=evaluation.description or "",
            )
        )
    for event in result.all_events:
        if event.event_type_value == "STEP_FAILURE":
            outcome.failed_steps.append(event.step_key)
        elif event.event_type_value == "STEP_SKIPPED":
            outcome.skipped_steps.append(event.step_key)
    published_this_run = any(
        e.event_type_value == "ASSET_MATERIALIZATION" and e.asset_key and e.asset_key.path == ["published", "warehouse"]
        for e in result.all_events
    )
    if published_this_run:
        outcome.published = paths.published_db
    if instance.is_ephemeral:
        instance.dispose()
    return outcome


def print_outcome(outcome: BuildOutcome, console: Console) -> None:
    if outcome.checks:
        table = Table("check", "asset", "result", "blocking", "detail", title="asset checks")
        for c in sorted(outcome.checks, key=lambda c: (c.passed, c.asset, c.name)):
            result = "[green]passed" if c.passed else ("[red]FAILED" if c.severity == "ERROR" else "[yellow]warn")
            table.add_row(c.name, c.asset, result, "yes" if c.blocking else "", c.description)
        console.print(table)
    for step in outcome.failed_steps:
        console.print(f"[red]failed:[/red] {step}")
    if outcome.skipped_steps:
        console.print(f"[yellow]not run (upstream failed or blocked):[/yellow] {', '.join(outcome.skipped_steps)}")
    if outcome.published:
        console.print(
            f"[green]built and published[/green] in {outcome.seconds:.1f}s → [bold]{outcome.published}[/bold]  "
            f"(working copy {outcome.working}; run {outcome.run_id})"
        )
        console.print(f'read it: tuoke query "SHOW ALL TABLES"  ·  duckdb -readonly {outcome.published}')
    else:
        published = DataPaths.from_env().published_db
        kept = f"{published} still holds the previous build" if published.exists() else "nothing is published yet"
        console.print(f"[red]build did not publish[/red] ({kept}); run {outcome.run_id}")


def build_command(
    data_dir: Path = typer.Option(None, "--data-dir", help="Data root (default: TUOKE_DATA_DIR or ./data)."),
    definitions: str = typer.Option(DEFAULT_DEFINITIONS, "--definitions", hidden=True,
                                     help="module:attr of the Dagster Definitions to build."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a live progress bar."),
) -> int:
    """Rebuild the warehouse from landing files and internal feeds (no crawl), check it, publish it."""
    if data_dir is not None:
        os.environ["TUOKE_DATA_DIR"] = str(Path(data_dir).resolve())
    console = Console()
    outcome = run_build(load_definitions(definitions), console=console, show_progress=progress)
    print_outcome(outcome, console)
    return 0 if outcome.success else 1


def register(app: typer.Typer) -> None:
    app.command("build")(build_command)
