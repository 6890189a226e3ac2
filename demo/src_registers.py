"""demo_zj_tax_credit (纳税信用A级), demo_zj_high_tech (高新技术企业 / 科技型中小企业), demo_hz_market (专业市场商户),
demo_hz_tech_insurance (科技保险 programme list, 银保合作).

Public registers that name companies of the demo universe also named elsewhere (awards, lists, feeds),
written the way the real ones are: a tax bureau's notice with the list as a page table and as an xlsx
(USCC, or the old 15-digit 纳税人识别号 on older registrations; 主管税务机关 per row), a science
department's notices with an xlsx (证书编号 / 发证日期) and a page table (入库编号), and a market's
merchant directory, one page per hall (商户名称 / 摊位号 / 经营品类).
"""

from __future__ import annotations

import random
from datetime import date

from demo.companies import Company, short_district
from demo.sitekit import Namer, Pools, Site, Truth, chrome, cms_list_name, list_page, random_date
from demo.src_tenders import xlsx_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TECH_WORDS = ("科技", "软件", "装备", "医疗", "材料", "检测", "电子", "电气", "生物", "机械")
TRADE_INDUSTRIES = {"五金制品": "五金机电馆", "电气": "五金机电馆", "汽车零部件": "汽配馆", "家具": "建材家居馆",
                    "建筑装饰工程": "建材家居馆", "贸易": "建材家居馆", "国际贸易": "五金机电馆", "办公用品": "五金机电馆",
                    "食品": "茶叶干货馆"}
GOODS = {"建材家居馆": ["瓷砖卫浴", "地板", "门窗", "涂料", "灯具", "定制家具"],
         "五金机电馆": ["五金工具", "电线电缆", "机电设备", "紧固件", "办公设备"],
         "汽配馆": ["汽车配件", "轮胎", "汽车用品", "润滑油"],
         "茶叶干货馆": ["龙井茶", "白茶", "茶具", "干货"]}


def _firms(pools: Pools) -> list[Company]:
    return sorted((c for c in pools.public if not c.is_branch and c.kind == "enterprise"), key=lambda c: c.gold_id)


def _table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "\n".join("<tr>" + "".join(f"<td>{v}</td>" for v in row) + "</tr>" for row in rows)
    return f'<table class="list-table" border="1" cellspacing="0">\n<tr>{head}</tr>\n{body}\n</table>'


def _sheet(title: str, header: list[str], rows: list[list[str]]):
    def build(wb):
        bold = wb.add_format({"bold": True, "font_size": 14})
        head = wb.add_format({"bold": True, "border": 1})
        ws = wb.add_worksheet("Sheet1")
        ws.merge_range(0, 0, 0, len(header) - 1, title, bold)
        for col, text in enumerate(header):
            ws.write(1, col, text, head)
        for r, row in enumerate(rows, start=2):
            for col, value in enumerate(row):
                ws.write(r, col, value)
        ws.set_column(1, 2, 40)
    return xlsx_bytes(build)


def _notice(site: Site, url: str, title: str, site_name: str, day: str, content: str) -> None:
    body = f"""<div class="article"><h1 class="art-title">{title}</h1>
<div class="art-info">发布日期：{day}　　信息来源：{site_name}</div>
<div class="art-content">
{content}
<p style="text-align:right">{site_name}</p><p style="text-align:right">{day.replace('-', '年', 1).replace('-', '月')}日</p>
</div></div>"""
    site.write_html(url, chrome(title, body, site_name=site_name, nav="通知公告"))


# ----------------------------------------------------------------------------------------------
TAX = "demo_zj_tax_credit"
TAX_BASE = "/tax/tzgg"
TAX_SITE = "国家税务总局浙江省税务局"


def _tax_office(c: Company) -> str:
    return f"国家税务总局{c.city}{c.district}税务局"


def build_tax_credit(site: Site, truth: Truth, pools: Pools, *, seed: int, scale: int) -> dict:
    rng = random.Random(f"{seed}:{TAX}")
    n = Namer(truth, TAX, rng, messy=0.1)
    firms = _firms(pools)
    rated = sorted(rng.sample(firms, k=max(4, len(firms) // 4)), key=lambda c: (c.city, c.district, c.gold_id))
    title = "国家税务总局浙江省税务局关于公布2025年度纳税信用A级纳税人名单的公告"
    list_name = "2025年度纳税信用A级纳税人名单"
    notice_url = f"{TAX_BASE}/202604/t20260415_{rng.randint(3_000_000, 3_999_999)}.htm"
    xlsx_url = f"{TAX_BASE}/202604/P020260415{rng.randint(100000, 999999)}.xlsx"
    on_page, in_xlsx = rated[: len(rated) // 2], rated[len(rated) // 2:]

    def row(i: int, c: Company, url: str) -> list[str]:
        # an older registration still shows its 15-digit 纳税人识别号 (division + organisation code)
        code = c.uscc[2:17] if c.uscc and rng.random() < 0.15 else (c.uscc or "")
        return [str(i), code, n(c, url, "listed", list_name=list_name), "2025", _tax_office(c)]

    header = ["序号", "纳税人识别号", "纳税人名称", "评价年度", "主管税务机关"]
    page_rows = [row(i, c, notice_url) for i, c in enumerate(on_page, 1)]
    xlsx_rows = [row(i, c, xlsx_url) for i, c in enumerate(in_xlsx, len(on_page) + 1)]
    site.write_bytes(xlsx_url, _sheet(f"{list_name}（续）", header, xlsx_rows), XLSX)
    _notice(site, notice_url, title, TAX_SITE, "2026-04-15",
            f"""<p>根据《纳税信用管理办法（试行）》，经评价，现将2025年度纳税信用A级纳税人名单予以公布。</p>
{_table(header, page_rows)}
<p>附件：<a href="{xlsx_url}">2025年度纳税信用A级纳税人名单（续）.xlsx</a></p>""")
    other = f"{TAX_BASE}/202603/t20260310_3000001.htm"
    _notice(site, other, "关于做好2026年个人所得税综合所得汇算清缴工作的通告", TAX_SITE, "2026-03-10",
            "<p>为做好2026年个人所得税综合所得汇算清缴工作……</p>")
    items = [(notice_url, title, "2026-04-15"), (other, "关于做好2026年个人所得税综合所得汇算清缴工作的通告", "2026-03-10")]
    site.write_html(f"{TAX_BASE}/index.htm", list_page(items, title="通知公告", site_name=TAX_SITE, page=0, pages=1,
                                                       name_of=cms_list_name))
    truth.notices.append({"source": TAX, "url": notice_url, "title": title, "published_at": "2026-04-15",
                          "list_name": list_name, "attachments": {xlsx_url: [c.gold_id for c in in_xlsx]},
                          "is_correction": False, "supersedes": None, "duplicate_of": None})
    return {"start": f"{TAX_BASE}/index.htm", "notice": notice_url, "xlsx": xlsx_url, "listed": len(rated)}


# ----------------------------------------------------------------------------------------------
TECH = "demo_zj_high_tech"
TECH_BASE = "/kjt/tzgg"
TECH_SITE = "浙江省科学技术厅"


def build_high_tech(site: Site, truth: Truth, pools: Pools, *, seed: int, scale: int) -> dict:
    rng = random.Random(f"{seed}:{TECH}")
    n = Namer(truth, TECH, rng, messy=0.1)
    tech = [c for c in _firms(pools) if any(w in c.industry_word for w in TECH_WORDS)]
    rng.shuffle(tech)
    high_tech = sorted(tech[: len(tech) * 2 // 5], key=lambda c: (c.city, c.gold_id))
    small_tech = sorted(tech[len(tech) * 2 // 5: len(tech) * 3 // 5], key=lambda c: (c.city, c.gold_id))

    ht_title = "关于公布浙江省2025年认定的高新技术企业名单的通知"
    ht_list = "浙江省2025年认定的高新技术企业名单"
    ht_url = f"{TECH_BASE}/202601/t20260120_{rng.randint(4_000_000, 4_999_999)}.htm"
    xlsx_url = f"{TECH_BASE}/202601/P020260120{rng.randint(100000, 999999)}.xlsx"
    rows = []
    for i, c in enumerate(high_tech, 1):
        issued = random_date(rng, date(2025, 11, 1), date(2025, 12, 20))
        rows.append([str(i), n(c, xlsx_url, "listed", list_name=ht_list), f"GR2025330{rng.randint(10000, 99999)}",
                     issued.isoformat(), c.city])
    site.write_bytes(xlsx_url, _sheet(ht_list, ["序号", "企业名称", "证书编号", "发证日期", "所在地区"], rows), XLSX)
    _notice(site, ht_url, ht_title, TECH_SITE, "2026-01-20",
            f"""<p>根据《高新技术企业认定管理办法》，经认定机构办公室审核，现将浙江省2025年认定的高新技术企业名单予以公布。</p>
<p>附件：<a href="{xlsx_url}">{ht_list}.xlsx</a></p>""")

    st_title = "关于公布浙江省2026年第一批入库科技型中小企业名单的公告"
    st_list = "浙江省2026年第一批入库科技型中小企业名单"
    st_url = f"{TECH_BASE}/202605/t20260512_{rng.randint(4_000_000, 4_999_999)}.htm"
    st_rows = [[str(i), n(c, st_url, "listed", list_name=st_list), f"2026330{rng.randint(100, 999)}A{rng.randint(1000, 9999)}",
                f"{c.city}{short_district(c.district)}"] for i, c in enumerate(small_tech, 1)]
    _notice(site, st_url, st_title, TECH_SITE, "2026-05-12",
            f"""<p>根据《科技型中小企业评价办法》，现将浙江省2026年第一批入库科技型中小企业名单予以公告。</p>
{_table(["序号", "企业名称", "入库编号", "所在地区"], st_rows)}""")
    items = [(st_url, st_title, "2026-05-12"), (ht_url, ht_title, "2026-01-20")]
    site.write_html(f"{TECH_BASE}/index.htm", list_page(items, title="通知公告", site_name=TECH_SITE, page=0, pages=1,
                                                        name_of=cms_list_name))
    for url, title, day, name, listed in ((ht_url, ht_title, "2026-01-20", ht_list, high_tech),
                                          (st_url, st_title, "2026-05-12", st_list, small_tech)):
        truth.notices.append({"source": TECH, "url": url, "title": title, "published_at": day, "list_name": name,
                              "listed": [c.gold_id for c in listed], "is_correction": False, "supersedes": None,
                              "duplicate_of": None})
    return {"start": f"{TECH_BASE}/index.htm", "high_tech": len(high_tech), "small_tech": len(small_tech)}


# ----------------------------------------------------------------------------------------------
MARKET = "demo_hz_market"
MARKET_BASE = "/market/shml"
MARKET_SITE = "杭州东城建材五金汽配市场"
HALLS = {"建材家居馆": "jcjj", "五金机电馆": "wjjd", "汽配馆": "qp", "茶叶干货馆": "cygh"}


def build_market(site: Site, truth: Truth, pools: Pools, *, seed: int, scale: int) -> dict:
    rng = random.Random(f"{seed}:{MARKET}")
    n = Namer(truth, MARKET, rng, messy=0.15)
    by_hall: dict[str, list[Company]] = {hall: [] for hall in HALLS}
    for c in _firms(pools):
        hall = TRADE_INDUSTRIES.get(c.industry_word)
        if hall and rng.random() < 0.7:
            by_hall[hall].append(c)
    counts = {}
    for hall, slug in HALLS.items():
        url = f"{MARKET_BASE}/{slug}.html"
        rows = []
        for i, c in enumerate(by_hall[hall], 1):
            stall = f"{slug.upper()[:2]}-{rng.randint(1, 4)}{rng.randint(1, 60):02d}"
            code = c.uscc if rng.random() < 0.5 else ""
            rows.append([str(i), n(c, url, "merchant", list_name=MARKET_SITE), stall, rng.choice(GOODS[hall]), code])
        table = _table(["序号", "商户名称", "摊位号", "经营品类", "统一社会信用代码"], rows) if rows else "<p>暂无商户</p>"
        tabs = " | ".join(f'<a href="{s}.html">{h}</a>' for h, s in HALLS.items())
        body = f"""<div class="hall"><h2>{MARKET_SITE} · {hall} 商户名录</h2><div class="tabs">{tabs}</div>
{table}</div>"""
        site.write_html(url, chrome(f"{hall}商户名录", body, site_name=MARKET_SITE, nav="商户名录"))
        counts[hall] = len(rows)
    return {"start": f"{MARKET_BASE}/{HALLS['建材家居馆']}.html", "merchants": counts}


# ----------------------------------------------------------------------------------------------
INSURANCE = "demo_hz_tech_insurance"
INSURANCE_BASE = "/kjj/tzgg"
INSURANCE_SITE = "杭州市科学技术局"
INSURERS = ["中国人民财产保险股份有限公司杭州市分公司", "中国太平洋财产保险股份有限公司浙江分公司",
            "中国平安财产保险股份有限公司浙江分公司"]
LINES = ["高新技术企业财产综合险", "贷款保证保险", "关键研发设备险", "产品研发责任险"]


def build_insurance(site: Site, truth: Truth, pools: Pools, *, seed: int, scale: int) -> dict:
    """A 科技保险 programme list: the insured firms, their insurer and line (银保合作)."""
    rng = random.Random(f"{seed}:{INSURANCE}")
    n = Namer(truth, INSURANCE, rng, messy=0.1)
    firms = [c for c in _firms(pools) if any(w in c.industry_word for w in TECH_WORDS)]
    insured = sorted(rng.sample(firms, k=max(3, len(firms) // 5)), key=lambda c: (c.city, c.gold_id))
    title = "关于公布2026年度杭州市科技保险保费补贴企业名单的通知"
    list_name = "2026年度杭州市科技保险保费补贴企业名单"
    url = f"{INSURANCE_BASE}/202606/t20260618_{rng.randint(5_000_000, 5_999_999)}.htm"
    rows = [[str(i), n(c, url, "listed", list_name=list_name), rng.choice(INSURERS), rng.choice(LINES),
             "2026-07-01至2027-06-30"] for i, c in enumerate(insured, 1)]
    _notice(site, url, title, INSURANCE_SITE, "2026-06-18",
            f"""<p>根据《杭州市科技保险保费补贴实施办法》，现将2026年度科技保险保费补贴企业名单予以公布。</p>
{_table(["序号", "企业名称", "承保机构", "险种", "保险期间"], rows)}""")
    other = f"{INSURANCE_BASE}/202605/t20260502_5000001.htm"
    _notice(site, other, "关于组织申报2026年度杭州市重大科技创新项目的通知", INSURANCE_SITE, "2026-05-02",
            "<p>各区、县（市）科技局：……</p>")
    items = [(url, title, "2026-06-18"), (other, "关于组织申报2026年度杭州市重大科技创新项目的通知", "2026-05-02")]
    site.write_html(f"{INSURANCE_BASE}/index.htm", list_page(items, title="通知公告", site_name=INSURANCE_SITE, page=0,
                                                             pages=1, name_of=cms_list_name))
    truth.notices.append({"source": INSURANCE, "url": url, "title": title, "published_at": "2026-06-18",
                          "list_name": list_name, "listed": [c.gold_id for c in insured], "is_correction": False,
                          "supersedes": None, "duplicate_of": None})
    return {"start": f"{INSURANCE_BASE}/index.htm", "insured": len(insured)}
