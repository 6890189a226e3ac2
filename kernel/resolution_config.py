"""configs/resolution.yaml as a frozen pydantic model: the thresholds of entity resolution.

Every comparison level of `warehouse.resolve.pair_rules` that has a threshold names its key here,
so a bank tightens one (`comparison.address_similarity: 95`) without a code change. Unknown keys
are errors with their key path (`configs/resolution.yaml: comparison.adress_similarity: unknown
key …`), like every other config file. A missing file means the defaults below.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import Field, model_validator

from kernel.config import ConfigModel, load_config, validate_config
from kernel.errors import UserError
from kernel.paths import configs_dir

FILE_NAME = "resolution.yaml"


class ResolutionConfigError(UserError):
    """resolution.yaml is wrong; the message names file, key path and problem."""


class BlockingSettings(ConfigModel):
    """Which candidate pairs are made (warehouse/resolve/blocking.py)."""

    max_block: int = Field(60, ge=2, le=10_000, description="a block of more nodes per side is dropped and counted")
    typo_min_length: int = Field(3, ge=2, le=16, description="shortest core that gets look/sound-alike keys")
    typo_max_length: int = Field(16, ge=2, le=16, description="longest core that gets look/sound-alike keys")
    missing_char_min_length: int = Field(5, ge=3, le=16, description="shorter core of a missing-character pair")
    prefix_min_length: int = Field(3, ge=2, le=16, description="a bare core this long may start a longer core")

    @model_validator(mode="after")
    def _ordered(self) -> BlockingSettings:
        if self.typo_min_length > self.typo_max_length:
            raise ValueError("typo_min_length must not exceed typo_max_length")
        return self


class ComparisonSettings(ConfigModel):
    """Thresholds the comparison levels read (each level names its key)."""

    address_similarity: int = Field(85, ge=50, le=100, description="rapidfuzz ratio from which two addresses "
                                    "without street keys name one place")
    bare_name_max_length: int = Field(2, ge=1, le=6, description="a short form with a core this short and no "
                                      "place is never attached on its own (熊猫)")
    trade_name_weight: float = Field(0.7, ge=0, le=1, description="share of the trade name in a pair's name "
                                     "similarity; the industry words take the rest")


class ScoreSettings(ConfigModel):
    """How a link's score is made: base by candidate rule x (1 - similarity_share + similarity_share x
    similarity), plus strong_bonus for a strong link, at most 1."""

    same_core: float = Field(0.9, gt=0, le=1)
    typo: float = Field(0.8, gt=0, le=1)
    trade_name: float = Field(0.7, gt=0, le=1)
    prefix: float = Field(0.6, gt=0, le=1)
    similarity_share: float = Field(0.2, ge=0, le=1)
    strong_bonus: float = Field(0.1, ge=0, le=1)


class AuthoritySettings(ConfigModel):
    """Whose names are authority (warehouse/resolve/authority.py, rule `registry_name`): a record named
    exactly as one of their records, without a valid USCC of its own, is vouched for by its code."""

    sources: tuple[str, ...] = Field(("feed:registry", "feed:registry:former"), description="source ids of "
                                     "authority records (a registry's current and former names)")


class ResolutionConfig(ConfigModel):
    authority: AuthoritySettings = AuthoritySettings()
    blocking: BlockingSettings = BlockingSettings()
    comparison: ComparisonSettings = ComparisonSettings()
    scores: ScoreSettings = ScoreSettings()

    def threshold(self, key: str) -> float:
        """The value of a `section.key` threshold a comparison level names."""
        section, _, name = key.partition(".")
        return getattr(getattr(self, section), name)


def load_resolution_config(source: Path | str | Mapping[str, Any] | ResolutionConfig | None = None) -> ResolutionConfig:
    """configs/resolution.yaml (or `source`: a path, parsed data, or a config); defaults if the file is absent."""
    if isinstance(source, ResolutionConfig):
        return source
    if isinstance(source, Mapping):
        return validate_config(ResolutionConfig, dict(source), "resolution config", error=ResolutionConfigError)
    path = Path(source) if source is not None else configs_dir() / FILE_NAME
    if source is None and not path.exists():
        return ResolutionConfig()
    return _load_file(path.resolve(), path.stat().st_mtime_ns if path.exists() else 0)


@lru_cache(maxsize=8)
def _load_file(path: Path, _mtime: int) -> ResolutionConfig:
    return load_config(ResolutionConfig, path, error=ResolutionConfigError, empty_is_default=True)
