"""A small real warehouse for the size tests: the ranking tests' World (tests/ranking/ranking_world.py)
with the shipped configs/scoring.yaml and configs/size_standard.yaml, large-enterprise lists of the
test's own, and helpers for a 声明函 line, a registry row and a large-list entry. The real SQL
models (large_enterprise_matches → company_signals → company_size_evidence → company_size → the
marts) run over it."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "ranking"))

from ranking_world import AS_OF, World  # noqa: E402

from warehouse.sizing import write_size_reference  # noqa: E402

SHIPPED_SCORING = REPO / "configs" / "scoring.yaml"

TEST_LISTS = {
    "referral": "建议转介公司金融部",
    "lists": [
        {"id": "t_listed", "kind": "listed", "label": "上市公司", "title": "上海证券交易所 股票列表", "publisher": "上交所",
         "entries": [{"name": "浙江钱潮智能装备股份有限公司", "code": "609001"}]},
        {"id": "t_central", "kind": "central_soe", "label": "中央企业", "title": "国务院国资委 央企名录",
         "publisher": "国务院国资委", "entries": [{"name": "中国恒通信息集团有限公司"}]},
        {"id": "t_province", "kind": "provincial_soe", "label": "省属国企", "title": "浙江省国资委 监管企业名录",
         "publisher": "浙江省国资委", "entries": [{"name": "浙江省之江交通建设集团有限公司", "prefixes": ["之江交建"]}]},
    ],
}


def shipped_scoring(**sizing) -> dict:
    data = yaml.safe_load(SHIPPED_SCORING.read_text(encoding="utf-8"))
    data["as_of"] = AS_OF.isoformat()
    data.setdefault("sizing", {}).update(sizing)
    return data


class SizeWorld(World):
    def __init__(self, path: Path, lists: dict | None = None):
        super().__init__(path)
        write_size_reference(self.con, None, lists or TEST_LISTS)

    def build(self, scoring: dict | None = None, **sizing) -> dict:
        return super().build(scoring or shipped_scoring(**sizing))

    def declaration(self, company_id: str, declared: str | None = "小型企业", *, declaration: str = "中小企业声明函",
                    industry: str | None = "工业", employees: int | None = 35, revenue_yuan: float | None = 12_000_000,
                    assets_yuan: float | None = None, published_at: dt.date = dt.date(2025, 6, 18)) -> str:
        return self.mention(company_id, "declarant", "procurement_award", declaration=declaration,
                            declared_size=declared, declared_industry=industry, declared_employees=employees,
                            declared_revenue_yuan=revenue_yuan, declared_assets_yuan=assets_yuan,
                            published_at=published_at)

    def registry(self, company_id: str, name: str | None = None, **fields) -> str:
        row = {"company_name": name or company_id, "status": "存续", **fields}
        return self.feed_row("registry", company_id, **row)

    def pos(self, company_id: str, monthly: float = 120_000) -> str:
        return self.feed_row("pos", company_id, merchant_name=company_id, monthly_volume_yuan=monthly, terminals=1)

    def credit(self, company_id: str, balance: float) -> str:
        return self.feed_row("credit_customers", company_id, customer_name=company_id, product="信用贷",
                             balance_yuan=balance, overdue=False)

    def size(self, company_id: str) -> dict:
        cursor = self.con.execute("SELECT * FROM core.company_size WHERE company_id = ?", [company_id])
        names = [d[0] for d in cursor.description]
        values = cursor.fetchone()
        return dict(zip(names, values)) if values else {}

    def check(self, name: str) -> list[tuple]:
        """The failing rows of the SQL test dbt_like_sql/tests/<name>.sql."""
        return self.con.execute((REPO / "dbt_like_sql" / "tests" / f"{name}.sql").read_text(encoding="utf-8")).fetchall()


__all__ = ["AS_OF", "SizeWorld", "shipped_scoring"]
