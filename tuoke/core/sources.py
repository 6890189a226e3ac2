"""Source configs: one YAML file per public source, validated on load.

Shared by the Scrapy project (one spider per source), the Dagster crawl-asset factory and the CLI.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tuoke.core.errors import UserError
from tuoke.core.paths import sources_dir

KINDS = (
    "procurement_award",
    "candidate_notice",
    "tender_notice",
    "winner_list",
    "srdi_list",
    "directory",
    "negative_list",
)
_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,63}$")


@dataclass(frozen=True)
class SourceConfig:
    id: str
    title: str
    kind: str
    region: str | None
    start_urls: tuple[str, ...]
    list: dict[str, Any] = field(default_factory=dict)
    detail: dict[str, Any] = field(default_factory=dict)
    attachments: dict[str, Any] = field(default_factory=dict)
    politeness: dict[str, Any] = field(default_factory=dict)
    schedule: str | None = None
    assertions: dict[str, int] = field(default_factory=dict)
    publisher: str | None = None
    path: Path | None = None
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def min_items(self) -> int | None:
        return self.assertions.get("min")

    @property
    def max_items(self) -> int | None:
        return self.assertions.get("max")


def _substitute(value: Any, replacements: dict[str, str]) -> Any:
    if isinstance(value, str):
        for key, replacement in replacements.items():
            value = value.replace("{" + key + "}", replacement)
        return value
    if isinstance(value, list):
        return [_substitute(v, replacements) for v in value]
    if isinstance(value, dict):
        return {k: _substitute(v, replacements) for k, v in value.items()}
    return value


def _replacements() -> dict[str, str]:
    return {"demo_base": os.environ.get("TUOKE_DEMO_BASE_URL", "http://127.0.0.1:8765").rstrip("/")}


def parse_source(data: dict[str, Any], path: Path | None = None) -> SourceConfig:
    where = str(path) if path else "source config"
    if not isinstance(data, dict):
        raise UserError(f"{where}: expected a mapping of keys, got {type(data).__name__}")
    missing = [k for k in ("id", "kind", "start_urls") if not data.get(k)]
    if missing:
        raise UserError(f"{where}: missing required key(s): {', '.join(missing)}")
    if not _ID_PATTERN.match(str(data["id"])):
        raise UserError(f"{where}: id {data['id']!r} must be lower_snake_case (a-z, 0-9, _)")
    if path is not None and path.stem != data["id"]:
        raise UserError(f"{where}: id {data['id']!r} must equal the file name {path.stem!r}")
    if data["kind"] not in KINDS:
        raise UserError(f"{where}: kind {data['kind']!r} is not one of {', '.join(KINDS)}")
    data = _substitute(data, _replacements())
    start_urls = data["start_urls"]
    if isinstance(start_urls, str):
        start_urls = [start_urls]
    assertions = data.get("assertions") or {}
    for key in assertions:
        if key not in ("min", "max"):
            raise UserError(f"{where}: assertions may only hold min and max, not {key!r}")
    return SourceConfig(
        id=data["id"],
        title=data.get("title") or data["id"],
        kind=data["kind"],
        region=data.get("region"),
        start_urls=tuple(start_urls),
        list=data.get("list") or {},
        detail=data.get("detail") or {},
        attachments=data.get("attachments") or {},
        politeness=data.get("politeness") or {},
        schedule=data.get("schedule"),
        assertions={k: int(v) for k, v in assertions.items()},
        publisher=data.get("publisher"),
        path=path,
        raw=data,
    )


def load_source(path: Path) -> SourceConfig:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise UserError(f"{path}: not valid YAML ({exc.__class__.__name__})") from exc
    return parse_source(data, path)


def load_sources(directory: Path | None = None) -> list[SourceConfig]:
    directory = Path(directory) if directory else sources_dir()
    if not directory.is_dir():
        raise UserError(f"source folder {directory} does not exist")
    return [load_source(p) for p in sorted(directory.glob("*.yaml"))]


def get_source(source_id: str, directory: Path | None = None) -> SourceConfig:
    for source in load_sources(directory):
        if source.id == source_id:
            return source
    raise UserError(f"no source {source_id!r} in {directory or sources_dir()}")
