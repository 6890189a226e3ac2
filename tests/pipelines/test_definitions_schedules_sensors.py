"""Definitions load; crawl assets come from source YAMLs; schedules and the inbox sensor evaluate."""

import json
import os
import subprocess
import sys
import time

import dagster as dg
import pytest
from pipeline_helpers import mini_definitions

from kernel.paths import REPO_ROOT
from pipelines.crawl_assets import crawl_key
from pipelines.jobs import BUILD_JOB
from pipelines.resources import TuokeWarehouse
from pipelines.sensors import internal_feed_sensor


def test_mini_definitions_are_loadable_with_crawl_asset_per_source_grouped_by_kind(project):
    defs = mini_definitions(project)
    dg.Definitions.validate_loadable(defs)
    graph = defs.resolve_asset_graph()
    node = graph.get(crawl_key("test_award"))
    assert node.group_name == "procurement_award"
    retry = defs.resolve_assets_def(crawl_key("test_award")).op.retry_policy
    assert retry is not None and retry.max_retries >= 1
    assert crawl_key("test_award") in graph.get(dg.AssetKey(["raw", "mentions"])).parent_keys
    job_names = {j.name for j in defs.resolve_all_job_defs()}
    assert {"build", "crawl_all", "crawl_test_award"} <= job_names


def test_only_duckdb_writers_are_in_the_duckdb_write_pool(project):
    defs = mini_definitions(project)
    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        pools = graph.get(key).pools
        if key.path[0] == "landing":
            assert pools == set() or pools is None, key
        else:
            assert pools == {"duckdb_write"}, key


def test_build_job_excludes_crawls_and_validates_empty_run_config(project):
    defs = mini_definitions(project)
    job = defs.resolve_job_def(BUILD_JOB)
    steps = set(job.graph.node_dict)
    assert not any(step.startswith("landing__") for step in steps)  # no crawl, no crawl checks
    assert {"load_landing", "core__companies", "core__companies_duplicate_company_rate", "published__warehouse"} <= steps
    # An empty run config is complete (validate raises on a missing required key) and the check is
    # real: a config naming an op the job does not have is refused.
    assert isinstance(dg.validate_run_config(job, {}), dict)
    with pytest.raises(dg.DagsterInvalidConfigError):
        dg.validate_run_config(job, {"ops": {"no_such_step": {"config": {}}}})


def test_source_schedule_uses_the_yaml_cron_and_requests_its_crawl_job(project):
    defs = mini_definitions(project)
    schedule = defs.resolve_schedule_def("crawl_test_award_schedule")
    assert schedule.cron_schedule == "0 6 * * *"
    assert schedule.execution_timezone == "Asia/Shanghai"
    context = dg.build_schedule_context(scheduled_execution_time=None)
    data = schedule.evaluate_tick(context)
    assert len(data.run_requests) == 1
    assert schedule.job_name == "crawl_test_award"


def test_inbox_sensor_fires_on_new_and_changed_files_and_skips_otherwise(tmp_path):
    data = tmp_path / "data"
    warehouse = TuokeWarehouse(data_dir=str(data))
    with dg.build_sensor_context(resources={"warehouse": warehouse}) as ctx:
        result = internal_feed_sensor(ctx)
    assert isinstance(result, dg.SkipReason)

    feed = data / "inbox" / "payroll"
    feed.mkdir(parents=True)
    (feed / "2026-10.csv").write_text("单位名称,人数\n甲公司,10\n", encoding="utf-8")
    with dg.build_sensor_context(resources={"warehouse": warehouse}) as ctx:
        first = internal_feed_sensor(ctx)
    assert isinstance(first, dg.SensorResult) and len(first.run_requests) == 1
    assert first.run_requests[0].tags["tuoke/feeds"] == "payroll"
    cursor = first.cursor

    with dg.build_sensor_context(cursor=cursor, resources={"warehouse": warehouse}) as ctx:
        assert isinstance(internal_feed_sensor(ctx), dg.SkipReason)

    time.sleep(0.01)
    (feed / "2026-10.csv").write_text("单位名称,人数\n甲公司,12\n", encoding="utf-8")
    with dg.build_sensor_context(cursor=cursor, resources={"warehouse": warehouse}) as ctx:
        changed = internal_feed_sensor(ctx)
    assert isinstance(changed, dg.SensorResult)
    assert changed.run_requests[0].run_key != first.run_requests[0].run_key
    assert json.loads(changed.cursor)["payroll/2026-10.csv"][0] > 0


def test_sensor_targets_the_build_job(project):
    defs = mini_definitions(project)
    sensor = defs.resolve_sensor_def("internal_feed_sensor")
    assert sensor.job_name == BUILD_JOB


def test_project_definitions_module_loads_without_env_and_validates():
    """`dagster dev -m pipelines.definitions` loads the real project (real models and steps)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TUOKE_")}
    code = (
        "import dagster as dg, time; t=time.monotonic();"
        "from pipelines.definitions import defs; dg.Definitions.validate_loadable(defs);"
        "g=defs.resolve_asset_graph(); print(len(g.get_all_asset_keys()), round(time.monotonic()-t,2))"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    count, seconds = proc.stdout.split()
    assert int(count) > 10
    assert float(seconds) < 15
