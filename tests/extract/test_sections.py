"""Generic labels (名称 / 地址) that take their role from the section heading above them, and
other layouts a provincial portal serves (result-table headers, one-line winners, 甲方/乙方,
大写/小写 amounts, names padded with full-width spaces, directory dates)."""

import pytest

from scrapers.extract import extract_page
from scrapers.extract.labels import field_for
from scrapers.extract.org_names import clean_name
from scrapers.extract.pairs import Section, line_events


def _by_role(result, role):
    return [m for m in result.mentions if m["role"] == role]


def _html(body: str) -> bytes:
    return f"<html><head><meta charset='utf-8'><title>公告</title></head><body>{body}</body></html>".encode()


# --- section heading -> role -------------------------------------------------------------------

def test_tender_national_layout_purchaser_and_agent_from_contact_sections(page_bytes):
    r = extract_page(page_bytes("tender_national.html"), "http://x/t/2.htm", kind="tender_notice")
    assert not r.problems
    [buyer] = _by_role(r, "purchaser")  # 公告概要 采购单位 and 1.采购人信息/名 称 are one buyer
    assert buyer["name"] == "宁波市江北区住房和城乡建设局"  # grid cell ends with a full-width space
    assert buyer["address"] == "宁波市江北区大闸路618号"
    assert buyer["amount_yuan"] == 1860000.0 and buyer["extra"]["deadline"] == "2026-08-25T09:30"
    assert buyer["extra"]["sme_set_aside"] is False
    [agent] = _by_role(r, "agent")
    assert agent["name"] == "浙江求是工程咨询监理有限公司温州分公司"
    assert agent["address"].startswith("温州市鹿城区车站大道577号")
    assert r.notice["published_at"] == "2026-08-03"  # not 获取招标文件时间
    # "3.同级政府采购监督管理部门 / 名 称：…财政局…" is neither buyer nor agent
    assert all("财政局" not in m["name"] for m in r.mentions)


def test_award_contact_block_on_one_line_and_result_table_headers(page_bytes):
    r = extract_page(page_bytes("award_contact_block.html"), "http://x/a/20.htm", kind="procurement_award")
    assert not r.problems and not r.unused_labels
    [buyer], [agent] = _by_role(r, "purchaser"), _by_role(r, "agent")
    assert buyer["name"] == "嘉兴市食品药品检验中心" and buyer["address"] == "嘉兴市南湖区东升东路1100号"
    assert agent["name"] == "浙江建院建设计划投资管理有限公司" and agent["address"] == "杭州市上城区凤起东路189号"
    winners = {m["lot"]: m for m in _by_role(r, "winner")}
    assert winners["1"]["name"] == "嘉兴康华仪器设备有限公司"  # trailing &nbsp; trimmed
    assert winners["1"]["amount_yuan"] == 876500.0 and winners["2"]["amount_yuan"] == 476300.0
    assert winners["2"]["address"] == "杭州市西湖区文三路90号"
    # 四、主要标的信息 / 名称：液相色谱仪 is goods, not a company
    assert {m["role"] for m in r.mentions} == {"purchaser", "agent", "winner"} and len(r.mentions) == 4


def test_old_layout_generic_names_under_numbered_sections(page_bytes):
    r = extract_page(page_bytes("award_sections.html"), "http://x/a/21.htm", kind="procurement_award")
    assert not r.problems
    [buyer], [agent], [winner] = _by_role(r, "purchaser"), _by_role(r, "agent"), _by_role(r, "winner")
    assert buyer["name"] == "宁海县跃龙街道办事处" and buyer["address"] == "宁海县跃龙街道气象北路28号"
    assert agent["name"] == "宁波国际招标有限公司" and agent["address"] == "宁波市鄞州区天童南路588号"
    assert winner["name"] == "宁海县洁美物业服务有限公司" and winner["address"] == "宁海县桃源街道金水路33号"
    assert winner["uscc"] == "91330226MA2KL3Q70L" and winner["amount_yuan"] == 639000.0
    assert len(r.mentions) == 3  # 五、其他补充事宜 / 名称：保洁服务 ends the 成交信息 section


def test_section_heading_in_a_label_value_table():
    body = ("<table><tr><td colspan=2>采购人信息</td></tr><tr><td>名称</td><td>宁波市鄞州区教育局</td></tr>"
            "<tr><td>地址</td><td>宁波市鄞州区惠风东路568号</td></tr>"
            "<tr><td colspan=2>采购代理机构信息</td></tr><tr><td>名称</td><td>宁波中基国际招标有限公司</td></tr></table>"
            "<p>中标供应商名称：宁波甬华教学设备有限公司</p><p>中标金额：32.5万元</p>")
    r = extract_page(_html(body), "http://x/a/22.htm", kind="procurement_award")
    assert [(m["role"], m["name"]) for m in r.mentions] == [
        ("purchaser", "宁波市鄞州区教育局"), ("agent", "宁波中基国际招标有限公司"), ("winner", "宁波甬华教学设备有限公司")]
    assert _by_role(r, "purchaser")[0]["address"] == "宁波市鄞州区惠风东路568号"
    assert _by_role(r, "winner")[0]["amount_yuan"] == 325000.0


def test_grid_buyer_and_section_buyer_with_same_name_give_one_mention():
    body = ("<table><tr><td class=title>采购单位</td><td>宁波市北仑区人民医院</td><td class=title>行政区域</td><td>北仑区</td></tr></table>"
            "<p>供应商名称：宁波康宁医疗器械有限公司</p><p>中标（成交）金额：100000元</p>"
            "<p>1.采购人信息</p><p>名 称：宁波市北仑区人民医院\u3000</p><p>地 址：宁波市北仑区同济路6号</p>")
    r = extract_page(_html(body), "http://x/a/23.htm", kind="procurement_award")
    [buyer] = _by_role(r, "purchaser")
    assert buyer["address"] == "宁波市北仑区同济路6号"
    assert _by_role(r, "winner")[0]["address"] is None  # the buyer's 地址 is not the winner's


def test_inline_headings_cut_the_value_before_them():
    events = line_events("1.采购人信息 名 称：宁波市某局 地 址：某路1号 2.采购代理机构信息 名 称：某招标有限公司 3.项目联系方式 项目联系人：张三")
    assert [e.role for e in events if isinstance(e, Section)] == ["purchaser", "agent", None]
    pairs = [(e.field, e.value) for e in events if not isinstance(e, Section)]
    assert ("address", "某路1号") in pairs and ("name", "某招标有限公司") in pairs


def test_prose_mentioning_supplier_information_is_not_a_heading():
    assert not [e for e in line_events("请各供应商信息不全的于3日内补充。") if isinstance(e, Section)]


# --- other provincial layouts ------------------------------------------------------------------

def test_result_table_with_bracketed_headers_and_wanyuan_unit():
    body = ("<p>采购人：绍兴市柯桥区卫生健康局</p><table><tr><th>序号</th><th>中标（成交）供应商名称</th>"
            "<th>统一社会信用代码</th><th>中标（成交）金额(万元)</th></tr>"
            "<tr><td>1</td><td>绍兴越华医疗科技有限公司</td><td>91330205MA2KL3Q707</td><td>58.6</td></tr></table>")
    r = extract_page(_html(body), "http://x/a/24.htm", kind="procurement_award")
    [winner] = _by_role(r, "winner")
    assert winner["name"] == "绍兴越华医疗科技有限公司" and winner["amount_yuan"] == 586000.0
    assert winner["uscc"] == "91330205MA2KL3Q707"


def test_deal_supplier_label_without_name_word():
    body = "<p>采购人名称：温州市瓯海区娄桥街道办事处</p><p>成交供应商：温州瓯信物业管理有限公司</p><p>成交金额：￥286,000.00元</p>"
    r = extract_page(_html(body), "http://x/a/25.htm", kind="procurement_award")
    [winner] = _by_role(r, "winner")
    assert winner["name"] == "温州瓯信物业管理有限公司" and winner["amount_yuan"] == 286000.0


def test_winner_and_price_on_one_line():
    body = "<p>招标人：台州市黄岩区交通运输局</p><p>中标人：台州市路桥建设工程有限公司，中标价：1268.35万元，工期：180日历天。</p>"
    r = extract_page(_html(body), "http://x/a/26.htm", kind="procurement_award")
    [winner] = _by_role(r, "winner")
    assert winner["name"] == "台州市路桥建设工程有限公司" and winner["amount_yuan"] == 12683500.0
    assert _by_role(r, "purchaser")[0]["name"] == "台州市黄岩区交通运输局"


def test_jiafang_yifang_contract_labels():
    body = "<p>采购人（甲方）：湖州市吴兴区机关事务管理中心</p><p>供应商（乙方）：湖州安吉竹韵家具有限公司</p><p>合同金额：45800元</p>"
    r = extract_page(_html(body), "http://x/a/27.htm", kind="procurement_award")
    assert _by_role(r, "purchaser")[0]["name"] == "湖州市吴兴区机关事务管理中心"
    [winner] = _by_role(r, "winner")
    assert winner["name"] == "湖州安吉竹韵家具有限公司" and winner["amount_yuan"] == 45800.0
    assert not r.unused_labels


@pytest.mark.parametrize("amount_html, expected", [
    ("<p>中标金额：大写：壹佰贰拾万零伍佰元整；小写：1,200,500.00元</p>", 1200500.0),
    ("<p>中标金额：</p><p>大写：人民币捌万元整</p><p>小写：¥80000.00</p>", 80000.0),
    ("<table><tr><td>成交金额</td><td>大写：人民币玖万玖仟伍佰伍拾元整（小写：¥99550.00）</td></tr></table>", 99550.0),
])
def test_amount_written_in_words_and_figures(amount_html, expected):
    body = f"<p>中标供应商名称：丽水瓯江环境工程有限公司</p>{amount_html}"
    r = extract_page(_html(body), "http://x/a/28.htm", kind="procurement_award")
    assert _by_role(r, "winner")[0]["amount_yuan"] == expected
    assert "小写" not in r.unused_labels and "大写" not in r.unused_labels


@pytest.mark.parametrize("label, field", [
    ("采购人（甲方）", "purchaser_name"), ("供应商名称（盖章）", "winner_name"), ("中标人(联合体牵头人)", "winner_name"),
    ("中标（成交）供应商名称", "winner_name"), ("中标（成交）金额", "amount"), ("县（市、区）", "district"), ("更新时间", "updated_at"),
])
def test_labels_with_bracketed_notes(label, field):
    assert field_for(label)[0] == field


# --- names and directory dates -----------------------------------------------------------------

@pytest.mark.parametrize("raw, name", [
    ("宁波维康塑料制品有限公司\u3000", "宁波维康塑料制品有限公司"),
    ("\u00a0\u3000宁波维康塑料制品有限公司\u00a0", "宁波维康塑料制品有限公司"),
    ("\ufeff宁波维康 塑料制品有限公司\u200b", "宁波维康 塑料制品有限公司"),  # inner space as written
    ("宁波维康\u3000塑料制品有限公司", "宁波维康\u3000塑料制品有限公司"),
    ("麦田环保科技（杭州）有限责任公司（不变）", "麦田环保科技（杭州）有限责任公司"),
])
def test_names_trimmed_at_both_ends_only(raw, name):
    assert clean_name(raw) == name


def test_chamber_anchor_names_with_padding_are_trimmed():
    body = ("<h2>会员单位</h2><table><tr><td><a title='\u3000宁波维康塑料制品有限公司\u3000'>\u3000宁波维康塑料制品有限公司\u3000</a>"
            "[<font>北仑</font>]</td><td><a title='宁波甬新电器有限公司&nbsp;'>宁波甬新电器有限公司&nbsp;</a>[<font>慈溪</font>]</td></tr></table>"
            "<p>主办单位：宁波市温州商会\u3000\u3000技术支持：某某信息技术有限公司</p><p>2026-03-01</p>")
    r = extract_page(_html(body), "http://x/d/9.htm", kind="directory")
    assert [(m["name"], m["district"]) for m in r.mentions] == [("宁波维康塑料制品有限公司", "北仑"), ("宁波甬新电器有限公司", "慈溪")]
    assert r.notice["published_at"] is None  # an unlabelled date at the foot is not a publication date


def test_park_detail_uses_labelled_update_date_only():
    body = ("<table><tr><th>企业名称</th><td>宁波智联科技有限公司</td></tr><tr><th>入驻时间</th><td>2023-06-15</td></tr>"
            "<tr><th>成立日期</th><td>2019-01-02</td></tr></table><p>更新时间：2026-01-05</p>")
    r = extract_page(_html(body), "http://x/p/9.htm", kind="directory")
    [tenant] = r.mentions
    assert tenant["published_at"] == "2026-01-05" and tenant["extra"]["joined_at"] == "2023-06-15"
