"""Scrapy settings shared by every source spider; per-source politeness comes from the YAML
(`scrapers.spider_loader.politeness_settings`), the data root from TUOKE_DATA_DIR."""

BOT_NAME = "tuoke"
SPIDER_LOADER_CLASS = "scrapers.spider_loader.SourceSpiderLoader"
SPIDER_MODULES: list[str] = []
USER_AGENT = "tuoke-crawler/0.1 (+public-list research; respects robots.txt)"

ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_MAX_DELAY = 30.0
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_TIMEOUT = 30  # a slow page must not stall the crawl; a source may lower it
DOWNLOAD_MAXSIZE = 64 * 1024 * 1024

RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]

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
