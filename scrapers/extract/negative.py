"""Negative lists: 失信被执行人 / 限制高消费 / 严重违法失信 / 经营异常 / 行政处罚 → role penalized."""

from __future__ import annotations

from collections.abc import Mapping

from scrapers.extract.codes import find_usccs
from scrapers.extract.dates import parse_date
from scrapers.extract.entities import entity_records
from scrapers.extract.lookups import penalty_rules
from scrapers.extract.page_model import Page
from scrapers.extract.result import PageResult


def penalty_type(*texts: str | None) -> str | None:
    joined = " ".join(t for t in texts if t)
    for kind, keywords in penalty_rules():
        if any(k in joined for k in keywords):
            return kind
    return None


def _iso(text: str | None) -> str | None:
    day = parse_date(text) if text else None
    return day.isoformat() if day else None


def extract_negative(page: Page, url: str, config: Mapping | None, result: PageResult, first: dict) -> None:
    config = config or {}
    headers = " ".join(" ".join(g.header) for g in page.grids)
    kind = config.get("penalty_type") or penalty_type(result.notice.get("notice_title"), page.title, *page.headings[:6], headers)
    if kind is None:
        result.problem("unknown_penalty_type", "page title and headers name no known list (失信被执行人/限制高消费/严重违法失信/经营异常/行政处罚)")
    region = config.get("region")
    for record in entity_records(page):
        raw = record.get(record["_name_field"])
        codes = find_usccs(record.get("uscc") or record.get("_row"))
        name = result.accept_name(raw, "penalized party")
        if not name:
            continue
        lifted = bool(record.get("removed_date") or record.get("removed_reason"))
        published = _iso(record.get("listed_date")) or result.notice.get("published_at")
        mention = result.add(
            url, region, role="penalized", name=name, uscc=codes[0] if codes else None, address=record.get("address"),
            penalty_type=kind, reason=record.get("reason"), authority=record.get("authority"),
            status="lifted" if lifted else "active", case_no=record.get("case_no"),
            removed_date=_iso(record.get("removed_date")), removed_reason=record.get("removed_reason"),
            penalty_content=record.get("penalty_content"), legal_rep=record.get("legal_rep"),
        )
        mention["published_at"] = published
    if not result.mentions:
        result.problem("no_entries", "negative-list page lists no party")
