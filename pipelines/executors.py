"""Which Dagster executor the code location uses: the default multiprocess one, or Celery.

`TUOKE_EXECUTOR=celery` (the deploy/ profile) sends every step to a Celery broker; workers pick
steps from their queues. Steps that write the working DuckDB carry `DUCKDB_WRITE_OP_TAGS`, so they
land on the one queue a single worker serves.
"""

from __future__ import annotations

import os

import dagster as dg

EXECUTOR_ENV = "TUOKE_EXECUTOR"
BROKER_ENV = "TUOKE_CELERY_BROKER"
BACKEND_ENV = "TUOKE_CELERY_BACKEND"


def executor_from_env() -> dg.ExecutorDefinition | None:
    """None keeps Dagster's default executor; `celery` needs the `scale` extra and a broker URL."""
    choice = os.environ.get(EXECUTOR_ENV, "").strip().lower()
    if choice in ("", "default", "multiprocess"):
        return None
    if choice != "celery":
        raise ValueError(f"{EXECUTOR_ENV}={choice!r}: expected celery or default")
    from dagster_celery import celery_executor  # the `scale` extra

    return celery_executor.configured(
        {"broker": {"env": BROKER_ENV}, "backend": {"env": BACKEND_ENV}, "include": ["pipelines.definitions"]},
        name="celery",
    )
