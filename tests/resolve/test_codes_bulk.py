"""The bulk USCC check (warehouse.codes.parse_codes) gives python-stdnum's verdict, code by code.

The oracle is `stdnum.cn.uscc.is_valid(clean_code(raw))`: stdnum judges the code after our own
cleaning (NFKC, spaces and zero-width characters removed, upper case). A million generated codes
are compared by `python -m benchmarks.resolve.uscc_cases`; here a large sample, every code point of
the Basic Multilingual Plane written into a valid code, and the hand-picked corner cases.
"""

from __future__ import annotations

import time

import numpy as np
import pytest
from stdnum.cn import uscc as stdnum_uscc

from benchmarks.resolve.uscc_cases import corner_cases, generate_codes
from warehouse.codes import clean_code, parse_code, parse_codes, uscc_check_ok

VALID = "91110000600037341L"  # stdnum's own example


def _oracle(codes) -> np.ndarray:
    return np.array([stdnum_uscc.is_valid(clean_code(c)) for c in codes], dtype=bool)


def _disagreements(codes) -> list:
    bulk = parse_codes(codes).valid
    return [c for c, ours, theirs in zip(codes, bulk, _oracle(codes)) if ours != theirs]


def test_bulk_check_agrees_with_stdnum_on_a_large_generated_sample():
    codes = generate_codes(40_000, seed=3)
    oracle = _oracle(codes)
    assert 0.2 < oracle.mean() < 0.6  # the sample holds both verdicts in bulk
    assert [c for c, ours, theirs in zip(codes, parse_codes(codes).valid, oracle) if ours != theirs] == []


def test_bulk_check_agrees_with_stdnum_on_every_corner_case():
    assert _disagreements(corner_cases()) == []


def test_every_bmp_character_inside_a_valid_code_gets_stdnums_verdict():
    """Spaces, dashes, full-width and mathematical digits, letters that upper-case oddly…"""
    codes = [VALID[:9] + chr(cp) + VALID[9:] for cp in range(0x10000) if not 0xD800 <= cp <= 0xDFFF]
    codes += [VALID[:17] + chr(cp) for cp in range(0x10000) if not 0xD800 <= cp <= 0xDFFF]
    assert _disagreements(codes) == []
    oracle = _oracle(codes)
    assert [c for c, ok in zip(codes, oracle) if parse_code(c).valid != ok] == []  # the one-value path too


@pytest.mark.parametrize(
    ("raw", "kind", "code", "valid"),
    [
        (VALID, "uscc", VALID, True),
        (VALID.lower(), "uscc", VALID, True),
        ("\u3000" + VALID[:6] + "\t" + VALID[6:] + " ", "uscc", VALID, True),
        (VALID[:8] + "-" + VALID[8:], "uscc", VALID, True),  # stdnum compacts the dash away
        (VALID[:-1] + "M", "uscc", VALID[:-1] + "M", False),  # kept as written, never a key
        (VALID.replace("0", "O"), "uscc", VALID.replace("0", "O"), False),
        ("330100000012345", "regno15", "330100000012345", False),
        ("749012118", "orgcode", "74901211-8", False),
        ("74901211-8", "orgcode", "74901211-8", False),
        ("", "empty", "", False),
        (None, "empty", "", False),
        (float("nan"), "empty", "", False),
        ("暂无", "unknown", "暂无", False),
    ],
)
def test_code_kinds_and_cleaned_values(raw, kind, code, valid):
    cols = parse_codes([raw])
    assert (cols.kind[0], cols.code[0], bool(cols.valid[0])) == (kind, code, valid)


def test_single_and_bulk_parsing_agree_and_regions_come_from_the_division():
    codes = generate_codes(3_000, seed=9) + corner_cases()
    cols = parse_codes(codes)
    for i, raw in enumerate(codes):
        one = parse_code(raw)
        assert (one.code, one.kind, one.valid) == (cols.code[i], cols.kind[i], bool(cols.valid[i]))
    beijing = parse_codes([VALID, "330100000012345", VALID[:-1] + "M"]).region
    assert beijing[0].tolist() == [11, 1101, 0]  # 110000: province and city known, no district
    assert beijing[1].tolist() == [33, 3301, 0]  # a 注册号's first six digits
    assert beijing[2].tolist() == [0, 0, 0]  # an invalid code says nothing about the region


def test_check_reads_mixed_lengths_and_missing_values():
    assert uscc_check_ok(np.array([VALID, None, "", VALID + "X", VALID[:-1] + "M"], dtype=object)).tolist() == [
        True, False, False, False, False]


def test_bulk_check_is_much_faster_than_stdnum_per_code():
    rng = np.random.default_rng(1)
    pool = generate_codes(5_000, seed=4)
    codes = [pool[i] for i in rng.integers(0, len(pool), 100_000)]
    parse_codes(codes[:10])  # imports and caches out of the timing
    start = time.process_time()
    parse_codes(codes)
    bulk = time.process_time() - start
    start = time.process_time()
    for c in codes[:20_000]:
        stdnum_uscc.is_valid(clean_code(c))
    oracle = (time.process_time() - start) * 5
    assert bulk < oracle / 2
