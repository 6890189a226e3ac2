"""The Spark rewrites of pipelines/spark_models.py, without Spark: each model's statements come out as
SQL that sqlglot's Spark parser reads back, and the DuckDB-only constructs are gone."""

import sqlglot
from sqlglot import exp

from pipelines.spark_models import Spark35, rewrite_for_spark, spark_statements
from pipelines.sql_models import discover_models
from tuoke.core.paths import sql_models_dir


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
