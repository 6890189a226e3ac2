"""Property-based: the one name validator (kernel.name_validation) on any string (issue 22).

It never raises; what it lets through is a name a loan officer can be shown and a spreadsheet
cannot run: no control or format character, no U+FFFD, no formula start, no markup, at most
MAX_NAME_LENGTH characters, two Chinese characters or two letters. Damage inserted anywhere into a
real name is refused.
"""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from kernel.name_validation import (
    _PLAIN_NAME,
    FORMULA_STARTS,
    MAX_NAME_LENGTH,
    REPLACEMENT_CHARACTER,
    every_check,
    org_name_problem,
)

pytestmark = pytest.mark.fuzz

REAL_NAMES = Path(__file__).resolve().parents[3] / "shared" / "real-names" / "pairs.csv"
_SAMPLE = ["杭州甲科技有限公司", "青岛啤酒（哈尔滨）有限公司", "中国银行股份有限公司杭州分行", "L'Oréal (China) Co., Ltd."]
if REAL_NAMES.exists():
    with REAL_NAMES.open(encoding="utf-8") as handle:
        _SAMPLE += [row["name"] for _, row in zip(range(3000), csv.DictReader(handle))]
REAL = st.sampled_from([n for n in _SAMPLE if org_name_problem(n) is None])
# Unicode with the characters hostile names are made of over-represented.
_HOSTILE = st.sampled_from(list("=+-@\t\r\x00\u200b\u202e\ufeff\ufffd<>&;|{}$`\"'\\") + ["--", "/*", "&lt;", "<script>",
                                                                                    "DROP TABLE ", " UNION SELECT "])
ANY_NAME = st.one_of(st.text(max_size=100), st.lists(st.one_of(_HOSTILE, st.text(max_size=6), REAL), max_size=6).map("".join))


@given(ANY_NAME)
def test_what_passes_is_showable_and_inert(name):
    problem = org_name_problem(name)
    if problem is not None:
        assert problem.reason and problem.detail
        return
    stripped = unicodedata.normalize("NFKC", name).strip()
    assert REPLACEMENT_CHARACTER not in name
    assert not any(unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs") for ch in name if ch != " ")
    assert not stripped.startswith(FORMULA_STARTS) and name[:1] not in ("\t", "\r")
    assert "<" not in stripped and ">" not in stripped and len(stripped) <= MAX_NAME_LENGTH


@given(REAL, st.integers(min_value=0, max_value=80), st.sampled_from(["\ufffd", "\x00", "\u200b", "\u202e", "\x07"]))
def test_damage_anywhere_in_a_real_name_is_refused(name, at, damage):
    at = min(at, len(name))
    damaged = name[:at] + damage + name[at:]
    problem = org_name_problem(damaged)
    assert problem is not None
    expected = "damaged_text" if damage == "\ufffd" else ("formula_prefix" if at == 0 and damage in "\t\r" else
                                                         "control_characters")
    assert problem.reason == expected


@given(REAL, st.sampled_from(["=", "+", "-", "@"]))
def test_a_formula_start_on_a_real_name_is_refused(name, start):
    assume(not name.startswith(start))
    assert org_name_problem(start + name).reason == "formula_prefix"


# the shortcut for plain names (Chinese characters, digits, brackets) must say what every check says
_PLAIN_PARTS = st.one_of(st.text(alphabet="()（）0123456789", max_size=3),
                         st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=12))


@given(st.one_of(st.lists(_PLAIN_PARTS, min_size=1, max_size=8).map("".join), ANY_NAME))
def test_the_plain_name_shortcut_agrees_with_every_check(name):
    assume(name.strip())
    assert org_name_problem(name) == every_check(name)


@pytest.mark.skipif(not REAL_NAMES.exists(), reason="../shared/real-names is not present")
def test_the_plain_name_shortcut_agrees_with_every_check_on_every_real_name():
    with REAL_NAMES.open(encoding="utf-8") as handle:
        names = [row["name"] for row in csv.DictReader(handle) if row["name"].strip()]
    assert sum(bool(_PLAIN_NAME.fullmatch(n)) for n in names) > len(names) // 2  # the shortcut is the common case
    assert [org_name_problem(n) for n in names] == [every_check(n) for n in names]
