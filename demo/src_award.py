"""demo_zj_award: 浙江政府采购网-style 中标（成交）结果公告 in three layouts, plus a correction and a duplicate."""

from __future__ import annotations

import math
import random
from datetime import date

import cn2an

from demo.companies import Company, short_city
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
from demo.sme_pages import Declarations

SOURCE = "demo_zj_award"
BASE = "/zfcg/zbgg"
SITE_NAME = "浙江政府采购网"
ITEMS = {
    "货物": ["办公设备", "医疗设备", "实验室设备", "教学设备", "安防监控设备", "空调设备", "图书", "家具"],
    "服务": ["物业管理服务", "保洁服务", "食堂餐饮服务", "信息系统运维服务", "检测服务", "印刷服务", "培训服务"],
    "工程": ["校舍维修改造工程", "园林绿化提升工程", "道路修缮工程", "装修工程", "排水管网改造工程"],
}
METHODS = ["公开招标", "竞争性磋商", "竞争性谈判", "询价", "单一来源"]


def _amount(rng: random.Random, round_to: int = 10) -> float:
    value = rng.lognormvariate(math.log(350_000), 1.0)
    value = min(max(value, 28_000), 9_800_000)
    return float(int(value / round_to) * round_to)


def _project(rng: random.Random, purchaser: Company, winner: Company) -> tuple[str, str]:
    category = winner.pinmu.split("/")[0]
    # The 品目 follows what the winner does; now and then a generic item of the same category.
    item = winner.pinmu.split("/")[-1] if rng.random() < 0.7 else rng.choice(ITEMS.get(category, ITEMS["货物"]))
    year = rng.choice(["2026年", "2026年度", ""])
    return f"{purchaser.name}{year}{item}采购项目", f"{category}/{item}"


def _code(rng: random.Random, purchaser: Company, serial: int) -> str:
    prefix = {"杭州市": "HZCG", "宁波市": "NBCG", "温州市": "WZCG", "嘉兴市": "JXCG", "湖州市": "HUCG",
              "绍兴市": "SXCG", "金华市": "JHCG", "台州市": "TZCG"}[purchaser.city]
    style = serial % 3
    if style == 0:
        return f"{prefix}-2026-{serial:05d}"
    if style == 1:
        return f"{prefix}2026G{serial:04d}"
    return f"ZJ-{purchaser.district[:2]}CG-2026-{serial:04d}"


def _fmt_thousands_cn(value: float) -> str:
    return f"{value:,.2f}".replace(",", "，")


def _word_noise(text: str, rng: random.Random) -> str:
    """Wrap a value the way Word-pasted HTML does: nested span/font, stray <o:p>."""
    if rng.random() < 0.5:
        return f'<span style="font-family:宋体;font-size:10.5pt"><font face="宋体">{text}</font></span><o:p></o:p>'
    return text


def _detail_url(day: date, serial: int) -> str:
    return f"{BASE}/{day:%Y%m}/t{day:%Y%m%d}_{serial:07d}.htm"


def _layout_a(ctx: dict, n: Namer, rng: random.Random) -> str:
    """National-portal recent layout: 公告概要 grid, then numbered pasted sections with a bidder table."""
    url, w, p, a = ctx["url"], ctx["winner"], ctx["purchaser"], ctx["agent"]
    amount = ctx["amount"]
    w_name = n(w, url, "winner", amount_yuan=amount)
    p_name = n(p, url, "purchaser", messy=0.1)
    a_name = n(a, url, "agent", messy=0.1)
    bidders = [(w_name, amount)]
    for b in ctx["losers"]:
        price = round(amount * rng.uniform(1.01, 1.25), -1)
        bidders.append((n(b, url, "bidder", amount_yuan=price), price))
    rng.shuffle(bidders)
    rows = "\n".join(f"<tr><td>1</td><td>{name}</td><td>{price:.2f}</td></tr>" for name, price in bidders)
    amount_text = f"{amount:.1f}" if rng.random() < 0.6 else f"{amount:.2f}"
    experts = "、".join(person(rng) for _ in range(rng.choice([3, 5])))
    pub = ctx["pubtime"].strftime("%Y年%m月%d日 %H:%M")
    body = f"""<div class="vF_detail_main">
<div class="vF_detail_header"><h2 class="tc">{ctx['title']}</h2>
<p class="tc"><span id="pubTime">{pub}</span>　来源：<span id="sourceName">{SITE_NAME}</span></p></div>
<div class="vF_detail_content_container">
<div class="table"><table width="600" border="0" cellspacing="1" bgcolor="#bfbfbf" style="text-align:left;">
<tr><td colspan="4" class="title"><strong>公告概要：</strong></td></tr>
<tr><td class="title" width="15%">采购项目名称</td><td colspan="3" width="85%">{ctx['project']}</td></tr>
<tr><td class="title">品目</td><td colspan="3"><p>{ctx['pinmu']}</p></td></tr>
<tr><td class="title">采购单位</td><td colspan="3">{p_name}</td></tr>
<tr><td class="title">行政区域</td><td width="35%">{short_city(p.city)}市{p.district}</td><td class="title" width="15%">公告时间</td><td width="35%">{pub}</td></tr>
<tr><td class="title">评审专家名单</td><td colspan="3">{experts}</td></tr>
<tr><td class="title">总中标金额</td><td colspan="3">￥{amount / 10000:.6f} 万元（人民币）</td></tr>
<tr><td colspan="4" class="title"><strong>联系人及联系方式：</strong></td></tr>
<tr><td class="title">项目联系人</td><td colspan="3">{person(rng)}</td></tr>
<tr><td class="title">项目联系电话</td><td colspan="3">{phone(rng)}</td></tr>
<tr><td class="title">采购单位</td><td colspan="3">{p_name}</td></tr>
<tr><td class="title">采购单位地址</td><td colspan="3">{p.address}</td></tr>
<tr><td class="title">采购单位联系方式</td><td colspan="3">{person(rng)} {phone(rng)}</td></tr>
<tr><td class="title">代理机构名称</td><td colspan="3">{a_name}</td></tr>
<tr><td class="title">代理机构地址</td><td colspan="3">{a.address}</td></tr>
<tr><td class="title">代理机构联系方式</td><td colspan="3">{person(rng)} {phone(rng)}</td></tr>
</table></div>
<div class="vF_detail_content">
<p style="margin-bottom:10px"><strong>一、项目编号：</strong>{ctx['code']}</p>
<p><strong>二、项目名称：</strong>{ctx['project']}</p>
<p><strong>三、中标（成交）信息</strong></p>
<p>供应商名称：{w_name}</p>
<p>供应商地址：{w.address}</p>
<p>中标（成交）金额：{amount_text}元</p>
<p><strong>四、主要标的信息</strong></p>
<table class="MsoNormalTable" border="1"><tr><td>{ctx['category']}类</td></tr>
<tr><td>名称：{ctx['item']}<br/>服务范围：详见采购文件<br/>服务要求：详见采购文件<br/>服务时间：一年<br/>服务标准：合格</td></tr></table>
<p><strong>五、评审专家（单一来源采购人员）名单：</strong></p>
<p>{experts}</p>
<p><strong>六、代理服务收费标准及金额：</strong></p>
<p>代理服务费按国家计委计价格〔2002〕1980号文件标准收取，金额：{max(amount * 0.012, 3000):.2f}元。</p>
<p><strong>七、公告期限</strong></p>
<p>自本公告发布之日起1个工作日。</p>
<p><strong>八、其他补充事宜</strong></p>
<p>各投标供应商报价情况：</p>
<table class="MsoNormalTable" border="1" cellspacing="0"><tr><td>包组</td><td>投标供应商</td><td>报价（元）</td></tr>
{rows}
</table>
<p><strong>九、凡对本次公告内容提出询问，请按以下方式联系。</strong></p>
<p>1.采购人信息</p><p>名 称：{p_name}</p><p>地址：{p.address}</p><p>联系方式：{phone(rng)}</p>
<p>2.采购代理机构信息</p><p>名 称：{a_name}</p><p>地　址：{a.address}</p><p>联系方式：{phone(rng)}</p>
{ctx.get('declaration', '')}
<p><strong>十、附件</strong></p>
<p><a href="/zfcg/attach/{ctx['serial']:07d}_cgwj.docx">采购文件.docx</a></p>
</div></div></div>"""
    return body


def _layout_b(ctx: dict, n: Namer, rng: random.Random) -> str:
    """Older <p> layout; three ways to state the winner (direct, 见公告原文, numbered lines)."""
    url, w, p, a, amount = ctx["url"], ctx["winner"], ctx["purchaser"], ctx["agent"], ctx["amount"]
    variant = ctx["variant"]
    w_name = n(w, url, "winner", amount_yuan=amount)
    p_name = n(p, url, "purchaser", messy=0.1)
    a_name = n(a, url, "agent", messy=0.1)
    upper = cn2an.an2cn(int(amount), "rmb")
    noise = (lambda t: _word_noise(t, rng)) if ctx["broken"] else (lambda t: t)
    lines = [
        "<p><strong>一、项目信息</strong></p>",
        f"<p>项目编号：{noise(ctx['code'])}</p>",
        f"<p>项目名称：{noise(ctx['project'])}</p>",
        f"<p>采购方式：{rng.choice(METHODS)}</p>",
        "<p><strong>二、采购单位信息</strong></p>",
        f"<p>采购单位名称：{noise(p_name)}</p>",
        f"<p>采购单位地址：{p.address}</p>",
        f"<p>联系人：{person(rng)}　联系电话：{phone(rng)}</p>",
        "<p><strong>三、采购代理机构信息</strong></p>",
        f"<p>采购代理机构名称：{a_name}</p>",
        f"<p>采购代理机构地址：{a.address}</p>",
        "<p><strong>四、成交信息</strong></p>",
    ]
    if variant == "direct":
        lines += [f"<p>成交供应商名称：{noise(w_name)}</p>", f"<p>成交供应商地址：{w.address}</p>",
                  f"<p>成交金额：人民币{upper}（¥{amount:.2f}）</p>"]
    elif variant == "see_original":
        lines += ["<p>供应商名称：见公告原文</p>", "<p>成交金额：见公告原文</p>",
                  "<p><strong>五、其他补充事宜</strong></p>",
                  (f"<p><span style=\"font-size:12pt\"><font face=\"仿宋_GB2312\">经评审小组评审，采购人确认，"
                  f"中标供应商名称：{w_name}，中标供应商地址：{w.address}，"
                  f"中标金额：人民币{upper}，￥:{_fmt_thousands_cn(amount)}元。</font></span></p>")]
    else:  # numbered
        lines += [(f"<p>1.成交供应商名称：{w_name}<br/>2.成交供应商地址：{w.address}<br/>"
                  f"3.成交金额：{upper}（¥{amount:.2f}）</p>")]
    if ctx.get("declaration"):
        lines.append(ctx["declaration"])
    lines += [f"<p><strong>{'六' if variant == 'see_original' else '五'}、公告期限</strong></p>", "<p>自本公告发布之日起1个工作日。</p>",
              f"<p style=\"text-align:right\">{p_name}</p>",
              f"<p style=\"text-align:right\">{ctx['pubtime']:%Y年%m月%d日}</p>"]
    content = "\n".join(lines)
    if ctx["broken"]:
        content = content.replace("</p>\n<p>采购方式", "\n<p>采购方式", 1)  # an unclosed <p>
        content += "\n<div class=\"Section1\"><table><tr><td>"  # table never closed
    return f"""<div class="article"><h1 class="art-title">{ctx['title']}</h1>
<div class="art-info">发布时间：{ctx['pubtime']:%Y-%m-%d %H:%M}　　来源：{SITE_NAME}　　浏览次数：{rng.randint(30, 900)}</div>
<div class="art-content" id="zoom">
{content}
</div></div>"""


def _layout_c(ctx: dict, n: Namer, rng: random.Random) -> str:
    """Multi-lot table: 包号 / 中标供应商 / 中标金额(元); a failed lot, a daily-rate lot, `$` for ¥."""
    url, p, a = ctx["url"], ctx["purchaser"], ctx["agent"]
    p_name = n(p, url, "purchaser", messy=0.1)
    a_name = n(a, url, "agent", messy=0.1)
    rows = []
    for lot_no, lot in enumerate(ctx["lots"], start=1):
        if lot["status"] == "failed":
            rows.append(f"<tr><td>{lot_no}</td><td>{lot['item']}</td><td>废标</td><td>/</td><td>/</td></tr>")
            continue
        name = n(lot["winner"], url, "winner", amount_yuan=lot["amount"], lot=str(lot_no))
        if lot["status"] == "rate":
            price = f"{lot['rate']:.0f}元/天"
        elif lot["dollar"]:
            price = f"${lot['amount']:,.2f}"
        else:
            price = f"¥{lot['amount']:.2f}"
        rows.append(f"<tr><td>{lot_no}</td><td>{lot['item']}</td><td>{name}</td>"
                    f"<td>{lot['winner'].address}</td><td>{price}</td></tr>")
    failed = [i for i, lot in enumerate(ctx["lots"], start=1) if lot["status"] == "failed"]
    reason = (f"<p>废标原因：第{failed[0]}包有效投标供应商不足三家，根据《政府采购法》第三十六条，该包废标。</p>"
              if failed else "")
    return f"""<div class="article"><h1 class="art-title">{ctx['title']}</h1>
<div class="art-info">发布时间：{ctx['pubtime']:%Y-%m-%d}　　来源：{SITE_NAME}</div>
<div class="art-content">
<p>一、项目编号：{ctx['code']}</p>
<p>二、项目名称：{ctx['project']}</p>
<p>三、采购人：{p_name}　　采购代理机构：{a_name}</p>
<p>四、中标信息：</p>
<table class="lot-table" border="1" cellspacing="0" cellpadding="4">
<tr><th>包号</th><th>标项名称</th><th>中标供应商</th><th>供应商地址</th><th>中标金额(元)</th></tr>
{chr(10).join(rows)}
</table>
{reason}
<p>五、公告期限：自本公告发布之日起1个工作日。</p>
</div></div>"""


def build(site: Site, truth: Truth, pools: Pools, *, seed: int, notices: int, profiles: dict | None = None) -> dict:
    rng = random.Random(f"{seed}:{SOURCE}")
    n = Namer(truth, SOURCE, rng)
    declarations = Declarations(truth, pools, profiles or {}, seed)
    winners_pool = pools.award_winners if notices <= 400 else pools.public
    # Some firms win often (a Zipf-ish head), most win once.
    weights = [1.0 / (1 + i) ** 0.6 for i in range(len(winners_pool))]
    entries: list[dict] = []
    n_dupes = max(1, notices // 100)
    n_corrections = max(1, notices // 100)
    serial = 3_000_000 + rng.randrange(100_000)
    for _ in range(notices):
        serial += rng.randint(1, 40)
        day = random_date(rng, date(2026, 6, 1), date(2026, 11, 30))
        pubtime = random_time(rng, day)
        purchaser = rng.choice(pools.purchasers)
        agent = rng.choice(pools.agents)
        layout = rng.choices(["a", "b", "c"], [40, 42, 18])[0]
        winner = rng.choices(winners_pool, weights)[0]
        project, pinmu = _project(rng, purchaser, winner)
        url = _detail_url(day, serial)
        code = _code(rng, purchaser, serial % 100000)
        amount = _amount(rng, 10 if layout != "a" else rng.choice([1, 10, 100]))
        ctx = {
            "url": url, "serial": serial, "pubtime": pubtime, "purchaser": purchaser, "agent": agent,
            "winner": winner, "project": project, "pinmu": pinmu, "category": pinmu.split("/")[0],
            "item": pinmu.split("/")[-1], "code": code, "amount": amount, "layout": layout,
            "broken": rng.random() < 0.25, "variant": rng.choice(["direct", "see_original", "numbered"]),
        }
        kind_word = rng.choice(["中标结果公告", "成交结果公告", "中标（成交）结果公告"])
        ctx["title"] = f"{project}{kind_word}"
        if layout in ("a", "b"):
            ctx["declaration"] = declarations.block(ctx)
        if layout == "a":
            ctx["losers"] = rng.sample(pools.award_bidders, rng.randint(1, 4))
            body = _layout_a(ctx, n, rng)
            winners = [{"gold_id": winner.gold_id, "amount_yuan": amount, "lot": None}]
        elif layout == "b":
            body = _layout_b(ctx, n, rng)
            winners = [{"gold_id": winner.gold_id, "amount_yuan": amount, "lot": None}]
        else:
            lots = []
            n_lots = rng.randint(2, 4)
            for lot_no in range(1, n_lots + 1):
                status = "ok"
                if lot_no == n_lots and rng.random() < 0.45:
                    status = "failed"
                elif lot_no == 2 and rng.random() < 0.3:
                    status = "rate"
                lot_winner = winner if lot_no == 1 else rng.choices(winners_pool, weights)[0]
                lots.append({"item": f"{ctx['item']}（{'ABCD'[lot_no - 1]}包）", "winner": lot_winner,
                             "status": status, "amount": _amount(rng) if status == "ok" else None,
                             "rate": float(rng.choice([380, 450, 580, 860])) if status == "rate" else None,
                             "dollar": rng.random() < 0.25})
            ctx["lots"] = lots
            body = _layout_c(ctx, n, rng)
            winners = [{"gold_id": lot["winner"].gold_id, "amount_yuan": lot["amount"], "lot": str(i),
                        "rate_yuan_per_day": lot["rate"]}
                       for i, lot in enumerate(lots, start=1) if lot["status"] != "failed"]
        encoding, header_charset, meta = "utf-8", True, "utf-8"
        roll = rng.random()
        if roll < 0.15:
            encoding, meta = "gbk", "gbk"
        elif roll < 0.25:
            encoding, header_charset, meta = "gbk", False, "gbk"
        entries.append({
            "url": url, "title": ctx["title"], "day": day, "body": body, "encoding": encoding,
            "header_charset": header_charset, "meta": meta, "ctx": ctx,
            "notice": {"source": SOURCE, "url": url, "title": ctx["title"], "published_at": day.isoformat(),
                       "project_code": code, "project_name": project, "layout": layout,
                       "purchaser": purchaser.gold_id, "agent": agent.gold_id, "winners": winners,
                       "is_correction": False, "supersedes": None, "duplicate_of": None,
                       "encoding": encoding if header_charset else f"{encoding} (no charset header)"},
        })
    # The UTF-8 page whose <meta> says gb2312 (and whose header names no charset).
    liar = entries[1]
    liar["meta"], liar["header_charset"], liar["encoding"] = "gb2312", False, "utf-8"
    liar["notice"]["encoding"] = "utf-8 (meta says gb2312, no charset header)"

    # Corrections: a later notice naming the original's code, changing the amount or the winner.
    for k in range(n_corrections):
        original = entries[(k * 37 + 5) % len(entries)]
        octx = original["ctx"]
        if octx["layout"] == "c":
            original = next(e for e in entries if e["ctx"]["layout"] != "c")
            octx = original["ctx"]
        day = min(original["day"].toordinal() + rng.randint(2, 9), date(2026, 11, 30).toordinal())
        day = date.fromordinal(day)
        serial += rng.randint(1, 40)
        url = _detail_url(day, serial)
        title = f"{octx['project']}更正公告"
        changes_winner = k % 2 == 1
        old_name = n(octx["winner"], url, "winner_corrected_from", messy=0.0)
        if changes_winner:
            new_winner = rng.choice(pools.award_bidders)
            new_amount = octx["amount"]
            change = (f"<p>原公告中标供应商：{old_name}</p><p>现更正为：中标供应商名称：{{NEW}}，"
                      f"中标金额：¥{new_amount:.2f}元。</p><p>更正原因：原第一中标候选人放弃中标资格，"
                      f"依法确定排名第二的中标候选人为中标人。</p>")
        else:
            new_winner = octx["winner"]
            new_amount = round(octx["amount"] * rng.uniform(0.9, 0.99), -1)
            change = (f"<p>原公告中标（成交）金额：¥{octx['amount']:.2f}元</p>"
                      f"<p>更正为：中标（成交）金额：¥{new_amount:.2f}元；中标供应商名称：{{NEW}}（不变）。</p>"
                      f"<p>更正原因：报价算术错误修正。</p>")
        new_name = n(new_winner, url, "winner", amount_yuan=new_amount)
        change = change.replace("{NEW}", new_name)
        body = f"""<div class="article"><h1 class="art-title">{title}</h1>
<div class="art-info">发布时间：{day:%Y-%m-%d}　　来源：{SITE_NAME}</div>
<div class="art-content">
<p><strong>一、原公告主要信息</strong></p>
<p>原公告的采购项目编号：{octx['code']}</p>
<p>原公告的采购项目名称：{octx['project']}</p>
<p>首次公告日期：{original['day']:%Y年%m月%d日}</p>
<p>原公告名称：{octx['title']}</p>
<p><strong>二、更正信息</strong></p>
<p>更正事项：采购结果</p>
{change}
<p><strong>三、其他补充事宜</strong></p><p>其余内容不变。</p>
<p>采购人：{octx['purchaser'].name}</p>
</div></div>"""
        entries.append({
            "url": url, "title": title, "day": day, "body": body, "encoding": "utf-8", "header_charset": True,
            "meta": "utf-8", "ctx": None,
            "notice": {"source": SOURCE, "url": url, "title": title, "published_at": day.isoformat(),
                       "project_code": octx["code"], "project_name": octx["project"], "layout": "correction",
                       "purchaser": octx["purchaser"].gold_id, "agent": None,
                       "winners": [{"gold_id": new_winner.gold_id, "amount_yuan": new_amount, "lot": None}],
                       "is_correction": True, "supersedes": {"url": original["url"], "project_code": octx["code"]},
                       "duplicate_of": None, "encoding": "utf-8"},
        })
    # Duplicates: the same notice republished under a second URL (same bytes but for nothing).
    for k in range(n_dupes):
        original = entries[(k * 53 + 11) % notices]
        serial += rng.randint(1, 40)
        url = _detail_url(original["day"], serial)
        dup = dict(original)
        dup["url"] = url
        dup["notice"] = dict(original["notice"], url=url, duplicate_of=original["url"])
        truth.copy_uses(original["url"], url, duplicate=True)
        entries.append(dup)

    entries.extend(_large_firm_notices(truth, pools, seed, serial, declarations))
    entries.sort(key=lambda e: (e["day"], e["url"]), reverse=True)
    for e in entries:
        html = chrome(e["title"], e["body"], site_name=SITE_NAME, meta_charset=e["meta"],
                      nav="<a href=\"/zfcg/\">政府采购</a> &gt; <a href=\"index.htm\">中标（成交）结果公告</a>")
        site.write_html(e["url"], html, encoding=e["encoding"], header_charset=e["header_charset"])
        truth.notices.append(e["notice"])
    per_page = 20
    pages = max(1, math.ceil(len(entries) / per_page))
    for page in range(pages):
        chunk = entries[page * per_page:(page + 1) * per_page]
        items = [(e["url"], e["title"], e["day"].isoformat()) for e in chunk]
        site.write_html(f"{BASE}/{cms_list_name(page)}",
                        list_page(items, title="中标（成交）结果公告", site_name=SITE_NAME, page=page, pages=pages,
                                  name_of=cms_list_name))
    return {"start": f"{BASE}/index.htm", "list_pages": pages, "detail_pages": len(entries),
            "notices": notices, "corrections": n_corrections, "duplicates": n_dupes,
            "declarations": declarations.count}


def _large_firm_notices(truth: Truth, pools: Pools, seed: int, serial: int, declarations: Declarations) -> list[dict]:
    """Awards won by the demo's large firms (a listed company and its branch, a 央企 subsidiary, a provincial
    SOE's subsidiary): real procurement winners are often large; they must leave the 普惠 lists. Their
    own rng and namer, so the other notices stay as they were. A large firm publishes no 声明函."""
    rng = random.Random(f"{seed}:{SOURCE}:large")
    n = Namer(truth, SOURCE, rng, messy=0.2)
    large = [c for c in truth.universe if c.kind == "large"]
    entries = []
    for winner in large + large[:1]:  # the listed company wins twice
        serial += rng.randint(1, 40)
        day = random_date(rng, date(2026, 6, 1), date(2026, 11, 30))
        purchaser, agent = rng.choice(pools.purchasers), rng.choice(pools.agents)
        project, pinmu = _project(rng, purchaser, winner)
        url = _detail_url(day, serial)
        code = _code(rng, purchaser, serial % 100000)
        amount = float(rng.choice([2_860_000, 5_400_000, 12_800_000, 36_500_000]))
        ctx = {"url": url, "serial": serial, "pubtime": random_time(rng, day), "purchaser": purchaser, "agent": agent,
               "winner": winner, "project": project, "pinmu": pinmu, "category": pinmu.split("/")[0],
               "item": pinmu.split("/")[-1], "code": code, "amount": amount, "layout": "a", "broken": False,
               "variant": "direct", "losers": rng.sample(pools.award_bidders, 2), "declaration": ""}
        ctx["title"] = f"{project}中标（成交）结果公告"
        body = _layout_a(ctx, n, rng)
        entries.append({
            "url": url, "title": ctx["title"], "day": day, "body": body, "encoding": "utf-8", "header_charset": True,
            "meta": "utf-8", "ctx": ctx,
            "notice": {"source": SOURCE, "url": url, "title": ctx["title"], "published_at": day.isoformat(),
                       "project_code": code, "project_name": project, "layout": "a", "purchaser": purchaser.gold_id,
                       "agent": agent.gold_id, "winners": [{"gold_id": winner.gold_id, "amount_yuan": amount, "lot": None}],
                       "is_correction": False, "supersedes": None, "duplicate_of": None, "encoding": "utf-8",
                       "large_firm": winner.tags[0]},
        })
    return entries
