"""The one USCC check (kernel/uscc.py) gives python-stdnum's verdict on any input, vectorised or
one value at a time, and every station uses it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import uscc as stdnum_uscc

from kernel.uscc import ALPHABET, clean_code, is_valid_uscc, valid_usccs

pytestmark = pytest.mark.fuzz


def stdnum_verdict(raw: str) -> bool:
    try:
        return bool(stdnum_uscc.is_valid(clean_code(raw)))
    except Exception:  # stdnum raises on a few odd inputs; invalid is its answer
        return False


def with_check_character(body17: str) -> str:
    return body17 + stdnum_uscc.calc_check_digit(body17)


# codes as lists write them: valid ones, one character off, dashes, spaces, full-width, lower case
usccs = st.builds(with_check_character, st.from_regex(r"9[1-3][0-9]{6}[0-9A-HJ-NPQRTUWXY]{9}", fullmatch=True))
written = st.one_of(
    usccs,
    usccs.map(lambda c: c[:-1] + ("0" if c[-1] != "0" else "1")),
    usccs.map(lambda c: c[:6] + "-" + c[6:]),
    usccs.map(lambda c: " " + c.lower() + "\u200b"),
    usccs.map(lambda c: c.translate({ord(ch): ord(ch) + 0xFEE0 for ch in ALPHABET})),
    st.text(alphabet=ALPHABET + "-IOSVZ ", min_size=16, max_size=20),
    st.text(max_size=24),
)


@settings(deadline=None)  # the first call imports and warms numpy/Arrow
@given(st.lists(written, min_size=1, max_size=40))
def test_the_vectorised_check_gives_stdnums_verdict(codes):
    assert valid_usccs(codes).tolist() == [stdnum_verdict(c) for c in codes]


@settings(deadline=None)
@given(written)
def test_one_code_gets_the_same_verdict_as_the_column(code):
    assert is_valid_uscc(code) == stdnum_verdict(code) == bool(valid_usccs([code])[0])


def test_none_and_nan_are_not_valid():
    assert valid_usccs([None, float("nan"), ""]).tolist() == [False, False, False]
    assert not is_valid_uscc(None)


def test_the_extractor_the_warehouse_and_the_checks_use_the_kernels_check():
    import kernel.uscc
    import pipelines.checks
    import scrapers.extract.codes
    import warehouse.codes

    assert scrapers.extract.codes.is_valid_uscc is kernel.uscc.is_valid_uscc
    assert warehouse.codes.is_valid_uscc is kernel.uscc.is_valid_uscc
    assert warehouse.codes.uscc_check_ok is kernel.uscc.uscc_check_ok
    assert pipelines.checks.valid_usccs is kernel.uscc.valid_usccs
