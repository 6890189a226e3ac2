"""The internal-feed sensor: a new or changed file in data/inbox/<feed>/ runs the build job.

Cursor = JSON {relative path: [size, mtime_ns]} of every inbox file; a file is "changed" when
either differs. The run key is a hash of the changed files' states, so the same drop never runs
twice even if the cursor were lost between ticks.
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


@dg.sensor(
    name=SENSOR_NAME,
    job_name=BUILD_JOB,
    minimum_interval_seconds=60,
    description="Runs the build when a file in data/inbox/<feed>/ is new or changed.",
    default_status=dg.DefaultSensorStatus.STOPPED,
)
def internal_feed_sensor(context: dg.SensorEvaluationContext, warehouse: TuokeWarehouse):
    inbox = warehouse.paths().inbox
    previous = json.loads(context.cursor) if context.cursor else {}
    current = inbox_state(inbox)
    changed = changed_files(previous, current)
    if not changed:
        return dg.SkipReason(f"no new or changed files in {inbox}")
    digest = hashlib.sha1(json.dumps({n: current[n] for n in changed}, sort_keys=True).encode()).hexdigest()[:16]
    feeds = sorted({name.split("/")[0] for name in changed})
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(
                run_key=f"inbox-{digest}",
                tags={"tuoke/trigger": "inbox", "tuoke/feeds": ",".join(feeds)},
            )
        ],
        cursor=json.dumps(current, sort_keys=True),
    )
