"""The build benchmark's memory sampler: each step's peak PSS comes from its own time window."""

import time

from benchmarks.bench_build import PeakRss


def test_a_steps_peak_pss_is_the_largest_sample_of_its_window_or_the_one_just_before():
    watcher = PeakRss()
    watcher.pss_samples = [(10.0, 100), (10.2, 900), (10.4, 300), (10.6, 200), (10.8, 700)]

    assert watcher.peak_pss_in(10.3, 10.7) == 900  # the sample at 10.2 still stood when the step began
    assert watcher.peak_pss_in(10.41, 10.5) == 300  # shorter than a sample: the one before counts
    assert watcher.peak_pss_in(10.5, 11.0) == 700
    assert watcher.peak_pss_in(9.0, 9.5) == 0  # before any sample


def test_the_sampler_records_this_process_pss_while_it_runs():
    watcher = PeakRss()
    watcher.start()
    buffer = bytearray(64 * 2**20)  # 64 MiB touched: the PSS must see it
    for i in range(0, len(buffer), 4096):
        buffer[i] = 1
    while len(watcher.pss_samples) < 3:
        time.sleep(0.05)
    watcher.stop()
    del buffer

    times = [t for t, _ in watcher.pss_samples]
    assert times == sorted(times)
    assert watcher.peak_pss >= 64 * 2**20
    assert watcher.peak_pss_in(times[0], times[-1]) == max(p for _, p in watcher.pss_samples)
