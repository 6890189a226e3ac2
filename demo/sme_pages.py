"""中小企业声明函 on the demo's award pages, in the layout 财库〔2020〕46号 附1 prescribes (货物: 制造商为,
工程: 承建企业为, 服务: 承接企业为; one line per item), with the figures of the firm's size profile
(demo/sizes.py) and the class the firm computes from them. For goods the manufacturer is often not
the winner. A few declarations understate (half the figures): the registry's annual report then
says otherwise, as happens. Each block draws from an rng of its own (keyed by the notice), so the
pages' other content stays as it was.
"""

from __future__ import annotations

import random

from demo.companies import Company
from demo.sitekit import Namer, Pools, Truth

SOURCE = "demo_zj_award"
DECLARING_SHARE = 0.65  # of the awards to an SME: the rest claimed no SME treatment
ROLE_WORDS = {"货物": "制造商为", "工程": "承建企业为", "服务": "承接企业为"}
INTRO = {"货物": "提供的货物全部由符合政策要求的中小企业制造",
         "工程": "工程的施工单位全部为符合政策要求的中小企业",
         "服务": "服务全部由符合政策要求的中小企业承接"}


class Declarations:
    def __init__(self, truth: Truth, pools: Pools, profiles: dict, seed: int) -> None:
        self.truth, self.profiles, self.seed = truth, profiles, seed
        self.manufacturers = sorted((c for c in pools.public if c.kind == "enterprise" and "制造" in c.industry
                                     and c.gold_id in profiles and profiles[c.gold_id].declared_class != "大型企业"),
                                    key=lambda c: c.gold_id)
        self.count = 0

    def _line(self, number: int, item: str, company: Company, role_word: str, url: str, n: Namer,
              rng: random.Random) -> str:
        from demo.sizes import classify

        profile = self.profiles[company.gold_id]
        scale = 0.5 if rng.random() < 0.08 else 1.0  # an understated declaration
        employees = max(1, int(profile.employees * scale))
        revenue, assets = round(profile.revenue_wan * scale, 2), round(profile.assets_wan * scale, 2)
        declared = classify(profile.industry, employees, revenue, assets)
        name = n(company, url, "declarant", messy=0.1, declared=declared)
        industry = profile.industry or "其他未列明行业"
        return (f"<p>{number}. {item}（标的名称），属于{industry}（采购文件中明确的所属行业）行业；{role_word}{name}（企业名称），"
                f"从业人员{employees}人，营业收入为{revenue:g}万元，资产总额为{assets:g}万元，属于{declared}"
                "（中型企业、小型企业、微型企业）；</p>")

    def block(self, ctx: dict) -> str:
        """The 声明函 of one award, or '' when the winner is large or claimed no SME treatment."""
        winner: Company = ctx["winner"]
        profile = self.profiles.get(winner.gold_id)
        rng = random.Random(f"{self.seed}:{SOURCE}:sme:{ctx['serial']}")
        if profile is None or profile.declared_class == "大型企业" or rng.random() > DECLARING_SHARE:
            return ""
        n = Namer(self.truth, SOURCE, rng, messy=0.1)
        category = ctx["category"] if ctx["category"] in ROLE_WORDS else "货物"
        firms = [(ctx["item"], winner)]
        if category == "货物" and self.manufacturers and rng.random() < 0.4:
            firms = [(ctx["item"], rng.choice(self.manufacturers))]  # the winner resells a manufacturer's goods
            if rng.random() < 0.5:
                firms.append((f"{ctx['item']}配套附件", rng.choice(self.manufacturers)))
        lines = "\n".join(self._line(i, item, firm, ROLE_WORDS[category], ctx["url"], n, rng)
                          for i, (item, firm) in enumerate(firms, start=1))
        self.count += 1
        return f"""<div class="sme-declaration">
<p style="text-align:center"><strong>中小企业声明函（{category}）</strong></p>
<p>本公司（联合体）郑重声明，根据《政府采购促进中小企业发展管理办法》（财库〔2020〕46号）的规定，本公司（联合体）参加{ctx['purchaser'].name}（单位名称）的{ctx['project']}（项目名称）采购活动，{INTRO[category]}。相关企业（含联合体中的中小企业、签订分包意向协议的中小企业）的具体情况如下：</p>
{lines}
<p>以上企业，不属于大企业的分支机构，不存在控股股东为大企业的情形，也不存在与大企业的负责人为同一人的情形。</p>
<p>本企业对上述声明内容的真实性负责。如有虚假，将依法承担相应责任。</p>
<p>企业名称（盖章）：{winner.name}</p>
<p>日期：{ctx['pubtime']:%Y年%m月%d日}</p>
</div>"""
