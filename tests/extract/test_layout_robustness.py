"""What the layout benchmark (benchmarks/eval_layouts.py) showed, each fix on a real fragment.

Fragments are copied from ../shared/real-pages (the file is named on each test). Where the failing
layout was produced by one of the benchmark's transforms, the test applies that same transform to
the real page (benchmarks/layout_transforms.py) and asserts the answer key's mentions. Tests marked
"shape" have no real page of their class in either batch: they use the issue's shape filled with
names from the batches, and say so.
"""

from __future__ import annotations

import json

import pytest

from benchmarks.eval_layouts import missing_names, parse, serialise, structure_only
from benchmarks.eval_pages import corpus_dir, page_html
from benchmarks.layout_transforms import TRANSFORMS
from scrapers.extract import extract_auto, extract_page
from scrapers.extract.crosscheck import CONFLICT_RULES
from scrapers.extract.dom import parse_html
from scrapers.extract.placement import grid_roles, label_role
from scrapers.extract.text import despace

CORPUS = corpus_dir()
needs_corpus = pytest.mark.skipif(CORPUS is None, reason="real-pages corpus not found (set TUOKE_REAL_PAGES)")


def _page(body: str, title: str = "中标结果公告") -> bytes:
    return f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>{body}</body></html>".encode()


def _suppliers(result) -> list[tuple]:
    return sorted((m["role"], m["name"], m["rank"], m["amount_yuan"]) for m in result.mentions if m["role"] in ("winner", "candidate"))


def _transformed(relative: str, transform: str) -> tuple[bytes, str, dict]:
    path = CORPUS / relative
    gold = json.loads((path.parent.parent / "gold.json").read_text(encoding="utf-8"))[path.name]
    body, url = page_html(path)
    root = parse(body)
    next(t for t in TRANSFORMS if t.name == transform).apply(root)
    return serialise(root), url or "file:///real-pages/page.html", gold


def _as_the_key_says(result, gold: dict, roles=("winner", "candidate")) -> bool:
    """Every required key mention of these roles found (a spelling or role the key accepts counts), none extra."""
    def norm(name: str) -> str:
        return name.replace("（", "(").replace("）", ")")
    wanted = [m for m in gold["mentions"] if m["role"] in roles or set(m.get("alt_roles") or ()) & set(roles)]
    accepted = [{norm(n) for n in (m["name"], *(m.get("alt_names") or ()))} for m in wanted]
    found = {norm(m["name"]) for m in result.mentions if m["role"] in roles}
    return all(names & found for names, m in zip(accepted, wanted) if not m.get("optional")) and all(
        any(name in names for names in accepted) for name in found)


# -- spaced-out labels ----------------------------------------------------------------------------
@pytest.mark.parametrize("written, closed", [
    ("项 目 名 称：鼎山城区老旧楼院综合整治及公厕改造项目", "项目名称：鼎山城区老旧楼院综合整治及公厕改造项目"),  # batch1/09 cqggzy
    ("拟中 标 人：重庆集才建筑工程有限公司", "拟中标人：重庆集才建筑工程有限公司"),  # batch1/09, the cell as a line
    ("中标金额 （万元）：590.198272", "中标金额（万元）：590.198272"),  # batch1/10: 中标金额<br>（万元）
    ("第 一 包 入 围：", "第一包入围："),  # batch2/10's lot heading, spaced out
])
def test_spaced_out_labels_are_closed_up(written, closed):
    assert despace(written) == closed


def test_despacing_leaves_names_and_numbers_alone():
    assert despace("评委会名单：李同献、高莉") == "评委会名单：李同献、高莉"
    assert despace("张 三") == "张 三"  # two characters: a person, not a label
    assert despace("221 . 533 万元") == "221 . 533 万元"


@needs_corpus
def test_a_framework_list_with_spaced_labels_keeps_its_lots_and_winners():
    body, url, gold = _transformed("batch2/pages/10_ccgp_shanxi_zbgg_2015.html", "spaced_labels")
    result, _ = extract_auto(body, url)
    assert _as_the_key_says(result, gold, ("winner",))


# -- portal chrome ---------------------------------------------------------------------------------
def test_a_menu_link_is_no_section_heading():
    # batch1/40_frag-ah_candidate_2016_td20.html under a menu whose links say 中标公告 / 成交公告
    menu = "<ul><li><a href='/zbgg/'>招标公告</a></li><li><a href='/zbjg/'>中标公告</a></li></ul>"
    body = (f"{menu}<p>关于我司代理的淮北市人民医院采购存储备份一体机国内竞争性磋商项目经评审委员会评议，现确定成交结果如下：</p>"
            "<p>第一成交候选人：合肥合能计算机工程软件公司</p><p>第二成交候选人：安徽中讯科技发展股份有限公司</p>")
    page = parse_html(_page(body).decode())
    assert page.line_roles[page.lines.index("中标公告")] is None


@needs_corpus
def test_the_signing_agent_is_found_above_the_closing_date_when_chrome_follows():
    body, url, gold = _transformed("pages/40_frag-ah_candidate_2016_td20.html", "portal_chrome")
    result, _ = extract_auto(body, url)
    assert ("agent", "安徽省利信工程项目管理有限公司") in {(m["role"], m["name"]) for m in result.mentions}
    assert _as_the_key_says(result, gold)


# -- tables split in two ---------------------------------------------------------------------------
# batch1/16_cqgp_award_2016_3766688087.json: the lot table, its second row in a table of its own
SPLIT_LOTS = """<table><tr><th>包号</th><th>中标供应商</th><th>中标金额(元)</th><th>服务响应时间（小时）</th><th>报价时间</th></tr>
<tr><td>1</td><td>重庆噢越科技有限公司</td><td>￥39,600.00</td><td>2</td><td>2016/11/18 17:52:49</td></tr></table>
<table><tr><td>2</td><td>重庆噢越科技有限公司</td><td>￥70,080.00</td><td>2</td><td>2016/11/18 17:53:29</td></tr></table>"""


def test_a_headerless_table_right_after_a_grid_continues_it():
    result = extract_page(_page(SPLIT_LOTS), "http://x/1", kind="procurement_award")
    assert sorted((m["lot"], m["amount_yuan"]) for m in result.mentions if m["role"] == "winner") == [("1", 39600.0), ("2", 70080.0)]


def test_a_table_after_text_does_not_continue_the_grid_before_it():
    body = SPLIT_LOTS.replace("</table>\n<table>", "</table><p>配送区域：重庆市</p><table>", 1)
    result = extract_page(_page(body), "http://x/1", kind="procurement_award")
    assert [m["lot"] for m in result.mentions if m["role"] == "winner"] == ["1"]


def test_a_header_alone_at_the_end_of_a_table_heads_the_next_one():
    # batch1/08_ccgp_award_2016_7658588.json: the ranked bidders' table cut right after its header row
    body = """<table><tr><td colspan="4">项目名称：徐闻县2015现代农业示范区项目</td></tr>
    <tr><td>序号</td><td>报价人名称</td><td>最终报价（元）</td><td>推荐排名</td></tr></table>
    <table><tr><td>1</td><td>广东翰基建设工程有限公司</td><td>￥584,800.00</td><td>1</td></tr>
    <tr><td>2</td><td>深圳市蛇口建筑安装工程有限公司</td><td>￥585,300.00</td><td>2</td></tr></table>"""
    result = extract_page(_page(body, "中标候选人公示"), "http://x/1", kind="candidate_notice")
    assert _suppliers(result) == [("candidate", "广东翰基建设工程有限公司", 1, 584800.0), ("candidate", "深圳市蛇口建筑安装工程有限公司", 2, 585300.0)]


def test_a_label_value_cell_is_no_column_header():
    # batch1/43_frag-xj_candidate_2016_td23.html: a rank group starting a table (the table above it split off)
    body = """<table><tr><td rowspan="2">第二名</td><td colspan="2">单位名称： 新疆兵团工业设备安装公司</td></tr>
    <tr><td colspan="2">投标报价（万元）： 888.713352</td></tr>
    <tr><td rowspan="2">第三名</td><td colspan="2">单位名称： 新疆天筑建工集团有限公司</td></tr>
    <tr><td colspan="2">投标报价（万元）： 891.09231</td></tr></table>"""
    result = extract_page(_page(body, "中标公示信息（施工）"), "http://x/1", kind="candidate_notice")
    assert _suppliers(result) == [("candidate", "新疆兵团工业设备安装公司", 2, 8887133.52), ("candidate", "新疆天筑建工集团有限公司", 3, 8910923.1)]


# -- tables rewritten as lines -----------------------------------------------------------------------
def test_a_ranked_bidder_is_a_candidate():
    # batch1/38_frag-yn_candidate_2016_td17.html, the ranked table as key：value lines
    body = ("<p>推荐名次：推荐第一成交候选人<br>投标人名称：云南天力土地勘测评估股有限公司<br>投标单价（元/亩）：29.86</p>"
            "<p>推荐名次：推荐第二成交候选人<br>投标人名称：昆明宏业佳信科技有限公司<br>投标单价（元/亩）：30.00</p>")
    result = extract_page(_page(body, "成交候选人公示"), "http://x/1", kind="candidate_notice")
    assert [(r, n, k) for r, n, k, _ in _suppliers(result)] == [("candidate", "云南天力土地勘测评估股有限公司", 1),
                                                               ("candidate", "昆明宏业佳信科技有限公司", 2)]
    assert not [m for m in result.mentions if m["role"] == "bidder"]


@needs_corpus
def test_a_supplier_label_takes_its_name_from_the_next_line():
    # batch2/09 guangxi: "第二中标 候选人：单位名称" with the name on the line below, once the table is lines
    body, url, gold = _transformed("batch2/pages/09_guangxi_zbhxr_gs_2017_yunlong.html", "table_to_lines")
    result, _ = extract_auto(body, url)
    assert _as_the_key_says(result, gold)


def test_an_awaited_name_is_only_the_very_next_line():
    # batch2/13_chinabidding: the purchaser signing below the candidates is no candidate
    body = ("<p>经评委会评审，推荐中标候选人如下：</p><table><tr><td>第一中标候选人</td><td>重庆恒灿科技有限公司</td></tr></table>"
            "<table><tr><td>公示期</td><td>2016年11月10日——2016年11月14日。</td></tr></table>"
            "<p>中国联合网络通信有限公司重庆市分公司</p><p>2016年11月10日</p>")
    result = extract_page(_page(body, "中标候选人公示"), "http://x/1", kind="candidate_notice")
    assert [m["name"] for m in result.mentions if m["role"] == "candidate"] == ["重庆恒灿科技有限公司"]


# -- cross-checks: label rules against structure ------------------------------------------------------
def test_the_conflict_rules_are_an_ordered_list_of_named_rules():
    assert [name for name, _ in CONFLICT_RULES] == ["rejected_in_prose", "under_a_bidder_heading", "is_a_field_label"]


def test_a_labelled_winner_that_a_sentence_rejects_is_withheld_and_reported():
    # shape (no real page of the class): the 资格审查不通过 sentence, names of batch2/13
    body = ("<p>中标供应商：重庆源畅科技有限公司</p><p>评标情况：重庆源畅科技有限公司因投标文件未按要求提供授权委托书，资格审查不通过。</p>")
    result = extract_page(_page(body), "http://x/1", kind="procurement_award")
    assert not [m for m in result.mentions if m["role"] == "winner"]
    assert [m["name"] for m in result.mentions if m["role"] == "bidder"] == ["重庆源畅科技有限公司"]
    assert any(reason == "role_conflict" and "rejected_in_prose" in detail for reason, detail in result.problems)


def test_a_winner_label_under_a_bidder_heading_is_demoted_to_bidder():
    # shape: a 否决投标情况 heading (labels.yaml line_sections) over a winner label, names of batch2/13
    body = "<p>中标供应商：重庆恒灿科技有限公司</p><p>否决投标情况</p><p>中标供应商：重庆环联科技有限公司</p>"
    result = extract_page(_page(body), "http://x/1", kind="procurement_award")
    assert [(m["role"], m["name"]) for m in result.mentions if m["role"] in ("winner", "bidder")] == [
        ("winner", "重庆恒灿科技有限公司"), ("bidder", "重庆环联科技有限公司")]
    assert any(reason == "role_conflict" and "under_a_bidder_heading" in detail for reason, detail in result.problems)


# -- amounts -----------------------------------------------------------------------------------------
def test_prices_given_by_rank_in_a_section_apart_are_joined_by_rank():
    # shape (issue 18 class 6; neither batch has a page with the prices and the names apart): the names
    # and prices of batch1/43_frag-xj, prices first by rank, names in a table below, in another order.
    body = ("<p>三、评标结果</p><p>第一名 投标报价（万元）：890.068859</p><p>第二名 投标报价（万元）：888.713352</p>"
            "<p>第三名 投标报价（万元）：891.09231</p><p>四、中标候选人</p>"
            "<table><tr><th>排名</th><th>单位名称</th></tr><tr><td>3</td><td>新疆天筑建工集团有限公司</td></tr>"
            "<tr><td>1</td><td>石河子天富水利电力工程有限责任公司</td></tr><tr><td>2</td><td>新疆兵团工业设备安装公司</td></tr></table>")
    result = extract_page(_page(body, "中标候选人公示"), "http://x/1", kind="candidate_notice")
    assert _suppliers(result) == [("candidate", "新疆兵团工业设备安装公司", 2, 8887133.52),
                                  ("candidate", "新疆天筑建工集团有限公司", 3, 8910923.1),
                                  ("candidate", "石河子天富水利电力工程有限责任公司", 1, 8900688.59)]
    assert all(m["extra"].get("amount_from") == "rank" for m in result.mentions if m["role"] == "candidate")


def test_a_price_of_a_rank_no_supplier_holds_is_reported_not_guessed():
    body = "<p>第四名 投标报价（万元）：891.09231</p><p>第一中标候选人：石河子天富水利电力工程有限责任公司</p>"
    result = extract_page(_page(body, "中标候选人公示"), "http://x/1", kind="candidate_notice")
    assert _suppliers(result) == [("candidate", "石河子天富水利电力工程有限责任公司", 1, None)]
    assert any(reason == "rank_amount_unjoined" for reason, _ in result.problems)


def test_an_award_amount_lines_away_from_a_lower_ranked_candidate_is_withheld():
    # batch1/10_cqggzy as lines, with the 拟中标人 line lost: 中标金额 would fall to the third candidate
    body = ("<p>第一中标候选人：重庆电力建设总公司</p><p>第二中标候选人：重庆市江津区第六建筑工程有限公司</p>"
            "<p>第三中标候选人：重庆荣德建筑工程有限公司</p><p>工商注册号：渝南500108100007532</p><p>组织机构代码：/</p>"
            "<p>投诉受理部门：潼南区发展和改革委员会</p><p>中标金额（万元）：590.198272</p>")
    result = extract_page(_page(body, "中标结果公示"), "http://x/1", kind="candidate_notice")
    assert all(amount is None for *_, amount in _suppliers(result))
    assert any(reason == "amount_conflict" for reason, _ in result.problems)


def test_an_award_amount_beside_its_candidate_is_kept():
    # trading-centre rows: 第二中标候选人 | name | 中标金额（万元）| amount (SOURCES.md, batch1/10's labels)
    body = ("<table><tr><td>第二中标候选人</td><td>重庆市江津区第六建筑工程有限公司</td><td>中标金额（万元）</td><td>590.198272</td></tr></table>")
    result = extract_page(_page(body, "中标候选人公示"), "http://x/1", kind="candidate_notice")
    assert _suppliers(result) == [("candidate", "重庆市江津区第六建筑工程有限公司", 2, 5901982.72)]


# -- the structure fallback (label rules off) -----------------------------------------------------------
@pytest.mark.parametrize("label, role", [
    ("第一中标（选）候选人", ("candidate", 1)),  # batch1/12 cqggzy
    ("推荐第二成交候选人", ("candidate", 2)),  # batch1/38
    ("中标（成交）供应商名称（全称）", ("winner", None)),
    ("未中标供应商", None),
    ("投标报价", None),
])
def test_a_label_gives_a_role_by_its_words_whether_or_not_labels_yaml_knows_it(label, role):
    assert label_role(label) == role


def test_a_table_column_gives_its_names_a_role_with_the_label_rules_off():
    page = parse_html(_page(SPLIT_LOTS.replace("</table>\n<table>", "", 1)).decode())
    assert grid_roles(page.grids[0]) == {"重庆噢越科技有限公司": (("winner", None), "column_header")}
    mentions = structure_only(_page(SPLIT_LOTS), "http://x/1")
    assert [(m["role"], m["name"]) for m in mentions] == [("winner", "重庆噢越科技有限公司")]


# -- the benchmark itself -------------------------------------------------------------------------------
@needs_corpus
def test_every_transform_keeps_every_gold_name_of_every_page():
    for batch in (CORPUS, CORPUS / "batch2"):
        gold = json.loads((batch / "gold.json").read_text(encoding="utf-8"))
        for name, entry in gold.items():
            body, _ = page_html(batch / "pages" / name)
            before = missing_names(parse(body), entry["mentions"])
            for transform in TRANSFORMS:
                root = parse(body)
                transform.apply(root)
                assert missing_names(parse(serialise(root)), entry["mentions"]) == before, (name, transform.name)


def test_an_award_amount_on_the_line_after_its_own_candidate_is_kept():
    # batch1/34_ccgp_candidate_2016_td10.html: each candidate's 中标价 on the line under its name
    body = ("<p>五、中标信息：</p><p>河南乾坤路桥工程有限公司为第一中标候选人，</p><p>中标价为39891360.02元</p>"
            "<p>地址：封丘县潘店周口工业园</p><p>河南锦路路桥建设有限公司为第二中标候选人,</p><p>中标价为39888145.19元</p>"
            "<p>地址：三门峡市产业集聚区经十路</p>")
    result = extract_page(_page(body, "中标候选人公示"), "http://x/1", kind="candidate_notice")
    assert [(n, k, a) for _, n, k, a in _suppliers(result)] == [("河南乾坤路桥工程有限公司", 1, 39891360.02),
                                                               ("河南锦路路桥建设有限公司", 2, 39888145.19)]
