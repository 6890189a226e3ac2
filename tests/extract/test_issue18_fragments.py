"""The failure classes of issue 18, each on a fragment copied verbatim from a real page.

Fragments come from ../shared/real-pages/batch2 (the file is named on each test) and, where batch 2
has no page of the class, from batch 1. The classes the two batches hold no real page of
(consortium members, bidders rejected in prose) are tested in test_issue18_rules.py on the shapes
the issue describes, and say so.
"""

from __future__ import annotations

import pytest

from benchmarks.eval_pages import corpus_dir, page_html
from scrapers.extract import extract_auto, extract_page
from scrapers.extract.money import read_money
from scrapers.extract.orgspans import find_orgs

CORPUS = corpus_dir()


def _page(body: str, title: str = "") -> bytes:
    head = f"<title>{title}</title>" if title else ""
    return f"<html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>".encode()


def _roles(result, *roles) -> list[tuple]:
    return [(m["role"], m["name"]) for m in result.mentions if m["role"] in roles]


# -- class 1: no kind, no guess -> never "award" ----------------------------------------------------
# batch2/15_association_member_directory_ningbo_hyzz2.html: the heading sits in a "box-header" block
# (read as chrome) and names no kind the vocabulary knows; the members are link titles with tags.
DIRECTORY = """<div class="main"><div class="box-header clearfix ovr"><h2>会员单位</h2>
<p class="tree">您的位置：<a href="index.jsp">首页</a>&gt;<a href="hyzz.jsp">会员组织</a>&gt;会员单位</p></div>
<div class="content"><table width="100%" border="0" align="center" cellpadding="0" cellspacing="0" class="tb_zz">
  <tr>
    <td align="center">1</td>
    <td><a href="" target="_blank" title="宁波长晟电子科技有限公司">宁波长晟电子科技有限公司</a>[<font color=blue>慈溪</font>]</td>
        <td align="center">2</td>
    <td><a href="http://" target="_blank" title="卓力电器集团有限公司">卓力电器集团有限公司</a>[<font color=blue>慈溪</font>]</td>
  </tr>
    <tr class="bluebg">
    <td align="center">3</td>
    <td><a href="" target="_blank" title="宁波新思维数控设备有限公司">宁波新思维数控设备有限公司</a>[<font color=blue>慈溪</font>]</td>
        <td align="center">4</td>
    <td><a href="" target="_blank" title="宁波市奥特曼自动化设备有限公司">宁波市奥特曼自动化设备有限公司</a>[<font color=blue>余姚</font>]</td>
  </tr>
    <tr>
    <td align="center">5</td>
    <td><a href="" target="_blank" title="浙江金瑞薄膜材料有限公司">浙江金瑞薄膜材料有限公司</a>[<font color=blue>余姚</font>]</td>
        <td align="center">6</td>
    <td><a href="" target="_blank" title="浙江捷能汽车零部件有限公司">浙江捷能汽车零部件有限公司</a>[<font color=blue>余姚</font>]</td>
  </tr>
    <tr class="bluebg">
    <td align="center">7</td>
    <td><a href="" target="_blank" title="宁波正庄发展有限公司">宁波正庄发展有限公司</a>[<font color=blue>余姚</font>]</td>
        <td align="center">8</td>
    <td><a href="" target="_blank" title="宁波市宇华电器有限公司">宁波市宇华电器有限公司</a>[<font color=blue>余姚</font>]</td>
  </tr></table></div></div>"""


def test_a_list_of_company_links_with_no_kind_word_is_a_directory_not_an_award():
    result, decided = extract_auto(_page(DIRECTORY), "http://www.example.org/WebPage/hyzz_2.jsp")
    assert decided.kind == "directory" and decided.extract_as == "directory"
    assert "structure" in decided.evidence
    members = {m["name"]: m["district"] for m in result.mentions if m["role"] == "member"}
    assert len(members) == 8
    assert members["宁波市奥特曼自动化设备有限公司"] == "余姚"
    assert not _roles(result, "winner", "candidate")


def test_a_page_nothing_names_is_read_by_each_extractor_and_says_so():
    # batch1/31_frag-zj_award_2016_td7.html: no headline, no URL pattern, no opening sentence.
    body = """一．采购人名称：台州市水利局<br>二．采购项目名称：椒江建闸工程二期基础地形测量及水文测验采购<br>
    八．中标/成交结果：<br>标项1:椒江建闸工程二期基础地形测量及水文测验<br>金额汇总:0<br>供应商名称:浙江省河海测绘院/浙江<br>
    中标价：3986200元 工期：符合<br>"""
    result, decided = extract_auto(_page(body), "http://www.example.org/x.html")
    assert decided.kind == "unknown"
    assert decided.extract_as == "procurement_award" and "read as procurement_award" in decided.evidence
    assert _roles(result, "winner") == [("winner", "浙江省河海测绘院")]


# -- class 2: framework / 定点 / 入围 lists -----------------------------------------------------------
# batch2/10_ccgp_shanxi_zbgg_2015.html (GBK on its portal; the text is the page's).
FRAMEWORK = """<p>五、中标结果：</p><p>第一包入围：</p>
<p>1、山西迎泽宾馆中标A类标准间协议价：400元∕天</p><p>地址：太原市迎泽大街189号</p><p>联系人：韩国良</p><p>联系电话：0351-8828888转6996</p>
<p>6、太原铁路新创实业集团有限公司太原铁道大厦分公司</p><p>中标标准间协议价：248元∕天</p><p>地址：太原市迎泽南街19号</p><p>联系人：刘明</p><p>联系电话：0351-2719000</p>
<p>7、山西愉园大酒店有限责任公司;中标标准间协议价：300元∕天</p><p>地址：太原市开化寺街86号</p><p>联系人：陈彦青</p><p>联系电话：0351-4140333</p>
<p>第二包入围：</p>
<p>1、山西饭店中标标准间协议价：420元∕天</p><p>地址：太原市迎泽区纯阳宫51号</p><p>联系人：卫旭华</p><p>联系电话：0351-6688888-8866</p>
<p>六、评审委员会成员名单：李理、闫宝明、李巨敏、赵琳、安献华、王新才、刘徐师、邝建英、乔美华、杜宇、郭福明</p>"""


def test_framework_list_names_glued_to_zhongbiao_with_lots_headed_ruwei():
    result = extract_page(_page(FRAMEWORK, "山西省太原市区2015-2016年党政机关会议定点场所采购项目中标公告"), "http://x/1",
                          kind="procurement_award")
    winners = [(m["name"], m["lot"]) for m in result.mentions if m["role"] == "winner"]
    assert winners == [("山西迎泽宾馆", "第一包"), ("太原铁路新创实业集团有限公司太原铁道大厦分公司", "第一包"),
                       ("山西愉园大酒店有限责任公司", "第一包"), ("山西饭店", "第二包")]
    assert "评审委员会" not in {m["name"] for m in result.mentions}  # a panel heading, not an entry


def test_a_daily_agreement_rate_is_never_an_award_amount():
    result = extract_page(_page(FRAMEWORK), "http://x/1", kind="procurement_award")
    first = next(m for m in result.mentions if m["name"] == "山西迎泽宾馆")
    assert first["amount_yuan"] is None and first["amount_label"] is None
    assert first["extra"]["rate"] == 400.0 and first["extra"]["rate_unit"] == "天"  # 元∕天 (a division slash)
    assert first["address"] == "太原市迎泽大街189号"


# -- class 4: agents in a contact block or the opening sentence --------------------------------------
# batch2/05_ccgp_zbgg_2016_qingdao_jimo.html
OPENING = ("<p>山东省国际招标有限公司受即墨省级经济开发区蓝色新区管理委员会的委托，对其海景花苑（青岛即墨）大酒店电器设备类-办公用品"
           "采购项目以公开招标方式组织政府采购。现就本次采购的中标结果公示如下：</p>")
CONTACTS = ("<p>联系事项：</p><p>招 标 人：即墨省级经济开发区蓝色新区管理委员会</p><p>地 址：即墨市鹤山路东段龙山花园北</p>"
            "<p>联 系 人：韩瑜</p><p>电 话：0532-58667736</p><p>采购代理机构：山东省国际招标有限公司</p>"
            "<p>地 址：即墨市文化路565号广泰大厦609室</p><p>联系人：王妮娜</p><p>电 话：0532-85057387</p>")
WINNER = "<p>中标人：青岛迈瑞办公设备有限公司</p><p>中标金额：84.8651万元（大写：捌拾肆万捌仟陆佰伍拾壹元整）</p>"


def test_agent_and_purchaser_from_the_opening_sentence_alone():
    result = extract_page(_page(OPENING + WINNER), "http://x/1", kind="procurement_award")
    assert set(_roles(result, "agent", "purchaser")) == {("agent", "山东省国际招标有限公司"),
                                                         ("purchaser", "即墨省级经济开发区蓝色新区管理委员会")}


def test_agent_and_purchaser_from_the_contact_block_alone():
    result = extract_page(_page(WINNER + CONTACTS), "http://x/1", kind="procurement_award")
    assert set(_roles(result, "agent", "purchaser")) == {("agent", "山东省国际招标有限公司"),
                                                         ("purchaser", "即墨省级经济开发区蓝色新区管理委员会")}
    assert "广泰大厦" not in {m["name"] for m in result.mentions}  # an address, not a party


# -- class 6: amounts only from their own cell, with label and unit ---------------------------------
def test_a_wan_yuan_amount_keeps_its_unit_and_label():
    result = extract_page(_page(WINNER), "http://x/1", kind="procurement_award")
    winner = next(m for m in result.mentions if m["role"] == "winner")
    assert winner["amount_yuan"] == 848651.0  # once 84.87: the 万元 was taken for a label
    assert (winner["amount_label"], winner["amount_unit"]) == ("中标金额", "万元")


def test_a_price_cap_is_not_the_candidates_amount_its_bid_is():
    # batch2/11_jiangxi_ganzhou_ggzy_zbhxr_2016.html
    body = """<table><tr><td>招标控制价：</td><td>1944595.47元</td></tr><tr><td>开标时间：</td><td>2016年11月17日</td></tr></table>
    <p>中标候选人排序及相关内容</p><table><tr><td>第一中标排序单位名称：</td><td>江西埼辰建设有限公司</td></tr>
    <tr><td>投标资质：</td><td>建筑工程(2015新标准)三级</td></tr><tr><td>投标报价：</td><td>1760419.05元</td></tr>
    <tr><td>建造师姓名：</td><td>黄华</td></tr><tr><td>第二中标排序单位名称：</td><td></td></tr><tr><td>投标报价：</td><td></td></tr></table>"""
    result = extract_page(_page(body, "中标候选人公示"), "http://x/1", kind="candidate_notice")
    candidate = next(m for m in result.mentions if m["role"] == "candidate")
    assert (candidate["name"], candidate["rank"], candidate["amount_yuan"]) == ("江西埼辰建设有限公司", 1, 1760419.05)
    assert (candidate["amount_label"], candidate["amount_unit"]) == ("投标报价", "元")


def test_amounts_in_a_table_apart_are_not_joined_to_winners_by_position():
    # batch1/32_ccgp_award_2016_td8.html (the whole page): two lot winners, their amounts in a 报价明细
    # table above the ranking, in the same order but with no name, lot or rank to join them by.
    if CORPUS is None:
        pytest.skip("real-pages corpus not found (set TUOKE_REAL_PAGES or put it at ../shared/real-pages)")
    body, _ = page_html(CORPUS / "pages" / "32_ccgp_award_2016_td8.html")
    result, _ = extract_auto(body, "file:///real-pages/page.html")
    amounts = {m["name"]: m["amount_yuan"] for m in result.mentions if m["role"] == "winner"}
    assert set(amounts) == {"广东凡人医疗器械有限公司", "广州杏宝医疗器械有限公司"}
    assert set(amounts.values()) == {None}  # no amount is better than one joined by position


# -- class 7: fee-rate and discount bids are not amounts --------------------------------------------
def test_a_discount_rate_is_kept_as_a_rate_never_an_amount():
    # batch1/01_ccgp_award_2016_7658309.json: "成交下浮系数：20%" where the amount would stand
    money = read_money("20%", None, "成交下浮系数")
    assert money.yuan is None and money.percent == 20.0
    assert read_money("0.0 万元（人民币）", None, "总成交金额").yuan is None  # a placeholder, not an award of 0


# -- the recogniser ---------------------------------------------------------------------------------
def test_recogniser_ends_names_at_their_legal_or_organisation_form():
    # batch2/10 and batch2/06 lines as the page writes them
    assert [s.name for s in find_orgs("9、山西金海湾房地产开发有限公司中北大学学术交流中心中标标准间协议价：240元∕天")] == [
        "山西金海湾房地产开发有限公司中北大学学术交流中心"]
    assert [s.name for s in find_orgs("3、中铁十二局集团山西铁道大厦有限公司中标标准间协议价：320元∕天")] == [
        "中铁十二局集团山西铁道大厦有限公司"]
    # batch2/04 title: an agent's name runs into the project's: two names, not one
    assert [s.name for s in find_orgs("广西建通工程咨询有限责任公司广西财政灾备中心办公区设施采购成交公告")] == [
        "广西建通工程咨询有限责任公司", "广西财政灾备中心"]
    # batch2/12: "受X的委托，Y于…" — the lead-in is no part of the name
    assert [s.name for s in find_orgs("受内蒙古大学的委托，内蒙古自治区政府采购中心于2014年03月17日以公开招标方式")] == [
        "内蒙古大学", "内蒙古自治区政府采购中心"]


def test_names_without_a_role_are_reported_not_emitted():
    # batch2/13_chinabidding_zbhxr_gs_2016_unicom_cq.html: the buyer and its agent only sign the notice
    body = """<p>2016年中国联通重庆内网安全扩容工程恶意代码检测设备采购项目招标，招标编号:TC169D6GP，已经完成评标工作。经评委会评审，推荐中标候选人如下：</p>
    <p>第一中标候选人：重庆恒灿科技有限公司</p><p>第二中标候选人：重庆源畅科技有限公司</p><p>第三中标候选人：重庆环联科技有限公司</p>
    <p>公示期：2016年11月10日——2016年11月14日。</p><p>如有异议请联系：023—68881331（转9053）13883338450</p>
    <p>中国联合网络通信有限公司重庆市分公司</p><p>中招国际招标有限公司重庆分公司</p><p>2016年11月10日</p>"""
    result = extract_page(_page(body, "2016年中国联通重庆内网安全扩容工程恶意代码检测设备采购中标候选人公示"), "http://x/1",
                          kind="candidate_notice")
    assert [m["name"] for m in result.mentions if m["role"] == "candidate"] == [
        "重庆恒灿科技有限公司", "重庆源畅科技有限公司", "重庆环联科技有限公司"]
    assert "中国联合网络通信有限公司重庆市分公司" not in {m["name"] for m in result.mentions}
    assert "中国联合网络通信有限公司重庆市分公司" in result.unplaced_names
    assert result.names_found >= 4


# -- the structure fallback, each rule on its own (the label rules left out) -------------------------
def _placed(body: str) -> list[tuple[str, str]]:
    from scrapers.extract.dom import parse_html
    from scrapers.extract.placement import place_names
    from scrapers.extract.result import PageResult

    result = PageResult()
    place_names(parse_html(_page(body).decode()), result, "procurement_award", "http://x/1", None)
    return [(m["name"], m["extra"]["role_from"]) for m in result.mentions if m["role"] in ("winner", "candidate")]


def test_structure_gives_the_winner_role_to_a_name_leading_a_line_under_a_winner_heading():
    # batch2/10: item 6 stands alone on its line under 五、中标结果
    assert _placed(FRAMEWORK)[1] == ("太原铁路新创实业集团有限公司太原铁道大厦分公司", "winner_section")


def test_structure_gives_the_winner_role_to_a_name_an_award_verb_follows():
    # batch2/10 item 1, with no heading above it
    assert _placed("<p>1、山西迎泽宾馆中标A类标准间协议价：400元∕天</p>") == [("山西迎泽宾馆", "award_verb")]


def test_structure_gives_the_winner_role_to_the_value_of_a_label_with_an_award_word():
    # batch1/30_frag-ah_award_2016_td5.html
    assert _placed("<p>中标供应商名称：安徽普尔美机电有限公司</p>") == [("安徽普尔美机电有限公司", "supplier_label")]


def test_structure_gives_no_role_without_evidence():
    # batch2/09: a complaint office under its label is found, given no role, reported
    assert _placed("<p>投诉受理部门：崇左市住房和城乡建设委员会</p><p>崇左市中医壮医医院</p>") == []


def test_structure_finds_a_leading_name_whose_text_repeats_as_a_later_labelled_value():
    # batch1/03_ccgp_award_2016_7658375: the winner's address field repeats its name; the value of
    # 地址 is the second occurrence, so the leading name is not inside a place's value
    body = ("<p>四、成交信息</p><p>成交日期：2016年11月30日</p><p>成交供应商名称、地址及成交金额：</p>"
            "<p>重庆维普资讯有限公司，地址：重庆维普资讯有限公司，成交金额：陆万肆仟元（￥64000.00）</p>")
    assert _placed(body) == [("重庆维普资讯有限公司", "winner_section")]


def test_structure_reads_an_award_heading_kept_inline_before_a_supplier_label():
    # batch2/01_ccgp_detail_2025_zbgg_shenzhen_longhua: the page is flattened into long lines
    line = ("五、中标（成交）信息 供应商名称：深圳市金龙空调电器有限公司 供应商地址：深圳市南山区桃源街道西丽留仙大道1201号"
            "创客小镇13栋3楼东 中标（成交）金额：6687920.0元 六、主要标的信息")
    assert _placed(f"<p>{line}</p>") == [("深圳市金龙空调电器有限公司", "supplier_label")]


def test_an_inline_heading_speaks_only_for_the_label_right_after_it():
    # the purchaser label after the heading names no supplier; the supplier label further on has
    # the purchaser's value, not the heading, before it: nothing is placed
    line = "五、中标（成交）信息 采购人名称：深圳市龙华科技实验高级中学 供应商名称：深圳市金龙空调电器有限公司"
    assert _placed(f"<p>{line}</p>") == []
    assert _principals(f"<p>{line}</p>") == [("purchaser", "深圳市龙华科技实验高级中学")]


RANKED_CELLS = """<table>
<tr><td rowspan="2" align="center">第一名</td><td colspan="4">单位名称：
  新疆东方工程管理有限公司</td></tr>
<tr><td colspan="4">投标报价（万元）：
  23.48</td></tr>
<tr><td rowspan="2" align="center">第二名</td><td colspan="4">单位名称：
  新疆中厦建设工程项目管理有限公司</td></tr>
<tr><td colspan="4">投标报价（万元）：
  26.24</td></tr>
</table>"""


def test_a_name_read_from_a_ranked_cell_is_a_line_of_the_page_too():
    # batch1/29_frag-xj_candidate_2016_td4: "第一名 (rowspan) | 单位名称：X" was an event but no line,
    # so the names-first pass never found the candidates
    from scrapers.extract.dom import parse_html

    lines = parse_html(_page(RANKED_CELLS).decode()).lines
    assert "第一名：新疆东方工程管理有限公司" in lines
    assert _placed(RANKED_CELLS) == [("新疆东方工程管理有限公司", "supplier_label"),
                                     ("新疆中厦建设工程项目管理有限公司", "supplier_label")]


GROUPED_RANK_ROWS = """<table>
<tr><td rowspan="4">中标候选人情况</td><td rowspan="2">第一中标<br>候选人</td><td>单位名称</td><td colspan="3">广西壮族自治区冶金建设公司</td></tr>
<tr><td>投标报价</td><td colspan="3">（￥28293076.46）</td></tr>
<tr><td rowspan="2">第二中标<br>候选人</td><td>单位名称</td><td colspan="3">广西建工集团第一建筑工程有限责任公司</td></tr>
<tr><td>投标报价</td><td colspan="3">（￥28320604.19）</td></tr>
</table>"""


def test_the_rank_of_a_grouped_row_reaches_the_structure_pass():
    # batch2/09_guangxi_zbhxr_gs_2017_yunlong: 中标候选人情况 | 第二中标候选人 | 单位名称 | X, each
    # label a cell of its own; the line keeps them, so the rank gives the candidate its place
    from scrapers.extract.dom import parse_html
    from scrapers.extract.placement import place_names
    from scrapers.extract.result import PageResult

    result = PageResult()
    place_names(parse_html(_page(GROUPED_RANK_ROWS).decode()), result, "candidate_notice", "http://x/1", None)
    assert [(m["role"], m["rank"], m["name"]) for m in result.mentions] == [
        ("candidate", 1, "广西壮族自治区冶金建设公司"), ("candidate", 2, "广西建工集团第一建筑工程有限责任公司")]


@pytest.mark.parametrize("text, name", [
    # batch1/27_ccgp_award_2013_td2: lots A/B/C lead the names in one sentence each
    ("经谈判小组一致评审认定： A包三门峡龙飞生物工程有限公司为第一成交候选供应商", "三门峡龙飞生物工程有限公司"),
    ("C包河南宝融生物科技有限公司为第一成交候选供应商", "河南宝融生物科技有限公司"),
    ("第2标段杭州宏达建设有限公司", "杭州宏达建设有限公司"),
    ("A包包头市钢铁设计研究院有限公司中标", "包头市钢铁设计研究院有限公司"),  # the lot goes, 包头 stays
    ("一包装饰工程有限公司中标", "一包装饰工程有限公司"),  # a 字号, no lot
])
def test_a_lot_marker_that_leads_a_name_is_no_part_of_it(text, name):
    assert [s.name for s in find_orgs(text)] == [name]


def test_structure_reads_the_role_a_copula_gives():
    # batch1/27: "X为第一成交候选供应商" on an award page with no winner named: the first is the winner
    body = "<p>经谈判小组一致评审认定： A包三门峡龙飞生物工程有限公司为第一成交候选供应商，谈判报价为290000元人民币。</p>"
    assert _placed(body) == [("三门峡龙飞生物工程有限公司", "copula_role")]
    assert _placed("<p>崇左市中医壮医医院为本项目采购人。</p>") == []


def test_an_award_column_makes_the_supplier_column_of_its_grid_winners():
    # batch1/22_cqgp_award_2014_test2: "项目名 | 成交金额(元) | 供应商", no award word over the names
    grid = ("<table><tr><td>项目名</td><td>成交金额(元)</td><td>供应商</td></tr>"
            "<tr><td>网络安全设备采购</td><td>128000</td><td>重庆网安信息技术有限公司</td></tr></table>")
    assert _placed(grid) == [("重庆网安信息技术有限公司", "column_header")]
    bidders = grid.replace("<td>供应商</td>", "<td>投标供应商</td>")
    assert _placed(bidders) == []


def test_structure_reads_a_label_nested_in_a_labels_value():
    # batch1/29 with its table read as lines ("第一名：单位名称： X"): the outer label gives the rank
    body = "<p>第一名：单位名称： 新疆东方工程管理有限公司</p><p>投标报价（万元）： 23.48</p>"
    result_names = _placed(body)
    assert result_names == [("新疆东方工程管理有限公司", "supplier_label")]
    assert _placed("<p>采购人：单位名称： 崇左市中医壮医医院</p>") == []


def test_a_label_on_a_later_line_gives_the_role_the_first_line_does_not():
    # batch2/01 with its grids read as lines: the winner stands first in the bidder list, and its
    # award line comes after
    body = ("<p>三、投标供应商名称及报价：</p><p>投标供应商：深圳市金龙空调电器有限公司</p><p>报价（元）：6687920.0</p>"
            "<p>五、中标（成交）信息 供应商名称：深圳市金龙空调电器有限公司 中标（成交）金额：6687920.0元</p>")
    assert _placed(body) == [("深圳市金龙空调电器有限公司", "supplier_label")]


def _principals(body: str, kind: str = "procurement_award") -> list[tuple[str, str]]:
    from scrapers.extract.dom import parse_html
    from scrapers.extract.placement import place_names
    from scrapers.extract.result import PageResult

    result = PageResult()
    place_names(parse_html(_page(body).decode()), result, kind, "http://x/1", None)
    return [(m["role"], m["name"]) for m in result.mentions if m["role"] in ("purchaser", "agent")]


def test_structure_gives_purchaser_and_agent_from_their_label_words():
    # batch1/03_ccgp_award_2016_7658375: the purchaser is named in the title first, its label later
    body = ("<p>贺州市公共资源交易中心关于贺州学院维普采购单一来源结果公告</p><p>采购单位名称：贺州学院</p>"
            "<p>采购代理机构全称：贺州市公共资源交易中心</p>")
    assert _principals(body) == [("purchaser", "贺州学院"), ("agent", "贺州市公共资源交易中心")]


def test_no_principal_is_placed_on_a_list_or_directory_page():
    assert _principals("<p>采购单位名称：贺州学院</p>", kind="directory") == []
