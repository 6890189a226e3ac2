"""How many prospects match a filter, remembered for the open published file.

A page shows "N 家企业" above its rows. Counting is a scan of the whole list (a million rows: up to
4 ms of CPU for a mask or branch filter), while the page itself often needs only its first rows;
and every page of a filter, every sort of it and every user with the same territory asks the same
count again. The rows of a published file never change (a build publishes a new file), so a count
is kept with the file it was made from (PublishedWarehouse makes one `ListCounts` per opened file
and drops it with the file): a republish starts from nothing, never from the old file's counts.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from tuoke.prospects.filters import ProspectFilter
from tuoke.prospects.scope import Scope

MAX_COUNTS = 10_000  # (scope, filter) pairs kept per file; the least recently used go first


class ListCounts:
    def __init__(self, capacity: int = MAX_COUNTS):
        self.capacity = capacity
        self._counts: OrderedDict[tuple[Scope, ProspectFilter], int] = OrderedDict()
        self._lock = threading.Lock()
        self.computed = 0  # counts made (not remembered): what a test of the memo watches

    def total(self, scope: Scope, f: ProspectFilter, count: Callable[[], int]) -> int:
        """The number of rows `f` chooses in `scope`: remembered, else `count()` (and remembered)."""
        key = (scope, f.choosing_rows())
        with self._lock:
            if key in self._counts:
                self._counts.move_to_end(key)
                return self._counts[key]
        total = int(count())  # outside the lock: two first requests may both count, with one answer
        with self._lock:
            self.computed += 1
            self._counts[key] = total
            self._counts.move_to_end(key)
            while len(self._counts) > self.capacity:
                self._counts.popitem(last=False)
        return total
