"""The process heap while resolution runs: large arrays in their own mappings, free pages handed back.

Resolution makes and drops many arrays of one value per record (two million records: 15 MB each).
glibc's malloc serves blocks above its mmap threshold from a mapping of their own, returned to the
system on free; but the threshold is dynamic: after the first such block is freed it rises to that
block's size (up to 32 MiB), so every later per-record temporary is carved from the heap and its
pages stay resident once freed — in the 1.9M-record build 0.3–0.5 GiB of the write phase's peak.
`bound_heap` fixes the threshold (which also stops the adjustment); `release_heap` trims what is
free. Both do nothing where the C library is not glibc.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools

M_MMAP_THRESHOLD = -3  # mallopt's parameter number (malloc.h)
# above this an array gets its own mapping (glibc starts at 128 KiB). At 1M records 256 KiB gave 1,317 MB
# and 26.7 s, 1 MiB 1,333 MB and 23.5 s, 4 MiB 1,420 MB and 22.6 s (docs/benchmarks.md)
MMAP_THRESHOLD_BYTES = 2**20


@functools.cache
def _libc() -> ctypes.CDLL | None:
    """glibc, loaded once: ctypes.util.find_library runs `ldconfig -p` in a child process each
    time, and a forked child of a 3 GiB process was counted again in the build's summed RSS."""
    for find in (lambda: "libc.so.6", lambda: ctypes.util.find_library("c")):  # the search only if needed
        name = find()
        try:
            libc = ctypes.CDLL(name) if name else None
        except OSError:
            continue
        if libc is not None and hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt"):
            return libc
    return None  # not glibc (macOS, musl): nothing to tune


def bound_heap() -> bool:
    """Fix malloc's mmap threshold (see the module doc); True when set. Process-wide and idempotent."""
    libc = _libc()
    return bool(libc is not None and libc.mallopt(ctypes.c_int(M_MMAP_THRESHOLD), ctypes.c_int(MMAP_THRESHOLD_BYTES)))


def release_arrow_memory() -> None:
    """Hand the memory Arrow's pool keeps after a factorize or a code check back to the system."""
    try:
        import pyarrow

        pyarrow.default_memory_pool().release_unused()
    except (ImportError, AttributeError):  # pragma: no cover - pyarrow is a dependency of pandas here
        pass


def release_heap() -> None:
    """Hand the C heap's free pages back to the system (glibc's malloc_trim): after resolution the
    freed arrays and strings would otherwise stay in this process's resident memory for the rest of
    the build."""
    release_arrow_memory()
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
