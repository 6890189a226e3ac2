"""Notice spider: static list pages → detail pages (→ attachments).

Pagination by `list.next_page` (a link on the page) or `list.page_template` + `max_pages` (pages
2..N, walked one after another so paging can stop early). Paging stops at an empty page, a 404
on a templated page, or — for incremental crawls — a page whose links were all seen before
(`list.stop_when_seen`, default true). List pages are re-fetched every run and never cached.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scrapy.http import Response

from scrapers.spiders.base import SourceSpider, fill_template, select_all


class NoticeSpider(SourceSpider):
    async def start(self):
        for url in self.source.start_urls:
            yield self.list_request(url, page_no=1, dont_filter=True)

    def parse_list(self, response: Response, **_: Any) -> Iterator[Any]:
        self.count("list_pages")
        selector = self.selector(response)
        if self.source.list.get("extract_on_list"):
            yield from self.mentions_on_list(response)
        new, total = self.new_detail_links(response, self.item_links(response, selector))
        for url in new:
            yield self.detail_request(url)
        if total == 0:
            self.logger.info("list page %s has no item links: paging ends", response.url)
            return
        if not new and self.stop_when_seen:
            self.logger.info("every link on %s was seen before: paging stops", response.url)
            return
        next_request = self.next_list_request(response, selector)
        if next_request is not None:
            yield next_request

    def mentions_on_list(self, response: Response) -> Iterator[Any]:
        result, page_kind = self.read_page(response.body, response, tier=response.meta.get("tier"), page_type="list")
        yield from self.emit(result, response, page_kind=page_kind)

    def next_list_request(self, response: Response, selector) -> Any:
        page_no = int(response.meta.get("page_no") or 1)
        max_pages = int(self.source.list.get("max_pages") or 10_000)
        if page_no >= max_pages:
            return None
        next_expr = self.source.list.get("next_page")
        if next_expr:
            hrefs = [h for h in select_all(selector, next_expr) if h and not h.startswith("javascript:")]
            if hrefs:
                return self.list_request(response.urljoin(hrefs[0]), page_no=page_no + 1,
                                         tier=response.meta.get("tier"))
            return None
        template = self.source.list.get("page_template")
        if template:
            url = fill_template(template, {"page": page_no + 1, "page0": page_no})
            return self.list_request(url, page_no=page_no + 1, end_on_404=True, tier=response.meta.get("tier"))
        return None
