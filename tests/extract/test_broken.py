"""Corpus of broken pages and files: each yields correct partial data or a problem, never an exception."""

import time

from scrapers.extract import extract_attachment, extract_page

GOOD = "<html><head><title>成交公告</title></head><body><p>采购人：某某局</p><p>成交供应商名称：宁波某某科技有限公司</p><p>成交金额：100.5万元</p></body></html>"


def _page(html: str, encoding: str = "utf-8") -> bytes:
    return html.encode(encoding)


def _award(body, **kw):
    return extract_page(body, "http://x/n/1.htm", kind=kw.pop("kind", "procurement_award"), **kw)


def _roles(result, role="winner"):
    return [m for m in result.mentions if m["role"] == role]


def _reasons(result):
    return {reason for reason, _ in result.problems}


def test_truncated_html_still_yields_winner_and_flags_truncation():
    r = _award(_page(GOOD)[:-30])
    assert _roles(r)[0]["name"] == "宁波某某科技有限公司"
    assert "truncated_html" in _reasons(r)
    assert "truncated_html" not in _reasons(_award(_page(GOOD)))  # a whole page is not flagged


def test_truncated_inside_a_multibyte_character_decodes_as_utf8():
    body = _page(GOOD.replace("</body></html>", "<p>备注：中文中文</p>"))[:-2]
    r = _award(body)
    assert _roles(r)[0]["name"] == "宁波某某科技有限公司"
    assert "truncated_html" in _reasons(r)


def test_wrong_charset_in_meta_utf8_bytes():
    r = _award(_page(GOOD.replace("<head>", '<head><meta charset="gb2312">')))
    assert _roles(r)[0]["name"] == "宁波某某科技有限公司"


def test_wrong_charset_in_header_gbk_bytes_falls_back():
    r = _award(_page(GOOD, "gbk"), headers={"Content-Type": "text/html; charset=utf-8"})
    assert _roles(r)[0]["name"] == "宁波某某科技有限公司"


def test_undecodable_page_reports_bad_encoding():
    body = _page(GOOD) + b"\xff\xfe\x81\x30\xff" + _page("<p>附注</p>", "gbk")
    r = _award(body)
    assert "bad_encoding" in _reasons(r)


def test_missing_winner_is_no_winner_problem():
    r = _award(_page("<html><body><p>采购人：某某局</p><p>项目编号：A-1</p></body></html>"))
    assert "no_winner" in _reasons(r)
    assert not _roles(r)


def test_amount_see_attachment_is_null_but_winner_kept():
    r = _award(_page(GOOD.replace("100.5万元", "详见附件")))
    [winner] = _roles(r)
    assert winner["amount_yuan"] is None


def test_ten_megabyte_page_does_not_hang():
    filler = "<p>" + "评审过程说明文字" * 40 + "</p>\n"
    body = _page(GOOD.replace("</body>", filler * (10_000_000 // len(filler.encode())) + "</body>"))
    assert len(body) > 9_000_000
    start = time.perf_counter()
    r = _award(body)
    assert time.perf_counter() - start < 20
    assert _roles(r)[0]["name"] == "宁波某某科技有限公司"
    assert "oversized_page" in _reasons(r)


def test_script_inside_name_is_stripped():
    r = _award(_page(GOOD.replace("宁波某某科技有限公司", "&lt;script&gt;alert(1)&lt;/script&gt;宁波某某科技有限公司")))
    assert _roles(r)[0]["name"] == "宁波某某科技有限公司"


def test_html_tags_inside_name_are_stripped():
    r = _award(_page(GOOD.replace("宁波某某科技有限公司", "<b><span>宁波某某</span>科技有限公司</b>")))
    assert _roles(r)[0]["name"] == "宁波某某科技有限公司"


def test_placeholder_name_is_dropped_with_problem():
    r = _award(_page(GOOD.replace("宁波某某科技有限公司", "详见附件")))
    assert not _roles(r)
    assert {"not_a_name", "no_winner"} <= _reasons(r)


def test_overlong_name_is_dropped_with_problem():
    r = _award(_page(GOOD.replace("宁波某某科技有限公司", "本项目" * 40 + "有限公司")))
    assert not _roles(r) and "not_a_name" in _reasons(r)


def test_digits_only_name_is_dropped():
    r = _award(_page(GOOD.replace("宁波某某科技有限公司", "1234567")))
    assert not _roles(r) and "not_a_name" in _reasons(r)


def test_template_tag_amount_with_unit_outside():
    r = _award(_page(GOOD.replace("100.5万元", "<span th:text=\"${total}\">{{ 668.79 }}</span>万元")))
    assert _roles(r)[0]["amount_yuan"] == 6687900.0


def test_template_attribute_amount_with_empty_text():
    r = _award(_page(GOOD.replace("100.5万元", '<span th:text="668.79"></span>万元')))
    assert _roles(r)[0]["amount_yuan"] == 6687900.0


def test_renamed_label_shows_up_in_unused_labels():
    r = _award(_page(GOOD.replace("成交供应商名称", "胜出单位全称")))
    assert "胜出单位全称" in r.unused_labels
    assert "no_winner" in _reasons(r)


def test_duplicate_notice_content_gives_one_winner():
    body = GOOD.replace("</body>", GOOD.split("<body>")[1].split("</body>")[0] + "</body>")
    r = _award(_page(body))
    assert len(_roles(r)) == 1


def test_winner_only_in_free_text_sentence():
    r = _award(_page("<html><body><p>中标供应商：见公告原文</p><p>经评审，确定宁波某某建设有限公司为本项目中标供应商。</p></body></html>"))
    assert _roles(r)[0]["name"] == "宁波某某建设有限公司"


def test_whole_failed_notice_is_not_no_winner():
    r = _award(_page("<html><head><title>某项目废标公告</title></head><body><h1>某项目废标公告</h1><p>废标原因：有效投标不足三家</p></body></html>"))
    assert "no_winner" not in _reasons(r)


def test_empty_body_is_a_problem():
    assert "empty_page" in _reasons(_award(b""))


def test_binary_garbage_is_a_problem_not_a_crash():
    r = _award(bytes(range(256)) * 50)
    assert r.problems and not r.mentions


def test_deeply_nested_markup_does_not_recurse_out():
    r = _award(_page("<div>" * 5000 + "<p>中标人：宁波深层有限公司</p>" + "</div>" * 5000))
    assert isinstance(r.problems, list)


def test_table_without_rows_after_header_is_harmless():
    r = _award(_page("<table><tr><th>包号</th><th>中标供应商</th><th>中标金额</th></tr></table><p>中标人：宁波甲有限公司</p>"))
    assert _roles(r)[0]["name"] == "宁波甲有限公司"


def test_uscc_with_bad_check_digit_is_not_kept():
    r = _award(_page(GOOD.replace("</body>", "<p>统一社会信用代码：91330200MA2H1234X1</p></body>")))
    assert _roles(r)[0]["uscc"] is None


def test_xml_declaration_page_parses():
    r = _award(_page('<?xml version="1.0" encoding="utf-8"?>' + GOOD))
    assert _roles(r)[0]["name"] == "宁波某某科技有限公司"


def test_empty_xlsx_is_no_table(make_xlsx):
    r = extract_attachment(make_xlsx({"Sheet1": []}), "名单.xlsx", kind="srdi_list")
    assert "no_table" in _reasons(r) and not r.mentions


def test_corrupt_xlsx_is_corrupt_attachment():
    r = extract_attachment(b"PK\x03\x04 this is not a zip", "名单.xlsx", kind="srdi_list")
    assert "corrupt_attachment" in _reasons(r)


def test_corrupt_xls_is_corrupt_attachment():
    r = extract_attachment(b"\xd0\xcf\x11\xe0garbage", "名单.xls", kind="srdi_list")
    assert "corrupt_attachment" in _reasons(r)


def test_pdf_without_table_is_no_table():
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Notice without any table")
    r = extract_attachment(bytes(pdf.output()), "list.pdf", kind="srdi_list")
    assert "no_table" in _reasons(r)


def test_corrupt_pdf_is_corrupt_attachment():
    r = extract_attachment(b"%PDF-1.4 broken", "list.pdf", kind="winner_list")
    assert "corrupt_attachment" in _reasons(r)


def test_unknown_attachment_format_is_corrupt_attachment():
    r = extract_attachment(b"\x00\x01\x02", "list.docx", kind="srdi_list")
    assert "corrupt_attachment" in _reasons(r)


def test_empty_attachment_is_corrupt_attachment():
    assert "corrupt_attachment" in _reasons(extract_attachment(b"", "a.xlsx", kind="srdi_list"))
