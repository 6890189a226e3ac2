"""What every source spider shares: config, run id, seen state, routing to `scrapers.extract`.

Spiders only fetch and route. Parsing is `scrapers.extract` (pure functions); validation,
provenance and files are `scrapers.landing`. Page kinds are told apart by `meta["page_type"]`
(`list`, `detail`, `attachment`); only detail pages and attachments are `meta["cacheable"]`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import parse_qsl, unquote, urlparse

from scrapy import Request, Spider
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Response
from scrapy.selector import Selector
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import ConnectionRefusedError, DNSLookupError, TCPTimedOutError, TimeoutError

from kernel.contracts import NOTICE_KEYS
from kernel.limits import LIMIT_REASONS
from kernel.paths import DataPaths
from kernel.sources import SourceConfig
from scrapers.antibot import BlockedPage, HostBackedOff, response_headers
from scrapers.items import Quarantined
from scrapers.provenance import content_hash, new_run_id, utc_now_iso
from scrapers.state import SeenState

DEFAULT_ATTACHMENT_PATTERN = r"\.(xlsx?|pdf|csv)(\?.*)?$"
# Link texts that announce a correction of an earlier notice.
CORRECTION_WORDS = re.compile(r"更正|变更|补充公告|澄清")


headers_dict = response_headers


def select_all(selector: Selector, expression: str) -> list[str]:
    """A css (`a::attr(href)`) or xpath (starting with `/` or `(`) expression, all matches."""
    expression = expression.strip()
    if expression.startswith(("/", "(")):
        return [v.strip() for v in selector.xpath(expression).getall()]
    return [v.strip() for v in selector.css(expression).getall()]


def fill_template(template: str, values: Mapping[str, Any]) -> str:
    """`{name}` placeholders from `values`; other braces are left alone (unlike str.format)."""
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), template)


class SourceSpider(Spider):
    """Base of the generic spiders. Subclasses are built per source by the spider loader."""

    source: SourceConfig  # set on the generated subclass

    def __init__(self, *args: Any, run_id: str | None = None, dry_run: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.run_id = run_id or new_run_id()
        self.paths = DataPaths.from_env()
        # a dry run (scrapers.dryrun) sees every page as new and never saves what it saw
        self.dry_run = bool(dry_run)
        self.seen = (SeenState(self.paths.state / self.name / "dry-run-never-saved.json") if self.dry_run
                     else SeenState.for_source(self.paths.state, self.name))
        self.stop_when_seen = bool(self.source.list.get("stop_when_seen", True))
        pattern = (self.source.attachments or {}).get("pattern") or DEFAULT_ATTACHMENT_PATTERN
        self.attachment_pattern = re.compile(pattern, re.IGNORECASE)
        self.follow_attachments = (self.source.attachments or {}).get("follow", True)

    # -- requests -------------------------------------------------------------------------------
    def list_request(self, url: str, callback=None, **meta: Any) -> Request:
        meta.update(page_type="list", cacheable=False)
        return Request(url, callback=callback or self.parse_list, errback=self.on_error, meta=meta,
                       dont_filter=meta.pop("dont_filter", False))

    def detail_request(self, url: str, **meta: Any) -> Request:
        """A detail page or, if the URL looks like one, an attachment; both cacheable."""
        if self.attachment_pattern.search(url):
            return self.attachment_request(url, **meta)
        meta.update(page_type="detail", cacheable=True, link_url=url)
        return Request(url, callback=self.parse_detail, errback=self.on_error, meta=meta)

    def attachment_request(self, url: str, **meta: Any) -> Request:
        meta.update(page_type="attachment", cacheable=True, link_url=url)
        return Request(url, callback=self.parse_attachment, errback=self.on_error, meta=meta)

    # -- pages ----------------------------------------------------------------------------------
    def count(self, what: str, n: int = 1) -> None:
        self.crawler.stats.inc_value(f"tuoke/{what}", n)

    def selector(self, response: Response) -> Selector:
        """Selector over text decoded from bytes + headers (never response.text: GBK pages lie)."""
        from scrapers.extract import decode_body

        return Selector(text=decode_body(response.body, headers_dict(response)), base_url=response.url)

    def extract_config(self, **extra: Any) -> dict[str, Any]:
        config = dict(self.source.detail or {})
        config.setdefault("source_id", self.source.id)
        config.setdefault("region", self.source.region)
        config.update({k: v for k, v in extra.items() if v is not None})
        return config

    def new_detail_links(self, response: Response, links: Iterable[tuple[str, str]]) -> tuple[list[str], int]:
        """Absolute detail URLs not seen in earlier runs, and how many links the page had.

        Seen is decided by URL: a correction notice has its own URL, so it is fetched even when
        the notice it corrects was seen (its mention then carries `supersedes`).
        """
        total, new = 0, []
        for href, text in links:
            if not href or href.startswith(("javascript:", "#", "mailto:")):
                continue
            url = response.urljoin(href)
            total += 1
            if self.seen.seen_url(url):
                self.count("skipped_seen")
                continue
            if CORRECTION_WORDS.search(text or ""):
                self.count("corrections_found")
            new.append(url)
        return new, total

    def item_links(self, response: Response, selector: Selector) -> list[tuple[str, str]]:
        """(href, link text) of detail links on a list page, from `list.item_links`."""
        expression = self.source.list.get("item_links")
        if not expression:
            return []
        hrefs = select_all(selector, expression)
        # Link texts help flag corrections; only for css `a::attr(href)`-style selectors.
        texts: dict[str, str] = {}
        if "::attr(href)" in expression:
            for a in selector.css(expression.replace("::attr(href)", "")):
                texts[a.attrib.get("href", "")] = " ".join(a.css("::text").getall())
        return [(h, texts.get(h, "")) for h in hrefs]

    def page_body(self, response: Response) -> bytes:
        """The page's HTML bytes (a detail page answered as JSON is unwrapped by `list.api.detail_html_path`)."""
        return response.body

    def read_page(self, body: bytes, response: Response, **config: Any) -> tuple[Any, str | None]:
        """(PageResult, kind it was read as for `kind: auto` sources, else None). The kind is the source's,
        or the page's own (headline, URL, sentence, structure; counted per kind); the page's extraction
        health (scrapers.extract.health) is added to the run's stats."""
        from scrapers.extract import extract_auto, extract_page
        from scrapers.extract.health import page_health

        headers, settings = headers_dict(response), self.extract_config(**config)
        if self.source.kind == "auto":
            result, decided = extract_auto(body, response.url, headers=headers, config=settings)
            self.count(f"pages_by_kind/{decided.kind}")
            self.logger.debug("page kind of %s: %s (%s)", response.url, decided.kind, decided.evidence)
            page_kind, found = decided.extract_as, decided.kind
        else:
            result = extract_page(body, response.url, kind=self.source.kind, headers=headers, config=settings)
            page_kind, found = None, None
        for key, value in page_health(result, page_kind or self.source.kind, found).items():
            if value:
                self.count(f"health/{key}", value)
        return result, page_kind

    def parse_detail(self, response: Response, **_: Any) -> Iterator[Any]:
        self.count("detail_pages")
        result, page_kind = self.read_page(self.page_body(response), response, tier=response.meta.get("tier"))
        yield from self.emit(result, response, page_kind=page_kind)
        self.mark_seen(response, result.notice)
        yield from self.follow_attachments_of(response, result, page_kind=page_kind)

    def parse_attachment(self, response: Response, **_: Any) -> Iterator[Any]:
        from scrapers.extract import extract_attachment

        self.count("attachments")
        # `auto` sources: an attachment is read as the kind of the page that linked it
        kind = self.source.kind if self.source.kind != "auto" else response.meta.get("page_kind") or "winner_list"
        result = extract_attachment(response.body, attachment_filename(response), kind=kind,
                                    config=self.extract_config(tier=response.meta.get("tier")))
        yield from self.emit(result, response, page_kind=kind if self.source.kind == "auto" else None)
        self.mark_seen(response, None)

    def follow_attachments_of(self, response: Response, result: Any, page_kind: str | None = None) -> Iterator[Request]:
        if not self.follow_attachments:
            return
        # Only links matching `attachments.pattern` (default xls/xlsx/pdf/csv), whether the extractor
        # or the page's anchors found them: a .docx tender file is not a list we can read.
        candidates = set(result.attachment_links or []) | {
            h.strip() for h in self.selector(response).css("a::attr(href)").getall()}
        links = {h for h in candidates if h and self.attachment_pattern.search(h)}
        for href in sorted(links):
            url = response.urljoin(href)
            if self.seen.seen_url(url):
                self.count("skipped_seen")
                continue
            yield self.attachment_request(url, parent_notice=_notice_dict(result.notice),
                                          tier=response.meta.get("tier"), page_kind=page_kind)

    def mark_seen(self, response: Response, notice: Any) -> None:
        url = response.meta.get("link_url") or response.request.url
        notice_id = response.meta.get("notice_id") or (_notice_dict(notice).get("notice_id"))
        self.seen.add(url=url, notice_id=notice_id)

    def emit(self, result: Any, response: Response, page_kind: str | None = None) -> Iterator[Any]:
        """Mentions of a PageResult with page provenance; or the page to quarantine."""
        fetched_at = utc_now_iso()
        digest = content_hash(response.body)
        notice = {**(response.meta.get("parent_notice") or {}),
                  **{k: v for k, v in _notice_dict(result.notice).items() if v is not None}}
        parent_id = (response.meta.get("parent_notice") or {}).get("notice_id")
        if response.meta.get("page_type") == "attachment" and parent_id:  # the linking notice's id, not a file name
            notice["notice_id"] = parent_id
        unused = list(result.unused_labels or [])
        problems = list(result.problems or [])
        for reason, _detail in problems:
            self.count(f"problems/{reason}")
        if not result.mentions:
            if problems:
                reason, detail = problems[0]
                yield Quarantined(url=response.url, reason=reason, detail=detail, fetched_at=fetched_at,
                                  content_hash=digest, snippet=_snippet(response))
                # a page-level problem still reports labels nobody used
                if unused:
                    yield {"_unused_labels_only": True, "_unused_labels": unused}
            else:
                self.count("pages_without_mentions")
            return
        for reason, detail in problems:
            if reason in LIMIT_REASONS:  # read in part: what a limit cut off is quarantined, never silent
                yield Quarantined(url=response.url, reason=reason, detail=detail, fetched_at=fetched_at,
                                  content_hash=digest, snippet=_snippet(response))
        for i, mention in enumerate(result.mentions):
            item = dict(mention)
            for key, value in notice.items():
                if item.get(key) is None and value is not None:
                    item[key] = value
            if item.get("region") is None:
                item["region"] = self.source.region
            if item.get("tier") is None and response.meta.get("tier"):
                item["tier"] = response.meta["tier"]
            item["url"] = response.url
            item["fetched_at"] = fetched_at
            item["content_hash"] = digest
            if i == 0 and unused:
                item["_unused_labels"] = unused
            if page_kind:
                item["_page_kind"] = page_kind
            yield item

    # -- failures -------------------------------------------------------------------------------
    def on_error(self, failure) -> Iterator[Any]:
        request = failure.request
        page_type = request.meta.get("page_type")
        exc = failure.value
        if isinstance(exc, HostBackedOff):
            return
        if isinstance(exc, BlockedPage):
            self.count("blocked")
            yield Quarantined(url=request.url, reason="blocked", detail=f"{page_type} page: {exc}",
                              content_hash=content_hash(exc.body), snippet=exc.body[:300].decode("utf-8", "replace"))
            return
        if isinstance(exc, HttpError):
            status = exc.response.status
            if status == 404 and request.meta.get("end_on_404"):
                self.logger.info("list paging ended at %s (404)", request.url)
                return
            self.count("http_errors")
            self.count(f"http_errors/{status}")
            yield Quarantined(url=request.url, reason=f"http_{status}", detail=f"{page_type} page answered HTTP {status}",
                              content_hash=content_hash(exc.response.body), snippet=_snippet(exc.response))
            return
        if isinstance(exc, (DownloadTimeoutError, TimeoutError, TCPTimedOutError)):
            reason = "timeout"
        elif isinstance(exc, (CannotResolveHostError, DownloadConnectionRefusedError, DNSLookupError,
                              ConnectionRefusedError)):
            reason = "connection_error"
        elif isinstance(exc, ResponseDataLossError):
            reason = "truncated_response"
        elif isinstance(exc, DownloadFailedError):
            reason = "download_error"
        elif isinstance(exc, IgnoreRequest):  # robots.txt and other deliberate refusals: not site errors
            self.count("ignored_requests")
            self.logger.info("ignored %s: %s", request.url, exc)
            return
        else:
            reason = "download_error"
        self.count("http_errors")
        self.count(f"http_errors/{reason}")
        yield Quarantined(url=request.url, reason=reason, detail=f"{page_type} page failed: {exc.__class__.__name__}: {exc}")

    def closed(self, reason: str) -> None:
        if self.dry_run:
            return
        if reason == "finished":
            self.seen.save()
            self.logger.info("seen state saved: %d urls, %d notice ids", len(self.seen.urls), len(self.seen.notice_ids))
        else:
            self.logger.warning("crawl ended with %r: seen state not updated", reason)


def _notice_dict(notice: Any) -> dict[str, Any]:
    if notice is None:
        return {}
    if isinstance(notice, Mapping):
        return {k: notice.get(k) for k in NOTICE_KEYS if k in notice}
    return {k: getattr(notice, k) for k in NOTICE_KEYS if hasattr(notice, k)}


def attachment_filename(response: Response) -> str:
    if response.meta.get("filename"):  # named by the API that listed it (the URL may carry no extension)
        return str(response.meta["filename"])
    disposition = (response.headers.get(b"Content-Disposition") or b"").decode("latin-1")
    match = re.search(r"filename\*?=(?:UTF-8'')?\"?([^\";]+)", disposition, re.IGNORECASE)
    if match:
        return unquote(match.group(1))
    url = urlparse(response.url)
    name = PurePosixPath(unquote(url.path)).name
    if not re.search(DEFAULT_ATTACHMENT_PATTERN, name, re.IGNORECASE):
        # download scripts name the file in the query (downfile.jsp?fileName=P0202109.xlsx)
        for _key, value in parse_qsl(url.query):
            if re.search(DEFAULT_ATTACHMENT_PATTERN, value, re.IGNORECASE):
                return PurePosixPath(value).name
    return name or "attachment"


def _snippet(response: Response) -> str:
    return response.body[:300].decode("utf-8", "replace")

