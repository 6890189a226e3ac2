"""Failure classes of issue #9 on small fragments in the shape real portals serve them (no corpus needed):
placeholders and field labels are problems, never companies; candidate tables with one column per
candidate keep 项目经理 / 工期 / 专职安全员 out; free-text 定点/协议供货 lists; several winners in one value."""

import pytest

from scrapers.extract import extract_page


def _page(body: str, title: str = "中标结果公告") -> bytes:
    return f"<html><head><meta charset='utf-8'><title>{title}</title></head><body><h1>{title}</h1>{body}</body></html>".encode()


def _suppliers(result) -> list[str]:
    return [m["name"] for m in result.mentions if m["role"] in ("winner", "candidate")]


@pytest.mark.parametrize("placeholder", ["见公告原文", "无", "/", "—", "详见附件"])
def test_placeholder_winner_is_a_problem_not_a_company(placeholder):
    body = f"<p>采购人：某某市人民医院</p><p>中标供应商：{placeholder}</p><p>中标金额：100万元</p>"
    result = extract_page(_page(body), "http://x/1", kind="procurement_award")
    assert _suppliers(result) == []
    assert any(reason == "not_a_name" for reason, _ in result.problems)


def test_label_value_cell_with_a_person_is_a_problem_not_a_company():
    body = "<table><tr><td>中标人</td><td>项目经理</td></tr><tr><td>中标价</td><td>100万元</td></tr></table>"
    result = extract_page(_page(body), "http://x/1", kind="procurement_award")
    assert _suppliers(result) == []
    assert result.problems


def test_candidate_columns_keep_project_manager_term_and_safety_officer_out():
    body = """<table><tr><td>排名</td><td>第一中标候选人</td><td>第二中标候选人</td><td>第三中标候选人</td></tr>
    <tr><td>单位名称</td><td>重庆甲建设有限公司</td><td>重庆乙建筑工程有限公司</td><td>重庆丙市政工程有限公司</td></tr>
    <tr><td>投标报价（万元）</td><td>1234.5678</td><td>1240.00</td><td>1250.1</td></tr>
    <tr><td>项目经理</td><td>张三</td><td>李四</td><td>王五</td></tr>
    <tr><td>工期</td><td>90日历天</td><td>90日历天</td><td>90日历天</td></tr>
    <tr><td>专职安全员</td><td>赵六</td><td>钱七</td><td>孙八</td></tr></table>"""
    result = extract_page(_page(body, "中标候选人公示"), "http://x/1", kind="candidate_notice")
    got = {(m["name"], m["rank"], m["amount_yuan"]) for m in result.mentions if m["role"] == "candidate"}
    assert got == {("重庆甲建设有限公司", 1, 12345678.0), ("重庆乙建筑工程有限公司", 2, 12400000.0), ("重庆丙市政工程有限公司", 3, 12501000.0)}


def test_numbered_framework_award_list_with_address_and_contact_lines():
    # 定点/协议供货 framework award: numbered winners, a daily rate, then address and contact lines.
    entries = "".join(
        f"<p>{i}、{name} 中标标准间协议价：{price}元/天</p><p>地址：重庆市渝中区{i}号</p><p>联系人：某某 联系电话：023-6000000{i}</p>"
        for i, (name, price) in enumerate([("重庆某某宾馆", 400), ("重庆某某大酒店有限公司", 380), ("重庆某某饭店", 260)], 1)
    )
    body = f"<p>采购人：重庆市某某局</p><p>现将中标结果公告如下：</p>{entries}<p>特此公告。</p><p>重庆市某某局</p><p>2016年11月30日</p>"
    result = extract_page(_page(body, "会议定点服务协议供货中标公告"), "http://x/1", kind="procurement_award")
    winners = [m for m in result.mentions if m["role"] == "winner"]
    assert [w["name"] for w in winners] == ["重庆某某宾馆", "重庆某某大酒店有限公司", "重庆某某饭店"]
    assert [w["address"] for w in winners] == ["重庆市渝中区1号", "重庆市渝中区2号", "重庆市渝中区3号"]
    assert all(w["amount_yuan"] is None for w in winners)  # 元/天 is a rate, not an award amount
    assert [w["extra"].get("rate") for w in winners] == [400.0, 380.0, 260.0]


def test_list_under_a_winner_heading_stops_at_the_signature():
    body = "<p>六、成交结果</p><p>重庆某某科技有限公司，总价355000.00元。</p><p>重庆市某某区公共资源交易中心</p><p>2016年11月17日</p>"
    result = extract_page(_page(body), "http://x/1", kind="procurement_award")
    assert [(m["name"], m["amount_yuan"]) for m in result.mentions if m["role"] == "winner"] == [("重庆某某科技有限公司", 355000.0)]


def test_several_winners_in_one_labelled_value():
    body = "<p>入围供应商：重庆甲科技有限公司、重庆乙信息技术有限公司、重庆丙电子有限公司</p>"
    result = extract_page(_page(body), "http://x/1", kind="procurement_award")
    assert _suppliers(result) == ["重庆甲科技有限公司", "重庆乙信息技术有限公司", "重庆丙电子有限公司"]


def test_ranked_candidates_in_prose_with_prices_in_yuan():
    body = ("<p>五、中标信息：</p><p>河南甲路桥工程有限公司为第一中标候选人，</p><p>中标价为39891360.02元</p>"
            "<p>河南乙路桥建设有限公司为第二中标候选人,</p><p>中标价为39888145.19元</p>")
    result = extract_page(_page(body, "中标候选人公示"), "http://x/1", kind="candidate_notice")
    got = [(m["name"], m["rank"], m["amount_yuan"]) for m in result.mentions if m["role"] == "candidate"]
    assert got == [("河南甲路桥工程有限公司", 1, 39891360.02), ("河南乙路桥建设有限公司", 2, 39888145.19)]


def test_sentence_winner_yields_to_a_labelled_winner():
    body = "<p>经评审，确定重庆甲有限公司为中标供应商。</p><p>中标供应商名称：重庆乙有限公司</p><p>中标金额：10万元</p>"
    result = extract_page(_page(body), "http://x/1", kind="procurement_award")
    assert _suppliers(result) == ["重庆乙有限公司"]


def test_lot_prefixed_lines_keep_lots_apart_and_mark_the_failed_one():
    body = ("<p>采购人：某某局</p><p>第1包：中标供应商：重庆甲科技有限公司，中标金额：100万元；</p>"
            "<p>第2包：废标（原因：有效投标人不足三家）</p><p>第3包：中标供应商：重庆乙科技有限公司，中标金额：20万元</p>")
    result = extract_page(_page(body), "http://x/1", kind="procurement_award")
    got = [(m["name"], m["lot"], m["amount_yuan"]) for m in result.mentions if m["role"] == "winner"]
    assert got == [("重庆甲科技有限公司", "第1包", 1000000.0), ("重庆乙科技有限公司", "第3包", 200000.0)]
    assert [lot["lot"] for lot in result.notice["failed_lots"]] == ["第2包"]


def test_consortium_amount_goes_to_its_lead_member():
    body = "<p>中标人：重庆甲科技有限公司（联合体牵头人）、重庆乙设计院有限公司（联合体成员）</p><p>中标价：壹佰贰拾万元整（¥1,200,000.00）</p>"
    result = extract_page(_page(body), "http://x/1", kind="procurement_award")
    assert [(m["name"], m["amount_yuan"]) for m in result.mentions] == [("重庆甲科技有限公司", 1200000.0), ("重庆乙设计院有限公司", None)]


def test_rank_label_row_with_a_company_is_not_a_table_header():
    body = ("<table><tr><td>中标候选人</td><td>第一中标候选人</td><td>重庆甲建设有限公司</td></tr>"
            "<tr><td>投标报价</td><td colspan=2>1234567.89元</td></tr><tr><td>项目经理</td><td colspan=2>张三</td></tr></table>")
    result = extract_page(_page(body, "中标候选人公示"), "http://x/1", kind="candidate_notice")
    assert [(m["name"], m["rank"], m["amount_yuan"]) for m in result.mentions] == [("重庆甲建设有限公司", 1, 1234567.89)]


def test_numbered_winner_entries_without_a_heading_above_them():
    entries = "".join(f"<p>{i}、{name} 中标标准间协议价：{price}元/天</p><p>地址：重庆市渝中区{i}号</p>"
                      for i, (name, price) in enumerate([("重庆某某宾馆", 400), ("重庆某某大酒店有限公司", 380)], 1))
    body = f"<p>采购人：重庆市某某局</p>{entries}<p>重庆市某某局</p><p>2016年11月30日</p>"
    result = extract_page(_page(body, "2016年会议定点饭店协议供货中标公告"), "http://x/1", kind="procurement_award")
    winners = [(m["name"], m["address"], m["extra"].get("rate")) for m in result.mentions if m["role"] == "winner"]
    assert winners == [("重庆某某宾馆", "重庆市渝中区1号", 400.0), ("重庆某某大酒店有限公司", "重庆市渝中区2号", 380.0)]


def test_unit_in_brackets_after_the_number():
    body = "<p>五、中标（成交）信息</p><p>供应商名称：重庆甲科技有限公司</p><p>中标（成交）金额：98.5（万元）</p>"
    result = extract_page(_page(body), "http://x/1", kind="procurement_award")
    assert [(m["name"], m["amount_yuan"]) for m in result.mentions] == [("重庆甲科技有限公司", 985000.0)]


def test_free_text_list_ends_where_the_notice_moves_on():
    body = ("<p>六、成交结果</p><p>重庆某某科技有限公司，总价355000.00元。</p><p>评审专家：张三、李四</p>"
            "<p>重庆市某某区财政局</p>")
    result = extract_page(_page(body), "http://x/1", kind="procurement_award")
    assert _suppliers(result) == ["重庆某某科技有限公司"]


def test_zero_amounts_and_dated_labels_are_not_awards_or_candidates():
    # ccgp 2019 layout: 0.000000 in every amount cell; "本中标候选人公示截止日期" is a date.
    body = ("<p>五、中标信息</p><p>总中标金额：0.0 万元（人民币）</p><p>中标供应商名称、联系地址及中标金额：</p>"
            "<table><tr><td>序号</td><td>中标供应商名称</td><td>中标供应商联系地址</td><td>中标金额(万元)</td></tr>"
            "<tr><td>1</td><td>华诚博远工程技术集团有限公司</td><td>&nbsp;</td><td>0.000000</td></tr></table>"
            "<p>中标标的名称：某某维修改造项目（设计）</p><p>本中标候选人公示截止日期：2019年7月16日</p>")
    result = extract_page(_page(body), "http://x/1", kind="procurement_award")
    assert [(m["name"], m["amount_yuan"]) for m in result.mentions] == [("华诚博远工程技术集团有限公司", None)]
    assert not any(reason == "not_an_organisation" for reason, _ in result.problems)


def test_supplier_label_and_name_separated_by_a_space():
    body = ("<p>第一中标候选人 广东甲工程有限公司 投标报价 1000.00 万元。</p>"
            "<p>第二中标候选人 广东乙工程有限公司 投标报价 1010.00 万元。</p><p>中标人 须在公示期满后签订合同。</p>")
    result = extract_page(_page(body, "中标候选人公示"), "http://x/1", kind="candidate_notice")
    got = [(m["name"], m["rank"], m["amount_yuan"]) for m in result.mentions if m["role"] == "candidate"]
    assert got == [("广东甲工程有限公司", 1, 10000000.0), ("广东乙工程有限公司", 2, 10100000.0)]


def test_a_hostile_value_is_not_split_into_clean_looking_names():
    # landing's validator must see the whole value (and quarantine it as a SQL fragment)
    body = "<p>中标供应商名称：杭州某科技有限公司;--DROP TABLE x有限公司</p>"
    result = extract_page(_page(body), "http://x/1", kind="procurement_award")
    assert _suppliers(result) == ["杭州某科技有限公司;--DROP TABLE x有限公司"]


def test_rank_label_spanning_rows_of_name_price_and_manager():
    rows = "".join(
        f"<tr><td rowspan=3>{rank}</td><td>单位名称</td><td>{name}</td></tr><tr><td>投标报价（元）</td><td>{price}</td></tr>"
        f"<tr><td>项目经理</td><td>{person}</td></tr>"
        for rank, name, price, person in [("第一中标候选人", "重庆甲建设有限公司", "1234567.89", "张三"),
                                          ("第二中标候选人", "重庆乙建设有限公司", "1240000", "李四")])
    result = extract_page(_page(f"<table>{rows}</table>", "中标候选人公示"), "http://x/1", kind="candidate_notice")
    got = [(m["name"], m["rank"], m["amount_yuan"]) for m in result.mentions if m["role"] == "candidate"]
    assert got == [("重庆甲建设有限公司", 1, 1234567.89), ("重庆乙建设有限公司", 2, 1240000.0)]
    assert not result.problems


def test_labelled_purchaser_need_not_end_like_a_company_but_a_winner_must():
    body = "<p>采购人：重庆市渝北区龙溪街道</p><p>中标供应商：项目经理</p><p>中标供应商：重庆甲科技有限公司</p>"
    result = extract_page(_page(body), "http://x/1", kind="procurement_award")
    assert [(m["role"], m["name"]) for m in result.mentions] == [("purchaser", "重庆市渝北区龙溪街道"), ("winner", "重庆甲科技有限公司")]
    assert any(reason == "not_an_organisation" for reason, _ in result.problems)
