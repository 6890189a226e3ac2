"""The published warehouse as the web app reads it: read-only, reopened when a build publishes.

A build replaces `data/tuoke.duckdb` by renaming a new file onto it (warehouse/publish.py), so the
path keeps its name but changes inode. Each request asks for a cursor; when the file's identity
(inode, size, mtime) has changed since the connection was opened, a new read-only connection is
opened on the new file. The old connection is kept until the next swap, so a request that started
on the old build finishes on it instead of failing mid-page.
"""

from __future__ import annotations

import threading
from pathlib import Path

import duckdb


class WarehouseMissing(RuntimeError):
    """No published warehouse yet (run `tuoke build` or `tuoke demo`)."""


class PublishedWarehouse:
    def __init__(self, path: Path, threads: int | None = None):
        self.path = Path(path)
        self.threads = threads
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._identity: tuple | None = None
        self._previous: duckdb.DuckDBPyConnection | None = None
        self.opened = 0  # how many times a file was opened (tests read it)

    def _file_identity(self) -> tuple:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            raise WarehouseMissing(f"no published warehouse at {self.path}; run `tuoke build` first") from None
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor of the connection to the current published file (one per request and thread)."""
        identity = self._file_identity()
        with self._lock:
            if self._con is None or identity != self._identity:
                config = {"threads": self.threads} if self.threads else {}
                con = duckdb.connect(str(self.path), read_only=True, config=config)
                if self._previous is not None:
                    self._previous.close()
                self._previous, self._con, self._identity = self._con, con, identity
                self.opened += 1
            return self._con.cursor()

    def close(self) -> None:
        with self._lock:
            for con in (self._con, self._previous):
                if con is not None:
                    con.close()
            self._con = self._previous = None
