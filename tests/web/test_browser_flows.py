"""The flows a marketing team and an RM go through, in real Chromium against a real `tuoke serve`
on a real demo warehouse: sign in, filter and open a prospect, download the list, record a
disposition and see the next build apply it; and the guards (territory, CSRF, escaping), each
with a test that fails when the guard is removed."""

from __future__ import annotations

import io
import re
import sqlite3

import openpyxl
from web_world import SCRIPT_NAME, login, screenshot

CIXI = ("cixi_rm", "cixi-demo-pass")
HZ = ("hz_rm", "hz-demo-pass")
HQ = ("hq", "hq-demo-pass")


def _ops_rows(world, sql: str) -> list[tuple]:
    con = sqlite3.connect(world.data / "ops" / "ops.sqlite")
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _ids_on_list(page) -> list[str]:
    return [href.rsplit("/", 1)[-1] for href in page.eval_on_selector_all(
        "a.prospect-link", "els => els.map(e => e.getAttribute('href'))")]


def test_sign_in_refuses_a_wrong_password_then_shows_the_dashboard(page, web_world):
    page.goto(web_world.url + "/prospects")
    assert page.url.startswith(web_world.url + "/login")
    page.fill("input[name=username]", "hz_rm")
    page.fill("input[name=password]", "wrong")
    page.click("button[type=submit]")
    assert "用户名或密码错误" in page.inner_text(".error")
    login(page, web_world, *HQ)
    assert page.locator("h1").inner_text().startswith("机构看板")
    cookie = next(c for c in page.context.cookies() if c["name"] == "tuoke_session")
    assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Strict"
    # two builds recorded: the company the new payroll export names moved up, and the page says why
    mover = page.locator("table.movers tr", has=page.locator(f"a[href='/prospects/{web_world.moved_company}']"))
    assert mover.count() == 1
    assert "新信号：代发工资单位" in mover.locator("td").nth(3).inner_text()
    screenshot(page, "dashboard")


def test_filter_search_and_open_a_prospect(page, web_world):
    login(page, web_world, *HQ)
    page.goto(web_world.url + "/prospects")
    total_all = int(page.inner_text(".count b"))
    page.select_option("select[name=branch]", "杭州分行")
    page.wait_for_function(f"document.querySelector('.count b').innerText != '{total_all}'")
    assert "branch=" in page.url  # htmx pushed the filter into the URL
    branches = page.eval_on_selector_all("table.prospects tbody tr td:nth-child(3)", "els => els.map(e => e.innerText)")
    assert branches and set(branches) == {"杭州分行"}
    screenshot(page, "list")
    first_name = page.locator("a.prospect-link").first.inner_text()
    page.fill("input[name=q]", first_name[2:6])
    page.wait_for_function("document.querySelectorAll('a.prospect-link').length >= 1 && "
                           f"[...document.querySelectorAll('a.prospect-link')].every(a => a.innerText.includes('{first_name[2:6]}'))")
    page.locator("a.prospect-link", has_text=first_name).first.click()
    page.wait_for_selector("#company-name")
    assert page.inner_text("#company-name") == first_name
    assert page.locator("svg.bars rect.pos, svg.bars rect.neg").count() == 6  # the 五好 chart
    assert page.locator("ol.timeline li").count() >= 1
    links = page.eval_on_selector_all("ol.timeline a", "els => els.map(e => e.href)")
    assert all(link.startswith("http") for link in links)
    screenshot(page, "prospect")


def test_download_the_current_filter_as_xlsx_and_open_it(page, web_world):
    login(page, web_world, *HQ)
    page.goto(web_world.url + "/prospects?branch=" + "宁波分行")
    shown = page.eval_on_selector_all("a.prospect-link", "els => els.map(e => e.innerText)")
    with page.expect_download() as download_info:
        page.click("#download-xlsx")
    content = open(download_info.value.path(), "rb").read()
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    names = {cell.value for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row
             if isinstance(cell.value, str)}
    assert shown and set(shown) <= names
    assert not any("杭州" in s.title for s in workbook.worksheets)  # the filter, not every branch
    audit = _ops_rows(web_world, "SELECT username, action, detail FROM audit_log WHERE action = 'download'")
    assert any(user == "hq" and "宁波分行" in detail and '"xlsx"' in detail for user, _, detail in audit)


def test_a_branch_user_cannot_open_another_branchs_prospect(page, web_world):
    login(page, web_world, *HZ)
    page.goto(web_world.url + "/prospects")
    hangzhou_id = _ids_on_list(page)[0]
    page.context.clear_cookies()
    login(page, web_world, *CIXI)
    response = page.goto(web_world.url + f"/prospects/{hangzhou_id}")
    assert response.status == 404
    response = page.goto(web_world.url + "/prospects?branch=杭州分行")
    assert response.status == 200 and page.locator("a.prospect-link").count() == 0
    export = page.request.get(web_world.url + "/prospects/export.csv?branch=杭州分行")
    assert export.status == 200 and hangzhou_id not in export.text()
    page.goto(web_world.url + "/prospects")
    assert set(page.eval_on_selector_all("table.prospects tbody tr td:nth-child(3)",
                                         "els => els.map(e => e.innerText)")) == {"慈溪支行"}


def test_a_post_without_the_csrf_token_is_refused(page, web_world):
    login(page, web_world, *CIXI)
    page.goto(web_world.url + "/prospects")
    company_id = _ids_on_list(page)[-1]
    before = _ops_rows(web_world, "SELECT count(*) FROM dispositions")[0][0]
    refused = page.request.post(web_world.url + f"/prospects/{company_id}/disposition",
                                form={"status": "contacted", "note": "forged"}, max_redirects=0)
    assert refused.status == 403
    wrong = page.request.post(web_world.url + f"/prospects/{company_id}/disposition",
                              form={"status": "contacted", "csrf_token": "guess"}, max_redirects=0)
    assert wrong.status == 403
    assert _ops_rows(web_world, "SELECT count(*) FROM dispositions")[0][0] == before
    page.goto(web_world.url + f"/prospects/{company_id}")
    token = page.get_attribute("form.disposition input[name=csrf_token]", "value")
    accepted = page.request.post(web_world.url + f"/prospects/{company_id}/disposition",
                                 form={"status": "contacted", "note": "电话", "csrf_token": token}, max_redirects=0)
    assert accepted.status == 303
    assert _ops_rows(web_world, "SELECT count(*) FROM dispositions")[0][0] == before + 1


def test_a_name_holding_a_script_tag_is_shown_as_text(page, web_world):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    login(page, web_world, *HZ)
    page.goto(web_world.url + "/prospects?q=" + "window.__xss")
    link = page.locator("a.prospect-link").first
    assert link.inner_text() == SCRIPT_NAME
    link.click()
    page.wait_for_selector("#company-name")
    assert page.inner_text("#company-name") == SCRIPT_NAME
    assert page.evaluate("window.__xss") is None and not dialogs
    assert page.locator("main script").count() == 0


def test_a_disposition_reaches_the_ranking_at_the_next_build(page, web_world):
    login(page, web_world, *HZ)
    page.goto(web_world.url + "/my")
    capacity_rows = page.locator("a.prospect-link").count()
    assert capacity_rows == 15  # hz_rm's weekly capacity
    ids = _ids_on_list(page)
    do_not_call, not_interested = ids[0], ids[1]
    for company_id, status, note in ((do_not_call, "do_not_contact", "客户要求勿扰"),
                                     (not_interested, "not_interested", "暂无融资需求")):
        page.goto(web_world.url + f"/prospects/{company_id}")
        page.check(f"input[name=status][value={status}]")
        page.fill("input[name=note]", note)
        page.click("form.disposition button[type=submit]")
        page.wait_for_selector(".notice")
        assert note in page.inner_text("tr.history")
    page.goto(web_world.url + "/my")
    assert do_not_call not in _ids_on_list(page) and not_interested not in _ids_on_list(page)

    web_world.build()  # the next build reads data/ops through the bank-state feeds

    page.goto(web_world.url + f"/prospects/{do_not_call}")
    assert page.inner_text(".badge") == "暂缓"
    flags = page.inner_text("section.card:has(h2:has-text('排除与暂缓'))")
    assert "客户要求勿扰" in flags
    page.goto(web_world.url + f"/prospects/{not_interested}")
    assert page.inner_text(".badge") == "暂缓"
    row = page.locator("tr", has_text="暂无融资需求").first
    expiry = row.locator("td").nth(3).inner_text()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", expiry)  # cooling-off ends (scoring.yaml)
    screenshot(page, "prospect-suppressed")
    page.goto(web_world.url + "/prospects?branch=杭州分行&page_size=100")
    assert do_not_call not in _ids_on_list(page) and not_interested not in _ids_on_list(page)
    audit = _ops_rows(web_world, "SELECT username, action FROM audit_log WHERE action = 'disposition'")
    assert audit.count(("hz_rm", "disposition")) >= 2
