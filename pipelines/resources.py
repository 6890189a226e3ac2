"""Dagster resources: where the data lives, the DuckDB working warehouse, and the crawl runner.

Environment variables are read here, when a resource is used, never at import time, so loading
the definitions (`dagster dev`, tests) does not depend on the shell it runs in.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
from pydantic import Field, PrivateAttr

from kernel.paths import REPO_ROOT, DataPaths
from warehouse.db import apply_engine_settings, connect

DUCKDB_WRITE_POOL = "duckdb_write"
# On the Celery executor (deploy/), every step that opens the working warehouse for writing is routed
# to one queue that a single worker serves; the pool limit stays as the second guard.
DUCKDB_WRITE_OP_TAGS = {"dagster-celery/queue": DUCKDB_WRITE_POOL}


def _is_lock_conflict(exc: Exception) -> bool:
    return isinstance(exc, duckdb.IOException) and "lock" in str(exc).lower()


class TuokeWarehouse(dg.ConfigurableResource):
    """The working DuckDB warehouse (`DataPaths.working_db`) and the published copy.

    Only steps in the `duckdb_write` pool call `open_write`; DuckDB allows one read-write process
    per file, so a conflicting lock (e.g. a pool limit not configured) is waited out, not failed on.
    """

    data_dir: str | None = Field(default=None, description="Data root; default env TUOKE_DATA_DIR or ./data")
    lock_timeout_seconds: float = Field(default=600.0, description="How long to wait for another writer")

    def paths(self) -> DataPaths:
        return DataPaths(Path(self.data_dir).resolve()) if self.data_dir else DataPaths.from_env()

    @contextmanager
    def _open(self, read_only: bool) -> Iterator[duckdb.DuckDBPyConnection]:
        path = self.paths().working_db
        path.parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + self.lock_timeout_seconds
        delay = 0.1
        while True:
            try:
                # warehouse.db.connect creates a new file at the published storage version, so
                # publish is a byte copy; a bare duckdb.connect here made every build's publish a
                # logical rewrite (27 s of a 44 s publish at a million mentions)
                con = connect(path, read_only=read_only)
                break
            except duckdb.Error as exc:
                if not _is_lock_conflict(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 2.0)
        try:
            apply_engine_settings(con, self.paths().root)
            if not read_only:
                for schema in ("raw", "ref", "staging", "core", "marts"):
                    con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
            yield con
        finally:
            con.close()

    @contextmanager
    def open_write(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self._open(read_only=False) as con:
            yield con

    @contextmanager
    def open_read(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Read the working file (checks run inside a build, before anything is published)."""
        if not self.paths().working_db.exists():
            raise dg.Failure(f"no working warehouse at {self.paths().working_db}: run the build first")
        with self._open(read_only=True) as con:
            yield con


ENGINE_ENV = "TUOKE_ENGINE"
ENGINES = ("duckdb", "spark")


class BuildEngine(dg.ConfigurableResource):
    """Who computes the build's heavy steps (feed rows, resolution, SQL models): `duckdb`, this
    process, or `spark`, a SparkSession (warehouse/engines/spark_build.py). Either way the tables
    land in the working DuckDB, and the checks and the publish step are the same.

    The session starts when the first Spark step runs and stops when the run (the in-process
    executor) or the step process (multiprocess, Celery) ends, so no JVM outlives a build.
    """

    name: str | None = Field(default=None, description="duckdb | spark; default env TUOKE_ENGINE, else duckdb")
    _spark_build: Any = PrivateAttr(default=None)

    def chosen(self) -> str:
        choice = (self.name or os.environ.get(ENGINE_ENV, "") or "duckdb").strip().lower()
        if choice not in ENGINES:
            raise dg.Failure(f"engine {choice!r} (resource `engine` or {ENGINE_ENV}): expected duckdb or spark")
        return choice

    def spark_build(self, data_root: Path):
        """The build's SparkBuild under the spark engine, else None."""
        if self.chosen() != "spark":
            return None
        if self._spark_build is None:
            from warehouse.engines.spark_build import SparkBuild

            self._spark_build = SparkBuild(data_root)
        return self._spark_build

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._spark_build is not None:
            self._spark_build.stop()
            self._spark_build = None


class CrawlRunner(dg.ConfigurableResource):
    """Runs one source's Scrapy crawl in a subprocess (the Twisted reactor cannot restart).

    mode `subprocess`: `scrapers.run.run_crawl_subprocess` returns the run stats dict.
    mode `pipes`: Dagster Pipes runs `python -m scrapers.run SOURCE_ID`; whatever the crawler
    reports through Pipes (metadata, checks) streams back to the asset.
    """

    mode: str = Field(default="subprocess", description="subprocess | pipes")
    timeout_seconds: float | None = Field(default=None, description="Kill a crawl running longer")
    env: dict[str, str] = Field(default_factory=dict, description="Extra env for the crawl process")
    data_dir: str | None = Field(default=None, description="Data root passed to the crawl as TUOKE_DATA_DIR")

    def crawl_env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.data_dir:
            env["TUOKE_DATA_DIR"] = str(Path(self.data_dir).resolve())
        env.update(self.env)
        return env

    def crawl(self, context: dg.AssetExecutionContext, source_id: str) -> dict[str, Any]:
        """Run the crawl; return its stats (contract: run stats keys)."""
        if self.mode == "pipes":
            return self._crawl_with_pipes(context, source_id)
        if self.mode != "subprocess":
            raise dg.Failure(f"crawl runner mode {self.mode!r} is not one of subprocess, pipes")
        try:  # imported when a crawl runs, not when definitions load
            from scrapers.run import run_crawl_subprocess
        except ImportError:
            return run_module_crawl(source_id, self.crawl_env(), self.timeout_seconds)
        return dict(run_crawl_subprocess(source_id, env=self.crawl_env(), timeout=self.timeout_seconds) or {})

    def _crawl_with_pipes(self, context: dg.AssetExecutionContext, source_id: str) -> dict[str, Any]:
        client = dg.PipesSubprocessClient(cwd=str(REPO_ROOT))
        invocation = client.run(
            command=[sys.executable, "-m", "scrapers.run", source_id],
            context=context,
            env=self.crawl_env(),
        )
        stats: dict[str, Any] = {}
        for result in invocation.get_results():
            for key, value in (getattr(result, "metadata", None) or {}).items():
                stats[key] = getattr(value, "value", value)
        return stats


def read_stats_line(stdout: str) -> dict[str, Any]:
    """The crawl CLI prints its stats JSON as the last stdout line."""
    for line in reversed(stdout.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            return json.loads(line)
    return {}


def run_module_crawl(source_id: str, env: dict[str, str], timeout: float | None) -> dict[str, Any]:
    """Fallback used when scrapers.run has no `run_crawl_subprocess`: run the module CLI."""
    proc = subprocess.run(
        [sys.executable, "-m", "scrapers.run", source_id],
        cwd=str(REPO_ROOT), env=env, timeout=timeout, capture_output=True, text=True, check=False,
    )
    if proc.returncode != 0:
        raise dg.Failure(f"crawl {source_id} exited {proc.returncode}: {proc.stderr.strip()[-2000:]}")
    return read_stats_line(proc.stdout)
