"""Every step that writes the working DuckDB is routed to the single-worker Celery queue, and only
those: crawls stay on the default queue so they fan out (deploy/ profile)."""

from kernel.paths import demo_sources_dir
from kernel.sources import load_sources
from pipelines.assemble import build_definitions
from pipelines.resources import DUCKDB_WRITE_POOL

QUEUE_TAG = "dagster-celery/queue"


def _ops(job_name):
    defs = build_definitions(sources=load_sources(demo_sources_dir()))
    return list(defs.resolve_job_def(job_name).graph.iterate_op_defs())


def test_every_duckdb_writer_carries_the_writer_queue_tag():
    writers = [op for op in _ops("build") if op.pool == DUCKDB_WRITE_POOL]
    assert len(writers) > 10
    untagged = [op.name for op in writers if op.tags.get(QUEUE_TAG) != DUCKDB_WRITE_POOL]
    assert untagged == []


def test_crawl_steps_stay_on_the_default_queue():
    crawls = [op for op in _ops("crawl_all") if op.pool != DUCKDB_WRITE_POOL]
    assert crawls
    assert all(QUEUE_TAG not in op.tags for op in crawls)
