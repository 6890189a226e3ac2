"""Page kind from the page's own headline (scrapers.extract.pagekind), pinned on real headlines."""

from __future__ import annotations

import json

import pytest

from benchmarks.eval_pages import corpus_dir, page_html
from scrapers.extract.pagekind import classify_page, kind_of_headline, page_kind

NAV_MENU = """<div class="nav"><ul><li><a href="/zbgg/">招标公告</a></li><li><a href="/gzgg/">更正公告</a></li>
<li><a href="/zbjg/">中标公告</a></li><li><a href="/fbgg/">废标公告</a></li></ul></div>"""


@pytest.mark.parametrize(("headline", "kind"), [
    # real titles from ccgp.gov.cn, cqggzy.com, cqgp.gov.cn, cqzb.gov.cn and provincial fragments
    ("广西嘉华建设项目管理咨询有限公司关于北莱村苗圃苗木采购项目成交公告", "procurement_award"),
    ("鼎山城区老旧楼院综合整治及公厕改造项目中标结果公告", "procurement_award"),
    ("重庆文理学院数字化校园配套设备(16A5421,16A5420,16A5622)结果公告", "procurement_award"),
    ("巴南区箭滩河中学土石方工程施工中标公示", "procurement_award"),
    ("北华大学附属医院医疗设备采购项目. 中标、成交结果公告", "procurement_award"),
    ("成 交 公 示", "procurement_award"),
    ("贺州市公共资源交易中心关于贺州学院维普《中文期刊服务平台7.0》采购（HZZFCG2016货字406号）单一来源结果公告",
     "procurement_award"),
    ("浙江省公共资源交易中心 中标候选人公示", "candidate_notice"),
    ("淮北市人民医院存储备份一体机项目第一成交候选人公示", "candidate_notice"),
    ("南宁市渌坛路工程施工图审查招标公告", "tender_notice"),
    ("某某学院实验设备竞争性磋商公告", "tender_notice"),
    ("某某学院实验设备采购项目更正公告", "correction"),
    ("关于某某中标公告的更正公告", "correction"),
    ("某某医院医用耗材采购项目废标公告", "failed"),
    ("某某项目流标公示", "failed"),
    ("某某项目答疑补遗公告", "correction"),
    ("某某学院2016年度物业服务采购合同公告", "procurement_award"),
    ("某某局2021年1至6月政府采购意向公开", "tender_notice"),
    ("失信被执行人名单", "negative_list"),
])
def test_headline_vocabulary_most_specific_first(headline, kind):
    assert kind_of_headline(headline) == kind


def test_nav_menu_with_tender_words_does_not_decide_an_award_page():
    page = f"""<html><head><title>某某区人民医院医疗设备采购项目中标公告</title></head><body>{NAV_MENU}
    <div class="content"><p>一、项目编号：HZ-2016-01</p><p>中标供应商：某某医疗器械有限公司</p></div></body></html>"""
    assert page_kind(page) == "procurement_award"


def test_fragment_heading_wins_over_a_menu_that_comes_first():
    # no <title>/<h1>: the first heading-like line of the content decides, the menu above it never
    page = f"""<div>{NAV_MENU}<div class="main"><p>济宁市任城区李营第一中学安保服务采购项目</p>
    <p>成 交 公 示</p><p>成交供应商：济宁某某保安服务有限公司</p></div></div>"""
    result = classify_page(page)
    assert result.kind == "procurement_award"
    assert "成交公示" in result.evidence


def test_a_column_name_in_the_title_gives_way_to_the_notice_heading():
    page = """<html><head><title>招标公告 - 某某市公共资源交易网</title></head><body>
    <h1>某某区第一中学运动场改造工程中标结果公示</h1><p>中标人：某某建设工程有限公司</p></body></html>"""
    assert page_kind(page) == "procurement_award"
    assert page_kind(page.replace("<h1>某某区第一中学运动场改造工程中标结果公示</h1>", "")) == "tender_notice"


def test_a_menu_of_inline_links_is_not_a_heading():
    page = """<div><div class="dh"><a href="/">首页</a><a href="/a">招标公告</a><a href="/b">中标公告</a>
    <a href="/c">更正公告</a></div><p>某某县人民医院医疗设备采购项目</p><p>中标（成交）结果公告</p>
    <p>中标供应商：某某医疗器械有限公司</p></div>"""
    assert page_kind(page) == "procurement_award"


def test_tender_page_under_an_award_menu_is_a_tender():
    page = f"""<html><head><title>某某县农业局秸秆腐熟剂采购项目竞争性谈判公告</title></head><body>{NAV_MENU}
    <p>欢迎符合条件的供应商参加谈判。投标截止时间：2016年11月30日</p></body></html>"""
    assert page_kind(page) == "tender_notice"


def test_candidate_publicity_titled_award_is_a_candidate_notice():
    # real wording (云南 fragment): titled 中标公告, but it ranks candidates and names no winner
    page = """<div><p>大姚县农村土地承包经营权确权登记颁证采购项目 中标公告</p>
    <table><tr><td>推荐第一成交候选人</td><td>云南天力土地勘测评估股有限公司</td></tr>
    <tr><td>推荐第二成交候选人</td><td>昆明宏业佳信科技有限公司</td></tr></table></div>"""
    result = classify_page(page)
    assert result.kind == "candidate_notice"
    assert result.extract_as == "candidate_notice"


def test_ranked_candidates_with_a_named_winner_stay_an_award():
    page = """<html><head><title>巴南区箭滩河中学土石方工程施工中标公示</title></head><body><table>
    <tr><td>第一中标候选人</td><td>重庆永柱建筑工程有限公司</td></tr>
    <tr><td>第二中标候选人</td><td>重庆恒泰建筑工程有限公司</td></tr>
    <tr><td>拟中标人</td><td>重庆永柱建筑工程有限公司</td></tr></table></body></html>"""
    assert page_kind(page) == "procurement_award"


def test_boilerplate_about_the_future_winner_does_not_make_an_award():
    page = """<div><p>某某县道路工程中标公告</p><table>
    <tr><td>第一中标候选人</td><td>某某路桥建设有限公司</td></tr><tr><td>第二中标候选人</td><td>某某市政工程有限公司</td></tr>
    </table><p>公示期满无异议后，招标人将确定排名第一的中标候选人为中标人。</p></div>"""
    assert page_kind(page) == "candidate_notice"
    declared = page.replace("公示期满无异议后，招标人将确定排名第一的中标候选人为中标人。", "经评审，确定某某路桥建设有限公司为中标人。")
    assert page_kind(declared) == "procurement_award"


def test_lone_first_candidate_per_lot_is_that_lots_winner():
    page = """<div><p>泌阳县农业局秸秆腐熟剂采购项目</p><p>成交公告</p>
    <p>A包三门峡龙飞生物工程有限公司为第一成交候选供应商，谈判报价为290000元人民币。</p></div>"""
    assert page_kind(page) == "procurement_award"


def test_no_bids_under_an_award_title_is_failed_but_read_as_an_award():
    page = """<html><head><title>四川外国语大学笔记本电脑成交公告</title></head><body><table>
    <tr><td>包号</td><td>中标供应商</td><td>中标金额(元)</td></tr><tr><td>1</td><td>无供应商报价</td><td>--</td></tr>
    </table><p>采购执行方： 四川外国语大学</p></body></html>"""
    result = classify_page(page)
    assert result.kind == "failed"
    assert result.extract_as == "procurement_award"


def test_one_failed_lot_among_awarded_lots_is_an_award():
    page = """<html><head><title>重庆文理学院数字化校园配套设备结果公告</title></head><body>
    <p>分包号：1 废标原因 符合条件的投标人不足三家</p>
    <p>分包号：2 成交供应商 赛尔网络有限公司 ￥1,339,000.00</p></body></html>"""
    assert page_kind(page) == "procurement_award"


def test_a_correction_is_read_as_the_notice_it_corrects():
    award_fix = classify_page("<html><head><title>关于某某学院设备采购项目中标公告的更正公告</title></head><body></body></html>")
    tender_fix = classify_page("<html><head><title>某某学院设备采购项目更正公告</title></head><body></body></html>")
    assert (award_fix.kind, award_fix.extract_as) == ("correction", "procurement_award")
    assert (tender_fix.kind, tender_fix.extract_as) == ("correction", "tender_notice")


def test_lots_awarded_beside_a_failed_lot_make_an_award():
    page = """<html><head><title>某某学院实验设备采购项目第1包中标、第2包废标公告</title></head><body>
    <p>第1包 中标供应商：某某仪器设备有限公司</p><p>第2包 废标原因：有效供应商不足三家</p></body></html>"""
    assert page_kind(page) == "procurement_award"
    assert page_kind("<html><head><title>某某学院实验设备采购项目废标公告</title></head><body>"
                     "<p>废标原因：有效供应商不足三家</p></body></html>") == "failed"


def test_url_pattern_decides_a_page_without_headline():
    body = "<div><p>项目编号：GXZC2016-001</p><p>采购人：某某市博物馆</p></div>"
    assert page_kind(body, "http://www.ccgp.gov.cn/cggg/dfgg/gkzb/201611/t20161130_7658000.htm") == "tender_notice"
    assert page_kind(body, "http://www.ccgp.gov.cn/cggg/zygg/cjgg/201611/t20161130_7658001.htm") == "procurement_award"


def test_gbk_bytes_are_decoded_before_reading_the_headline():
    page = "<html><head><title>某某项目中标候选人公示</title></head><body><p>第一中标候选人</p></body></html>"
    assert page_kind(page.encode("gbk"), headers={"Content-Type": "text/html; charset=GBK"}) == "candidate_notice"


def test_page_without_any_kind_words_is_unknown_never_an_award():
    result = classify_page("<div><p>项目名称：某某工程</p></div>")
    assert result.kind == "unknown"
    assert result.extract_as == "unknown"  # issue 18: an unknown kind never silently means "award"
    assert page_kind("<div><p>项目名称：某某工程</p></div>") == "unknown"


CORPUS = corpus_dir()


@pytest.mark.skipif(CORPUS is None, reason="real-pages corpus not found (set TUOKE_REAL_PAGES)")
def test_page_kind_accuracy_on_the_real_corpus_is_at_least_097():
    gold = json.loads((CORPUS / "gold.json").read_text(encoding="utf-8"))
    pages = sorted(p for p in (CORPUS / "pages").iterdir() if p.name in gold)
    wrong = []
    for number, path in enumerate(pages, 1):
        body, url = page_html(path)
        # a neutral URL when the page has none: the corpus file names spell out the answer
        kind = page_kind(body, url or f"file:///real-pages/page-{number:03d}.html")
        if kind != gold[path.name]["kind"]:
            wrong.append(f"{path.name}: {kind} (gold {gold[path.name]['kind']})")
    assert 1 - len(wrong) / len(pages) >= 0.97, wrong
