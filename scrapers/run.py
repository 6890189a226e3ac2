"""Run one crawl in its own process (the Twisted reactor cannot restart in a process).

    python -m scrapers.run SOURCE_ID [--run-id ID]

prints the run stats JSON as its last stdout line (Scrapy logs go to stderr). Launched under
Dagster Pipes (PipesSubprocessClient), it also reports the stats as materialization metadata.
`run_crawl_subprocess()` is what the Dagster crawl asset and `tuoke crawl` call.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from kernel.errors import UserError
from kernel.paths import DataPaths


class CrawlFailed(RuntimeError):
    """The crawl process died or printed no stats; the message carries the tail of its log."""

    def __init__(self, message: str, returncode: int | None = None, log_tail: str = ""):
        super().__init__(message + (f"\n--- log tail ---\n{log_tail}" if log_tail else ""))
        self.returncode = returncode
        self.log_tail = log_tail


def crawl(source_id: str, run_id: str | None = None, settings_overrides: Mapping | None = None) -> dict:
    """Crawl one source in this process and return its stats (reads the stats file landing wrote)."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "scrapers.settings")
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    from scrapers.provenance import new_run_id

    settings = get_project_settings()
    for key, value in (settings_overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    process = CrawlerProcess(settings)
    if source_id not in process.spider_loader.list():
        raise UserError(f"no source {source_id!r} in the source folder (TUOKE_SOURCES_DIR); see `tuoke sources`")
    run_id = run_id or new_run_id()
    process.crawl(source_id, run_id=run_id)
    process.start()
    stats_path = DataPaths.from_env().source_landing(source_id) / f"{run_id}.stats.json"
    if not stats_path.exists():
        raise CrawlFailed(f"crawl of {source_id} wrote no stats file {stats_path}")
    return json.loads(stats_path.read_text(encoding="utf-8"))


def _report_to_pipes(stats: dict) -> None:
    """Stats as Dagster metadata when a Pipes orchestrator launched this process."""
    try:
        from dagster_pipes import PipesEnvVarParamsLoader, open_dagster_pipes
    except ImportError:
        return
    if not PipesEnvVarParamsLoader().is_dagster_pipes_process():
        return
    with open_dagster_pipes() as pipes:
        metadata = {k: v for k, v in stats.items() if isinstance(v, (int, float, str))}
        metadata["unused_labels"] = {"raw_value": stats.get("unused_labels") or {}, "type": "json"}
        metadata["quarantine_reasons"] = {"raw_value": stats.get("quarantine_reasons") or {}, "type": "json"}
        pipes.report_asset_materialization(metadata=metadata, data_version=stats.get("run_id"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scrapers.run", description=__doc__.splitlines()[0])
    parser.add_argument("source_id")
    parser.add_argument("--run-id", default=None)
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="override a Scrapy setting (e.g. LOG_LEVEL=DEBUG)")
    args = parser.parse_args(argv)
    overrides = dict(item.split("=", 1) for item in args.set)
    try:
        stats = crawl(args.source_id, run_id=args.run_id, settings_overrides=overrides)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    _report_to_pipes(stats)
    sys.stdout.write(json.dumps(stats, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return 0 if stats.get("finish_reason") == "finished" else 1


def run_crawl_subprocess(
    source_id: str,
    env: Mapping[str, str] | None = None,
    timeout: float | None = None,
    run_id: str | None = None,
    log_path: Path | None = None,
) -> dict:
    """Crawl `source_id` in a child process; return its run stats (the last stdout line).

    `env` is added to this process's environment. TUOKE_DATA_DIR is resolved here, so a relative
    data root means the same folder to parent and child. Raises CrawlFailed when the child dies
    without stats (a finished-but-unhealthy run still returns its stats: check `finish_reason`).
    """
    child_env = {**os.environ, **(env or {})}
    child_env["TUOKE_DATA_DIR"] = str(Path(child_env.get("TUOKE_DATA_DIR", "data")).resolve())
    child_env.setdefault("SCRAPY_SETTINGS_MODULE", "scrapers.settings")
    child_env.setdefault("PYTHONIOENCODING", "utf-8")
    cmd = [sys.executable, "-m", "scrapers.run", source_id]
    if run_id:
        cmd += ["--run-id", run_id]
    try:
        proc = subprocess.run(cmd, env=child_env, capture_output=True, text=True, encoding="utf-8",
                              errors="replace", timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        tail = (exc.stderr or b"")[-4000:]
        raise CrawlFailed(f"crawl of {source_id} exceeded {timeout}s",
                          log_tail=tail.decode("utf-8", "replace") if isinstance(tail, bytes) else tail) from exc
    if log_path is not None:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        log_path.write_text(proc.stderr, encoding="utf-8")
    if proc.returncode == 2 and "error: " in proc.stderr:
        raise UserError(proc.stderr.strip().splitlines()[-1].removeprefix("error: "))
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith("{"):
            try:
                return json.loads(line)
            except ValueError:
                continue
    raise CrawlFailed(f"crawl of {source_id} exited with {proc.returncode} and printed no stats",
                      returncode=proc.returncode, log_tail=proc.stderr[-4000:])


if __name__ == "__main__":
    sys.exit(main())
