"""configs/large_enterprises.yaml: the public lists that make a company a large enterprise (大型企业),
so it leaves the 普惠 lists with its reason (docs/sizing.md).

Each list is cited (publisher, URL, date) and holds its entries inline or in a CSV/XLSX file beside
the YAML (the exchanges publish their lists as downloads: save the download, point `file` at it and
map its headers in `columns`). Lists are reference data, not crawled sources: an entry is evidence
about a company tuoke meets elsewhere, never a prospect of its own. Which file is read follows the
active sources: `<sources folder>/../large_enterprises.yaml` when it exists (the demo's lists beside
configs/demo/sources), else configs/large_enterprises.yaml.

The subsidiary rule is stated here too: a company whose name begins with a listed or state group's
name up to its 集团 (中国XX集团 → 中国XX集团浙江有限公司, 中国XX集团…分公司) belongs to the group; so does
one whose name begins with a prefix the entry lists (a group's brand: 中铁十局 …).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, model_validator

from kernel.config import ConfigModel, load_config, validate_config
from kernel.contracts import LargeEnterpriseListKind
from kernel.errors import UserError
from kernel.paths import configs_dir, sources_dir

Text = Annotated[str, Field(min_length=1)]
Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,62}$")]


class LargeEnterprisesError(UserError):
    """configs/large_enterprises.yaml is wrong: file, key path and problem."""


class Entry(ConfigModel):
    name: Text
    code: str | None = None  # 证券代码 of a listed company
    uscc: str | None = None
    prefixes: tuple[Text, ...] = ()  # names beginning with one of these belong to the entry's group


class Columns(ConfigModel):
    """A list file's headers (first present wins), matched like feed headers (NFKC, no spaces)."""

    name: tuple[Text, ...] = Field(min_length=1)
    code: tuple[Text, ...] = ()
    uscc: tuple[Text, ...] = ()


class EnterpriseList(ConfigModel):
    id: Identifier
    kind: LargeEnterpriseListKind
    label: Text  # as a reason names it: 上市公司 / 中央企业 / 省属国企
    title: Text
    publisher: Text
    url: Text | None = None
    as_of: dt.date | None = None
    file: str | None = None  # CSV / XLSX beside this YAML
    columns: Columns | None = None
    entries: tuple[Entry, ...] = ()

    @model_validator(mode="after")
    def _entries_or_file(self) -> EnterpriseList:
        if bool(self.file) == bool(self.entries):
            raise ValueError(f"{self.id}: give either `file` (with `columns`) or `entries`")
        if self.file and self.columns is None:
            raise ValueError(f"{self.id}: a `file` needs `columns` (which headers hold the name, code, USCC)")
        return self


class SubsidiaryRule(ConfigModel):
    """A name that begins with a group's name up to `group_word` belongs to the group."""

    group_word: Text = "集团"
    min_stem_chars: Annotated[int, Field(ge=2)] = 4  # characters before the group word: 中国移动通信 ✓, 中国 ✗
    kinds: tuple[LargeEnterpriseListKind, ...] = ("listed", "central_soe", "provincial_soe")


class LargeEnterprisesConfig(ConfigModel):
    referral: Text = "建议转介公司金融部"  # what the exclusion says a large firm should get instead
    subsidiary_rule: SubsidiaryRule = SubsidiaryRule()
    lists: tuple[EnterpriseList, ...] = ()

    @model_validator(mode="after")
    def _unique_ids(self) -> LargeEnterprisesConfig:
        ids = [item.id for item in self.lists]
        if len(set(ids)) != len(ids):
            raise ValueError("lists: a list id is used twice")
        return self


def large_enterprises_path() -> Path:
    """The lists file that goes with the active sources folder (the demo's beside its sources)."""
    beside_sources = sources_dir().parent / "large_enterprises.yaml"
    return beside_sources if beside_sources.exists() else configs_dir() / "large_enterprises.yaml"


def load_large_enterprises(config: Path | str | Mapping | LargeEnterprisesConfig | None = None
                           ) -> tuple[LargeEnterprisesConfig, Path]:
    """The checked config and the folder its list files are read from."""
    if isinstance(config, LargeEnterprisesConfig):
        return config, configs_dir()
    if config is None or isinstance(config, (str, Path)):
        path = Path(config) if config is not None else large_enterprises_path()
        return load_config(LargeEnterprisesConfig, path, error=LargeEnterprisesError), path.parent
    data: Any = dict(config)
    return validate_config(LargeEnterprisesConfig, data, "large enterprises", error=LargeEnterprisesError), configs_dir()
