"""The deploy/ profile, tested: a Dagster instance on Postgres, the daemon, the Celery executor with a
Redis broker and two workers on localhost. `crawl_all` then `build` are launched with the dagster
CLI; crawl steps must fan out over both workers, every DuckDB-writing step must run on the one worker
that serves the `duckdb_write` queue, and the published warehouse must equal a single-process build."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from services import have_postgres, have_redis, postgres_server, redis_server

from demo.generate import generate_site
from demo.server import DemoServer
from kernel.paths import REPO_ROOT, DataPaths, demo_sources_dir
from tuoke.commands.demo import drop_demo_feeds

pytestmark = [
    pytest.mark.scaleout,
    pytest.mark.skipif(not (have_postgres() and have_redis()), reason="postgresql and redis-server not installed"),
    pytest.mark.skipif(shutil.which("celery", path=str(Path(sys.executable).parent)) is None,
                       reason="the `scale` extra (dagster-celery) is not installed"),
]

BIN = Path(sys.executable).parent
WRITER, CRAWLER = "writer", "crawler"
RUN_TIMEOUT = 420
# One row per build by design (build ids, times): compared by row count only.
BUILD_LOGS = ("marts.scoring_builds",)


def _env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "DAGSTER_"))}
    env.update(extra)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO_ROOT / "deploy" / "celery_config"), str(REPO_ROOT)])
    return env


def _start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    handle = open(log, "wb")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(args, cwd=REPO_ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)


def _wait_for_run(instance, job: str, timeout: float):
    from dagster import DagsterRunStatus, RunsFilter

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runs = instance.get_runs(filters=RunsFilter(job_name=job))
        if runs and runs[0].status in (DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED):
            return runs[0]
        time.sleep(1)
    raise AssertionError(f"run of {job} did not finish within {timeout} s")


def _worker_by_step(instance, run_id: str) -> dict[str, str]:
    """step key -> the Celery worker hostname that executed it (from dagster-celery's engine event)."""
    placed: dict[str, str] = {}
    for entry in instance.all_logs(run_id):
        event = entry.dagster_event
        if event is None or event.step_key is None or event.event_type_value != "ENGINE_EVENT":
            continue
        metadata = getattr(event.event_specific_data, "metadata", None) or {}
        worker = metadata.get("Celery worker")
        if worker is not None:
            placed[event.step_key] = str(worker.value)
    return placed


def _tables(db: Path) -> dict[str, list]:
    """Every core.* and marts.* table, rows sorted; timestamp columns (build times) left out."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        snapshot = {}
        names = con.execute("SELECT schema_name, table_name FROM duckdb_tables() "
                            "WHERE schema_name IN ('core', 'marts') ORDER BY 1, 2").fetchall()
        for schema, table in names:
            cols = [c for c, t in con.execute(f'SELECT column_name, data_type FROM duckdb_columns() '
                                                f"WHERE schema_name = '{schema}' AND table_name = '{table}'").fetchall()
                    if "TIMESTAMP" not in t and c not in ("build_id", "built_at")]
            select = ", ".join(f'"{c}"' for c in cols)
            snapshot[f"{schema}.{table}"] = con.execute(f'SELECT {select} FROM "{schema}"."{table}" ORDER BY ALL').fetchall()
        return snapshot
    finally:
        con.close()


@pytest.fixture(scope="module")
def celery_deployment(tmp_path_factory):
    root = tmp_path_factory.mktemp("scaleout")
    site = root / "site"
    generate_site(site, seed=42)
    dagster_home = root / "dagster_home"
    dagster_home.mkdir()
    shutil.copyfile(REPO_ROOT / "deploy" / "dagster.yaml", dagster_home / "dagster.yaml")
    data = root / "data"
    processes: list[subprocess.Popen] = []
    saved = dict(os.environ)
    with postgres_server() as pg, redis_server() as redis_url, DemoServer(site) as web:
        env = _env({
            **pg.env(),
            "DAGSTER_HOME": str(dagster_home),
            "TUOKE_EXECUTOR": "celery",
            "TUOKE_CELERY_BROKER": f"{redis_url}/0",
            "TUOKE_CELERY_BACKEND": f"{redis_url}/1",
            "TUOKE_DATA_DIR": str(data),
            "TUOKE_SOURCES_DIR": str(demo_sources_dir()),
            "TUOKE_DEMO_BASE_URL": web.base_url,
        })
        drop_demo_feeds(DataPaths(data))
        celery = [str(BIN / "celery"), "-A", "dagster_celery.app", "worker", "-P", "solo",
                  "--prefetch-multiplier=1", "-l", "WARNING"]
        try:
            processes.append(_start([*celery, "-Q", f"dagster,{'duckdb_write'}", "-n", f"{WRITER}@%h"],
                                    env, root / "writer.log"))
            processes.append(_start([*celery, "-Q", "dagster", "-n", f"{CRAWLER}@%h"], env, root / "crawler.log"))
            processes.append(_start([str(BIN / "dagster-daemon"), "run", "-m", "pipelines.definitions"],
                                    env, root / "daemon.log"))
            os.environ.update({k: v for k, v in env.items() if k.startswith(("DAGSTER_", "TUOKE_"))})
            from dagster import DagsterInstance

            instance = DagsterInstance.get()
            runs = {}
            for job in ("crawl_all", "build"):
                launched = subprocess.run([str(BIN / "dagster"), "job", "launch", "-m", "pipelines.definitions",
                                           "-j", job], cwd=REPO_ROOT, env=env, capture_output=True, timeout=120)
                assert launched.returncode == 0, launched.stderr.decode(errors="replace")[-3000:]
                runs[job] = _wait_for_run(instance, job, RUN_TIMEOUT)
                if runs[job].status.value != "SUCCESS":
                    break
            placed = {job: _worker_by_step(instance, run.run_id) for job, run in runs.items()}
            yield {"runs": runs, "placed": placed, "data": data, "root": root}
            instance.dispose()
        finally:
            for proc in processes:
                proc.terminate()
            for proc in processes:
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
            os.environ.clear()
            os.environ.update(saved)


def test_both_jobs_succeed_on_the_celery_executor(celery_deployment):
    runs = celery_deployment["runs"]
    logs = celery_deployment["root"]
    assert set(runs) == {"crawl_all", "build"}, (logs / "daemon.log").read_text(errors="replace")[-3000:]
    for job, run in runs.items():
        assert run.status.value == "SUCCESS", f"{job}: {run.status}"


def test_crawl_steps_fan_out_over_both_workers(celery_deployment):
    sources = {p.stem for p in demo_sources_dir().glob("*.yaml")}
    placed = {step: host for step, host in celery_deployment["placed"]["crawl_all"].items()
              if step.removeprefix("landing__") in sources}
    assert len(placed) == len(sources), placed
    workers = {host.split("@")[0] for host in placed.values()}
    assert workers == {WRITER, CRAWLER}, placed


def test_every_duckdb_write_step_runs_on_the_single_writer_worker(celery_deployment):
    placed = celery_deployment["placed"]["build"]
    assert placed, "no build step reported a Celery worker"
    elsewhere = {step: host for step, host in placed.items() if not host.startswith(f"{WRITER}@")}
    assert elsewhere == {}, elsewhere


def test_the_published_warehouse_equals_a_single_process_build(celery_deployment, tmp_path, monkeypatch):
    from pipelines.assemble import build_definitions
    from pipelines.runner import run_build

    celery_db = DataPaths(celery_deployment["data"]).published_db
    single = tmp_path / "data"
    for part in ("landing", "inbox"):
        shutil.copytree(celery_deployment["data"] / part, single / part)
    monkeypatch.setenv("TUOKE_DATA_DIR", str(single))
    monkeypatch.setenv("TUOKE_SOURCES_DIR", str(demo_sources_dir()))
    monkeypatch.delenv("TUOKE_EXECUTOR", raising=False)
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    outcome = run_build(defs=build_definitions())
    assert outcome.success, outcome.failures
    celery_tables, single_tables = _tables(celery_db), _tables(DataPaths(single).published_db)
    assert celery_tables.keys() == single_tables.keys()
    differing = [name for name in celery_tables
                 if name not in BUILD_LOGS and celery_tables[name] != single_tables[name]]
    assert differing == []
    assert all(len(celery_tables[name]) == len(single_tables[name]) for name in BUILD_LOGS if name in celery_tables)
    assert celery_tables["marts.prospects_ranked"], "nothing ranked: the comparison would prove little"
