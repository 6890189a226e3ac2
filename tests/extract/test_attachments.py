"""Spreadsheet / CSV attachments: header found by text, merged cells filled, one sheet per city."""

from scrapers.extract import extract_attachment

USCC = "91330200MA2H1234XY"


def test_srdi_xlsx_title_row_two_row_header_and_merged_region(make_xlsx):
    body = make_xlsx({"Sheet1": [
        ["2025年省级专精特新中小企业名单", None, None, None, None],
        ["序号", "企业名称", "所在地区", None, "统一社会信用代码"],
        [None, None, "市", "县（市、区）", None],
        [1, "宁波精达成形装备股份有限公司", "宁波市", "江北区", USCC],
        [2, "宁波天龙电子股份有限公司", None, "北仑区", None],
    ]}, merges=["A1:E1", "C2:D2", "C4:C5"])
    r = extract_attachment(body, "附件1.xlsx", kind="srdi_list")
    assert [m["name"] for m in r.mentions] == ["宁波精达成形装备股份有限公司", "宁波天龙电子股份有限公司"]
    assert r.mentions[0]["list_name"] == "2025年省级专精特新中小企业名单"
    assert r.mentions[1]["region"] == "宁波市" and r.mentions[1]["district"] == "北仑区"
    assert r.mentions[0]["uscc"] == USCC and r.mentions[0]["role"] == "listed"


def test_one_sheet_per_city_uses_sheet_name_as_region(make_xlsx):
    header = ["序号", "企业名称", "主导产品"]
    body = make_xlsx({"杭州市": [header, [1, "杭州甲科技有限公司", "芯片"]], "温州市": [header, [1, "温州乙电气有限公司", "开关"]]})
    r = extract_attachment(body, "名单.xlsx", kind="srdi_list")
    assert {(m["name"], m["region"]) for m in r.mentions} == {("杭州甲科技有限公司", "杭州市"), ("温州乙电气有限公司", "温州市")}


def test_winner_list_xlsx_lots_and_amounts(make_xlsx):
    body = make_xlsx({"Sheet1": [
        ["国网某某公司2026年第一批物资招标采购推荐中标人公示"],
        ["分标编号", "包号", "中标人", "中标金额（万元）"],
        ["SG01", "包1", "宁波电缆有限公司", "120.5"],
        ["SG01", "包2", "流标", None],
        ["SG01", "包3", "浙江开关有限公司", "88"],
    ]})
    r = extract_attachment(body, "中标人.xlsx", kind="winner_list")
    assert [(m["role"], m["name"], m["lot"], m["amount_yuan"]) for m in r.mentions] == [
        ("winner", "宁波电缆有限公司", "SG01/包1", 1205000.0), ("winner", "浙江开关有限公司", "SG01/包3", 880000.0)]


def test_gbk_csv_with_header_below_title():
    text = "某某市专精特新企业名单\n序号,企业名称,所在地区\n1,宁波甲有限公司,宁波市\n"
    r = extract_attachment(text.encode("gbk"), "list.csv", kind="srdi_list")
    assert [m["name"] for m in r.mentions] == ["宁波甲有限公司"]


def test_unmapped_attachment_header_is_unused_label(make_xlsx):
    body = make_xlsx({"Sheet1": [["序号", "企业名称", "奇怪的新列"], [1, "宁波甲有限公司", "x"]]})
    r = extract_attachment(body, "a.xlsx", kind="srdi_list")
    assert "奇怪的新列" in r.unused_labels
