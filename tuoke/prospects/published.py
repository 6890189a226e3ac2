"""The published warehouse as every face opens it: read-only, reopened when a build publishes,
with the build's catalog read once per file (and, kept with it, the file's name index and the
totals of its filters: name_search.py, counts.py).

A build replaces `data/tuoke.duckdb` by renaming a new file onto it (warehouse/publish.py), so the
path keeps its name but changes inode. Each request (or CLI command) takes a reader with
`reading()`; when the file's identity (inode, size, mtime) has changed since the connection was
opened, the connection is reopened on the new file once the readers of the old one have finished.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from kernel.errors import UserError
from kernel.paths import DataPaths
from tuoke.prospects.catalog import Catalog
from tuoke.prospects.counts import ListCounts
from tuoke.prospects.name_search import LazyNameIndex
from tuoke.prospects.reader import ProspectReader

SWAP_WAIT = 10.0


class WarehouseMissing(UserError):
    """No published warehouse, or one without the marts (run `tuoke build` or `tuoke demo`)."""


class PublishedWarehouse:
    def __init__(self, path: Path, threads: int | None = None):
        self.path = Path(path)
        self.threads = threads
        self._changed = threading.Condition()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._catalog: Catalog | None = None
        self._names: LazyNameIndex | None = None
        self._counts: ListCounts | None = None
        self._identity: tuple | None = None
        self._readers = 0
        self.opened = 0  # how many times a file was opened

    @classmethod
    def from_env(cls) -> PublishedWarehouse:
        return cls(DataPaths.from_env().published_db)

    def _file_identity(self) -> tuple:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            raise WarehouseMissing(f"no published warehouse at {self.path}; run `tuoke build` first "
                                   "(or `tuoke demo`)") from None
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    def _open(self, identity: tuple) -> None:
        try:
            con = duckdb.connect(str(self.path), read_only=True)
        except duckdb.Error as exc:
            raise WarehouseMissing(f"cannot open the published warehouse {self.path}: {exc}") from None
        try:
            con.execute("SET enable_progress_bar = false")
            if self.threads:  # SET, not a connect config: a second reader of the file in this process
                # with another config would be refused ("different configuration than existing connections")
                con.execute(f"SET threads = {int(self.threads)}")
            con.execute("SELECT 1 FROM marts.prospects_ranked LIMIT 1")
            catalog = Catalog.read(con)
        except duckdb.Error:
            con.close()
            raise WarehouseMissing(f"{self.path} has no marts.prospects_ranked yet; run `tuoke build` first") from None
        self._con, self._catalog, self._identity = con, catalog, identity
        self._names = LazyNameIndex.for_catalog(catalog)
        self._counts = ListCounts()  # the totals of this file's filters, never of the file before
        self.opened += 1

    @contextmanager
    def reading(self) -> Iterator[ProspectReader]:
        """A reader on the current published file for one request or command.

        DuckDB caches one database instance per path in a process, so a new file under the same
        path is only seen once every connection to the old one is closed: a swap waits for the
        readers of the old build (at most SWAP_WAIT seconds), closes it, and opens the new file."""
        identity = self._file_identity()
        with self._changed:
            if self._con is None or identity != self._identity:
                self._changed.wait_for(lambda: self._readers == 0, timeout=SWAP_WAIT)
                self._close()
                self._open(identity)
            cursor = self._con.cursor()
            catalog, names, counts = self._catalog, self._names, self._counts
            self._readers += 1
        try:
            yield ProspectReader(cursor, catalog, names, counts)
        finally:
            cursor.close()
            with self._changed:
                self._readers -= 1
                self._changed.notify_all()

    def _close(self) -> None:
        if self._con is not None:
            self._con.close()
        self._con, self._catalog, self._identity, self._names, self._counts = None, None, None, None, None

    def close(self) -> None:
        with self._changed:
            self._close()


@contextmanager
def open_published(path: Path | None = None) -> Iterator[ProspectReader]:
    """The CLI's reader: the published file (TUOKE_DATA_DIR) for one command, closed after it."""
    warehouse = PublishedWarehouse(path or DataPaths.from_env().published_db)
    try:
        with warehouse.reading() as reader:
            yield reader
    finally:
        warehouse.close()
