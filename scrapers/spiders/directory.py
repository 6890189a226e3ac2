"""Directory spider: chamber / association / park directories.

One list per tier (`list.tiers: [{url, tier}]`, else `start_urls`); members are read from the
list pages themselves (extract_page with `tier`), `list.item_links` adds detail pages (then list pages are only read for links unless
`list.extract_on_list: true`). Paging:
`list.next_page`, or JS paging where `javascript:goPage(n)` links are mapped onto the real URL
by `list.page_index` (or `list.page_template`) — a template (`{url}`, `{stem}`, `{ext}` of the tier page, `{page}`) or
`{url: template, pattern: regex with the page number as group 1}`. Directory lists are
snapshots: re-read fully every run (never cached, never skipped as seen).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from scrapy.http import Response

from scrapers.spiders.base import SourceSpider, fill_template, select_all

DEFAULT_PAGE_PATTERN = r"goPage\(\s*['\"]?(\d+)"


class DirectorySpider(SourceSpider):
    async def start(self):
        tiers = self.source.list.get("tiers") or [{"url": u, "tier": None} for u in self.source.start_urls]
        for tier in tiers:
            yield self.list_request(tier["url"], page_no=1, tier=tier.get("tier"), tier_url=tier["url"],
                                    dont_filter=True)

    def parse_list(self, response: Response, **_: Any) -> Iterator[Any]:
        self.count("list_pages")
        tier = response.meta.get("tier")
        # Members are read off the list pages unless the list only links to detail pages
        # (`list.extract_on_list`, default: true when no `item_links` is configured).
        if self.source.list.get("extract_on_list", not self.source.list.get("item_links")):
            result, _ = self.read_page(response.body, response, tier=tier, page_type="list")
            yield from self.emit(result, response)
            yield from self.follow_attachments_of(response, result)
        selector = self.selector(response)
        new, _total = self.new_detail_links(response, self.item_links(response, selector))
        for url in new:
            yield self.detail_request(url, tier=tier)
        yield from self.more_pages(response, selector)

    def more_pages(self, response: Response, selector) -> Iterator[Any]:
        meta = {"tier": response.meta.get("tier"), "tier_url": response.meta.get("tier_url")}
        page_no = int(response.meta.get("page_no") or 1)
        max_pages = int(self.source.list.get("max_pages") or 1000)
        next_expr = self.source.list.get("next_page")
        if next_expr:
            hrefs = [h for h in select_all(selector, next_expr) if h and not h.startswith("javascript:")]
            if hrefs and page_no < max_pages:
                yield self.list_request(response.urljoin(hrefs[0]), page_no=page_no + 1, **meta)
            return
        page_index = self.source.list.get("page_index") or self.source.list.get("page_template")
        if not page_index:
            return
        if isinstance(page_index, str):
            page_index = {"url": page_index}
        tier_url = meta["tier_url"] or response.url
        stem, dot, ext = tier_url.rpartition(".")
        if not dot or "/" in ext:
            stem, ext = tier_url, ""

        def page_url(n: int) -> str:
            return response.urljoin(fill_template(page_index["url"], {"page": n, "page0": n - 1, "url": tier_url,
                                                                      "stem": stem, "ext": ext}))

        pattern = re.compile(page_index.get("pattern") or DEFAULT_PAGE_PATTERN)
        html = " ".join(selector.css("[href]::attr(href), [onclick]::attr(onclick)").getall())
        pages = {int(n) for n in pattern.findall(html)}
        if pages:
            if page_no == 1:  # the first page schedules every page its JS pager names
                for n in sorted(p for p in pages if 1 < p <= max_pages):
                    yield self.list_request(page_url(n), page_no=n, **meta)
            return
        # No JS pager on the page: walk the template one page at a time until a 404 or max_pages.
        if page_no < max_pages and (self.source.list.get("item_links") is None
                                    or self.item_links(response, selector)):
            yield self.list_request(page_url(page_no + 1), page_no=page_no + 1, end_on_404=True, **meta)
