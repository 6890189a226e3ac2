"""tuoke's Dagster code location: `dagster dev -m pipelines.definitions`.

Gathers crawl assets (one per source YAML), the Python warehouse steps, one asset per SQL model,
the publish step, checks, jobs, schedules, the inbox sensor and resources — see pipelines/assemble.py.
"""

from pipelines.assemble import build_definitions

defs = build_definitions()
