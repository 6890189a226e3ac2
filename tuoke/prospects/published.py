"""The published warehouse as the web app reads it: read-only, reopened when a build publishes.

A build replaces `data/tuoke.duckdb` by renaming a new file onto it (warehouse/publish.py), so the
path keeps its name but changes inode. Each request takes a cursor with `reading()`; when the
file's identity (inode, size, mtime) has changed since the connection was opened, the connection is
reopened on the new file once the requests still reading the old one have finished.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

SWAP_WAIT = 10.0


class WarehouseMissing(RuntimeError):
    """No published warehouse yet (run `tuoke build` or `tuoke demo`)."""


class PublishedWarehouse:
    def __init__(self, path: Path, threads: int | None = None):
        self.path = Path(path)
        self.threads = threads
        self._changed = threading.Condition()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._identity: tuple | None = None
        self._readers = 0
        self.opened = 0  # how many times a file was opened

    def _file_identity(self) -> tuple:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            raise WarehouseMissing(f"no published warehouse at {self.path}; run `tuoke build` first") from None
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    @contextmanager
    def reading(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor on the current published file for one request.

        DuckDB caches one database instance per path in a process, so a new file under the same
        path is only seen once every connection to the old one is closed: a swap waits for the
        requests still reading the old build (at most SWAP_WAIT seconds), closes it, and opens the
        new file."""
        identity = self._file_identity()
        with self._changed:
            if self._con is None or identity != self._identity:
                self._changed.wait_for(lambda: self._readers == 0, timeout=SWAP_WAIT)
                if self._con is not None:
                    self._con.close()
                    self._con = None
                config = {"threads": self.threads} if self.threads else {}
                self._con = duckdb.connect(str(self.path), read_only=True, config=config)
                self._identity = identity
                self.opened += 1
            cursor = self._con.cursor()
            self._readers += 1
        try:
            yield cursor
        finally:
            cursor.close()
            with self._changed:
                self._readers -= 1
                self._changed.notify_all()

    def close(self) -> None:
        with self._changed:
            if self._con is not None:
                self._con.close()
            self._con = None
