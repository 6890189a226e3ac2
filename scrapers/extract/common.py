"""What every HTML kind shares: notice fields, correction notices, attachment links, selectors."""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import urljoin

from scrapers.extract.dates import find_dates, parse_date
from scrapers.extract.labels import IGNORED
from scrapers.extract.lookups import words
from scrapers.extract.page_model import Page
from scrapers.extract.pairs import Pair, classify, line_pairs
from scrapers.extract.result import PageResult, notice_id_from_url
from scrapers.extract.text import has_cjk, label_key

_TITLE_WORDS = ("公告", "公示", "结果", "名单", "名录", "公布", "通知", "目录")
_ATTACHMENT = re.compile(r"\.(xlsx?|pdf|csv|docx?|zip|rar|wps|et)(?:$|[?#])", re.IGNORECASE)
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-_/\[\]〔〕()（）.]{4,60}")
_META_DATES = ("pubdate", "articlepubdate", "publishdate", "firstpublishtime", "article:published_time", "publishtime")
_LABELLED_DATE_ONLY = ("directory",)
_PROJECT_FROM_TITLE = re.compile(r"^(.{4,80}?)(?:的)?(?:中标|成交|结果|招标|采购|竞争性|询价|单一来源|候选人|更正|变更|废标|终止)")


def notice_title(page: Page) -> str | None:
    for heading in page.headings:
        if any(w in heading for w in _TITLE_WORDS) and len(heading) >= 6:
            return heading
    if page.headings:
        return page.headings[0]
    return page.title or None


def apply_selectors(page: Page, config: Mapping | None) -> None:
    """Per-source css selectors replace the generic values of the fields they name.

    Spiders pass the source's `detail` block itself (its `selectors` at the top); `tuoke extract
    --source` passes the whole source (`detail.selectors`)."""
    config = config or {}
    selectors = config.get("selectors") or (config.get("detail") or {}).get("selectors") or {}
    if not selectors or page.root is None:
        return
    found: dict[str, list[str]] = {}
    for field_name, css in selectors.items():
        css = re.sub(r"::(text|attr\([^)]*\))\s*$", "", str(css)).strip()
        try:
            from lxml.cssselect import CSSSelector

            elements = CSSSelector(css)(page.root)
        except Exception:  # a bad selector in a config must not stop extraction
            continue
        found[field_name] = [re.sub(r"\s+", " ", "".join(e.itertext())).strip() for e in elements]
    overridden = set(found)
    kept = [e for e in page.events if not (isinstance(e, Pair) and e.field in overridden)]
    longest = max((len(v) for v in found.values()), default=0)
    extra = [Pair(f"selector:{f}", values[i], f, None, "selector")
             for i in range(longest) for f, values in found.items() if i < len(values)]
    page.events[:] = extra + kept


def fill_notice(page: Page, url: str, result: PageResult, kind: str | None = None) -> dict[str, str]:
    """Set result.notice from the page; return the first value of every notice-level field seen.

    Directory pages carry arbitrary dates (入驻时间, 成立日期): their published date comes only from a
    labelled 发布日期 / 更新时间 (or a meta tag), never from the first or last date on the page.
    """
    first: dict[str, str] = {}
    for event in page.pairs:
        if event.field and event.value and event.field not in first:
            first[event.field] = event.value
    title = notice_title(page)
    notice = result.notice
    notice["notice_id"] = notice_id_from_url(url)
    notice["notice_title"] = title
    notice["project_name"] = first.get("project_name")
    if not notice["project_name"] and title:
        match = _PROJECT_FROM_TITLE.match(title)
        notice["project_name"] = match.group(1) if match else None
    code = first.get("project_code")
    notice["project_code"] = code.strip() if code else None
    published = None
    for event in page.pairs:
        if event.field == "published_at":
            published = parse_date(event.value)
            if published:
                break
    if published is None:
        for key in _META_DATES:
            if key in page.meta:
                published = parse_date(page.meta[key])
                if published:
                    break
    if published is None and kind in _LABELLED_DATE_ONLY:
        for event in page.pairs:
            if event.field == "updated_at":
                published = parse_date(event.value)
                if published:
                    break
    if published is None and kind not in _LABELLED_DATE_ONLY:
        for line in page.lines[:40]:
            if "发布" in line or "日期" in line or "时间" in line:
                pairs = line_pairs(line)
                if pairs and pairs[0].field not in (None, "published_at", "updated_at"):
                    continue  # 投标截止时间 / 获取招标文件时间 / 入驻时间: a date, not the publication date
                published = parse_date(line)
                if published:
                    break
    if published is None and kind not in _LABELLED_DATE_ONLY:
        tail = find_dates(" ".join(page.lines[-8:]))
        published = tail[-1] if tail else None
    notice["published_at"] = published.isoformat() if published else None
    heading_text = f"{title or ''} {page.title}"
    notice["is_correction"] = any(w in heading_text for w in words("correction_title"))
    notice["supersedes"] = None
    if notice["is_correction"]:
        original = first.get("correction_of")
        match = _CODE.search(original or "")
        notice["supersedes"] = match.group(0) if match else (original or notice["project_code"])
    result.attachment_links = attachment_links(page, url)
    return first


def attachment_links(page: Page, url: str) -> list[str]:
    links = []
    for href, text in page.links:
        if href.startswith(("javascript:", "mailto:", "#")):
            continue
        if _ATTACHMENT.search(href) or _ATTACHMENT.search(text or ""):
            absolute = urljoin(url or "", href)
            if absolute not in links:
                links.append(absolute)
    return links


def report_unused(page: Page, result: PageResult) -> None:
    """Every label seen and not mapped to a field: a redesigned page shows up here."""
    for event in page.events:
        if isinstance(event, Pair):
            if event.field is None and event.value:
                key, _ = label_key(event.label)
                if has_cjk(key) and 2 <= len(key) <= 16:
                    result.unused(key)
        else:
            for header in event.unused_headers():
                result.unused(header)


def is_failed_text(text: str | None) -> bool:
    return bool(text) and any(w in text for w in words("failed_lot"))


def field_of(label: str) -> str | None:
    field, _ = classify(label)
    return None if field == IGNORED else field
