"""The Spark rewrites of warehouse/engines/spark.py, without Spark: each model's statements come out as
SQL that sqlglot's Spark parser reads back, and the DuckDB-only constructs are gone."""

import sqlglot
from sqlglot import exp

from kernel.paths import sql_models_dir
from pipelines.sql_models import discover_models
from warehouse.engines.spark import Spark35, rewrite_for_spark, spark_statements


def test_every_model_transpiles_to_spark_sql_that_parses_back():
    for model in discover_models(sql_models_dir()):
        statements = spark_statements(model)
        assert any(created == model.table for created, _ in statements), model.table
        for _, sql in statements:
            assert sqlglot.parse_one(sql, read=Spark35) is not None


def test_top_n_arg_max_becomes_a_sorted_struct_list():
    tree = rewrite_for_spark(sqlglot.parse_one("SELECT arg_max(x, k, 3) FROM t", read="duckdb"))
    sql = tree.sql(dialect=Spark35)
    assert "SORT_ARRAY" in sql.upper() and "SLICE" in sql.upper()
    assert not list(tree.find_all(exp.ArgMax))


def test_grouped_qualify_moves_into_an_outer_query():
    tree = rewrite_for_spark(sqlglot.parse_one(
        "SELECT a, b FROM t GROUP BY a, b QUALIFY row_number() OVER (PARTITION BY a ORDER BY count(*) DESC) = 1",
        read="duckdb"))
    outer = tree if isinstance(tree, exp.Select) else tree.find(exp.Select)
    assert outer.args.get("qualify") is None
    assert [e.alias_or_name for e in outer.expressions] == ["a", "b"]


def test_plain_qualify_is_kept_for_spark():
    sql = rewrite_for_spark(sqlglot.parse_one("SELECT a FROM t QUALIFY row_number() OVER (ORDER BY a) = 1",
                                              read="duckdb")).sql(dialect=Spark35)
    assert "QUALIFY" in sql


def _spark(duckdb_sql: str) -> str:
    return rewrite_for_spark(sqlglot.parse_one(duckdb_sql, read="duckdb")).sql(dialect=Spark35)


def test_lambda_index_counts_from_one_as_in_duckdb():
    sql = _spark("SELECT list_filter(xs, lambda x, i: list_position(xs, x) = i) FROM t")
    assert "ARRAY_POSITION(xs, x) = (i + 1)" in sql
    assert "LIST_POSITION" not in sql.upper()


def test_list_slice_is_one_based_and_inclusive():
    assert "SLICE(xs, 1, 10)" in _spark("SELECT xs[1:10] FROM t")
    assert "SLICE(xs, 3, 2)" in _spark("SELECT xs[3:4] FROM t")


def test_filter_clause_moves_onto_the_collect_list_of_a_top_n():
    sql = _spark("SELECT arg_max(a, b, 6) FILTER (WHERE b > 0) FROM t")
    assert "COLLECT_LIST(STRUCT(b AS k, a AS v)) FILTER(WHERE b > 0)" in sql
    assert sql.count("FILTER(") == 1


def test_distinct_ordered_string_agg_becomes_a_sorted_set_join():
    sql = _spark("SELECT string_agg(DISTINCT r, '；' ORDER BY r) FILTER (WHERE k = 'e') FROM t")
    assert sql == "SELECT NULLIF(ARRAY_JOIN(ARRAY_SORT(COLLECT_SET(r) FILTER(WHERE k = 'e')), '；'), '') FROM t"


def test_printf_of_null_stays_null():
    assert _spark("SELECT printf('%.2f', a) FROM t") == \
        "SELECT IF(a IS NULL, NULL, FORMAT_STRING('%.2f', a)) FROM t"


def test_rewrites_reach_arguments_of_rewritten_calls():
    assert _spark("SELECT hash(hash(a)) FROM t") == "SELECT XXHASH64(XXHASH64(a)) FROM t"
