"""What spiders hand the landing pipeline besides mention dicts."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Quarantined:
    """A page, attachment or response that yielded nothing usable, with a machine reason.

    `reason` is a short word (`no_winner`, `http_500`, `blocked`, `timeout`, …) and `detail` a
    human sentence; the landing pipeline adds source_id and run_id and writes it to quarantine.
    """

    url: str
    reason: str
    detail: str = ""
    fetched_at: str | None = None
    content_hash: str | None = None
    snippet: str | None = None
    extra: dict = field(default_factory=dict)
