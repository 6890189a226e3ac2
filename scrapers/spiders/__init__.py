"""Generic spiders; `scrapers.spider_loader` turns each source YAML into a subclass of one."""
