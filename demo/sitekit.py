"""Shared machinery of the demo generator: the site writer, the truth recorder, pools, page chrome."""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from demo.companies import Company, name_variant, short_city


class Site:
    """Writes files under out_dir and remembers the Content-Type each must be served with."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.headers: dict[str, str] = {}
        self.files = 0

    def write_bytes(self, rel: str, data: bytes, content_type: str) -> str:
        rel = rel.lstrip("/")
        path = self.out_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.headers["/" + rel] = content_type
        self.files += 1
        return "/" + rel

    def write_html(self, rel: str, text: str, *, encoding: str = "utf-8", header_charset: bool = True) -> str:
        """encoding gbk + header_charset False = a GBK page whose header names no charset."""
        if encoding != "utf-8":
            text = text.replace("¥", "￥")  # GBK has no U+00A5; GBK pages write the full-width sign
        data = text.encode(encoding, "xmlcharrefreplace")
        ctype = f"text/html; charset={encoding}" if header_charset else "text/html"
        return self.write_bytes(rel, data, ctype)

    def finish(self) -> None:
        self.write_bytes("_headers.json", json.dumps(self.headers, ensure_ascii=False, sort_keys=True)
                                                      .replace('", "', '",\n "').encode("utf-8"), "application/json")


class Truth:
    """What the pages really say: gold company per written name, and every notice's facts."""

    def __init__(self, universe: list[Company]) -> None:
        self.universe = universe
        self.by_id = {c.gold_id: c for c in universe}
        self.uses: dict[str, list[dict]] = {c.gold_id: [] for c in universe}
        self.notices: list[dict] = []
        self.by_url: dict[str, list[tuple[str, dict]]] = {}

    def use(self, company: Company, text: str, variant: str, source: str, url: str, role: str, **extra) -> None:
        row = {"source": source, "url": url, "text": text, "variant": variant, "role": role}
        row.update({k: v for k, v in extra.items() if v is not None})
        self.uses[company.gold_id].append(row)
        self.by_url.setdefault(url, []).append((company.gold_id, row))

    def copy_uses(self, from_url: str, to_url: str, **extra) -> None:
        """A republished page names the same companies the same way."""
        for gold_id, row in list(self.by_url.get(from_url, [])):
            copy = dict(row, url=to_url, **extra)
            self.uses[gold_id].append(copy)
            self.by_url.setdefault(to_url, []).append((gold_id, copy))

    def to_json(self) -> dict:
        companies = []
        for c in self.universe:
            data = c.truth()
            data["uses"] = self.uses[c.gold_id]
            data["appears_in"] = sorted({u["source"] for u in self.uses[c.gold_id]})
            companies.append(data)
        return {"companies": companies, "notices": self.notices}


class Namer:
    """Writes company names as a source writes them, and records each use in the truth."""

    def __init__(self, truth: Truth, source: str, rng: random.Random, messy: float = 0.35) -> None:
        self.truth, self.source, self.rng, self.messy = truth, source, rng, messy

    def __call__(self, company: Company, url: str, role: str, messy: float | None = None, **extra) -> str:
        text, variant = name_variant(company, self.rng, messy=self.messy if messy is None else messy)
        if company.former_names and _coin(url, company.gold_id, role) < FORMER_NAME_SHARE:
            # a page that still writes the name the firm had (曾用名); decided by a coin of its own so
            # the rng, and every other name on every page, stays as it was
            text, variant = company.former_names[0], "former_name"
        self.truth.use(company, text, variant, self.source, url, role, **extra)
        return text


FORMER_NAME_SHARE = 0.3  # of a renamed firm's public mentions


def _coin(*parts: str) -> float:
    return int(hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:8], 16) / 2**32


@dataclass
class Pools:
    """Which companies each source draws from (overlaps are deliberate)."""

    award_winners: list[Company]
    award_bidders: list[Company]
    ggzy: list[Company]
    grid: list[Company]
    srdi: list[Company]
    chamber: list[Company]
    park: list[Company]
    negative_only: list[Company]
    internal_only: list[Company]
    purchasers: list[Company]
    agents: list[Company]
    public: list[Company] = field(default_factory=list)


def allocate(universe: list[Company], seed: int) -> Pools:
    rng = random.Random(f"{seed}:alloc")
    firms = [c for c in universe if c.kind in ("enterprise", "branch")]
    rng.shuffle(firms)
    n = len(firms)

    def part(a: float, b: float) -> list[Company]:
        return firms[int(a * n): int(b * n)]

    internal_only = part(0.935, 1.0)
    public = firms[: len(firms) - len(internal_only)]
    return Pools(
        award_winners=part(0.0, 0.36),
        award_bidders=part(0.22, 0.50),
        ggzy=part(0.34, 0.49),
        grid=part(0.47, 0.58),
        srdi=part(0.56, 0.74) + part(0.0, 0.03),
        chamber=part(0.72, 0.87),
        park=part(0.85, 0.935),
        negative_only=part(0.90, 0.935),
        internal_only=internal_only,
        purchasers=[c for c in universe if c.kind == "purchaser"],
        agents=[c for c in universe if c.kind == "agent"],
        public=public,
    )


def random_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def random_time(rng: random.Random, day: date) -> datetime:
    return datetime(day.year, day.month, day.day, rng.randint(8, 21), rng.choice([0, 5, 10, 20, 30, 40, 45, 50]))


def phone(rng: random.Random) -> str:
    return f"0{rng.choice(['571', '574', '577', '573', '575', '579'])}-{rng.randint(81000000, 89999999)}"


def person(rng: random.Random) -> str:
    from demo.companies import GIVEN, SURNAMES

    return rng.choice(SURNAMES) + rng.choice(["女士", "先生", "工"]) if rng.random() < 0.3 else \
        rng.choice(SURNAMES) + rng.choice(GIVEN)


def chrome(title: str, body: str, *, site_name: str, meta_charset: str = "utf-8", nav: str = "",
           extra_head: str = "") -> str:
    """The page frame of a government portal: header, breadcrumb, content, footer."""
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={meta_charset}" />
<meta http-equiv="X-UA-Compatible" content="IE=edge" />
<title>{title}</title>
<link rel="stylesheet" type="text/css" href="/static/css/common.css" />
<script type="text/javascript" src="/static/js/jquery-1.8.3.min.js"></script>{extra_head}
</head>
<body>
<div class="header"><div class="logo"><a href="/">{site_name}</a></div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="#">政策法规</a></li><li><a href="#">办事指南</a></li></ul></div>
<div class="location">当前位置：<a href="/">首页</a> &gt; {nav}</div>
<div class="main">
{body}
</div>
<div class="footer"><p>主办单位：{site_name}　　技术支持：某某信息技术有限公司</p>
<p>浙ICP备05000000号-1　浙公网安备 33010602000000号</p></div>
</body>
</html>
"""


def list_page(items: list[tuple[str, str, str]], *, title: str, site_name: str, page: int, pages: int,
              name_of: callable, ul_class: str = "news-list") -> str:
    """A static CMS list page (TRS style: index.htm, index_1.htm …) with a 下一页 link."""
    lis = "\n".join(
        f'<li><a href="{href}" target="_blank" title="{t}">{t}</a><span class="date">{d}</span></li>'
        for href, t, d in items
    )
    pager = [f"<span>共{pages}页</span>", f'<a href="{name_of(0)}">首页</a>']
    if page > 0:
        pager.append(f'<a class="prev" href="{name_of(page - 1)}">上一页</a>')
    pager.append(f'<span class="current">{page + 1}</span>')
    if page < pages - 1:
        pager.append(f'<a class="next" href="{name_of(page + 1)}">下一页</a>')
    pager.append(f'<a href="{name_of(pages - 1)}">尾页</a>')
    body = f"""<div class="list-box"><h2 class="list-title">{title}</h2>
<ul class="{ul_class}">
{lis}
</ul>
<div class="page"><script type="text/javascript">createPageHTML({pages}, {page}, "index", "htm");</script>
{' '.join(pager)}</div></div>"""
    return chrome(title, body, site_name=site_name, nav=title)


def cms_list_name(page: int) -> str:
    return "index.htm" if page == 0 else f"index_{page}.htm"


def city_short(company: Company) -> str:
    return short_city(company.city)
