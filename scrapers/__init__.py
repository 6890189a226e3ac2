"""The Scrapy project: one spider per source YAML, fetching and routing only.

- `spider_loader.SourceSpiderLoader` builds each spider from `kernel.sources` (no per-site copies);
  `spiders/` holds the generic NoticeSpider, ApiSpider and DirectorySpider.
- `extract/` parses (pure functions); `landing.LandingWriter` validates and writes landing JSONL,
  quarantine and run stats; `antibot` detects challenge pages and backs a host off; `cache` keeps
  list pages out of the HTTP cache; `state.SeenState` makes re-crawls incremental.
- `run`: `python -m scrapers.run SOURCE_ID` (one crawl per process) and `run_crawl_subprocess()`.
"""
