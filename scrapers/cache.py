"""HTTP-cache policy: only requests a spider marks `meta["cacheable"]` (detail pages, attachments).

List and paginated pages are never cached: new notices shift them, so a cached list page would
hide new items. Only 200 responses are stored (never an error page or a challenge page).
"""

from __future__ import annotations

from scrapy.extensions.httpcache import DummyPolicy


class DetailOnlyCachePolicy(DummyPolicy):
    def should_cache_request(self, request) -> bool:
        return bool(request.meta.get("cacheable")) and super().should_cache_request(request)

    def should_cache_response(self, response, request) -> bool:
        return response.status == 200 and super().should_cache_response(response, request)
