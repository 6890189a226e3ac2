"""One portal, several crawler processes: a shared frontier on Redis, switched on per source.

A source YAML with `frontier: redis` gets scrapy-redis' scheduler and dupefilter, so every process
of one crawl pulls from one request queue and a request fingerprint seen by any process is never
fetched again. `SharedHostDelayHandler` keeps per-host politeness across processes with `HostSlots`:
a request holds its host's slot in Redis from before it is sent until its response is in, and the
next request to that host, from any process, may go out `download_delay` after that response (the
politeness of Nutch's fetcher: the delay runs from the end of the previous fetch). The guarantee
rests on order, not on timing: the host answered the previous request before the next one was
sent, so however late a loaded machine puts a request on the wire, no two requests reach one host
closer than the delay.

Environment: `TUOKE_REDIS_URL` (the Redis server), `TUOKE_FRONTIER_RUN` (names one crawl: every
process of it sets the same value; a new value starts a fresh queue and dupefilter).
"""

from __future__ import annotations

import os
import uuid
from typing import Any
from urllib.parse import urlsplit

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.utils.defer import maybe_deferred_to_future

REDIS_URL_ENV = "TUOKE_REDIS_URL"
FRONTIER_RUN_ENV = "TUOKE_FRONTIER_RUN"

# A host's slot is a hash: `holder` (the token of the request in flight, '' when none), `lease` (ms:
# when a holder that never released is given up) and `free` (ms: when the next request may go).
# KEYS[1] = the host's key; ARGV = token, lease ms, poll ms. Returns 0 when the caller holds the slot
# now, else the ms to wait before asking again (at most `poll` while another request is in flight).
_TAKE_SLOT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local slot = redis.call('HMGET', KEYS[1], 'holder', 'lease', 'free')
local holder, lease, free = slot[1] or '', tonumber(slot[2] or '0'), tonumber(slot[3] or '0')
if holder ~= '' and now < lease then
  return math.max(1, math.min(lease - now, tonumber(ARGV[3])))
end
if now < free then
  return free - now
end
redis.call('HSET', KEYS[1], 'holder', ARGV[1], 'lease', now + tonumber(ARGV[2]))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) + 60000)
return 0
"""

# KEYS[1] = the host's key; ARGV = token, delay ms. The holder's response is in: the next request
# may go `delay` from now. A token that no longer holds the slot (its lease ran out) changes nothing.
_RELEASE_SLOT = """
if redis.call('HGET', KEYS[1], 'holder') ~= ARGV[1] then
  return 0
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('HSET', KEYS[1], 'holder', '', 'free', now + tonumber(ARGV[2]))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) + 60000)
return 1
"""
POLL_MS = 20  # how often a request waiting behind one in flight asks again


def frontier_settings(source: Any) -> dict[str, Any]:
    """Scrapy settings for a source's frontier; empty for the default per-process frontier."""
    if getattr(source, "frontier", "local") != "redis":
        return {}
    redis_url = os.environ.get(REDIS_URL_ENV)
    if not redis_url:
        raise RuntimeError(f"source {source.id} has frontier: redis, but {REDIS_URL_ENV} is not set")
    run = os.environ.get(FRONTIER_RUN_ENV, "default")
    prefix = f"tuoke:{source.id}:{run}"
    return {
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        # Kept after a process closes: the others are still crawling from it. A new crawl uses a
        # new TUOKE_FRONTIER_RUN; old keys are removed by `clear_frontier`.
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_QUEUE_KEY": f"{prefix}:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{prefix}:dupefilter",
        "DUPEFILTER_KEY": f"{prefix}:dupefilter",
        # An idle process waits this long for requests another process may still enqueue.
        "SCHEDULER_IDLE_BEFORE_CLOSE": 1,
        "REDIS_URL": redis_url,
        # The shared slot is the only delay: a local delay (or AutoThrottle's) would hold a request
        # after it took its slot, and requests of two processes could then reach the host together.
        "TUOKE_SHARED_HOST_DELAY": float(getattr(source.politeness, "download_delay", None) or 0.5),
        "DOWNLOAD_DELAY": 0,
        "RANDOMIZE_DOWNLOAD_DELAY": False,
        "AUTOTHROTTLE_ENABLED": False,
        # the slot is taken where the request leaves: cache hits take none
        "DOWNLOAD_HANDLERS": {"http": "scrapers.frontier.SharedHostDelayHandler",
                              "https": "scrapers.frontier.SharedHostDelayHandler"},
        "TUOKE_SHARED_HOST_PREFIX": f"tuoke:hostslot:{run}",
    }


def clear_frontier(redis_url: str, source_id: str, run: str) -> int:
    """Delete one crawl's queue and dupefilter keys; returns how many keys went."""
    import redis

    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(f"tuoke:{source_id}:{run}:*"))
    return client.delete(*keys) if keys else 0


class HostSlots:
    """Per-host slots in Redis shared by every process of a crawl: `take` (0 = the caller now holds
    the host's slot, else ms to wait), `release` when the response is in (the next request may go
    `delay_ms` later). A holder that never releases (a killed process) loses the slot after `lease_ms`."""

    def __init__(self, client, prefix: str, delay_ms: int, lease_ms: int):
        self.prefix, self.delay_ms, self.lease_ms = prefix, int(delay_ms), int(lease_ms)
        self._take = client.register_script(_TAKE_SLOT)
        self._release = client.register_script(_RELEASE_SLOT)

    def key(self, url: str) -> str:
        return f"{self.prefix}:{urlsplit(url).netloc}"

    def take(self, key: str, token: str) -> int:
        return int(self._take(keys=[key], args=[token, self.lease_ms, POLL_MS]))

    def release(self, key: str, token: str) -> bool:
        return bool(self._release(keys=[key], args=[token, self.delay_ms]))


class SharedHostDelayHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 download handler behind a shared per-host slot (`HostSlots`): a request
    holds its host's slot while it is on the wire, so requests of several processes reach one host
    one at a time, `download_delay` apart."""

    def __init__(self, crawler):
        import redis

        super().__init__(crawler)
        settings = crawler.settings
        delay_ms = max(1, round(settings.getfloat("TUOKE_SHARED_HOST_DELAY", 0.5) * 1000))
        # a lease longer than any download: a slot is given up only when its holder is gone
        lease_ms = round(settings.getfloat("DOWNLOAD_TIMEOUT", 180) * 1000) + delay_ms + 5000
        self.slots = HostSlots(redis.Redis.from_url(settings.get("REDIS_URL")),
                               settings.get("TUOKE_SHARED_HOST_PREFIX", "tuoke:hostslot"), delay_ms, lease_ms)

    async def download_request(self, request):
        from twisted.internet import reactor, task

        key, token = self.slots.key(request.url), uuid.uuid4().hex
        while (wait_ms := self.slots.take(key, token)) > 0:
            await maybe_deferred_to_future(task.deferLater(reactor, wait_ms / 1000.0, lambda: None))
        try:
            return await super().download_request(request)
        finally:
            self.slots.release(key, token)
