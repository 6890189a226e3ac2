"""One schedule per source, from the `schedule:` cron in its YAML (China time)."""

from __future__ import annotations

from collections.abc import Sequence

import dagster as dg

from kernel.errors import UserError
from kernel.sources import SourceConfig
from pipelines.jobs import crawl_job_name

TIMEZONE = "Asia/Shanghai"


def build_schedules(sources: Sequence[SourceConfig]) -> list[dg.ScheduleDefinition]:
    schedules = []
    for source in sources:
        if not source.schedule:
            continue
        try:
            schedules.append(
                dg.ScheduleDefinition(
                    name=f"{crawl_job_name(source.id)}_schedule",
                    cron_schedule=source.schedule,
                    job_name=crawl_job_name(source.id),
                    execution_timezone=TIMEZONE,
                    description=f"Crawl {source.id} on '{source.schedule}' ({TIMEZONE}) from {source.path or 'its YAML'}",
                    tags={"tuoke/source": source.id},
                )
            )
        except dg.DagsterInvalidDefinitionError as exc:
            raise UserError(f"{source.path or source.id}: schedule {source.schedule!r} is not a valid cron: {exc}") from exc
    return schedules
