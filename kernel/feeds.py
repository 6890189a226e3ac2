"""configs/feeds.yaml: the bank's internal feeds, their canonical columns and the export headers
that carry them. The file is the one definition of the feed vocabulary: feed names, canonical
column names and types. Loading it checks every key; a mistake is one line with the key path.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, StrictBool, StringConstraints, field_validator

from kernel.config import ConfigModel, load_config, validate_config
from kernel.contracts import FeedColumnType
from kernel.errors import UserError
from kernel.paths import configs_dir

# Feed and column names become table and column names in SQL: plain snake_case only.
Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,62}$")]
Header = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class FeedsConfigError(UserError):
    """configs/feeds.yaml is wrong: the message names the file, the key path and the problem."""


class ColumnConfig(ConfigModel):
    headers: tuple[Header, ...] = Field(alias="from", min_length=1, description="export headers, first present wins")
    type: FeedColumnType
    required: StrictBool = False

    @field_validator("headers", mode="before")
    @classmethod
    def _one_header_is_a_list(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class FeedConfig(ConfigModel):
    title: str | None = None
    columns: dict[Identifier, ColumnConfig] = Field(min_length=1)


class FeedsConfig(ConfigModel):
    feeds: dict[Identifier, FeedConfig] = Field(min_length=1)

    def specs(self) -> dict[str, FeedSpec]:
        return {
            feed: FeedSpec(feed, body.title or feed, tuple(
                FeedColumn(name, col.headers, col.type, col.required) for name, col in body.columns.items()))
            for feed, body in self.feeds.items()
        }


@dataclass(frozen=True)
class FeedColumn:
    name: str
    headers: tuple[str, ...]
    type: str
    required: bool


@dataclass(frozen=True)
class FeedSpec:
    """One feed as the loader uses it: canonical columns in the order feeds.yaml lists them."""

    feed: str
    title: str
    columns: tuple[FeedColumn, ...]

    @property
    def table(self) -> str:
        return f"raw.feed_{self.feed}"


def load_feeds_config(feeds_config: Path | str | Mapping | None = None) -> dict[str, FeedSpec]:
    """The feeds of feeds.yaml (or of a mapping shaped like it), checked."""
    if feeds_config is None or isinstance(feeds_config, (str, Path)):
        path = Path(feeds_config) if feeds_config is not None else configs_dir() / "feeds.yaml"
        if not path.exists():
            raise FeedsConfigError(f"{path}: feeds config not found")
        return load_config(FeedsConfig, path, error=FeedsConfigError).specs()
    return validate_config(FeedsConfig, dict(feeds_config), "feeds config", error=FeedsConfigError).specs()


def feed_names(feeds_config: Path | str | Mapping | None = None) -> tuple[str, ...]:
    """The feed vocabulary: every feed feeds.yaml defines, in its order."""
    return tuple(load_feeds_config(feeds_config))


def feed_tables(feeds_config: Path | str | Mapping | None = None) -> tuple[str, ...]:
    """The raw tables the feed loader writes: one per feed and the file ledger."""
    return (*(spec.table for spec in load_feeds_config(feeds_config).values()), "raw.feed_files")
