"""SQL model files → Dagster assets: deps from sqlglot, description from the header, load-time validation."""

import textwrap

import dagster as dg
import pytest
from pipeline_helpers import mini_definitions, write_models

from pipelines.sql_models import (
    ModelError,
    check_model_dependencies,
    discover_models,
    model_key,
    parse_model,
    upstream_keys,
)


def _write(path, sql):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(sql).strip() + "\n", encoding="utf-8")
    return path


def test_upstreams_are_read_from_sql_ignoring_ctes_and_table_functions(tmp_path):
    path = _write(tmp_path / "core" / "companies.sql", """
        -- core.companies: one row per company.
        -- second header line
        CREATE OR REPLACE TABLE core.companies AS
        WITH records AS (SELECT * FROM core.entity_records),
             joined AS (SELECT * FROM records JOIN raw.mentions AS m USING (record_id))
        SELECT * FROM joined, range(3) AS r
        WHERE joined.province IN (SELECT province FROM ref.territories)
          AND joined.x NOT IN (SELECT x FROM read_json('a.json'));
    """)
    model = parse_model(path)
    assert model_key(model) == dg.AssetKey(["core", "companies"])
    assert upstream_keys(model) == [
        dg.AssetKey(["core", "entity_records"]), dg.AssetKey(["raw", "mentions"]), dg.AssetKey(["ref", "territories"])
    ]
    assert model.description == "core.companies: one row per company.\nsecond header line"


def test_a_select_only_file_is_materialized_as_its_table(tmp_path):
    path = _write(tmp_path / "marts" / "top.sql", "-- marts.top: the best.\nSELECT * FROM core.companies LIMIT 3;")
    model = parse_model(path)
    assert model.sql.startswith("CREATE OR REPLACE TABLE marts.top AS")
    assert upstream_keys(model) == [dg.AssetKey(["core", "companies"])]


def test_a_file_that_creates_another_table_is_refused_naming_the_file(tmp_path):
    path = _write(tmp_path / "core" / "companies.sql", "CREATE OR REPLACE TABLE core.firms AS SELECT 1 AS a;")
    with pytest.raises(ModelError, match=r"companies\.sql: must CREATE OR REPLACE core\.companies"):
        parse_model(path)


def test_an_unqualified_table_is_refused_naming_the_file(tmp_path):
    path = _write(tmp_path / "core" / "companies.sql", "SELECT * FROM entity_records")
    with pytest.raises(ModelError, match=r"companies\.sql: table 'entity_records' has no schema"):
        parse_model(path)


def test_unparseable_sql_is_refused_naming_the_file(tmp_path):
    path = _write(tmp_path / "core" / "companies.sql", "SELECT FROM WHERE ((")
    with pytest.raises(ModelError, match=r"companies\.sql: sqlglot cannot parse it"):
        parse_model(path)


def test_a_model_reading_a_table_no_asset_produces_fails_at_load_naming_the_file(project):
    with pytest.raises(ModelError, match=r"marts/orphan\.sql: reads core\.nowhere, which no asset produces"):
        mini_definitions(project, extra_models={"marts/orphan.sql": "SELECT * FROM core.nowhere"})


def test_every_model_dependency_resolves_in_the_mini_project(project):
    defs = mini_definitions(project)
    graph = defs.resolve_asset_graph()
    models = discover_models(project / "models")
    check_model_dependencies(models, graph.get_all_asset_keys())
    assert graph.get(dg.AssetKey(["staging", "stg_names"])).parent_keys == {dg.AssetKey(["raw", "mentions"])}
    assert graph.get(dg.AssetKey(["marts", "prospects"])).parent_keys == {dg.AssetKey(["core", "companies"])}


def test_adding_a_model_is_adding_a_file(project):
    before = mini_definitions(project).resolve_asset_graph().get_all_asset_keys()
    write_models(project / "models", {"marts/by_source.sql": """
        -- marts.by_source: mentions per source.
        SELECT source_id, count(*) AS n FROM staging.stg_names GROUP BY source_id
    """})
    graph = mini_definitions(project).resolve_asset_graph()
    new = dg.AssetKey(["marts", "by_source"])
    assert new not in before and new in graph.get_all_asset_keys()
    node = graph.get(new)
    assert node.parent_keys == {dg.AssetKey(["staging", "stg_names"])}
    assert node.description == "marts.by_source: mentions per source."
    assert node.group_name == "marts"


def test_model_assets_carry_columns_and_row_count(project):
    defs = mini_definitions(project)
    result = defs.resolve_job_def("build").execute_in_process(raise_on_error=False)
    assert result.success
    mats = {m.asset_key.to_user_string(): m for m in result.get_asset_materialization_events() and [
        e.materialization for e in result.get_asset_materialization_events()]}
    companies = mats["core/companies"].metadata
    assert companies["dagster/row_count"].value == 3
    names = [c.name for c in companies["dagster/column_schema"].schema.columns]
    assert names == ["company_id", "name", "uscc", "mentions", "amount_yuan"]


def test_every_scoring_mart_is_its_own_sql_model_asset():
    """#12: the scoring marts are SQL files, one asset each, with deps read from the SQL."""
    from kernel.paths import sql_models_dir
    from pipelines.sql_models import discover_models

    models = {m.name: m for m in discover_models(sql_models_dir()) if m.layer == "marts"}
    for name in ("company_segments", "product_fit", "signal_points_rows", "signal_points_base", "signal_points",
                 "company_flags", "signal_first_seen", "signal_history", "scoring_builds", "prospects_ranked"):
        assert name in models, name
    assert ("ref", "scoring_rules") in models["signal_points_rows"].upstream
    assert ("marts", "signal_points_rows") in models["signal_points_base"].upstream
