"""Source configs: one YAML file per public source, validated on load by pydantic models.

Shared by the Scrapy project (one spider per source), the Dagster crawl-asset factory and the CLI.
Unknown keys are errors (`list.item_link` instead of `list.item_links` would otherwise crawl nothing),
reported as one line with the file and key path.

Each block (`list`, `detail`, `attachments`, `politeness`, ...) is a typed model that also reads like
a mapping of the keys the YAML set (`source.list.get("max_pages")`, `dict(source.detail)`), because
the spiders and the extractors take plain mappings.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, PrivateAttr, ValidationInfo, field_validator, model_validator

from kernel.config import ConfigModel, read_yaml, validate_config
from kernel.contracts import PAGE_KINDS, PageKind
from kernel.errors import UserError
from kernel.paths import sources_dir

KINDS = PAGE_KINDS  # the page kinds a source may declare
_ID_PATTERN = r"^[a-z][a-z0-9_]{1,63}$"


class Section(ConfigModel):
    """A YAML block that also reads as a mapping of the keys it was given (unset keys are absent)."""

    def _present(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}

    def items(self) -> list[tuple[str, Any]]:
        return list(self._present().items())

    def get(self, key: str, default: Any = None) -> Any:
        value = getattr(self, key, None)
        return default if value is None else value

    def __getitem__(self, key: str) -> Any:
        value = getattr(self, key, None)
        if value is None:
            raise KeyError(key)
        return value

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and getattr(self, key, None) is not None

    def keys(self) -> list[str]:
        return list(self._present())

    def __len__(self) -> int:
        return len(self._present())


class ApiFiles(Section):
    """A second API hop that lists a notice's files (e.g. State Grid ECP `getWinFile`, POST body = notice id)."""

    url: str
    method: str | None = None
    body: str | None = None  # raw request body, `{field}` placeholders from the list entry
    items_path: str | None = None
    file_url: str  # template over one file entry's fields, e.g. `.../showPDF?filePath={FILE_PATH}`
    name_field: str | None = None  # the entry field holding the file name (its extension picks the reader)


class ApiList(Section):
    """A list served as JSON by a POST/GET API (one page per request)."""

    url: str | None = None
    method: str | None = None
    body: dict[str, Any] | None = None
    page_param: str | None = None
    size_param: str | None = None
    first_page: int | None = None
    max_pages: int | None = Field(default=None, ge=1)
    items_path: str | None = None
    total_path: str | None = None
    id_field: str | None = None
    title_field: str | None = None
    date_field: str | None = None
    detail_url: str | None = None
    attachment_url: str | None = None
    # detail answered as JSON (e.g. cqgp `{"notice": {"title", "html"}}`): where its HTML and title sit
    detail_html_path: str | None = None
    detail_title_path: str | None = None
    files: ApiFiles | None = None


class Tier(Section):
    """One page of a member directory and the tier (会长单位, 理事单位, ...) its members hold."""

    url: str
    tier: str | None = None


class ListPages(Section):
    """How to walk a source's list pages to its detail links."""

    item_links: str | None = None
    next_page: str | None = None
    page_template: str | None = None
    page_index: str | None = None
    max_pages: int | None = Field(default=None, ge=1)
    extract_on_list: bool | None = None
    stop_when_seen: bool | None = None
    member_links: str | None = None
    tiers: list[Tier] | None = None
    api: ApiList | None = None


class Detail(Section):
    """How a detail page is read: generic extraction, plus optional per-field css selectors."""

    extraction: str | None = None
    selectors: dict[str, str] | None = None
    list_name: str | None = None
    role: str | None = None
    penalty_type: str | None = None


class Attachments(Section):
    pattern: str | None = None
    follow: bool | None = None

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"not a valid regular expression: {exc}") from exc
        return value


class Politeness(Section):
    download_delay: float | None = Field(default=None, ge=0)
    concurrency: int | None = Field(default=None, ge=1)
    concurrent_requests: int | None = Field(default=None, ge=1)
    autothrottle: bool | None = None
    autothrottle_target_concurrency: float | None = Field(default=None, gt=0)
    autothrottle_max_delay: float | None = Field(default=None, ge=0)
    autothrottle_start_delay: float | None = Field(default=None, ge=0)
    download_timeout: float | None = Field(default=None, gt=0)
    retry_times: int | None = Field(default=None, ge=0)
    user_agent: str | None = None
    robots_txt_obey: bool | None = None

    # Politeness a source may tighten, never loosen: robots.txt is always obeyed and the user agent
    # always names the operator (configs/crawler.yaml), whatever a source YAML says.
    @field_validator("robots_txt_obey")
    @classmethod
    def _robots_always_obeyed(cls, value: bool | None) -> bool | None:
        if value is False:
            raise ValueError("robots.txt obedience cannot be turned off by a source")
        return value

    @field_validator("user_agent")
    @classmethod
    def _user_agent_is_the_operators(cls, value: str | None) -> str | None:
        if value is not None:
            raise ValueError("the user agent is set once for all sources in configs/crawler.yaml (operator contact)")
        return value


class Assertions(Section):
    """Bounds on the distinct items a source holds; a crawl outside them fails its check."""

    min: int | None = Field(default=None, ge=0)
    max: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Assertions:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is above max {self.max}")
        return self


class SourceConfig(ConfigModel):
    id: str
    title: str = ""
    # `auto`: a portal mixing 招标 / 更正 / 结果 in one list; each detail page is classified by
    # its own headline (scrapers.extract.pagekind) and extracted as that kind.
    kind: PageKind | Literal["auto"]
    region: str | None = None
    publisher: str | None = None
    start_urls: tuple[str, ...] = Field(min_length=1)
    list: ListPages = ListPages()
    detail: Detail = Detail()
    attachments: Attachments = Attachments()
    politeness: Politeness = Politeness()
    schedule: str | None = None
    assertions: Assertions = Assertions()
    # redis: several crawler processes share one request queue and dupefilter (scrapers/frontier.py)
    frontier: Literal["local", "redis"] = "local"

    _path: Path | None = PrivateAttr(default=None)
    _raw: dict[str, Any] = PrivateAttr(default_factory=dict)

    @field_validator("start_urls", mode="before")
    @classmethod
    def _one_url_is_a_list(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("list", "detail", "attachments", "politeness", "assertions", mode="before")
    @classmethod
    def _empty_block_is_default(cls, value: Any) -> Any:
        return {} if value is None else value

    @model_validator(mode="before")
    @classmethod
    def _title_defaults_to_id(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("title") and data.get("id"):
            data = {**data, "title": data["id"]}
        return data

    @field_validator("id")
    @classmethod
    def _snake_case_named_like_its_file(cls, value: str, info: ValidationInfo) -> str:
        if not re.match(_ID_PATTERN, value):
            raise ValueError(f"{value!r} must be lower_snake_case (a-z, 0-9, _; 2 to 64 characters)")
        path = (info.context or {}).get("path")
        if path is not None and Path(path).stem != value:
            raise ValueError(f"{value!r} must equal the file name {Path(path).stem!r}")
        return value

    @property
    def path(self) -> Path | None:
        """The YAML file this came from (None when built from a dict)."""
        return self._path

    @property
    def raw(self) -> dict[str, Any]:
        """The YAML as a plain mapping, placeholders filled in (what `tuoke extract --source` hands on)."""
        return self._raw

    @property
    def min_items(self) -> int | None:
        return self.assertions.min

    @property
    def max_items(self) -> int | None:
        return self.assertions.max


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


def parse_source(data: Any, path: Path | None = None) -> SourceConfig:
    """A SourceConfig from parsed YAML; UserError `<file>: <key path>: <problem>` if it does not fit."""
    where = str(path) if path else "source config"
    if not isinstance(data, dict):
        raise UserError(f"{where}: expected a mapping of keys, got {type(data).__name__}")
    data = _substitute(data, _replacements())
    source = validate_config(SourceConfig, data, where, context={"path": path})
    source._path = path
    source._raw = data
    return source


def load_source(path: Path) -> SourceConfig:
    return parse_source(read_yaml(path), path)


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
