"""configs/engine.yaml as a frozen pydantic model: how much memory the build's engines may take.

DuckDB spills joins, sorts and aggregates to `temp_directory` once its buffer manager reaches
`memory_limit`, so a build bounded here grows in disk, not RAM. A relative `temp_directory` is
under the data root (`TUOKE_DATA_DIR`). The Spark section is what a local-mode session uses; a
cluster passes its own session. A missing file means the defaults below; an unknown key is an
error naming its path, like every other config file.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator

from kernel.config import ConfigModel, load_config
from kernel.errors import UserError
from kernel.paths import configs_dir

FILE_NAME = "engine.yaml"
_SIZE = re.compile(r"^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$")


class EngineConfigError(UserError):
    """engine.yaml is wrong; the message names file, key path and problem."""


class DuckDBSettings(ConfigModel):
    """Settings every read-write DuckDB connection of a build gets (warehouse/db.py)."""

    memory_limit: str = Field("1.5GB", description="DuckDB buffer manager limit, e.g. 1.5GB; beyond it DuckDB spills")
    temp_directory: str = Field("work/spill", description="spill folder; relative paths are under the data root")
    max_temp_directory_size: str = Field("100GB", description="the most spill files may take on disk")
    threads: int | None = Field(None, ge=1, le=1024, description="worker threads; default: one per core")

    @field_validator("memory_limit", "max_temp_directory_size")
    @classmethod
    def _size(cls, value: str) -> str:
        if not _SIZE.match(value.strip()):
            raise ValueError(f"{value!r} is not a size such as 3GB or 512MB")
        return value.strip()

    def temp_path(self, data_root: Path) -> Path:
        path = Path(self.temp_directory)
        return path if path.is_absolute() else data_root / path


class SparkSettings(ConfigModel):
    """The Spark engine's settings (warehouse/engines/spark.py, spark_build.py): the local-mode
    session's master and memory, and the partitions and workdir every session uses."""

    master: str | None = Field("local[2]", description="Spark master (local[2], spark://host:7077, yarn); null: "
                               "the one spark-submit or spark-defaults.conf gives")
    driver_memory: str = Field("2g", description="spark.driver.memory of a session tuoke starts")
    conf: dict[str, str] = Field(default_factory=dict, description="any other Spark settings, e.g. "
                                 "spark.executor.memory, spark.executor.instances, spark.executorEnv.TUOKE_PII_KEY_FILE")
    shuffle_partitions: int = Field(2, ge=1, le=100_000, description="spark.sql.shuffle.partitions")
    resolve_partitions: int = Field(8, ge=1, le=100_000, description="groups of components resolved per task")
    feed_partitions: int = Field(4, ge=1, le=100_000, description="partitions of a feed file's rows checked on Spark")
    workdir: str = Field("work/spark", description="where Spark writes its tables, exports and component rounds: "
                         "relative paths are under the data root; a cluster needs a folder every executor "
                         "reaches (a shared mount, or a URI such as hdfs://nn/tuoke)")

    def workdir_under(self, data_root: Path) -> str:
        """The workdir as Spark reads it: a URI as given, a path made absolute under the data root."""
        if "://" in self.workdir:
            return self.workdir.rstrip("/")
        path = Path(self.workdir)
        return str(path if path.is_absolute() else data_root / path)


class ResolveSettings(ConfigModel):
    """How the build's resolver bounds its memory (warehouse/resolve/batches.py)."""

    batch_records: int = Field(0, ge=0, description="records resolved at once: whole components are packed into "
                               "batches of about this many, each resolved and written before the next; 0: one batch")
    duckdb_memory_limit: str = Field("256MB", description="DuckDB's memory_limit while the resolver (Python) runs: "
                                     "DuckDB evicts its cached blocks down to it, and gets duckdb.memory_limit back after")

    @field_validator("duckdb_memory_limit")
    @classmethod
    def _size(cls, value: str) -> str:
        return DuckDBSettings._size(value)


class ServeSettings(ConfigModel):
    """`tuoke serve`'s read-only connection to the published file (tuoke/prospects/published.py)."""

    duckdb_threads: int | None = Field(1, ge=1, le=1024, description="DuckDB threads of the page's connection; "
                                       "null: one per core. Concurrent requests are the parallelism: one thread per "
                                       "query cut server CPU per list request from 8.9-9.7 to 7.9-9.1 ms, p95 within "
                                       "noise (8 clients, 2 cores, 1M companies; docs/benchmarks.md)")


class EngineConfig(ConfigModel):
    duckdb: DuckDBSettings = DuckDBSettings()
    resolve: ResolveSettings = ResolveSettings()
    spark: SparkSettings = SparkSettings()
    serve: ServeSettings = ServeSettings()


def load_engine_config(path: Path | None = None) -> EngineConfig:
    """configs/engine.yaml (or `path`); the defaults if the file is absent."""
    path = Path(path) if path is not None else configs_dir() / FILE_NAME
    if not path.exists():
        return EngineConfig()
    return _load_file(path.resolve(), path.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _load_file(path: Path, _mtime: int) -> EngineConfig:
    return load_config(EngineConfig, path, error=EngineConfigError, empty_is_default=True)
