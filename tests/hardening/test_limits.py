"""Findings 6 and 7 (pages): limits stop work in bounded time, and every cut is reported."""

import time

import pytest
from bad_inputs import (
    deep_award,
    long_table,
    pdf,
    pdf_stream_bomb,
    srdi_xlsx,
    xlsx_bomb,
    xlsx_far_cell,
    xlsx_ratio_bomb,
)

from scrapers.extract import extract_attachment, extract_page
from scrapers.extract.attachments import MAX_PDF_PAGES
from scrapers.extract.dom import LIMIT_REASONS, MAX_ROWS


def reasons(result):
    return [r for r, _ in result.problems]


@pytest.mark.parametrize(("body", "reason"), [
    (lambda: xlsx_bomb(100), "zip_bomb"),
    (lambda: xlsx_bomb(256), "zip_bomb"),
    (xlsx_ratio_bomb, "zip_bomb"),
    (xlsx_far_cell, "sheet_too_large"),
    (lambda: pdf(MAX_PDF_PAGES + 1), "pdf_page_limit"),
    (lambda: pdf_stream_bomb(300), "pdf_bomb"),
])
def test_bombs_are_refused_quickly_with_a_reason(body, reason):
    data = body()
    started = time.monotonic()
    result = extract_attachment(data, "list.pdf" if reason.startswith("pdf") else "list.xlsx", kind="srdi_list")
    assert time.monotonic() - started < 5
    assert reasons(result) == [reason] and not result.mentions
    assert reason in LIMIT_REASONS


def test_a_normal_workbook_and_pdf_still_read():
    result = extract_attachment(srdi_xlsx(["杭州甲科技有限公司", "宁波乙贸易有限公司"]), "l.xlsx", kind="srdi_list")
    assert [m["name"] for m in result.mentions] == ["杭州甲科技有限公司", "宁波乙贸易有限公司"]
    assert "pdf_page_limit" not in reasons(extract_attachment(pdf(3), "l.pdf", kind="srdi_list"))


def test_a_table_longer_than_the_row_limit_is_reported_not_silently_cut():
    result = extract_page(long_table(MAX_ROWS + 10), "http://x/list.htm", kind="srdi_list")
    assert "table_row_limit" in reasons(result)
    assert len(result.mentions) >= MAX_ROWS - 1  # the rows before the cut still count
    short = extract_page(long_table(50), "http://x/list.htm", kind="srdi_list")
    assert "table_row_limit" not in reasons(short) and len(short.mentions) == 50


def test_content_nested_300_levels_is_read():
    result = extract_page(deep_award(300), "http://x/1.htm", kind="procurement_award")
    assert [m["name"] for m in result.mentions] == ["杭州深层科技有限公司"]


def test_content_nested_beyond_the_parser_limit_is_reported_as_deep_nesting():
    result = extract_page(deep_award(3000), "http://x/1.htm", kind="procurement_award")
    assert reasons(result)[0] == "deep_nesting"
