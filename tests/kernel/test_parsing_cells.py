"""Shared Chinese value parsing: a table cell holds one value and nothing else; prose may hold more."""

import datetime as dt
from typing import get_args

import pytest

from kernel.contracts import FeedColumnType
from kernel.parsing import (
    parse_amount,
    parse_amount_cell,
    parse_date,
    parse_date_cell,
    parse_month_cell,
    parse_yes_no,
)


@pytest.mark.parametrize(("text", "yuan"), [
    ("1,234.5", 1234.5), ("¥1234", 1234.0), ("31.2万", 312_000.0), ("１２万元", 120_000.0), ("-80元", -80.0),
    ("1 234", 1234.0), ("1.5亿", 150_000_000.0), ("RMB 5", 5.0),
])
def test_amount_cells(text, yuan):
    assert parse_amount_cell(text) == pytest.approx(yuan)


@pytest.mark.parametrize("text", ["约三万", "12abc", "万", "", "1,23", "详见附件"])
def test_an_amount_cell_with_anything_else_in_it_is_refused(text):
    with pytest.raises(ValueError):
        parse_amount_cell(text)


def test_prose_finds_the_amount_a_cell_refuses():
    assert parse_amount("中标金额：约12万元").yuan == pytest.approx(120_000.0)
    with pytest.raises(ValueError):
        parse_amount_cell("中标金额：约12万元")


@pytest.mark.parametrize("text", ["2026-10-08", "2026/10/8", "20261008", "2026年10月8日", "2026.10.8",
                                  "2026-10-08 12:30:00", "2026年10月8日 09:30", "二〇二六年十月八日"])
def test_date_cells(text):
    assert parse_date_cell(text) == dt.date(2026, 10, 8)


@pytest.mark.parametrize("text", ["2026-13-01", "2026-02-30", "2026-10-08x", "见2026-10-08", ""])
def test_bad_date_cells(text):
    with pytest.raises(ValueError):
        parse_date_cell(text)
    assert parse_date("公告日期 2026-10-08 附件") == dt.date(2026, 10, 8)  # prose still finds one


@pytest.mark.parametrize("text", ["2026-10", "202610", "2026年10月", "2026-10-27"])
def test_month_cells(text):
    assert parse_month_cell(text) == dt.date(2026, 10, 1)


def test_yes_no():
    assert parse_yes_no("是") and parse_yes_no(" Y ") and not parse_yes_no("否") and not parse_yes_no("0")
    with pytest.raises(ValueError):
        parse_yes_no("也许")


def test_every_feed_column_type_has_one_parser_in_the_table():
    from warehouse.feeds.columns import COLUMN_KINDS

    assert set(COLUMN_KINDS) == set(get_args(FeedColumnType))
    assert COLUMN_KINDS["amount"].parse("31.2万") == repr(312_000.0)
    with pytest.raises(ValueError):
        COLUMN_KINDS["int"].parse("1.5")
    assert COLUMN_KINDS["uscc"].parse("913301060000000001") is None and COLUMN_KINDS["uscc"].flag_on_none
