"""Crawl assets (factory from source YAML, stats as metadata) and the item-count checks."""

import dagster as dg
from pipeline_helpers import mini_definitions

from kernel.uscc import is_valid_uscc as uscc_is_valid
from pipelines.checks import evaluate_against_previous, evaluate_item_assertions
from pipelines.crawl_assets import crawl_key


def _crawl(defs):
    return defs.resolve_job_def("crawl_all").execute_in_process(raise_on_error=False)


def _checks(result):
    return {e.check_name: e for e in result.get_asset_check_evaluations()}


def test_crawl_stats_come_back_as_metadata_and_healthy_run_passes(project):
    defs = mini_definitions(project, crawl_items=5)
    result = _crawl(defs)
    assert result.success
    (mat,) = [e.materialization for e in result.get_asset_materialization_events()]
    assert mat.asset_key == crawl_key("test_award")
    assert mat.metadata["items"].value == 5
    assert mat.metadata["dagster/row_count"].value == 5
    assert mat.metadata["finish_reason"].value == "finished"
    assert mat.metadata["unused_labels"].value == {"联系人": 2}
    checks = _checks(result)
    assert checks["items_within_assertions"].passed
    assert checks["items_vs_previous_run"].passed


def _forget_earlier_runs(project) -> None:
    for path in (project / "data" / "landing" / "test_award").glob("*"):
        path.unlink()


def test_a_crawl_below_the_yaml_minimum_fails_its_blocking_check(project):
    _forget_earlier_runs(project)
    result = _crawl(mini_definitions(project, crawl_items=1))  # YAML says min 2
    check = _checks(result)["items_within_assertions"]
    assert not check.passed and check.blocking and check.severity == dg.AssetCheckSeverity.ERROR
    assert "fewer than the minimum 2" in check.description


def test_a_crawl_under_half_of_the_previous_run_warns(project):
    # conftest wrote a first run of 4 items; this crawl yields 1
    result = _crawl(mini_definitions(project, crawl_items=1))
    check = _checks(result)["items_vs_previous_run"]
    assert not check.passed and check.severity == dg.AssetCheckSeverity.WARN
    assert "under half of the previous run's 4" in check.description


def test_an_incremental_crawl_with_nothing_new_passes_when_the_source_holds_enough(project, tmp_path):
    from pipelines.checks import distinct_items_held

    # conftest's first run holds 4 items; a re-crawl of an unchanged site fetches no detail page
    folder = project / "data" / "landing" / "test_award"
    assert distinct_items_held(folder) == 4
    assert evaluate_against_previous(0, 4, detail_pages=0)[0]
    assert not evaluate_against_previous(0, 4, detail_pages=12)[0]
    assert evaluate_item_assertions(distinct_items_held(folder), 2, 100)[0]


def test_items_held_come_from_the_raw_tables_for_loaded_runs(project):
    from kernel.paths import DataPaths
    from pipelines.checks import distinct_items_held
    from warehouse.db import connect
    from warehouse.landing_loader import load_landing

    paths = DataPaths(project / "data")
    folder = paths.source_landing("test_award")
    con = connect(project / "work.duckdb")
    load_landing(con, paths)
    (loaded,) = folder.glob("*.jsonl")
    loaded.write_bytes(b"x" * loaded.stat().st_size)  # same size: the load is not redone
    assert distinct_items_held(folder, con) == 4  # counted in raw.mentions, the file not read
    assert distinct_items_held(folder) == 0  # without the warehouse only the file speaks
    con.close()


def test_a_crawl_and_build_job_stops_before_loading_when_assertions_fail(project):
    _forget_earlier_runs(project)
    defs = mini_definitions(project, crawl_items=1)
    result = defs.resolve_job_def("crawl_test_award").execute_in_process(raise_on_error=False)
    assert not result.success
    materialized = {e.materialization.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert materialized == {"landing/test_award"}
    assert not (project / "data" / "tuoke.duckdb").exists()


def test_item_count_rules():
    assert evaluate_item_assertions(5, 2, 10)[0]
    assert not evaluate_item_assertions(11, 2, 10)[0]
    assert not evaluate_item_assertions(None, 2, 10)[0]
    assert evaluate_against_previous(10, None)[0]
    assert not evaluate_against_previous(0, 7)[0]
    assert not evaluate_against_previous(4, 10)[0]
    assert evaluate_against_previous(5, 10)[0]


def test_uscc_check_character():
    from pipeline_helpers import uscc

    assert uscc_is_valid(uscc("A1"))
    assert not uscc_is_valid(uscc("A1")[:-1] + ("0" if uscc("A1")[-1] != "0" else "1"))
    assert not uscc_is_valid("123")



def test_run_crawls_returns_stats_per_source_for_the_cli(project):
    from pipelines.runner import run_crawls

    stats = run_crawls(defs=mini_definitions(project, crawl_items=4))
    assert stats["test_award"]["items"] == 4 and stats["test_award"]["finish_reason"] == "finished"
