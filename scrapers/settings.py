"""Scrapy settings shared by every source spider; per-source politeness comes from the YAML
(`scrapers.spider_loader.politeness_settings`), the data root from TUOKE_DATA_DIR."""

BOT_NAME = "tuoke"
SPIDER_LOADER_CLASS = "scrapers.spider_loader.SourceSpiderLoader"
SPIDER_MODULES: list[str] = []
# Replaced per spider by scrapers.operator.crawler_user_agent() (configs/crawler.yaml names the operator).
USER_AGENT = "tuoke-crawler/0.2 (+public-list research; obeys robots.txt)"

ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_MAX_DELAY = 30.0
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_TIMEOUT = 30  # a slow page must not stall the crawl; a source may lower it
DOWNLOAD_MAXSIZE = 64 * 1024 * 1024

RETRY_ENABLED = True
RETRY_TIMES = 2
# 429 and 503 are not retried here: AntiBotMiddleware waits Retry-After / an exponential per-host
# back-off before asking again, and counts them as blocked when its retries are used up.
RETRY_HTTP_CODES = [500, 502, 504, 522, 524, 408]
TUOKE_SLOWDOWN_RETRIES = 3
TUOKE_BACKOFF_BASE = 2.0  # seconds; doubled per consecutive 429/503 from one host
TUOKE_BACKOFF_MAX = 300.0  # a longer Retry-After means "not this run": the page counts as blocked

# Detail pages and attachments only (meta["cacheable"]); list pages never.
HTTPCACHE_ENABLED = True
HTTPCACHE_POLICY = "scrapers.cache.DetailOnlyCachePolicy"
HTTPCACHE_STORAGE = "scrapy.extensions.httpcache.FilesystemCacheStorage"
HTTPCACHE_DIR = "httpcache"  # replaced per spider by DataPaths.httpcache (absolute)
HTTPCACHE_EXPIRATION_SECS = 0
HTTPCACHE_GZIP = False  # gzip level 9 cost ~20% of a crawl's CPU; pages are small

DOWNLOADER_MIDDLEWARES = {
    # closer to the network than HttpCacheMiddleware (900): challenge pages are never cached
    "scrapers.antibot.AntiBotMiddleware": 950,
}
ITEM_PIPELINES = {"scrapers.landing.LandingWriter": 300}

TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"
