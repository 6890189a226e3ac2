"""Hand-made pages shaped like real portals, one per kind and per award layout."""

from scrapers.extract import extract_page


def _by_role(result, role):
    return [m for m in result.mentions if m["role"] == role]


def test_national_layout_winner_with_address_amount_and_uscc(page_bytes):
    r = extract_page(page_bytes("award_national.html"), "http://x/a/1.htm", kind="procurement_award")
    [winner] = _by_role(r, "winner")
    assert winner["name"] == "宁波甬康医疗器械有限公司"
    assert winner["amount_yuan"] == 6687920.0 and winner["uscc"] == "91330200MA2H1234XY"
    assert winner["address"].startswith("宁波市鄞州区")
    assert r.notice["project_code"] == "NBZC-2025-0123" and r.notice["published_at"] == "2025-05-27"
    assert r.attachment_links == ["http://x/upload/2025/05/中标结果明细.xlsx"]


def test_national_layout_losing_bidders_keep_their_price(page_bytes):
    r = extract_page(page_bytes("award_national.html"), "http://x/a/1.htm", kind="procurement_award")
    assert {(m["name"], m["amount_yuan"]) for m in _by_role(r, "bidder")} == {
        ("杭州康达医疗科技有限公司", 6890000.0), ("浙江华瑞医疗设备有限公司", 7010500.0)}


def test_award_names_purchaser_and_agent_branch(page_bytes):
    r = extract_page(page_bytes("award_national.html"), "http://x/a/1.htm", kind="procurement_award")
    assert _by_role(r, "purchaser")[0]["name"] == "宁波市某某医院"
    assert _by_role(r, "agent")[0]["name"].endswith("宁波分公司")


def test_old_gbk_layout_finds_winner_after_placeholder(page_bytes):
    r = extract_page(page_bytes("award_old_gbk.html"), "http://x/a/2.htm", kind="procurement_award")
    [winner] = _by_role(r, "winner")
    assert winner["name"] == "宁海县洁美物业服务有限公司" and winner["amount_yuan"] == 99550.0
    assert r.notice["published_at"] == "2026-10-27"


def test_lot_table_one_winner_per_lot_and_failed_lot_has_none(page_bytes):
    r = extract_page(page_bytes("award_lots.html"), "http://x/a/3.htm", kind="procurement_award")
    winners = {m["lot"]: m for m in _by_role(r, "winner")}
    assert set(winners) == {"1", "2", "4"}
    assert winners["1"]["amount_yuan"] == 1280000.0
    assert winners["2"]["amount_yuan"] is None and winners["2"]["extra"]["rate"] == 850.0
    assert winners["4"]["amount_yuan"] is None
    assert r.notice["failed_lots"][0]["lot"] == "3"
    assert not [p for p in r.problems if p[0] == "no_winner"]


def test_candidate_notice_ranks_candidates_and_reads_spaced_wanyuan(page_bytes):
    r = extract_page(page_bytes("candidate_word.html"), "http://x/c/1.htm", kind="candidate_notice")
    candidates = sorted(_by_role(r, "candidate"), key=lambda m: m["rank"])
    assert [m["rank"] for m in candidates] == [1, 2, 3]
    assert candidates[0]["amount_yuan"] == 2215330.0
    assert candidates[0]["uscc"] == "91330282MA2AB12CXE"  # printed under 工商注册号
    assert not _by_role(r, "winner")
    assert r.notice["project_name"] == "某某区道路改造工程"


def test_tender_notice_purchaser_budget_deadline_sme_lots(page_bytes):
    r = extract_page(page_bytes("tender_notice.html"), "http://x/t/1.htm", kind="tender_notice")
    [buyer] = _by_role(r, "purchaser")
    assert buyer["name"] == "某某市第一中学" and buyer["amount_yuan"] == 1205000.0
    assert buyer["extra"]["deadline"] == "2026-03-23T09:30"
    assert buyer["extra"]["sme_set_aside"] is True
    assert [lot["lot"] for lot in buyer["extra"]["lots"]] == ["1", "2"]


def test_srdi_html_table_lists_with_list_name_and_merged_region(page_bytes):
    r = extract_page(page_bytes("srdi_list.html"), "http://x/s/1.htm", kind="srdi_list")
    listed = _by_role(r, "listed")
    assert len(listed) == 3
    assert listed[1]["region"] == "宁波市"  # rowspan
    assert listed[0]["list_name"] == "2025年省级专精特新中小企业名单"


def test_chamber_members_get_tier_and_district_tag(page_bytes):
    r = extract_page(page_bytes("directory_chamber.html"), "http://x/d/1.htm", kind="directory")
    members = {m["name"]: m for m in _by_role(r, "member")}
    assert members["宁波某某电器有限公司"]["district"] == "慈溪"
    assert all(m["tier"] == "副会长单位" for m in members.values())
    assert "首页" not in members and len(members) == 4


def test_park_detail_page_is_one_tenant_with_code_and_industry(page_bytes):
    r = extract_page(page_bytes("park_detail.html"), "http://x/p/1.htm", kind="directory")
    [tenant] = _by_role(r, "tenant")
    assert tenant["uscc"] == "91330206MA2EF678X2" and tenant["industry"] == "软件和信息技术服务业"
    assert tenant["extra"]["joined_at"] == "2023-06-15"
    assert tenant["published_at"] is None  # 入驻时间 is not a publication date


def test_park_cards_give_one_tenant_per_card(page_bytes):
    r = extract_page(page_bytes("park_cards.html"), "http://x/p/2.htm", kind="directory")
    assert [m["name"] for m in _by_role(r, "tenant")] == ["宁波云帆信息技术有限公司", "宁波海纳新材料有限公司"]


def test_negative_list_penalty_type_from_title_and_lifted_status(page_bytes):
    r = extract_page(page_bytes("negative_list.html"), "http://x/n/1.htm", kind="negative_list")
    rows = {m["name"]: m for m in _by_role(r, "penalized")}
    assert all(m["penalty_type"] == "失信被执行人" for m in rows.values())
    assert rows["宁波某某建材有限公司"]["status"] == "active"
    assert rows["某某县某某五金加工厂"]["status"] == "lifted"
    assert rows["宁波某某建材有限公司"]["authority"] == "某某区人民法院"
    assert rows["宁波某某建材有限公司"]["published_at"] == "2026-02-03"


def test_correction_notice_supersedes_original_project_code(page_bytes):
    r = extract_page(page_bytes("correction.html"), "http://x/a/9.htm", kind="procurement_award")
    assert r.notice["is_correction"] is True and r.notice["supersedes"] == "HS-2026-077"
    assert _by_role(r, "winner")[0]["amount_yuan"] == 120000.0


def test_every_mention_has_every_contract_key(page_bytes):
    from scrapers.extract import MENTION_KEYS

    r = extract_page(page_bytes("award_lots.html"), "http://x/a/3.htm", kind="procurement_award")
    assert all(set(MENTION_KEYS) <= set(m) for m in r.mentions)


def test_selectors_in_config_override_generic_winner(page_bytes):
    config = {"detail": {"selectors": {"winner_name": "div.paste p:last-child::text"}}}
    body = b"<html><body><p>\xe4\xb8\xad\xe6\xa0\x87\xe4\xba\xba\xef\xbc\x9a\xe7\x94\xb2\xe6\x9c\x89\xe9\x99\x90\xe5\x85\xac\xe5\x8f\xb8</p>" \
           + "<div class=paste><p>乙有限公司</p></div></body></html>".encode()
    r = extract_page(body, "http://x/1", kind="procurement_award", config=config)
    assert [m["name"] for m in _by_role(r, "winner")] == ["乙有限公司"]


def test_selectors_reach_extraction_as_a_spider_passes_them():
    """A spider hands extract_page its source's `detail` block (flat), not the whole source: the
    YAML's selectors must still apply (they were silently ignored in crawls before)."""
    from types import SimpleNamespace

    from scrapers.spiders.base import SourceSpider

    source = SimpleNamespace(id="t", region="浙江", detail={"selectors": {"winner_name": "div.paste p:last-child::text"}})
    config = SourceSpider.extract_config(SimpleNamespace(source=source), tier=None)
    body = "<html><body><p>中标人：甲有限公司</p><div class=paste><p>乙有限公司</p></div></body></html>".encode()
    r = extract_page(body, "http://x/1", kind="procurement_award", config=config)
    assert [m["name"] for m in _by_role(r, "winner")] == ["乙有限公司"]
