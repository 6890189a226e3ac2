"""Territories: which branch (分行/支行) covers which place, from configs/territories.yaml.

The most specific entry wins (district over city over province); `default_branch` takes the rest.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import Field, field_validator, model_validator

from tuoke.core.config import ConfigModel, load_config, validate_config
from tuoke.core.paths import configs_dir

Place = tuple[str | None, str | None, str | None]


class Territory(ConfigModel):
    province: str | None = None
    city: str | None = None
    district: str | None = None
    branch: str = Field(min_length=1)

    @field_validator("province", "city", "district", "branch", mode="before")
    @classmethod
    def _trimmed(cls, value: Any) -> Any:
        return (str(value).strip() or None) if value is not None else None

    @model_validator(mode="after")
    def _names_a_place(self) -> Territory:
        if self.place == (None, None, None):
            raise ValueError("names no province, city or district (use default_branch)")
        return self

    @property
    def place(self) -> Place:
        return (self.province, self.city, self.district)


class TerritoriesConfig(ConfigModel):
    default_branch: str = Field(min_length=1, description="the branch for places no entry covers")
    territories: tuple[Territory, ...] = ()

    @field_validator("default_branch", mode="before")
    @classmethod
    def _trimmed(cls, value: Any) -> Any:
        return value.strip() if isinstance(value, str) else value

    @field_validator("territories", mode="before")
    @classmethod
    def _none_is_empty(cls, value: Any) -> Any:
        return () if value is None else value

    @model_validator(mode="after")
    def _one_branch_per_place(self) -> TerritoriesConfig:
        seen: dict[Place, int] = {}
        for index, entry in enumerate(self.territories):
            if entry.place in seen:
                raise ValueError(f"territories[{index}] covers the same place as territories[{seen[entry.place]}]")
            seen[entry.place] = index
        return self

    @property
    def branches(self) -> list[str]:
        return sorted({self.default_branch, *(t.branch for t in self.territories)})

    def rows(self) -> list[tuple[str | None, ...]]:
        """(province, city, district, branch) rows; the default branch is the all-NULL row."""
        return [(None, None, None, self.default_branch), *((*t.place, t.branch) for t in self.territories)]


def load_territories_config(territories: Path | str | Mapping | None = None) -> TerritoriesConfig:
    if territories is None or isinstance(territories, (str, Path)):
        return load_config(TerritoriesConfig, Path(territories or configs_dir() / "territories.yaml"))
    return validate_config(TerritoriesConfig, dict(territories), "territories config")
