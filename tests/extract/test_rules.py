"""One rule at a time: amounts, dates, codes, labels, encodings."""

import pytest

from scrapers.extract import (
    decode_body,
    find_usccs,
    parse_amount,
    parse_amount_yuan,
    parse_date,
    parse_datetime_iso,
)
from scrapers.extract.decode import decode_report
from scrapers.extract.labels import field_for
from scrapers.extract.pairs import line_pairs


@pytest.mark.parametrize("text, hint, expected", [
    ("￥668.790000 万元（人民币）", None, 6687900.0),
    ("6687920.0元", None, 6687920.0),
    ("人民币玖万玖仟伍佰伍拾元整，￥:99，550.00元", None, 99550.0),
    ("陆拾叁万玖仟元整（¥639000.00）", None, 639000.0),
    ("221 . 533", "万元", 2215330.0),
    ("{{ 668.79 }}万元", None, 6687900.0),
    ("人民币壹拾贰万元整", None, 120000.0),
    ("壹拾贰万叁仟肆佰伍拾陆元柒角捌分", None, 123456.78),
    ("$1,280,000.00", None, 1280000.0),
    ("1.5亿元", None, 150000000.0),
    ("99，550.00", None, 99550.0),
])
def test_amount_forms_read_as_yuan(text, hint, expected):
    assert parse_amount_yuan(text, hint) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["详见附件", "见公告原文", "", None, "下浮率5%"])
def test_amount_placeholders_are_none(text):
    assert parse_amount_yuan(text) is None


def test_daily_rate_is_not_an_amount_but_kept_as_rate():
    amount = parse_amount("850元/天")
    assert amount.yuan is None and amount.rate == 850.0 and amount.rate_unit == "天"


@pytest.mark.parametrize("text", ["2026年10月27日 20:20", "2026-10-27", "2026/10/27", "2026.10.27",
                                  "2026 年 10 月 27 日", "二〇二六年十月二十七日", "发布时间：20261027"])
def test_date_forms(text):
    assert parse_date(text).isoformat() == "2026-10-27"


def test_impossible_date_is_none():
    assert parse_date("2026-02-30") is None


def test_datetime_keeps_time_of_deadline():
    assert parse_datetime_iso("2026年03月23日 09:30（北京时间）") == "2026-03-23T09:30"


def test_uscc_found_by_shape_and_check_digit_anywhere():
    assert find_usccs("工商注册号：91330200MA2H1234XY 电话") == ["91330200MA2H1234XY"]


def test_uscc_with_wrong_check_digit_is_ignored():
    assert find_usccs("91330200MA2H1234X1") == []


@pytest.mark.parametrize("label, field", [
    ("拟 中 标 人", "winner_name"), ("项 目 名 称：", "project_name"), ("1.成交供应商名称", "winner_name"),
    ("第一中标排序单位名称", "candidate_1"), ("中标（成交）金额", "amount"), ("报价（元）", "price"),
    ("建设单位", "purchaser_name"), ("招标文件编号", "project_code"), ("代理机构名称", "agent_name"),
    ("公告时间", "published_at"), ("供应商地址", "winner_address"),
])
def test_label_synonyms_map_to_fields(label, field):
    assert field_for(label)[0] == field


def test_label_unit_in_brackets_is_a_hint():
    assert field_for("中标金额（万元）") == ("amount", "万元")


def test_line_with_numbered_pairs_splits():
    pairs = line_pairs("1.成交供应商名称：某某有限公司 2.成交金额：100元")
    assert [(p.field, p.value) for p in pairs] == [("winner_name", "某某有限公司"), ("amount", "100元")]


def test_half_and_full_width_colons_both_split():
    assert line_pairs("采购人:某某局")[0].value == "某某局"
    assert line_pairs("采购人：某某局")[0].value == "某某局"


def test_gbk_page_without_charset_header_decodes():
    assert "中标" in decode_body("<p>中标公告</p>".encode("gbk"), {})


def test_utf8_page_declaring_gb2312_decodes_as_utf8():
    body = '<meta charset="gb2312"><p>成交供应商名称</p>'.encode()
    assert "成交供应商名称" in decode_body(body, None)


def test_header_charset_beats_meta():
    body = '<meta charset="utf-8"><p>中标</p>'.encode("gbk")
    assert "中标" in decode_body(body, {"Content-Type": "text/html; charset=GBK"})


def test_undecodable_bytes_are_counted():
    text, _, bad = decode_report("中标".encode() + b"\xff\xfe\xff" + "公告".encode("gbk") + b"\x81", None)
    assert bad > 0
