"""Engines that run the dbt_like_sql models: the files as models (sql_models), Spark (spark)."""
