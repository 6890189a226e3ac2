"""Territories: which branch (分行/支行) covers which place, from configs/territories.yaml.

The most specific entry wins (district over city over province); `default_branch` takes the rest.
The same file names each branch's core enterprises (核心企业, 交易流水获客): customers of ours whose
counterparties in the `counterparties` feed are supply-chain prospects.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import Field, field_validator, model_validator

from kernel.config import ConfigModel, load_config, validate_config
from kernel.parsing.text import fold
from kernel.paths import configs_dir

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


def core_enterprise_key(name: str) -> str:
    """The form a core enterprise's name is compared in: NFKC (as the feed loader stores names, so
    （） and () are one) without spaces, as core.company_signals compares the feed's customer
    column. Exact otherwise: a near miss names another firm."""
    return fold(name).replace(" ", "")


class CoreEnterprise(ConfigModel):
    """A core enterprise (核心企业) a branch follows: our customer, named as in the counterparties
    feed's customer column; `aliases` are other full names our systems hold it under."""

    name: str = Field(min_length=2)
    branch: str = Field(min_length=1)
    aliases: tuple[str, ...] = ()

    @field_validator("name", "branch", mode="before")
    @classmethod
    def _trimmed(cls, value: Any) -> Any:
        return value.strip() if isinstance(value, str) else value

    @property
    def keys(self) -> list[str]:
        return list(dict.fromkeys(core_enterprise_key(n) for n in (self.name, *self.aliases) if n.strip()))


class TerritoriesConfig(ConfigModel):
    default_branch: str = Field(min_length=1, description="the branch for places no entry covers")
    territories: tuple[Territory, ...] = ()
    core_enterprises: tuple[CoreEnterprise, ...] = ()

    @field_validator("default_branch", mode="before")
    @classmethod
    def _trimmed(cls, value: Any) -> Any:
        return value.strip() if isinstance(value, str) else value

    @field_validator("territories", "core_enterprises", mode="before")
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
        # a core enterprise's counterparties are prospects of the branch that follows it: a name
        # two entries claim (or a branch no territory names) would make that ambiguous
        owner: dict[str, int] = {}
        for index, core in enumerate(self.core_enterprises):
            if core.branch not in self.branches:
                raise ValueError(f"core_enterprises[{index}]: branch {core.branch!r} is not a branch of territories")
            for key in core.keys:
                if key in owner:
                    raise ValueError(f"core_enterprises[{index}] names the same enterprise as core_enterprises[{owner[key]}]")
                owner[key] = index
        return self

    @property
    def branches(self) -> list[str]:
        return sorted({self.default_branch, *(t.branch for t in self.territories)})

    def rows(self) -> list[tuple[str | None, ...]]:
        """(province, city, district, branch) rows; the default branch is the all-NULL row."""
        return [(None, None, None, self.default_branch), *((*t.place, t.branch) for t in self.territories)]

    def core_enterprise_rows(self) -> list[tuple[str, str, str]]:
        """(name, match_key, branch) rows of ref.core_enterprises: one per name and alias."""
        return [(core.name, key, core.branch) for core in self.core_enterprises for key in core.keys]


def load_territories_config(territories: Path | str | Mapping | None = None) -> TerritoriesConfig:
    if territories is None or isinstance(territories, (str, Path)):
        return load_config(TerritoriesConfig, Path(territories or configs_dir() / "territories.yaml"))
    return validate_config(TerritoriesConfig, dict(territories), "territories config")
