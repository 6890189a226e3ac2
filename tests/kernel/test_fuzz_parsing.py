"""Property-based: any string into the amount parser, any bytes into page decoding (issue 22).

The amount parser answers with a plausible yuan amount, nothing, or a reason (`Amount.problem`);
it never raises and never hands on a value outside (0, MAX_AWARD_YUAN] without saying why. Page
decoding turns any bytes into text and counts what it had to replace; it never raises.
"""

from __future__ import annotations

import codecs
import math

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from kernel.limits import MAX_AWARD_YUAN
from kernel.parsing import decode_report, parse_amount, parse_amount_cell
from kernel.parsing.amounts import any_amount_cell

pytestmark = pytest.mark.fuzz

# Text that looks like the amounts of real notices more often than random text would.
_PIECES = st.sampled_from(["-", "－", "+", "¥", "￥", "$", "人民币", "RMB", "：", ":", ",", "，", ".", " ", "　",
                           "元", "万元", "亿元", "万", "亿", "元/天", "整", "壹", "拾", "佰", "仟", "万", "亿",
                           "玖", "零", "角", "分", "详见附件", "约", "(", "（", "）", "e", "%", "\u3000"])
_DIGITS = st.text(alphabet="0123456789", min_size=1, max_size=40)
AMOUNT_TEXT = st.one_of(
    st.text(max_size=80),
    st.lists(st.one_of(_PIECES, _DIGITS), max_size=12).map("".join),
)


@given(AMOUNT_TEXT, st.one_of(st.none(), st.sampled_from(["元", "万元", "亿元", "元/天", "万"])))
@example("99999999999999999999999999万元", None)
@example("-5元", None)
@example("9" * 400 + "元", None)
def test_any_text_gives_a_plausible_amount_nothing_or_a_reason(text, unit):
    amount = parse_amount(text, unit)
    if amount.yuan is None:
        return
    plausible = math.isfinite(amount.yuan) and 0 < amount.yuan <= MAX_AWARD_YUAN
    assert plausible == (amount.problem is None), (text, amount)


@given(st.decimals(min_value=1, max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
       st.sampled_from(["", "¥", "￥", "人民币"]), st.sampled_from(["元", "万元", ""]), st.sampled_from(["-", "－"]))
def test_a_minus_sign_before_the_number_is_kept(value, currency, unit, minus):
    for text in (f"中标金额：{minus}{currency}{value}{unit}", f"{currency}{minus}{value}{unit}"):
        amount = parse_amount(text)
        assert amount.yuan is not None and amount.yuan < 0 and amount.problem, (text, amount)


@given(AMOUNT_TEXT)
def test_a_cell_is_one_number_or_a_value_error(text):
    try:
        value = parse_amount_cell(text)
    except ValueError:
        return
    assert isinstance(value, float)


_HTML = st.text(max_size=200).map(lambda t: f"<html><head><title>中标公告</title></head><body><p>{t}</p></body></html>")
_ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "gbk", "big5", "utf-16", "utf-16-le", "utf-16-be",
                              "utf-32", "latin-1"])
_HEADERS = st.one_of(st.none(), st.dictionaries(
    st.sampled_from(["Content-Type", "content-type", b"Content-Type", "X-Other"]),
    st.one_of(st.text(max_size=40), st.sampled_from(
        ["text/html; charset=gbk", "text/html; charset=utf-16", "text/html; charset=rot13", "charset=base64",
         "text/html; charset=idna", "text/html; charset=punycode", "text/html; charset=nonsense"]),
        st.lists(st.binary(max_size=30), max_size=2)), max_size=2))


def _encoded(text: str, encoding: str) -> bytes:
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        return text.encode(encoding, "replace")


@given(st.one_of(st.binary(max_size=600), st.tuples(_HTML, _ENCODINGS).map(lambda p: _encoded(*p))), _HEADERS)
@example(codecs.BOM_UTF16_LE + "<p>中标</p>".encode("utf-16-le"), None)
@example(b"<meta charset='idna'>\xff\xfe\xfd", None)
def test_any_bytes_decode_to_text_and_a_count_never_an_exception(body, headers):
    text, encoding, replaced = decode_report(body, headers)
    assert isinstance(text, str) and isinstance(encoding, str)
    assert replaced == text.count("\ufffd") or replaced == 0
    codecs.lookup(encoding)


@given(_HTML, st.sampled_from(["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig", "gb18030"]))
def test_a_page_in_a_unicode_encoding_or_gb18030_reads_back_exactly(html, encoding):
    body = html.encode(encoding, "strict") if encoding != "gb18030" else html.encode(encoding, "replace")
    text, _, replaced = decode_report(body, None)
    if encoding != "gb18030":
        assert text == html and replaced == 0


@given(st.one_of(st.from_regex(r"[0-9]{1,12}(\.[0-9]{1,6})?", fullmatch=True),
                 st.text(alphabet="0123456789.,-万元¥ ", max_size=14)))
def test_the_plain_number_shortcut_agrees_with_the_general_cell_parse(cell):
    try:
        expected = any_amount_cell(cell)
    except ValueError:
        with pytest.raises(ValueError):
            parse_amount_cell(cell)
        return
    assert parse_amount_cell(cell) == expected
