"""A small real warehouse for ranking tests: the upstream tables the lead's stations write
(core.companies, core.company_mentions, core.entity_links) are filled directly, then the real
SQL models and scoring run over them."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from pathlib import Path

import yaml

from kernel.contracts import MENTION_COLUMNS as CONTRACT_MENTION_COLUMNS
from warehouse.db import connect, ensure_schemas
from warehouse.feeds import create_feed_tables, load_feeds_config
from warehouse.refdata import load_reference
from warehouse.scoring import build_ranking

AS_OF = dt.date(2026, 11, 1)

COMPANY_COLUMNS = (
    "company_id VARCHAR, name VARCHAR, uscc VARCHAR, province VARCHAR, city VARCHAR, district VARCHAR, "
    "branch VARCHAR, industry VARCHAR, is_branch BOOLEAN, is_non_enterprise BOOLEAN, records INTEGER, "
    "first_seen DATE, last_seen DATE"
)
# core.company_mentions: the Mention contract without the keys dbt_like_sql/core/company_mentions.sql
# drops, plus the company it resolved to and the purchaser of its notice.
_NOT_IN_COMPANY_MENTIONS = ("content_hash", "notice_id", "is_correction", "supersedes", "address", "extra")
MENTION_COLUMNS = ", ".join([
    "company_id VARCHAR", "purchaser_name VARCHAR",
    *(f"{key} {ctype}" for key, ctype in CONTRACT_MENTION_COLUMNS.items() if key not in _NOT_IN_COMPANY_MENTIONS),
    "legal_rep_hash VARCHAR",  # taken from `extra` by company_mentions.sql
    # a 声明函 line's size, taken from `extra.size_declaration` by company_mentions.sql
    "declaration VARCHAR", "declared_size VARCHAR", "declared_industry VARCHAR", "declared_employees BIGINT",
    "declared_revenue_yuan DOUBLE", "declared_assets_yuan DOUBLE",
])
# core.entity_records as warehouse/entity_links.py writes it (one record per test company)
ENTITY_RECORD_COLUMNS = (
    "record_id VARCHAR, company_id VARCHAR, display_name VARCHAR, match_key VARCHAR, core_name VARCHAR, "
    "legal_form VARCHAR, province VARCHAR, city VARCHAR, district VARCHAR, is_branch BOOLEAN, "
    "parent_match_key VARCHAR, is_non_enterprise BOOLEAN, uscc VARCHAR, uscc_valid BOOLEAN, industry VARCHAR, "
    "source_id VARCHAR"
)

_counter = itertools.count(1)


# The ranking tests pin their own scorecard: re-tuning the shipped configs/scoring.yaml must not
# break them (tests/ranking/test_scoring_config.py checks that the shipped file loads).
SCORING_FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "scoring.yaml"


def base_scoring() -> dict:
    data = yaml.safe_load(SCORING_FIXTURE.read_text(encoding="utf-8"))
    data["as_of"] = AS_OF.isoformat()
    return data


class World:
    def __init__(self, path: Path):
        self.path = path
        self.con = connect(path)
        ensure_schemas(self.con)
        load_reference(self.con, scoring=base_scoring())
        create_feed_tables(self.con, load_feeds_config())
        self.con.execute(f"CREATE TABLE core.companies ({COMPANY_COLUMNS})")
        self.con.execute(f"CREATE TABLE core.company_mentions ({MENTION_COLUMNS})")
        self.con.execute(
            "CREATE TABLE core.entity_links (record_id VARCHAR, company_id VARCHAR, rule VARCHAR, score DOUBLE, "
            "features JSON)"
        )
        self.con.execute(f"CREATE TABLE core.entity_records ({ENTITY_RECORD_COLUMNS})")

    def company(self, company_id: str, name: str, branch: str = "杭州分行", industry: str | None = None,
                non_enterprise: bool = False, uscc: str | None = None) -> str:
        self.con.execute(
            "INSERT INTO core.companies VALUES (?, ?, ?, '浙江省', '杭州市', NULL, ?, ?, false, ?, 1, NULL, NULL)",
            [company_id, name, uscc, branch, industry, non_enterprise],
        )
        self.entity_record(company_id, name, uscc=uscc, industry=industry, non_enterprise=non_enterprise)
        return company_id

    def entity_record(self, company_id: str, name: str, record_id: str | None = None, uscc: str | None = None,
                      industry: str | None = None, non_enterprise: bool = False, source_id: str = "test") -> str:
        """A record of the company as resolution describes it (name parsed by the resolver's own parser)."""
        from warehouse.codes import is_valid_uscc
        from warehouse.resolve.name_parts import parse_company_name

        parsed = parse_company_name(name)
        record_id = record_id or f"rec:{company_id}:{next(_counter)}"
        self.con.execute(
            "INSERT INTO core.entity_records VALUES (?, ?, ?, ?, ?, ?, '浙江省', '杭州市', NULL, ?, ?, ?, ?, ?, ?, ?)",
            [record_id, company_id, parsed.display, parsed.match_key, parsed.core, parsed.legal_form, parsed.is_branch,
             parsed.parent_key, non_enterprise, uscc, bool(uscc) and is_valid_uscc(uscc), industry, source_id],
        )
        return record_id

    def mention(self, company_id: str, role: str, source_kind: str, **fields) -> str:
        n = next(_counter)
        mention_id = hashlib.sha1(f"m{n}".encode()).hexdigest()
        row = {
            "mention_id": mention_id, "company_id": company_id, "source_id": fields.pop("source_id", f"src_{source_kind}"),
            "source_kind": source_kind, "role": role, "name": company_id, "url": fields.pop("url", f"https://example.gov.cn/n/{n}.html"),
            "published_at": fields.pop("published_at", AS_OF - dt.timedelta(days=30)),
            "fetched_at": dt.datetime(2026, 10, 31, 8, 0), "run_id": "20261031T080000Z-abcdef",
            "status": fields.pop("status", "active"),
        }
        row.update(fields)
        columns = ", ".join(row)
        self.con.execute(
            f"INSERT INTO core.company_mentions ({columns}) VALUES ({', '.join('?' for _ in row)})", list(row.values())
        )
        return mention_id

    def win(self, company_id: str, amount: float = 3_260_000, days_ago: int = 30, project: str = "某医院CT维保项目",
            **fields) -> str:
        return self.mention(company_id, "winner", "procurement_award", amount_yuan=amount, project_name=project,
                            published_at=AS_OF - dt.timedelta(days=days_ago), **fields)

    def feed_row(self, feed: str, company_id: str, **fields) -> str:
        n = next(_counter)
        record_id = f"{feed}:{hashlib.sha1(f'r{n}'.encode()).hexdigest()}"
        row = {"record_id": record_id, "feed_file": f"{feed}/test.csv", "row_number": n,
               "feed_date": fields.pop("feed_date", AS_OF - dt.timedelta(days=3)), **fields}
        columns = ", ".join(row)
        self.con.execute(
            f"INSERT INTO raw.feed_{feed} ({columns}) VALUES ({', '.join('?' for _ in row)})", list(row.values())
        )
        self.con.execute("INSERT INTO core.entity_links VALUES (?, ?, 'test', 1.0, '{}')", [record_id, company_id])
        return record_id

    def payroll(self, company_id: str, headcount: int = 48, monthly: float = 312_000) -> str:
        return self.feed_row("payroll", company_id, employer_name=company_id, headcount=headcount,
                             monthly_payroll_yuan=monthly, months_active=12)

    def build(self, scoring: dict | None = None) -> dict:
        return build_ranking(self.con, scoring or base_scoring())

    def ranked(self, branch: str | None = None) -> list[tuple]:
        sql = "SELECT company_id, rank, score FROM marts.prospects_ranked WHERE rank IS NOT NULL"
        params = []
        if branch:
            sql += " AND branch = ?"
            params.append(branch)
        return self.con.execute(sql + " ORDER BY branch, rank", params).fetchall()

    def row(self, company_id: str) -> dict:
        cursor = self.con.execute("SELECT * FROM marts.prospects_ranked WHERE company_id = ?", [company_id])
        names = [d[0] for d in cursor.description]
        values = cursor.fetchone()
        return dict(zip(names, values)) if values else {}


