"""demo_ggzy_candidates (中标候选人公示), demo_zj_tender (招标公告), demo_grid_ecp (SPA + JSON API + attachments)."""

from __future__ import annotations

import io
import json
import math
import random
from datetime import date, datetime, timedelta

import xlsxwriter

from demo.cjkpdf import CjkPdf
from demo.companies import short_city
from demo.sitekit import (
    Namer,
    Pools,
    Site,
    Truth,
    chrome,
    cms_list_name,
    list_page,
    person,
    phone,
    random_date,
    random_time,
)

# ----------------------------------------------------------------------------------------------
# 公共资源交易中心: Word-exported label/value tables.

GGZY = "demo_ggzy_candidates"
GGZY_BASE = "/ggzy/jyxx/zbhxrgs"
GGZY_SITE = "浙江省公共资源交易中心"
WORKS = ["道路提升改造工程", "农村生活污水治理工程", "学校综合楼新建工程", "河道综合整治工程",
         "老旧小区改造工程", "安置房配套工程", "体育公园建设工程", "排涝站改造工程"]
XLSX_CREATED = datetime(2026, 11, 30, 9, 0, 0)


def _spaced(label: str) -> str:
    return " ".join(label)


def _word_cell(text: str, width: int = 120) -> str:
    return (f'<td width="{width}" valign="top" style="border:solid windowtext 1.0pt;padding:0cm 5.4pt">'
            f'<p class="MsoNormal"><span style="font-size:10.5pt;font-family:宋体"><font face="宋体">{text}'
            f'</font></span><span lang="EN-US"><o:p></o:p></span></p></td>')


def _spaced_number(value_wan: float) -> str:
    text = f"{value_wan:.3f}"
    whole, frac = text.split(".")
    return f"{whole} . {frac}"


def build_ggzy(site: Site, truth: Truth, pools: Pools, *, seed: int, scale: int) -> dict:
    rng = random.Random(f"{seed}:{GGZY}")
    n = Namer(truth, GGZY, rng)
    count = 25 * scale
    entries = []
    serial = 5_100_000
    for index in range(count):
        serial += rng.randint(3, 60)
        day = random_date(rng, date(2026, 6, 1), date(2026, 11, 25))
        url = f"{GGZY_BASE}/{day:%Y%m}/t{day:%Y%m%d}_{serial}.html"
        owner = rng.choice(pools.purchasers)
        agent = rng.choice(pools.agents)
        candidates = rng.sample(pools.ggzy, 3)
        control = float(rng.randint(80, 3000) * 10_000)
        prices = sorted(round(control * rng.uniform(0.86, 0.97), -1) for _ in range(3))
        project = f"{short_city(owner.city)}市{owner.district}{rng.choice(WORKS)}"
        code = f"A33{owner.district[:1]}{day:%Y%m}{serial % 10000:04d}"
        o_name = n(owner, url, "purchaser", messy=0.1)
        a_name = n(agent, url, "agent", messy=0.1)
        four_col = index % 2 == 0
        rows = []
        if four_col:
            rows.append((_spaced("项目名称"), project, _spaced("项目编号"), code))
            rows.append((_spaced("招标人"), o_name, _spaced("招标代理"), a_name))
            rows.append(("招标控制价（元）", f"{control:.0f}", _spaced("开标时间"), f"{day - timedelta(days=5):%Y-%m-%d} 09:30"))
        else:
            rows += [(_spaced("项目名称"), project), (_spaced("项目编号"), code), (_spaced("建设单位"), o_name),
                     (_spaced("招标代理"), a_name), ("招标控制价（元）", f"{control:.0f}")]
        winners = []
        for rank, (cand, price) in enumerate(zip(candidates, prices), start=1):
            label = {1: "第一中标候选人", 2: "第二中标候选人", 3: "第三中标候选人"}[rank]
            if rank == 1 and rng.random() < 0.5:
                label = _spaced("拟中标人")
            name = n(cand, url, "candidate", rank=rank, amount_yuan=price)
            show_code = rng.random() < 0.6
            if four_col:
                rows.append((label, name, _spaced("中标金额") + "（万元）", _spaced_number(price / 10_000)))
                if show_code:
                    rows.append(("工商注册号", cand.uscc, _spaced("项目经理"), person(rng)))
            else:
                rows.append((label, name))
                rows.append((_spaced("投标报价") + "（万元）", _spaced_number(price / 10_000)))
                if show_code:
                    rows.append(("工商注册号", cand.uscc))
            winners.append({"gold_id": cand.gold_id, "rank": rank, "amount_yuan": price,
                            "uscc_shown": show_code})
        end = day + timedelta(days=2)
        rows.append((_spaced("公示期"), f"{day.year} 年 {day.month} 月 {day.day} 日—— {end.year} 年 {end.month} 月 {end.day} 日")
                    + (("", "") if four_col else ()))
        trs = "\n".join(
            "<tr>" + "".join(_word_cell(c, 120 if i % 2 == 0 else 200) if not (four_col and len(r) == 4 and i == 3 and c == "")
                             else _word_cell(c) for i, c in enumerate(r)) + "</tr>"
            for r in rows)
        title = f"{project}中标候选人公示"
        body = f"""<div class="ewb-article"><h3 class="ewb-article-tt">{title}</h3>
<p class="ewb-article-sources">【信息时间：{day:%Y-%m-%d}】【来源：{GGZY_SITE}】</p>
<div class="ewb-article-info"><div class="WordSection1" style="layout-grid:15.6pt">
<p class="MsoNormal" align="center" style="text-align:center"><b><span style="font-size:16pt;font-family:黑体">{title}<o:p></o:p></span></b></p>
<table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse;border:none">
{trs}
</table>
<p class="MsoNormal"><span style="font-family:宋体">各有关当事人对中标候选人有异议的，应当在公示期内向招标人提出。<o:p></o:p></span></p>
</div></div></div>"""
        entries.append((url, title, day, body))
        truth.notices.append({"source": GGZY, "url": url, "title": title, "published_at": day.isoformat(),
                              "project_code": code, "project_name": project, "purchaser": owner.gold_id,
                              "agent": agent.gold_id, "control_price_yuan": control, "candidates": winners,
                              "is_correction": False, "supersedes": None, "duplicate_of": None})
    entries.sort(key=lambda e: (e[2], e[0]), reverse=True)
    for url, title, _day, body in entries:
        site.write_html(url, chrome(title, body, site_name=GGZY_SITE, nav="交易信息 &gt; 中标候选人公示"))
    pages = math.ceil(len(entries) / 15)
    for page in range(pages):
        items = [(u, t, d.isoformat()) for u, t, d, _ in entries[page * 15:(page + 1) * 15]]
        site.write_html(f"{GGZY_BASE}/{cms_list_name(page)}",
                        list_page(items, title="中标候选人公示", site_name=GGZY_SITE, page=page, pages=pages,
                                  name_of=cms_list_name, ul_class="ewb-list"))
    return {"start": f"{GGZY_BASE}/index.htm", "list_pages": pages, "detail_pages": len(entries)}


# ----------------------------------------------------------------------------------------------
# 招标公告 (tender notices): purchasers, budgets, deadlines, lots.

TENDER = "demo_zj_tender"
TENDER_BASE = "/zfcg/cggg"
TENDER_SITE = "浙江政府采购网"


def build_tender(site: Site, truth: Truth, pools: Pools, *, seed: int, scale: int) -> dict:
    rng = random.Random(f"{seed}:{TENDER}")
    n = Namer(truth, TENDER, rng, messy=0.1)
    entries = []
    serial = 4_200_000
    for _ in range(30 * scale):
        serial += rng.randint(2, 50)
        day = random_date(rng, date(2026, 6, 1), date(2026, 11, 28))
        url = f"{TENDER_BASE}/{day:%Y%m}/t{day:%Y%m%d}_{serial}.htm"
        p = rng.choice(pools.purchasers)
        a = rng.choice(pools.agents)
        p_name = n(p, url, "purchaser")
        a_name = n(a, url, "agent")
        item = rng.choice(["医疗设备", "物业管理服务", "信息化建设", "食堂食材配送", "教学设备", "绿化养护服务"])
        project = f"{p.name}{item}采购项目"
        code = f"ZJCG{day:%Y%m}-{serial % 100000:05d}"
        n_lots = rng.randint(1, 3)
        lots, total = [], 0.0
        for lot in range(1, n_lots + 1):
            budget = float(rng.randint(10, 400) * 10_000)
            total += budget
            lots.append(f"<tr><td>{lot}</td><td>{item}（标项{lot}）</td><td>1</td><td>{budget:.2f}</td>"
                        f"<td>{budget * 0.98:.2f}</td></tr>")
        deadline = random_time(rng, day + timedelta(days=rng.randint(20, 30)))
        sme = rng.random() < 0.6
        title = f"{project}的公开招标公告"
        body = f"""<div class="article"><h1 class="art-title">{title}</h1>
<div class="art-info">发布时间：{day:%Y-%m-%d}　　来源：{TENDER_SITE}</div>
<div class="art-content">
<p>项目概况</p>
<p>{item}招标项目的潜在投标人应在政采云平台线上获取招标文件，并于{deadline:%Y年%m月%d日 %H:%M}（北京时间）前递交投标文件。</p>
<p><strong>一、项目基本情况</strong></p>
<p>项目编号：{code}</p>
<p>项目名称：{project}</p>
<p>预算金额（元）：{total:.2f}</p>
<p>最高限价（元）：{total * 0.98:.2f}</p>
<p>采购需求：</p>
<table border="1" cellspacing="0"><tr><th>标项</th><th>标项名称</th><th>数量</th><th>预算金额（元）</th><th>最高限价（元）</th></tr>
{''.join(lots)}</table>
<p>合同履约期限：自合同签订之日起1年。</p>
<p>本项目（否）接受联合体投标。</p>
<p><strong>二、申请人的资格要求</strong></p>
<p>1.满足《中华人民共和国政府采购法》第二十二条规定；</p>
<p>2.落实政府采购政策需满足的资格要求：{'本项目专门面向中小企业采购。' if sme else '无。'}</p>
<p><strong>三、获取招标文件</strong></p><p>时间：/至{deadline:%Y年%m月%d日}，地点：政采云平台。</p>
<p><strong>四、提交投标文件截止时间、开标时间和地点</strong></p>
<p>投标截止时间：{deadline:%Y年%m月%d日 %H:%M}</p>
<p><strong>五、对本次采购提出询问、质疑、投诉，请按以下方式联系</strong></p>
<p>1.采购人信息</p><p>名 称：{p_name}</p><p>地 址：{p.address}</p><p>传 真：/</p><p>项目联系人：{person(rng)}</p><p>项目联系方式：{phone(rng)}</p>
<p>2.采购代理机构信息</p><p>名 称：{a_name}</p><p>地 址：{a.address}</p><p>项目联系人：{person(rng)}</p><p>项目联系方式：{phone(rng)}</p>
</div></div>"""
        entries.append((url, title, day, body))
        truth.notices.append({"source": TENDER, "url": url, "title": title, "published_at": day.isoformat(),
                              "project_code": code, "project_name": project, "purchaser": p.gold_id,
                              "agent": a.gold_id, "budget_yuan": total, "sme_only": sme,
                              "deadline": deadline.isoformat(), "is_correction": False, "supersedes": None,
                              "duplicate_of": None})
    entries.sort(key=lambda e: (e[2], e[0]), reverse=True)
    for url, title, _day, body in entries:
        site.write_html(url, chrome(title, body, site_name=TENDER_SITE, nav="政府采购 &gt; 采购公告"))
    pages = math.ceil(len(entries) / 20)
    for page in range(pages):
        items = [(u, t, d.isoformat()) for u, t, d, _ in entries[page * 20:(page + 1) * 20]]
        site.write_html(f"{TENDER_BASE}/{cms_list_name(page)}",
                        list_page(items, title="采购公告", site_name=TENDER_SITE, page=page, pages=pages,
                                  name_of=cms_list_name))
    return {"start": f"{TENDER_BASE}/index.htm", "list_pages": pages, "detail_pages": len(entries)}


# ----------------------------------------------------------------------------------------------
# State-grid-style electronic commerce platform: SPA shell + POST JSON list API + attachments.

GRID = "demo_grid_ecp"
GRID_SITE = "国网浙江省电力有限公司电子商务平台"
MENU_AWARD = "2018060501171111"      # 中标（成交）结果公告
MENU_TENDER = "2018032700291334"     # 招标公告
MENU_CANDIDATE = "2018032900295987"  # 推荐中标候选人公示
GRID_GOODS = ["10kV柱上开关", "配电箱", "电力电缆", "低压电缆分支箱", "电能计量箱", "线路金具", "绝缘子",
              "配网工程施工", "输变电工程监理", "营销服务外包"]


def xlsx_bytes(build) -> bytes:
    """An xlsx built by `build(workbook)`, with fixed metadata so the bytes are reproducible."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.set_properties({"created": XLSX_CREATED, "author": "tuoke demo"})
    build(workbook)
    workbook.close()
    return buffer.getvalue()


def build_grid(site: Site, truth: Truth, pools: Pools, *, seed: int, scale: int) -> dict:
    rng = random.Random(f"{seed}:{GRID}")
    n = Namer(truth, GRID, rng)
    notes: dict[str, list[dict]] = {MENU_AWARD: [], MENU_TENDER: [], MENU_CANDIDATE: []}
    attachments = 0
    for index in range(14 * scale):
        day = random_date(rng, date(2026, 6, 1), date(2026, 11, 28))
        notice_id = f"{day:%Y%m%d}{rng.randint(10_000_000, 99_999_999)}"
        batch = f"国网浙江省电力有限公司2026年第{index + 1}次物资类协议库存招标采购"
        title = f"{batch}中标（成交）结果公告"
        detail = f"/ecp/notice/{notice_id}.html"
        rows, winners = [], []
        for lot_no in range(1, rng.randint(3, 7)):
            fenbiao = f"分标{rng.randint(1, 4):02d}：{rng.choice(GRID_GOODS)}"
            winner = rng.choice(pools.grid)
            amount_wan = round(rng.uniform(12, 900), 4)
            name = n(winner, detail, "winner", lot=f"包{lot_no}", amount_yuan=round(amount_wan * 10_000, 2))
            rows.append([fenbiao, f"包{lot_no}", name, amount_wan])
            winners.append({"gold_id": winner.gold_id, "lot": f"包{lot_no}", "amount_yuan": round(amount_wan * 10_000, 2)})

        def build_book(wb, rows=rows, title=title):
            bold = wb.add_format({"bold": True, "align": "center", "border": 1})
            cell = wb.add_format({"border": 1})
            ws = wb.add_worksheet("中标结果")
            ws.merge_range(0, 0, 0, 3, title, bold)
            for col, head in enumerate(["分标", "包号", "中标人", "中标金额（万元）"]):
                ws.write(1, col, head, bold)
            for r, row in enumerate(rows, start=2):
                for col, value in enumerate(row):
                    ws.write(r, col, value, cell)
            ws.set_column(0, 0, 30)
            ws.set_column(2, 2, 40)

        xlsx_path = site.write_bytes(f"/ecp/attachment/{notice_id}/zbjg_{notice_id}.xlsx", xlsx_bytes(build_book),
                                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        links = [f'<li><a href="{xlsx_path}" class="file">{batch}中标结果.xlsx</a></li>']
        attachments += 1
        if index % 3 == 0:
            pdf = CjkPdf(title)
            pdf.add_page()
            pdf.text(40, 50, title[:30], 12)
            if len(title) > 30:
                pdf.text(40, 68, title[30:], 12)
            pdf.table(40, 90, [150, 50, 230, 85], [["分标", "包号", "中标人", "中标金额（万元）"]] +
                      [[r[0], r[1], r[2].strip(), f"{r[3]:.4f}"] for r in rows])
            pdf_path = site.write_bytes(f"/ecp/attachment/{notice_id}/zbjg_{notice_id}.pdf", pdf.output(),
                                        "application/pdf")
            links.append(f'<li><a href="{pdf_path}" class="file">{batch}中标结果.pdf</a></li>')
            attachments += 1
        body = f"""<div class="notice-detail"><h2>{title}</h2>
<p class="meta">发布时间：{day:%Y-%m-%d}　发布单位：国网浙江省电力有限公司物资分公司</p>
<div class="content"><p>{batch}已完成评标工作，现将中标（成交）结果公告如下：</p>
<p>中标（成交）结果详见附件。</p></div>
<ul class="attachments">{''.join(links)}</ul></div>"""
        site.write_html(detail, chrome(title, body, site_name=GRID_SITE, nav="中标（成交）结果公告"))
        notes[MENU_AWARD].append({"noticeId": notice_id, "title": title, "publishOrgName": "国网浙江省电力有限公司",
                                  "noticePublishTime": f"{day:%Y-%m-%d} {rng.randint(8, 20):02d}:00:00"})
        truth.notices.append({"source": GRID, "url": detail, "notice_id": notice_id, "title": title,
                              "published_at": day.isoformat(), "winners": winners, "is_correction": False,
                              "supersedes": None, "duplicate_of": None})
    for index in range(9 * scale):
        day = random_date(rng, date(2026, 6, 1), date(2026, 11, 28))
        notes[MENU_TENDER].append({"noticeId": f"{day:%Y%m%d}{rng.randint(10_000_000, 99_999_999)}",
                                   "title": f"国网浙江省电力有限公司2026年第{index + 1}次服务类招标采购招标公告",
                                   "publishOrgName": "国网浙江省电力有限公司",
                                   "noticePublishTime": f"{day:%Y-%m-%d} 10:00:00"})
    for menu_notes in notes.values():
        menu_notes.sort(key=lambda x: (x["noticePublishTime"], x["noticeId"]), reverse=True)
    site.write_bytes("/_api/ecp_notes.json", json.dumps(notes, ensure_ascii=False, sort_keys=True).encode(),
                     "application/json")
    shell = f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{GRID_SITE}</title>
<link href="/ecp/static/css/app.3b1f0c.css" rel="stylesheet"></head>
<body><noscript><strong>很抱歉，如果没有 JavaScript 支持，{GRID_SITE}将不能正常工作。请启用浏览器的 JavaScript 然后继续。</strong></noscript>
<div id="app"></div>
<script>window.__ECP_CONFIG__={{"api":"/ecp/api/noteList","menus":{{"zbgg":"{MENU_TENDER}","hxrgs":"{MENU_CANDIDATE}","zbjggg":"{MENU_AWARD}"}}}};</script>
<script src="/ecp/static/js/chunk-vendors.8d2e1a.js"></script><script src="/ecp/static/js/app.5c7e9f.js"></script>
</body></html>"""
    site.write_html("/ecp/page/index.html", shell)
    return {"start": "/ecp/page/index.html", "api": "/ecp/api/noteList", "menu_award": MENU_AWARD,
            "detail_pages": len(notes[MENU_AWARD]), "attachments": attachments,
            "api_total": {k: len(v) for k, v in notes.items()}}
