"""Property-based: the USCC check gives python-stdnum's verdict on any string (issue 22).

The oracle is `stdnum.cn.uscc.is_valid` after our cleaning (`clean_code`: NFKC, spaces and
zero-width characters removed, upper case); both the per-value check and the vectorised one must
agree with it. Codes are drawn near the valid ones (a right check character, then one change) as
well as from any text.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from stdnum.cn import uscc as stdnum_uscc

from kernel.uscc import ALPHABET, clean_code
from warehouse.codes import parse_code, parse_codes

pytestmark = pytest.mark.fuzz

_BODY = st.tuples(st.text(alphabet="0123456789", min_size=8, max_size=8),
                  st.text(alphabet=ALPHABET, min_size=9, max_size=9)).map("".join)
VALID = _BODY.map(lambda body: body + stdnum_uscc.calc_check_digit(body))
_NOISE = st.sampled_from([" ", "-", "　", "\u200b", "\t", "Ｏ", "I", "O", "Z", "S", "V", "ａ", "０", "\ufffd", "*"])


@st.composite
def near_valid(draw):
    code = list(draw(VALID))
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        at = draw(st.integers(min_value=0, max_value=len(code)))
        action = draw(st.sampled_from(["insert", "replace", "delete", "lower"]))
        if action == "insert":
            code.insert(at, draw(_NOISE))
        elif code and at < len(code):
            if action == "replace":
                code[at] = draw(st.one_of(_NOISE, st.sampled_from(ALPHABET)))
            elif action == "delete":
                del code[at]
            else:
                code[at] = code[at].lower()
    return "".join(code)


CODES = st.one_of(VALID, near_valid(), st.text(max_size=24))


def _oracle(raw: str) -> bool:
    return bool(stdnum_uscc.is_valid(clean_code(raw)))


@given(CODES)
@example("91110000600037341L")
@example("91110000600037341l")
@example("9111-0000-6000-3734-1L")
def test_the_check_of_one_code_is_stdnums_verdict(raw):
    assert parse_code(raw).valid == _oracle(raw)


@given(st.lists(CODES, min_size=1, max_size=30))
def test_the_vectorised_check_is_stdnums_verdict_row_by_row(raws):
    assert parse_codes(raws).valid.tolist() == [_oracle(r) for r in raws]
