"""Chamber directories (role member, tier + district tag) and park directories (role tenant)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from scrapers.extract.codes import find_usccs
from scrapers.extract.dates import parse_date
from scrapers.extract.entities import entity_records
from scrapers.extract.labels import IGNORED, field_for
from scrapers.extract.lookups import words
from scrapers.extract.page_model import Page
from scrapers.extract.result import PageResult

_TAG = re.compile(r"^\s*[\[［【(（]\s*([^\]］】)）\[]{1,10}?)\s*[\]］】)）]")
_LABEL_PREFIX = re.compile(r"^\s*([^：:\s]{2,12})\s*[：:]\s*")
_TAIL_TAG = re.compile(r"\s*[\[［【]\s*([^\]］】]{1,10}?)\s*[\]］】]\s*$")


def _tier(page: Page, url: str, config: Mapping | None) -> str | None:
    config = config or {}
    if config.get("tier"):
        return config["tier"]
    for entry in (config.get("list") or {}).get("tiers") or []:
        if isinstance(entry, Mapping) and entry.get("url") and url and url.split("?")[0].rstrip("/") == str(entry["url"]).split("?")[0].rstrip("/"):
            return entry.get("tier")
    tiers = sorted(words("tiers"), key=len, reverse=True)
    for text in [*page.headings, page.title]:
        for tier in tiers:
            if tier in (text or ""):
                return tier
    return None


def _role(page: Page, config: Mapping | None) -> str:
    config = config or {}
    role = config.get("role") or (config.get("detail") or {}).get("role")
    if role in ("member", "tenant", "merchant"):  # merchant: a 专业市场 directory names it in its source
        return role
    fields = {e.field for e in page.pairs} | {f for g in page.grids for f in g.fields}
    if fields & {"entry_date", "company_status", "industry"}:
        return "tenant"
    text = " ".join([page.title, *page.headings[:5]])
    return "tenant" if any(w in text for w in words("park_words")) else "member"


def _org_like(name: str) -> bool:
    return any(name.endswith(s) for s in words("org_suffixes")) or "公司" in name


def _anchor_members(page: Page) -> list[tuple[str, str | None]]:
    found = []
    if page.root is None:
        return found
    for anchor in page.root.iter("a"):
        if anchor.getparent() is not None and anchor.getparent().tag in ("nav", "header", "footer"):
            continue
        name = (anchor.get("title") or "".join(anchor.itertext()) or "").strip()
        if not name:
            continue
        following = anchor.tail or ""
        sibling = anchor.getnext()
        if sibling is not None and isinstance(sibling.tag, str) and sibling.tag.lower() in ("font", "span", "em", "i", "small") and len(following.strip()) <= 1:
            following += "".join(sibling.itertext()) + (sibling.tail or "")
        match = _TAG.match(following)
        district = match.group(1).strip() if match else None
        found.append((name, district))
    return found


def extract_directory(page: Page, url: str, config: Mapping | None, result: PageResult, first: dict) -> None:
    role = _role(page, config)
    tier = _tier(page, url, config)
    region = (config or {}).get("region")
    list_name = (config or {}).get("list_name")  # a market's directory: the market is the list
    seen: set[str] = set()

    def add(raw: str, district=None, record: dict | None = None) -> None:
        record = record or {}
        codes = find_usccs(record.get("uscc") or raw)
        tag = _TAIL_TAG.search(raw or "")
        if tag and district is None:
            district = tag.group(1)
        name = result.accept_name(raw, role)
        if not name or name in seen:
            return
        seen.add(name)
        entry = parse_date(record.get("entry_date")) if record.get("entry_date") else None
        result.add(url, region, role=role, name=name, uscc=codes[0] if codes else None, address=record.get("address"),
                   district=district or record.get("district"), tier=record.get("tier") or tier,
                   industry=record.get("industry"), joined_at=entry.isoformat() if entry else record.get("entry_date"),
                   company_status=record.get("company_status"), legal_rep=record.get("legal_rep"), list_name=list_name,
                   product=record.get("product"))

    for record in entity_records(page):
        add(record.get(record["_name_field"]), record=record)
    if not result.mentions and role == "member":
        for name, district in _anchor_members(page):
            if _org_like(name.strip()):
                add(name, district)
        if not result.mentions:
            for line in page.lines:
                for part in re.split(r"\s{2,}|[、；;|]", line):
                    label = _LABEL_PREFIX.match(part)
                    if label:
                        if field_for(label.group(1))[0] == IGNORED:
                            continue  # "主办单位：… 技术支持：…": a site footer, not a member
                        part = part[label.end():]
                    clean = _TAIL_TAG.sub("", part).strip()
                    if 4 <= len(clean) <= 40 and _org_like(clean):
                        add(part)
    if not result.mentions:
        result.problem("no_members", f"directory page lists no {role}s")
