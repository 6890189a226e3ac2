"""The internal-feed sensor: a new, changed or removed file in data/inbox/<feed>/ runs the build job.

Cursor = JSON {relative path: [size, mtime_ns]} of every inbox file; a file is "changed" when
either differs, "removed" when it is in the cursor but no longer in the inbox (the inbox is the
truth: the build then deletes that file's rows). The run key is a hash of the changed files' states
and the removed names, so the same drop never runs twice even if the cursor were lost between ticks.
"""


import hashlib
import json
from pathlib import Path

import dagster as dg

from pipelines.jobs import BUILD_JOB
from pipelines.resources import TuokeWarehouse

SENSOR_NAME = "internal_feed_sensor"


def inbox_state(inbox: Path) -> dict[str, list[int]]:
    """{"<feed>/<file>": [size, mtime_ns]} for every file one level below each feed folder."""
    state: dict[str, list[int]] = {}
    if not inbox.is_dir():
        return state
    for path in sorted(inbox.glob("*/*")):
        if path.is_file() and not path.name.startswith((".", "~$")):
            stat = path.stat()
            state[path.relative_to(inbox).as_posix()] = [stat.st_size, stat.st_mtime_ns]
    return state


def changed_files(previous: dict[str, list[int]], current: dict[str, list[int]]) -> list[str]:
    return sorted(name for name, st in current.items() if previous.get(name) != st)


def removed_files(previous: dict[str, list[int]], current: dict[str, list[int]]) -> list[str]:
    return sorted(name for name in previous if name not in current)


@dg.sensor(
    name=SENSOR_NAME,
    job_name=BUILD_JOB,
    minimum_interval_seconds=60,
    description="Runs the build when a file in data/inbox/<feed>/ is new, changed or removed.",
    default_status=dg.DefaultSensorStatus.STOPPED,
)
def internal_feed_sensor(context: dg.SensorEvaluationContext, warehouse: TuokeWarehouse):
    inbox = warehouse.paths().inbox
    previous = json.loads(context.cursor) if context.cursor else {}
    current = inbox_state(inbox)
    changed = changed_files(previous, current)
    removed = removed_files(previous, current)
    if not changed and not removed:
        return dg.SkipReason(f"no new, changed or removed files in {inbox}")
    state = {"changed": {n: current[n] for n in changed}, "removed": {n: previous[n] for n in removed}}
    digest = hashlib.sha1(json.dumps(state, sort_keys=True).encode()).hexdigest()[:16]
    feeds = sorted({name.split("/")[0] for name in changed + removed})
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(
                run_key=f"inbox-{digest}",
                tags={"tuoke/trigger": "inbox", "tuoke/feeds": ",".join(feeds)},
            )
        ],
        cursor=json.dumps(current, sort_keys=True),
    )
