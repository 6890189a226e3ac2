"""demo_zj_srdi (专精特新 list attachments), demo_nb_chamber, demo_hz_park, demo_credit_negative."""

from __future__ import annotations

import math
import random
from collections import defaultdict
from datetime import date

from demo.cjkpdf import CjkPdf
from demo.companies import Company, short_district
from demo.sitekit import Namer, Pools, Site, Truth, chrome, cms_list_name, list_page, random_date
from demo.src_tenders import xlsx_bytes

# ----------------------------------------------------------------------------------------------
SRDI = "demo_zj_srdi"
SRDI_BASE = "/jxt/tzgg"
SRDI_SITE = "浙江省经济和信息化厅"
SEGMENTS = ["工业软件", "智能传感器", "高端轴承", "精密模具", "新型显示材料", "医用耗材", "环保装备",
            "汽车电子", "高性能纤维", "数控机床功能部件", "检验检测服务", "工业互联网平台"]


def build_srdi(site: Site, truth: Truth, pools: Pools, *, seed: int, scale: int) -> dict:
    rng = random.Random(f"{seed}:{SRDI}")
    n = Namer(truth, SRDI, rng, messy=0.15)
    notice_url = f"{SRDI_BASE}/202609/t20260915_{rng.randint(2_000_000, 2_999_999)}.htm"
    listed = [c for c in pools.srdi if not c.is_branch]
    rng.shuffle(listed)
    in_pdf = listed[: len(listed) // 4]
    in_xlsx = listed[len(listed) // 4:]
    list_name = "2026年浙江省专精特新中小企业名单"
    xlsx_url = f"{SRDI_BASE}/202609/P020260915{rng.randint(100000, 999999)}.xlsx"
    pdf_url = f"{SRDI_BASE}/202609/P020260915{rng.randint(100000, 999999)}.pdf"

    by_city: dict[str, list[Company]] = defaultdict(list)
    for c in in_xlsx:
        by_city[c.city].append(c)
    sheets = []
    for city in sorted(by_city):
        members = sorted(by_city[city], key=lambda c: (c.district, c.gold_id))
        with_code = rng.random() < 0.6
        rows = []
        for c in members:
            name = n(c, xlsx_url, "listed", list_name=list_name)
            rows.append((name, c.city, c.district, c.uscc if with_code else None, rng.choice(SEGMENTS)))
        sheets.append((city, rows, with_code))

    def build_book(wb):
        title_fmt = wb.add_format({"bold": True, "font_size": 14, "align": "center"})
        head = wb.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter"})
        cell = wb.add_format({"border": 1, "valign": "vcenter"})
        for city, rows, with_code in sheets:
            ws = wb.add_worksheet(city)
            ncols = 6 if with_code else 5
            ws.merge_range(0, 0, 0, ncols - 1, f"{list_name}（{city}）", title_fmt)
            # Two-row header: 所在地区 spans 市 / 县（市、区）.
            ws.merge_range(1, 0, 2, 0, "序号", head)
            ws.merge_range(1, 1, 2, 1, "企业名称", head)
            ws.merge_range(1, 2, 1, 3, "所在地区", head)
            ws.write(2, 2, "市", head)
            ws.write(2, 3, "县（市、区）", head)
            col = 4
            if with_code:
                ws.merge_range(1, col, 2, col, "统一社会信用代码", head)
                col += 1
            ws.merge_range(1, col, 2, col, "细分领域", head)
            first = 3
            # Merged region cells: the city over the whole sheet, each district over its run.
            if len(rows) > 1:
                ws.merge_range(first, 2, first + len(rows) - 1, 2, city, cell)
            else:
                ws.write(first, 2, city, cell)
            start = 0
            for i in range(1, len(rows) + 1):
                if i == len(rows) or rows[i][2] != rows[start][2]:
                    if i - start > 1:
                        ws.merge_range(first + start, 3, first + i - 1, 3, rows[start][2], cell)
                    else:
                        ws.write(first + start, 3, rows[start][2], cell)
                    start = i
            for i, (name, _, _, code, segment) in enumerate(rows):
                ws.write_number(first + i, 0, i + 1, cell)
                ws.write(first + i, 1, name, cell)
                c = 4
                if with_code:
                    ws.write(first + i, c, code, cell)
                    c += 1
                ws.write(first + i, c, segment, cell)
            ws.set_column(1, 1, 42)
            ws.set_column(4, 4, 22)

    site.write_bytes(xlsx_url, xlsx_bytes(build_book),
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    pdf = CjkPdf(f"{list_name}（第二批）")
    pdf.add_page()
    pdf.text(60, 50, f"附件2  {list_name}（第二批）", 13)
    rows = [["序号", "企业名称", "所在地区", "主导产品"]]
    for i, c in enumerate(sorted(in_pdf, key=lambda c: (c.city, c.district, c.gold_id)), start=1):
        rows.append([str(i), n(c, pdf_url, "listed", list_name=f"{list_name}（第二批）").strip(),
                     f"{c.city}{c.district}", rng.choice(SEGMENTS)])
    # Enough rows and a low page bottom to break the table across pages, as real lists do.
    pdf.table(40, 70, [35, 250, 120, 110], rows, row_h=22, bottom=560 if len(rows) < 30 else 790)
    site.write_bytes(pdf_url, pdf.output(), "application/pdf")

    body = f"""<div class="article"><h1 class="art-title">关于2026年浙江省专精特新中小企业名单的公示</h1>
<div class="art-info">发布日期：2026-09-15　　信息来源：中小企业处</div>
<div class="art-content">
<p>各市经信局：</p>
<p>根据《优质中小企业梯度培育管理暂行办法》和《浙江省优质中小企业梯度培育管理实施细则》，经企业自愿申报、
各地推荐、专家评审等程序，拟认定{len(listed)}家企业为2026年浙江省专精特新中小企业，现予以公示。</p>
<p>公示时间：2026年9月15日至2026年9月21日。</p>
<p>附件：</p>
<p><a href="{xlsx_url}">1.{list_name}.xlsx</a></p>
<p><a href="{pdf_url}">2.{list_name}（第二批）.pdf</a></p>
<p><a href="{SRDI_BASE}/202609/P020260915000001.xls">3.{list_name}（旧版格式）.xls</a></p>
<p style="text-align:right">浙江省经济和信息化厅</p><p style="text-align:right">2026年9月15日</p>
</div></div>"""
    site.write_html(notice_url, chrome("关于2026年浙江省专精特新中小企业名单的公示", body, site_name=SRDI_SITE,
                                       nav="通知公告"))
    other_url = f"{SRDI_BASE}/202608/t20260820_2000001.htm"
    site.write_html(other_url, chrome("关于开展2026年度数字化改造诊断服务的通知",
                                      "<div class='article'><h1>关于开展2026年度数字化改造诊断服务的通知</h1>"
                                      "<p>各市经信局：为推进中小企业数字化转型……</p></div>",
                                      site_name=SRDI_SITE, nav="通知公告"))
    items = [(notice_url, "关于2026年浙江省专精特新中小企业名单的公示", "2026-09-15"),
             (other_url, "关于开展2026年度数字化改造诊断服务的通知", "2026-08-20")]
    site.write_html(f"{SRDI_BASE}/index.htm", list_page(items, title="通知公告", site_name=SRDI_SITE, page=0,
                                                        pages=1, name_of=cms_list_name))
    truth.notices.append({"source": SRDI, "url": notice_url, "title": "关于2026年浙江省专精特新中小企业名单的公示",
                          "published_at": "2026-09-15", "list_name": list_name,
                          "attachments": {xlsx_url: [c.gold_id for c in in_xlsx], pdf_url: [c.gold_id for c in in_pdf]},
                          "missing_attachment": f"{SRDI_BASE}/202609/P020260915000001.xls (xls: xlwt not installed; 404)",
                          "is_correction": False, "supersedes": None, "duplicate_of": None})
    return {"start": f"{SRDI_BASE}/index.htm", "notice": notice_url, "xlsx": xlsx_url, "pdf": pdf_url,
            "listed": len(listed), "sheets": len(sheets)}


# ----------------------------------------------------------------------------------------------
CHAMBER = "demo_nb_chamber"
CHAMBER_BASE = "/nbsh/hyml"
CHAMBER_SITE = "宁波市温州商会"
TIERS = [("hzdw", "会长单位", 2), ("fhzdw", "副会长单位", 7), ("lsdw", "理事单位", 14), ("hydw", "会员单位", 0)]


def build_chamber(site: Site, truth: Truth, pools: Pools, *, seed: int, scale: int) -> dict:
    rng = random.Random(f"{seed}:{CHAMBER}")
    n = Namer(truth, CHAMBER, rng, messy=0.5)
    members = list(pools.chamber)
    rng.shuffle(members)
    inspection = next(c for c in pools.purchasers if "检验中心" in c.name)
    members.insert(len(members) - 3, inspection)
    tiers_out = []
    position = 0
    for slug, tier, size in TIERS:
        chunk = members[position: position + size] if size else members[position:]
        position += len(chunk)
        url = f"{CHAMBER_BASE}/{slug}.html"
        cells = []
        for c in chunk:
            name = n(c, url, "member", tier=tier)
            if rng.random() < 0.3:
                name += " "  # trailing space inside the title attribute as well
            tag = short_district(c.district)
            cells.append(f'<td width="50%"><a title="{name}" href="javascript:;">{name}</a>'
                         f'[<font color="#999999">{tag}</font>]</td>')
        if len(cells) % 2:
            cells.append('<td width="50%">&nbsp;</td>')
        rows = "\n".join(f"<tr>{cells[i]}{cells[i + 1]}</tr>" for i in range(0, len(cells), 2))
        on = ' class="on"'
        tabs = " ".join(f'<a href="{s}.html"{on if s == slug else ""}>{t}</a>' for s, t, _ in TIERS)
        body = f"""<div class="leftnav"><h3>会员名录</h3>{tabs}</div>
<div class="rightcon"><h2 class="tit">{tier}</h2>
<table class="member" width="100%" border="0" cellspacing="0" cellpadding="6">
{rows}
</table></div>"""
        # Older association sites: GBK with the charset only in <meta>.
        site.write_html(url, chrome(f"{tier}-{CHAMBER_SITE}", body, site_name=CHAMBER_SITE, meta_charset="gbk",
                                    nav=f"会员名录 &gt; {tier}"), encoding="gbk", header_charset=slug != "hydw")
        tiers_out.append({"url": url, "tier": tier, "members": len(chunk)})
    site.write_html(f"{CHAMBER_BASE}/index.html", chrome("会员名录", "".join(
        f'<p><a href="{t["url"]}">{t["tier"]}</a></p>' for t in tiers_out), site_name=CHAMBER_SITE, nav="会员名录"))
    return {"start": f"{CHAMBER_BASE}/index.html", "tiers": tiers_out, "members": len(members)}


# ----------------------------------------------------------------------------------------------
PARK = "demo_hz_park"
PARK_BASE = "/park/qyml"
PARK_SITE = "杭州未来科技城（海创园）"
PARK_PER_PAGE = 12
PARK_MAX_PAGES = 6


def build_park(site: Site, truth: Truth, pools: Pools, *, seed: int, scale: int) -> dict:
    rng = random.Random(f"{seed}:{PARK}")
    n = Namer(truth, PARK, rng, messy=0.2)
    tenants = list(pools.park)
    pages = math.ceil(len(tenants) / PARK_PER_PAGE)
    max_pages = max(PARK_MAX_PAGES, pages + 2)
    for page in range(1, max_pages + 1):
        chunk = tenants[(page - 1) * PARK_PER_PAGE: page * PARK_PER_PAGE]
        cards = []
        for i, c in enumerate(chunk):
            qy_id = f"qy_{(page - 1) * PARK_PER_PAGE + i + 1:04d}"
            detail = f"{PARK_BASE}/detail/{qy_id}.htm"
            list_name_text = n(c, f"{PARK_BASE}/list.htm?page_index={page}", "tenant_card", messy=0.1)
            detail_name = n(c, detail, "tenant")
            status = rng.choices(["在营（开业）企业", "在营", "已迁出"], [60, 30, 10])[0]
            settled = random_date(rng, date(2014, 1, 1), date(2026, 6, 30))
            shown_code = c.uscc if rng.random() < 0.9 else "—"
            cards.append(f"""<div class="qy-card"><a href="detail/{qy_id}.htm" target="_blank"><h3>{list_name_text}</h3></a>
<p><span>所属行业：</span>{c.industry}</p><p><span>入驻时间：</span>{settled:%Y-%m}</p></div>""")
            detail_body = f"""<div class="qy-detail"><h2>{detail_name}</h2>
<table class="info-table" border="1" cellspacing="0">
<tr><th>企业名称</th><td>{detail_name}</td></tr>
<tr><th>统一社会信用代码</th><td>{shown_code}</td></tr>
<tr><th>所属行业</th><td>{c.industry}</td></tr>
<tr><th>入驻时间</th><td>{settled:%Y年%m月%d日}</td></tr>
<tr><th>企业状态</th><td>{status}</td></tr>
<tr><th>企业地址</th><td>{c.address}</td></tr>
<tr><th>注册资本</th><td>{c.registered_capital_wan}万元人民币</td></tr>
</table></div>"""
            site.write_html(detail, chrome(f"{c.name}-企业名录", detail_body, site_name=PARK_SITE, nav="企业名录"))
        cur = ' class="cur"'
        links = " ".join(f'<a href="javascript:goPage({p})"{cur if p == page else ""}>{p}</a>'
                         for p in range(1, pages + 1))
        nxt = f'<a href="javascript:goPage({page + 1})">下一页</a>' if page < pages else ""
        content = "\n".join(cards) if cards else '<div class="empty">暂无数据</div>'
        body = f"""<div class="qy-list">
{content}
</div>
<div class="pagination">{links} {nxt}</div>
<script type="text/javascript">
function goPage(n){{ window.location.href = "list.htm?page_index=" + n; }}
</script>"""
        html = chrome("企业名录", body, site_name=PARK_SITE, nav="企业名录")
        site.write_html(f"{PARK_BASE}/list.htm__page_index={page}", html)
        if page == 1:
            site.write_html(f"{PARK_BASE}/list.htm", html)
    return {"start": f"{PARK_BASE}/list.htm", "page_template": f"{PARK_BASE}/list.htm?page_index={{page}}",
            "pages_with_items": pages, "pages_written": max_pages, "tenants": len(tenants)}


# ----------------------------------------------------------------------------------------------
NEG = "demo_credit_negative"
NEG_BASE = "/credit"
NEG_SITE = "信用中国（浙江）"
COURTS = ["杭州市西湖区人民法院", "宁波市鄞州区人民法院", "温州市鹿城区人民法院", "慈溪市人民法院",
          "绍兴市柯桥区人民法院", "义乌市人民法院"]
ABNORMAL_REASONS = ["通过登记的住所或者经营场所无法联系的", "未按照《企业信息公示暂行条例》第八条规定的期限公示年度报告的",
                    "公示企业信息隐瞒真实情况、弄虚作假的"]
PENALTY_REASONS = ["未按规定进行环境影响评价，擅自开工建设", "超标排放大气污染物", "销售不符合安全标准的食品",
                   "未按规定办理建筑工程施工许可", "虚假宣传"]


def build_negative(site: Site, truth: Truth, pools: Pools, *, seed: int, scale: int,
                   customers: list[Company]) -> dict:
    rng = random.Random(f"{seed}:{NEG}")
    n = Namer(truth, NEG, rng, messy=0.1)
    hits = (rng.sample(pools.award_winners, 5) + rng.sample(customers, 4) + list(pools.negative_only))
    seen: list[str] = []
    unique = []
    for c in hits:
        if c.gold_id not in seen:
            seen.append(c.gold_id)
            unique.append(c)
    rng.shuffle(unique)
    k = len(unique)
    groups = {"sxbzxr": unique[: k // 3], "jyyc": unique[k // 3: 2 * k // 3 + 3], "xzcf": unique[2 * k // 3:]}
    titles = {"sxbzxr": "失信被执行人", "jyyc": "经营异常名录", "xzcf": "行政处罚"}
    out = {}
    for slug, members in groups.items():
        rows_html = []
        for i, c in enumerate(members, start=1):
            detail = f"{NEG_BASE}/{slug}/detail/{slug}_{i:04d}.htm"
            name = n(c, detail, "penalized", penalty_type=titles[slug])
            d = random_date(rng, date(2025, 9, 1), date(2026, 11, 20))
            fields = [("企业名称", name), ("统一社会信用代码", c.uscc)]
            lifted = False
            if slug == "sxbzxr":
                case = f"（2026）浙{rng.randint(1, 9):02d}{rng.randint(1, 99):02d}执{rng.randint(100, 9999)}号"
                fields += [("案号", case), ("执行法院", rng.choice(COURTS)), ("发布日期", f"{d:%Y-%m-%d}"),
                           ("失信被执行人行为具体情形", "有履行能力而拒不履行生效法律文书确定义务")]
                cols = [name, c.uscc, case, fields[3][1], f"{d:%Y-%m-%d}"]
            elif slug == "jyyc":
                reason = rng.choice(ABNORMAL_REASONS)
                authority = f"{c.city}市场监督管理局"
                fields += [("列入经营异常名录原因", reason), ("列入日期", f"{d:%Y-%m-%d}"), ("作出决定机关", authority)]
                lifted = rng.random() < 0.3
                removed = ""
                if lifted:
                    removed = f"{min(date(2026, 11, 25), date.fromordinal(d.toordinal() + rng.randint(20, 120))):%Y-%m-%d}"
                    fields += [("移出日期", removed), ("移出原因", "依法补报了未报年份的年度报告并公示")]
                cols = [name, c.uscc, reason, f"{d:%Y-%m-%d}", authority, removed or "—"]
            else:
                reason = rng.choice(PENALTY_REASONS)
                authority = rng.choice([f"{c.city}生态环境局", f"{c.city}市场监督管理局", f"{c.city}住房和城乡建设局"])
                doc = f"{c.city[:2]}{rng.choice(['环', '市监', '建'])}罚〔2026〕{rng.randint(1, 300)}号"
                fields += [("行政处罚决定书文号", doc), ("处罚事由", reason), ("处罚结果", f"罚款{rng.randint(1, 20)}万元"),
                           ("处罚机关", authority), ("处罚日期", f"{d:%Y-%m-%d}")]
                cols = [name, c.uscc, reason, authority, f"{d:%Y-%m-%d}"]
            truth.notices.append({"source": NEG, "url": detail, "penalty_type": titles[slug], "gold_id": c.gold_id,
                                  "date": d.isoformat(), "status": "lifted" if lifted else "active"})
            table = "\n".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in fields)
            site.write_html(detail, chrome(f"{titles[slug]}详情", f'<div class="detail"><h2>{titles[slug]}信息</h2>'
                                           f'<table class="detail-table" border="1">{table}</table></div>',
                                           site_name=NEG_SITE, nav=titles[slug]))
            cells = "".join(f"<td>{v}</td>" for v in cols[1:])
            rows_html.append(f'<tr><td><a href="detail/{slug}_{i:04d}.htm">{cols[0]}</a></td>{cells}</tr>')
        heads = {"sxbzxr": ["被执行人名称", "统一社会信用代码", "案号", "执行法院", "发布日期"],
                 "jyyc": ["企业名称", "统一社会信用代码", "列入原因", "列入日期", "作出决定机关", "移出日期"],
                 "xzcf": ["行政相对人名称", "统一社会信用代码", "处罚事由", "处罚机关", "处罚日期"]}[slug]
        body = f"""<div class="list-box"><h2>{titles[slug]}</h2>
<table class="list-table" border="1" cellspacing="0"><tr>{''.join(f'<th>{h}</th>' for h in heads)}</tr>
{chr(10).join(rows_html)}
</table><div class="page"><span>共{len(members)}条</span></div></div>"""
        site.write_html(f"{NEG_BASE}/{slug}/index.htm", chrome(titles[slug], body, site_name=NEG_SITE, nav=titles[slug]))
        out[slug] = {"url": f"{NEG_BASE}/{slug}/index.htm", "entries": len(members)}
    return {"lists": out, "entries": sum(v["entries"] for v in out.values())}
