"""The names' Arrow text column (records.arrow_text_column) codes a column exactly as text_column does."""

import numpy as np
import pandas as pd
import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from warehouse.resolve.records import arrow_text_column, take_values, text_column, texts_at

TEXTS = st.lists(st.one_of(st.none(), st.sampled_from(["", "宏达机械有限公司", "宏達機械", "华信", "a b"]), st.text(max_size=6)),
                 max_size=40)


def _same(series: pd.Series) -> None:
    expected, got = text_column(series), arrow_text_column(series)
    assert isinstance(got.values, pa.Array)
    assert np.array_equal(got.codes, expected.codes)
    assert got.values.to_pylist() == expected.values.tolist()
    assert got.per_record().tolist() == expected.per_record().tolist()


@given(TEXTS)
def test_arrow_text_codes_like_text_column_from_arrow_text(values):
    _same(pd.Series(values, dtype=pd.StringDtype("pyarrow")))


@given(TEXTS)
def test_arrow_text_codes_like_text_column_from_objects(values):
    _same(pd.Series(values, dtype=object))


def test_values_that_are_not_all_text_go_through_text_column():
    series = pd.Series(["1", 1, None, "华信"], dtype=object)  # 1 and "1" are one value there
    got = arrow_text_column(series)
    assert got.per_record().tolist() == ["1", "1", "", "华信"]
    assert got.codes[0] == got.codes[1]


def test_texts_at_reads_one_position_or_many_and_a_compact_take_keeps_arrow():
    column = arrow_text_column(pd.Series(["甲", "乙", "甲", None], dtype=pd.StringDtype("pyarrow")))
    assert column[1] == "乙" and column[3] == ""
    assert column[np.array([2, 0])].tolist() == ["甲", "甲"]
    assert column[np.array([False, True, False, True])].tolist() == ["乙", ""]
    part, used = column.take(np.array([3, 1]), compact=True)
    assert isinstance(part.values, pa.Array) and part.per_record().tolist() == ["", "乙"]
    assert texts_at(column.values, used).tolist() == part.values.to_pylist()


def test_take_values_keeps_the_kind_and_reads_a_mask_as_positions():
    objects = np.array(["甲", "乙", "丙"], dtype=object)
    arrow = pa.array(objects.tolist(), type=pa.string())
    mask = np.array([True, False, True])
    assert take_values(objects, mask).tolist() == ["甲", "丙"]
    assert isinstance(take_values(arrow, mask), pa.Array) and take_values(arrow, mask).to_pylist() == ["甲", "丙"]
    assert take_values(arrow, np.array([2, 2])).to_pylist() == ["丙", "丙"]
