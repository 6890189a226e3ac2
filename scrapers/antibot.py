"""Recognise anti-bot answers (JS cookie challenges, captcha pages, WAF blocks) and back off.

A block is never bypassed: the response is turned into `BlockedPage` (the spider's errback
records it as `blocked` in stats and quarantine) and the host is backed off for the rest of the
run — further requests to it are dropped before they reach the network (`HostBackedOff`).

Runs closer to the downloader than HttpCacheMiddleware, so a challenge page is never cached.
"""

from __future__ import annotations

import logging
import re

from scrapy.exceptions import IgnoreRequest
from scrapy.utils.httpobj import urlparse_cached

logger = logging.getLogger(__name__)

# Markers of well-known Chinese and international WAF / anti-bot products and challenge pages.
WAF_MARKERS = (
    "__jsl_clearance", "acw_sc__v2", "acw_tc", "_waf_", "yunsuo_session", "wzws_cid", "WZWS",
    "安全狗", "网站防火墙", "访问被拦截", "您的访问被阻断", "cf-chl", "cf_chl_opt", "Just a moment...",
    "Attention Required!", "Request blocked", "/cdn-cgi/challenge-platform", "_dd_s", "captcha-delivery",
)
CAPTCHA_MARKERS = ("captcha", "验证码", "人机验证", "滑动验证", "安全验证", "请完成验证")
_COOKIE_RELOAD = re.compile(
    r"document\.cookie\s*=.*?(location\.reload|location\.href|location\.replace|window\.location)",
    re.DOTALL | re.IGNORECASE,
)
# A challenge page is small; real notices with a login box mentioning 验证码 are not.
SMALL_BODY = 16 * 1024
BLOCK_STATUSES = (403, 412, 418, 429, 503)


def response_headers(response) -> dict[str, str]:
    """Scrapy headers (bytes, multi-valued) as a plain str mapping for the pure extractors."""
    return {k.decode("latin-1"): b", ".join(v).decode("latin-1") for k, v in response.headers.items()}


class BlockedPage(IgnoreRequest):
    """The response is an anti-bot answer, not the page asked for."""

    def __init__(self, marker: str, status: int, body: bytes):
        super().__init__(f"anti-bot answer ({marker}, HTTP {status})")
        self.marker = marker
        self.status = status
        self.body = body


class HostBackedOff(IgnoreRequest):
    """The host blocked us earlier in this run; the request is dropped, not sent."""


def detect_block(status: int, headers: dict[str, str], body: bytes) -> str | None:
    """The marker that identifies `body` as an anti-bot answer, or None for a normal page."""
    content_type = headers.get("content-type", "").lower()
    if content_type and not any(t in content_type for t in ("html", "text", "javascript")):
        return None  # attachments (pdf, xlsx) are never challenge pages
    if len(body) > SMALL_BODY:
        return None
    text = body.decode("utf-8", "replace")
    for marker in WAF_MARKERS:
        if marker in text:
            return marker
    if _COOKIE_RELOAD.search(text):
        return "js_cookie_challenge"
    lowered = text.lower()
    title = re.search(r"<title[^>]*>(.*?)</title>", text, re.DOTALL | re.IGNORECASE)
    title_text = title.group(1).lower() if title else ""
    for marker in CAPTCHA_MARKERS:
        if marker in title_text or (len(body) < 4096 and marker in lowered):
            return f"captcha:{marker}"
    if status in (403, 412, 418) and len(body) < 2048:
        return f"http_{status}_tiny"
    return None


class AntiBotMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.backed_off: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request, spider=None):
        host = urlparse_cached(request).hostname
        if host in self.backed_off:
            self.stats.inc_value("tuoke/skipped_backed_off")
            raise HostBackedOff(f"{host} blocked us earlier in this run")

    def process_response(self, request, response, spider=None):
        if request.meta.get("skip_antibot"):
            return response
        headers = {k.lower(): v for k, v in response_headers(response).items()}
        marker = detect_block(response.status, headers, response.body)
        if marker is None:
            return response
        host = urlparse_cached(request).hostname
        if host not in self.backed_off:
            logger.warning("anti-bot answer from %s (%s): backing off %s for this run", request.url, marker, host)
            self.backed_off.add(host)
        raise BlockedPage(marker, response.status, response.body)
