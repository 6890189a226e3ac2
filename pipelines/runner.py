"""Run the Dagster jobs in-process from the CLI (`tuoke build`, `tuoke demo`), with live progress.

`execute_in_process` runs every step in this process, one at a time: one DuckDB writer by
construction. The instance is DAGSTER_HOME's when set (the runs then show in `dagster dev`),
otherwise an ephemeral one. Progress comes from polling the run's event log in a thread.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from kernel.paths import DataPaths

BUILD_JOB = "build"
CRAWL_ALL_JOB = "crawl_all"
# Dagster's console logger would print every event and every traceback; the outcome carries the
# one-line failure messages instead.
_QUIET_LOGGERS = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}


@dataclass
class CheckOutcome:
    asset: str
    name: str
    passed: bool
    severity: str
    blocking: bool
    description: str


@dataclass
class RunOutcome:
    job: str
    success: bool
    run_id: str
    seconds: float
    checks: list[CheckOutcome] = field(default_factory=list)
    failed_steps: list[str] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)  # step → first line of its error
    skipped_steps: list[str] = field(default_factory=list)
    materializations: dict[str, dict[str, Any]] = field(default_factory=dict)
    published: Path | None = None
    working: Path | None = None

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["published"] = str(self.published) if self.published else None
        data["working"] = str(self.working) if self.working else None
        return data

    def get(self, key: str, default: Any = None) -> Any:  # dict-style access for callers
        return self.as_dict().get(key, default)


def default_definitions():
    from pipelines.definitions import defs

    return defs


def _instance():
    from dagster import DagsterInstance

    return DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else DagsterInstance.ephemeral()


class _ProgressWatcher(threading.Thread):
    """Polls the run's event log; moves a task of a (possibly already live) rich Progress."""

    def __init__(self, instance, run_id: str, progress, task) -> None:
        super().__init__(daemon=True)
        self.instance, self.run_id, self.progress, self.task = instance, run_id, progress, task
        self.stop = threading.Event()
        self.seen = 0

    def poll(self) -> None:
        try:
            records = self.instance.all_logs(self.run_id)
        except Exception:  # noqa: BLE001 — storage not ready yet, or a transient sqlite lock: next tick
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


def _metadata_values(metadata) -> dict[str, Any]:
    out = {}
    for key, value in (metadata or {}).items():
        out[key] = getattr(value, "value", value)
    return out


def execute_job(job_name: str, *, defs=None, progress=None, label: str | None = None,
                asset_selection=None) -> RunOutcome:
    """Run one job of the definitions in-process; `progress` is an optional live rich Progress."""
    from dagster import AssetCheckSeverity
    from dagster._core.utils import make_new_run_id

    defs = defs if defs is not None else default_definitions()
    job = defs.resolve_job_def(job_name)
    instance = _instance()
    run_id = make_new_run_id()
    logging.getLogger("dagster").setLevel(logging.CRITICAL)
    started = time.monotonic()
    watcher = None
    task = None
    if progress is not None:
        task = progress.add_task(f"[cyan]{label or job_name}", total=len(job.graph.node_dict))
        watcher = _ProgressWatcher(instance, run_id, progress, task)
        watcher.start()
    try:
        result = job.execute_in_process(
            instance=instance, run_id=run_id, raise_on_error=False, run_config=_QUIET_LOGGERS,
            asset_selection=asset_selection,
        )
    finally:
        if watcher is not None:
            watcher.stop.set()
            watcher.join(timeout=5)
            progress.update(task, description=label or job_name, completed=len(job.graph.node_dict))

    outcome = RunOutcome(job=job_name, success=result.success, run_id=run_id, seconds=time.monotonic() - started)
    for evaluation in result.get_asset_check_evaluations():
        outcome.checks.append(CheckOutcome(
            asset=evaluation.asset_key.to_user_string(),
            name=evaluation.check_name,
            passed=evaluation.passed,
            severity="ERROR" if evaluation.severity == AssetCheckSeverity.ERROR else "WARN",
            blocking=bool(evaluation.blocking),
            description=evaluation.description or "",
        ))
    for event in result.all_events:
        kind = event.event_type_value
        if kind == "STEP_FAILURE":
            outcome.failed_steps.append(event.step_key)
            error = getattr(event.event_specific_data, "error", None)
            # "Error occurred while executing op …" wraps the user error: report the cause's message.
            while error is not None and getattr(error, "cause", None) is not None and \
                    "Error occurred while executing" in (error.message or ""):
                error = error.cause
            message = (getattr(error, "message", "") or "").strip().splitlines()
            first = message[0] if message else ""
            if first.startswith("dagster.") and ": " in first:  # "dagster…Failure: text" → "text"
                first = first.split(": ", 1)[1]
            outcome.failures[event.step_key] = first
        elif kind == "STEP_SKIPPED":
            outcome.skipped_steps.append(event.step_key)
        elif kind == "ASSET_MATERIALIZATION":
            mat = event.event_specific_data.materialization
            outcome.materializations[mat.asset_key.to_user_string()] = _metadata_values(mat.metadata)
    if instance.is_ephemeral:
        instance.dispose()
    return outcome


def run_build(progress=None, *, defs=None) -> RunOutcome:
    """The `build` job: landing + feeds + reference → resolve → models → checks → publish."""
    outcome = execute_job(BUILD_JOB, defs=defs, progress=progress, label="building the warehouse")
    paths = DataPaths.from_env()
    outcome.working = paths.working_db
    if "published/warehouse" in outcome.materializations:
        outcome.published = Path(outcome.materializations["published/warehouse"].get("path") or paths.published_db)
    return outcome


def run_crawls(progress=None, *, defs=None, source_ids=None) -> dict[str, dict[str, Any]]:
    """The `crawl_all` job (every source, or `source_ids`); returns {source_id: run stats}."""
    from dagster import AssetKey

    selection = [AssetKey(["landing", s]) for s in source_ids] if source_ids else None
    outcome = execute_job(CRAWL_ALL_JOB, defs=defs, progress=progress, label="crawling", asset_selection=selection)
    stats = {}
    for key, metadata in outcome.materializations.items():
        if key.startswith("landing/"):
            stats[key.split("/", 1)[1]] = metadata
    for step in outcome.failed_steps:
        if step.startswith("landing__") and "_items_" not in step:
            stats.setdefault(step[len("landing__"):], {"finish_reason": "failed"})
    return stats
