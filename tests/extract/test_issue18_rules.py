"""Issue 18 classes that neither real-pages batch holds a page of: consortium members and bidders
rejected in prose. NOT real fragments: the sentence shapes are the issue's own (联合体牵头人：A；联合体成员：B /
A（牵头人）、B / A与B联合体; XX公司因…资格审查不通过), filled with company names taken from the batches.
Replace each with a real fragment as soon as a real page of the class is in the corpus.

Also the extraction-health counts and the check that reads them (scrapers.extract.health,
pipelines.crawl_health) on real corpus pages.
"""

from __future__ import annotations

import pytest

from benchmarks.eval_pages import corpus_dir, page_html
from pipelines.crawl_health import evaluate_extraction_health
from scrapers.extract import extract_auto, extract_page
from scrapers.extract.health import health_warnings, page_health

CORPUS = corpus_dir()
A, B = "重庆恒灿科技有限公司", "重庆源畅科技有限公司"  # batch2/13
C = "重庆环联科技有限公司"


def _page(body: str, title: str = "中标结果公告") -> bytes:
    return f"<html><head><meta charset='utf-8'><title>{title}</title></head><body><h1>{title}</h1>{body}</body></html>".encode()


def _suppliers(result) -> list[tuple]:
    return [(m["role"], m["name"], m["rank"]) for m in result.mentions if m["role"] in ("winner", "candidate")]


@pytest.mark.parametrize("value", [f"联合体牵头人：{A}；联合体成员：{B}", f"{A}（牵头人）、{B}", f"{A}与{B}联合体"])
def test_each_consortium_member_is_a_winner(value):
    body = f"<p>采购人：重庆市卫生信息中心</p><p>中标供应商：{value}</p><p>中标金额：100万元</p>"
    result = extract_page(_page(body), "http://x/1", kind="procurement_award")
    assert sorted(_suppliers(result)) == sorted([("winner", A, None), ("winner", B, None)])
    lead = next(m for m in result.mentions if m["name"] == A)
    assert lead["amount_yuan"] == 1_000_000.0  # the amount after a consortium is its lead's


def test_consortium_members_of_a_ranked_candidate_share_its_rank():
    body = f"<p>第一中标候选人：{A}</p><p>联合体成员：{B}</p><p>第二中标候选人：{C}</p>"
    result = extract_page(_page(body, "中标候选人公示"), "http://x/1", kind="candidate_notice")
    assert sorted(_suppliers(result)) == sorted([("candidate", A, 1), ("candidate", B, 1), ("candidate", C, 2)])


def test_bidders_named_only_in_prose_are_bidders_never_winners():
    body = (f"<p>三、评标情况</p><p>{B}因投标文件未按要求提供授权委托书，资格审查不通过。</p>"
            f"<p>{C}、重庆市毅昌建设工程有限公司被否决投标。</p><p>中标供应商：{A}</p>")
    result = extract_page(_page(body), "http://x/1", kind="procurement_award")
    assert _suppliers(result) == [("winner", A, None)]
    assert {m["name"] for m in result.mentions if m["role"] == "bidder"} == {B, C, "重庆市毅昌建设工程有限公司"}


def test_a_rejection_sentence_without_a_name_names_no_bidder():
    body = f"<p>投标人资格审查不通过的，其投标无效。</p><p>中标供应商：{A}</p>"
    result = extract_page(_page(body), "http://x/1", kind="procurement_award")
    assert not [m for m in result.mentions if m["role"] == "bidder"]


def test_health_counts_of_real_pages():
    if CORPUS is None:
        pytest.skip("real-pages corpus not found (set TUOKE_REAL_PAGES or put it at ../shared/real-pages)")
    framework, _ = page_html(CORPUS / "batch2" / "pages" / "10_ccgp_shanxi_zbgg_2015.html")
    result, decided = extract_auto(framework, "file:///real-pages/10.html")
    health = page_health(result, decided.extract_as, decided.kind)
    assert health["award_pages"] == 1 and health["award_pages_without_winner"] == 0
    assert health["winners"] == 37
    assert health["winners_without_amount"] == 0  # each has its daily rate: not a silent miss
    directory, _ = page_html(CORPUS / "batch2" / "pages" / "15_association_member_directory_ningbo_hyzz2.html")
    result, decided = extract_auto(directory, "file:///real-pages/15.html")
    health = page_health(result, decided.extract_as, decided.kind)
    assert health["award_pages"] == 0 and health["unknown_kind_pages"] == 0  # its structure named it
    assert health["names_found"] >= 49 and health["names_without_role"] <= 2


def test_the_health_check_warns_on_a_share_over_its_limit_and_passes_a_healthy_run():
    healthy = {"run_id": "r1", "detail_pages": 20, "list_pages": 1, "award_pages": 20, "award_pages_without_winner": 1,
               "winners": 30, "winners_without_amount": 3, "unknown_kind_pages": 0, "names_found": 100,
               "names_without_role": 10}
    passed, text, metadata = evaluate_extraction_health(healthy)
    assert passed and "within limits" in text
    assert metadata["award_pages_without_winner"] == pytest.approx(0.05)
    broken = {**healthy, "award_pages_without_winner": 12}  # a template change: 12 of 20 award pages name no winner
    passed, text, _ = evaluate_extraction_health(broken)
    assert not passed and "award pages without a winner: 12 of 20 (60%" in text
    assert health_warnings({**broken, "detail_pages": 2, "list_pages": 1}) == []  # too few pages to judge
    assert evaluate_extraction_health(None)[0] is False
