"""Recognise anti-bot answers (JS cookie challenges, captcha pages, WAF blocks) and back off.

A block is never bypassed: the response is turned into `BlockedPage` (the spider's errback
records it as `blocked` in stats and quarantine) and the host is backed off for the rest of the
run — further requests to it are dropped before they reach the network (`HostBackedOff`).

Challenge pages are recognised by their markers, never by their size: a vendor's own marker
(`__jsl_clearance`, `cf_chl_opt`, ...) counts on a page of any size; a generic one (安全验证,
"Just a moment...") counts in the title or on a page with little readable text, so a real notice
that mentions 验证码 in its login box is not taken for a challenge.

429 and 503 are the site asking us to slow down: the request is rescheduled after the site's
`Retry-After` or an exponential per-host back-off, whichever is longer (the host's download slot
waits that long before its next request); when the retries are used up it counts as blocked.

Runs closer to the downloader than HttpCacheMiddleware and RetryMiddleware, so a challenge page
is never cached, never marked seen (the spider's errback, not its callback, gets it), and a 429
is never retried without a pause.
"""

from __future__ import annotations

import logging
import os
import re
import time
from email.utils import parsedate_to_datetime

from scrapy.exceptions import IgnoreRequest
from scrapy.utils.httpobj import urlparse_cached

logger = logging.getLogger(__name__)

# Markers only a vendor's challenge or block page carries: they count on a page of any size.
VENDOR_MARKERS = (
    "__jsl_clearance", "acw_sc__v2", "yunsuo_session", "wzws_cid", "cf_chl_opt", "cf-chl-bypass",
    "/cdn-cgi/challenge-platform", "captcha-delivery", "_waf_bd8ce2ce37",
)
# Generic wording of block pages: counts in the title or on a page with little readable text.
BLOCK_WORDS = (
    "acw_tc", "_waf_", "WZWS", "安全狗", "网站防火墙", "访问被拦截", "您的访问被阻断", "cf-chl", "Just a moment...",
    "Attention Required!", "Request blocked", "_dd_s",
)
WAF_MARKERS = VENDOR_MARKERS + BLOCK_WORDS
CAPTCHA_MARKERS = ("captcha", "验证码", "人机验证", "滑动验证", "安全验证", "请完成验证")
_COOKIE_RELOAD = re.compile(
    r"document\.cookie\s*=.*?(location\.reload|location\.href|location\.replace|window\.location)",
    re.DOTALL | re.IGNORECASE,
)
# Readable characters (tags, scripts and styles removed) below which a page is "nearly empty":
# a challenge page pads itself with script, a notice has paragraphs of text.
LITTLE_TEXT = 600
REFUSAL_STATUSES = (403, 412, 418)  # a block when the answer is nearly empty
SLOW_DOWN_STATUSES = (429, 503)  # wait and ask again; blocked when the retries are used up
BLOCK_STATUSES = REFUSAL_STATUSES + SLOW_DOWN_STATUSES
_SCRIPT_OR_STYLE = re.compile(r"<(script|style|noscript)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>|<!--.*?-->", re.DOTALL)


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
    text = body.decode("utf-8", "replace")
    for marker in VENDOR_MARKERS:
        if marker in text:
            return marker
    title = re.search(r"<title[^>]*>(.*?)</title>", text, re.DOTALL | re.IGNORECASE)
    title_text = title.group(1).lower() if title else ""
    nearly_empty = readable_length(text) < LITTLE_TEXT
    for marker in BLOCK_WORDS:
        if marker.lower() in title_text or (nearly_empty and marker in text):
            return marker
    if nearly_empty and _COOKIE_RELOAD.search(text):
        return "js_cookie_challenge"
    lowered = text.lower()
    for marker in CAPTCHA_MARKERS:
        if marker in title_text or (nearly_empty and marker in lowered):
            return f"captcha:{marker}"
    if status in REFUSAL_STATUSES and nearly_empty:
        return f"http_{status}_tiny"
    return None


def readable_length(html: str) -> int:
    """Characters a reader would see (no tags, scripts, styles or whitespace)."""
    visible = _TAG.sub(" ", _SCRIPT_OR_STYLE.sub(" ", html))
    return len(re.sub(r"\s+|&nbsp;", "", visible))


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """`Retry-After` as seconds: delta-seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


class AntiBotMiddleware:
    """Challenge detection, host back-off for the run, and Retry-After/exponential slow-down."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.backed_off: set[str] = set()
        settings = crawler.settings
        self.slowdown_retries = settings.getint("TUOKE_SLOWDOWN_RETRIES", 3)
        # env first: tests (and an operator in a hurry) set it without a settings module
        self.backoff_base = float(os.environ.get("TUOKE_BACKOFF_BASE") or settings.getfloat("TUOKE_BACKOFF_BASE", 2.0))
        self.backoff_max = settings.getfloat("TUOKE_BACKOFF_MAX", 300.0)
        self.slowdowns: dict[str, int] = {}  # consecutive 429/503 answers per host

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
        host = urlparse_cached(request).hostname
        if response.status in SLOW_DOWN_STATUSES:
            return self.slow_down(request, response, headers, host)
        self.slowdowns.pop(host, None)
        marker = detect_block(response.status, headers, response.body)
        if marker is None:
            return response
        self.back_off(request, host, marker)
        raise BlockedPage(marker, response.status, response.body)

    def back_off(self, request, host: str, marker: str) -> None:
        if host not in self.backed_off:
            logger.warning("anti-bot answer from %s (%s): backing off %s for this run", request.url, marker, host)
            self.backed_off.add(host)

    def slow_down(self, request, response, headers: dict[str, str], host: str):
        """Reschedule after Retry-After / exponential back-off; blocked once retries are used up."""
        tries = request.meta.get("tuoke_slowdown_tries", 0)
        if tries >= self.slowdown_retries:
            marker = f"http_{response.status}_after_{tries}_slowdowns"
            self.back_off(request, host, marker)
            raise BlockedPage(marker, response.status, response.body)
        asked = retry_after_seconds(headers.get("retry-after"))
        if asked is not None and asked > self.backoff_max:  # not this run: asking earlier would be rude
            marker = f"http_{response.status}_retry_after_{asked:.0f}s"
            self.back_off(request, host, marker)
            raise BlockedPage(marker, response.status, response.body)
        consecutive = self.slowdowns.get(host, 0) + 1
        self.slowdowns[host] = consecutive
        exponential = self.backoff_base * 2 ** (consecutive - 1)
        delay = min(self.backoff_max, max(exponential, asked or 0.0))
        self._delay_host(request, delay)
        self.stats.inc_value("tuoke/slowdowns")
        self.stats.inc_value(f"tuoke/slowdowns/{response.status}")
        self.stats.max_value("tuoke/slowdown_max_delay", delay)
        logger.info("%s answered %s: waiting %.1f s before asking %s again (try %d of %d)", request.url,
                    response.status, delay, host, tries + 1, self.slowdown_retries)
        retry = request.replace(dont_filter=True, priority=request.priority - 1)
        retry.meta["tuoke_slowdown_tries"] = tries + 1
        return retry

    def _delay_host(self, request, delay: float) -> None:
        """The host's download slot waits `delay` between requests (AutoThrottle only lowers it
        again on successful answers)."""
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        slot = downloader.slots.get(key)
        if slot is not None:
            slot.delay = max(slot.delay, delay)
            slot.jitter = 0.0  # a randomised delay could undercut Retry-After
            slot.lastseen = max(slot.lastseen, time.monotonic())
