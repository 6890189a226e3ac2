"""Who the demo's companies are: a size profile per firm (从业人员, 营业收入, 资产总额, founding date,
registry status), the bank's licensed registry extract (工商登记, demo/internal/registry.csv) and
the class a firm declares in its 中小企业声明函.

A firm classes itself as the national standard says, read from configs/size_standard.yaml (the
demo imports nothing of tuoke; this is the supplier's own self-test, done from the same table).
Profiles honour the bank's records: a firm employs at least the people we pay for it.
Deterministic from the seed; every rng here is its own, so the rest of the demo stays as it was.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import yaml

from demo.companies import Company

STANDARD = Path(__file__).resolve().parents[1] / "configs" / "size_standard.yaml"
CLASS_WORDS = {"micro": "微型企业", "small": "小型企业", "medium": "中型企业", "large": "大型企业"}
RANKS = ("micro", "small", "medium", "large")
# GB/T 4754-2017 codes of the demo's industries (所属行业), as a registry extract writes them
GBT4754 = {
    "软件和信息技术服务业": "I6513", "计算机、通信和其他电子设备制造业": "C3912", "专用设备制造业": "C3599",
    "通用设备制造业": "C3499", "化学原料和化学制品制造业": "C2669", "生态保护和环境治理业": "N7724",
    "医药制造业": "C2720", "房屋建筑业": "E4790", "建筑装饰、装修和其他建筑业": "E5010", "土木工程建筑业": "E4819",
    "房地产业": "K7020", "居民服务业": "O8090", "餐饮业": "H6210", "农副食品加工业": "C1399", "批发业": "F5199",
    "文化艺术业": "R8890", "教育": "P8399", "专业技术服务业": "M7450", "电气机械和器材制造业": "C3899",
    "金属制品业": "C3399", "橡胶和塑料制品业": "C2929", "纺织业": "C1789", "汽车制造业": "C3670",
    "印刷和记录媒介复制业": "C2319", "家具制造业": "C2190", "安全保护服务": "L7272", "商务服务业": "L7299",
    "电信、广播电视和卫星传输服务": "I6312", "公共管理": "S9100",
}
REGISTRY_HEADER = ["企业名称", "统一社会信用代码", "曾用名", "登记状态", "成立日期", "注册资本", "企业类型", "行业代码",
                   "年报年份", "从业人数", "营业收入", "资产总额", "法定代表人"]
NOT_PUBLISHED = "企业选择不公示"
AS_OF = date(2026, 11, 1)  # the demo's build day (configs/scoring.yaml as_of is the build day)


@dataclass
class SizeProfile:
    company: Company
    industry: str | None  # the standard's industry
    employees: int
    revenue_wan: float
    assets_wan: float
    established: date
    status: str
    enterprise_type: str

    @property
    def declared_class(self) -> str:
        return classify(self.industry, self.employees, self.revenue_wan, self.assets_wan)


@cache
def _standard() -> dict:
    return yaml.safe_load(STANDARD.read_text(encoding="utf-8"))


def standard_industry(industry: str) -> str | None:
    """The standard's industry a 所属行业 falls in: by its GB/T 4754 code (the longest prefix a row
    lists), else the longest industry word it contains — as tuoke reads the registry."""
    code = GBT4754.get(industry)
    if code:
        prefixes = [(len(p), row["name"]) for row in _standard()["industries"] for p in row.get("gbt4754", [])
                    if code.startswith(p)]
        if prefixes:
            return max(prefixes)[1]
    best: tuple[int, str] | None = None
    for row in _standard()["industries"]:
        for word in (row["name"], *row.get("names", [])):
            if word in industry and (best is None or len(word) > best[0]):
                best = (len(word), row["name"])
    return best[1] if best else None


def classify(industry: str | None, employees: float, revenue_wan: float, assets_wan: float) -> str:
    """The class the standard gives these figures: every threshold of a class reached (及以上, 且)."""
    rows = {row["name"]: row for row in _standard()["industries"]}
    row = rows.get(industry) or rows["其他未列明行业"]
    value = {"employees": employees, "revenue_wan": revenue_wan, "assets_wan": assets_wan}
    reached = "micro"
    for size_class in ("small", "medium", "large"):
        if all(value[m] >= t for m, t in row[size_class].items()):
            reached = size_class
    return CLASS_WORDS[reached]


def _figures(rng: random.Random, industry: str | None, target: str) -> tuple[int, float, float]:
    """Figures of a firm of class `target` in its industry: between that class's thresholds and the
    next class's (a micro firm: under the small threshold on one measure); a measure the industry
    does not use gets a plausible value."""
    rows = {row["name"]: row for row in _standard()["industries"]}
    row = rows.get(industry) or rows["其他未列明行业"]
    plausible = {"employees": (3.0, 400.0), "revenue_wan": (30.0, 8000.0), "assets_wan": (20.0, 6000.0)}
    span = dict(plausible)
    if target == "micro":
        measure = rng.choice(sorted(row["small"]))
        span[measure] = (1.0, max(1.5, float(row["small"][measure]) * 0.9))
    else:
        upper = {"small": row["medium"], "medium": row["large"], "large": None}[target]
        for measure, low in row[target].items():
            high = float(upper[measure]) * 0.95 if upper else float(low) * 3
            span[measure] = (float(low), max(high, float(low) + 1))
    pick = {m: rng.uniform(*span[m]) for m in span}
    return max(1, int(pick["employees"])), round(pick["revenue_wan"], 2), round(pick["assets_wan"], 2)


def _enterprise_type(company: Company, rng: random.Random) -> str:
    if company.uscc and company.uscc.startswith("92"):
        return "个体工商户"
    if "listed" in company.tags:
        return "股份有限公司(上市、国有控股)"
    if company.is_branch:
        return "有限责任公司分公司(自然人投资或控股)"
    if company.kind == "large":
        return "有限责任公司(非自然人投资或控股的法人独资)"
    if company.legal_form == "股份有限公司":
        return "股份有限公司(非上市、自然人投资或控股)"
    return rng.choice(["有限责任公司(自然人投资或控股)", "有限责任公司(自然人独资)", "有限责任公司(自然人投资或控股)"])


def size_profiles(universe: list[Company], payroll_heads: dict[str, int], seed: int = 42) -> dict[str, SizeProfile]:
    """gold_id -> profile of every firm a registry registers (enterprises, branches, agents, large firms,
    the enterprise-coded purchasers)."""
    rng = random.Random(f"{seed}:sizes")
    profiles: dict[str, SizeProfile] = {}
    for company in universe:
        registered = company.kind in ("enterprise", "branch", "agent", "large") or (
            company.kind == "purchaser" and (company.uscc or "").startswith("91"))
        if not registered:
            continue
        industry = standard_industry(company.industry)
        target = "large" if company.kind == "large" or company.kind == "purchaser" else \
            rng.choices(["micro", "small", "medium"], [42, 45, 13])[0]
        employees, revenue, assets = _figures(rng, industry, target)
        employees = max(employees, payroll_heads.get(company.gold_id, 0))  # we pay at least that many
        roll = rng.random()
        if roll < 0.05:
            established = AS_OF - timedelta(days=rng.randint(60, 360))  # under a year: a risk
        elif roll < 0.11:
            established = AS_OF - timedelta(days=rng.randint(400, 720))  # under two years: 持续经营 not yet met
        else:
            established = date(rng.randint(2003, 2023), rng.randint(1, 12), rng.randint(1, 28))
        status = rng.choices(["存续（在营、开业、在册）", "在业", "吊销，未注销", "注销", "迁出"], [70, 24, 2, 1, 3])[0]
        if company.kind == "large":
            status = "存续（在营、开业、在册）"
        profiles[company.gold_id] = SizeProfile(company, industry, employees, revenue, assets, established, status,
                                                _enterprise_type(company, rng))
    return profiles


def registry_rows(profiles: dict[str, SizeProfile], seed: int = 42) -> list[list[str]]:
    """The licensed extract: most registered firms (a vendor's coverage is never complete), with the
    2025 annual report's figures where the firm published them."""
    rng = random.Random(f"{seed}:registry")
    rows = []
    for gold_id in sorted(profiles):
        p = profiles[gold_id]
        c = p.company
        if rng.random() > 0.92 and c.kind != "large":
            continue
        published = rng.random() < 0.75
        rows.append([
            c.name, c.uscc or "", "；".join(c.former_names), p.status, p.established.isoformat(),
            f"{c.registered_capital_wan}万人民币", p.enterprise_type, GBT4754.get(c.industry, ""),
            "2025" if published else "",
            str(p.employees) if published else NOT_PUBLISHED,
            f"{p.revenue_wan:.2f}万" if published and rng.random() < 0.45 else NOT_PUBLISHED,
            f"{p.assets_wan:.2f}万" if published and rng.random() < 0.3 else NOT_PUBLISHED,
            c.legal_rep,
        ])
    return rows
