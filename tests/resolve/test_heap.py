"""The resolver's heap settings (warehouse/resolve/heap.py): glibc is found without a child process,
the mmap threshold is fixed, and a freed per-record array leaves resident memory."""

from __future__ import annotations

import ctypes.util
import subprocess
import sys

import numpy as np
import pytest

from warehouse.resolve import heap

glibc = pytest.mark.skipif(not sys.platform.startswith("linux") or heap._libc() is None, reason="glibc only")


@glibc
def test_libc_is_loaded_without_running_ldconfig(monkeypatch):
    def no_search(name):
        raise AssertionError("find_library runs ldconfig in a forked child")

    def no_child(*args, **kwargs):
        raise AssertionError("a child process was started")

    heap._libc.cache_clear()
    monkeypatch.setattr(ctypes.util, "find_library", no_search)
    monkeypatch.setattr(subprocess, "Popen", no_child)
    try:
        assert heap._libc() is not None
        heap.release_heap()
        assert heap.bound_heap()
    finally:
        heap._libc.cache_clear()


def _rss_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as handle:
        return next(int(line.split()[1]) for line in handle if line.startswith("VmRSS:"))


@glibc
def test_a_freed_large_array_is_given_back_with_the_threshold_fixed():
    assert heap.bound_heap()
    big = np.empty(8 * 2**20 // 8)  # 8 MiB: under glibc's dynamic threshold's ceiling of 32 MiB
    big.fill(1.0)
    del big
    warm = _rss_kib()
    arrays, kept = [], []
    for _ in range(16):  # 64 MiB of 4 MiB arrays, each with a small array kept after it (the heap's top
        arrays.append(np.ones(2**20 // 8 * 4))  # is never free, so only a mapping of its own is given back:
        kept.append(np.ones(200 * 1024 // 8))  # without bound_heap the 64 MiB stay resident)
    held = _rss_kib()
    del arrays
    freed = _rss_kib()
    assert held - warm > 50 * 1024
    assert freed - warm < 8 * 1024  # returned on free, no trim needed
