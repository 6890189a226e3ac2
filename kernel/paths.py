"""Where tuoke keeps its files. Every station asks here instead of building paths itself."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class DataPaths:
    root: Path

    @classmethod
    def from_env(cls) -> DataPaths:
        return cls(Path(os.environ.get("TUOKE_DATA_DIR", "data")).resolve())

    @property
    def landing(self) -> Path:
        return self.root / "landing"

    @property
    def quarantine(self) -> Path:
        return self.root / "quarantine"

    @property
    def state(self) -> Path:
        return self.root / "state"

    @property
    def httpcache(self) -> Path:
        return self.root / "httpcache"

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def exports(self) -> Path:
        return self.root / "exports"

    @property
    def working_db(self) -> Path:
        return self.root / "work" / "tuoke.duckdb"

    @property
    def published_db(self) -> Path:
        return self.root / "tuoke.duckdb"

    def source_landing(self, source_id: str) -> Path:
        return self.landing / source_id

    def source_quarantine(self, source_id: str) -> Path:
        return self.quarantine / source_id

    def feed_quarantine(self, feed: str) -> Path:
        return self.quarantine / "feeds" / feed


def configs_dir() -> Path:
    return Path(os.environ.get("TUOKE_CONFIGS_DIR", REPO_ROOT / "configs")).resolve()


def sources_dir() -> Path:
    """Active source YAML folder: production `configs/sources`, or the demo's via TUOKE_SOURCES_DIR."""
    return Path(os.environ.get("TUOKE_SOURCES_DIR", configs_dir() / "sources")).resolve()


def demo_sources_dir() -> Path:
    return REPO_ROOT / "configs" / "demo" / "sources"


def sql_models_dir() -> Path:
    return REPO_ROOT / "dbt_like_sql"
