"""Generic extraction: pure functions from page / attachment bytes to mentions (no Scrapy import).

See docs/CONTRACTS.md "Extraction API". Label synonyms and word lists live in lookups/*.yaml.
"""

from scrapers.extract.amounts import parse_amount, parse_amount_yuan
from scrapers.extract.attachments import extract_attachment
from scrapers.extract.codes import find_usccs, is_valid_uscc
from scrapers.extract.dates import parse_date, parse_datetime_iso
from scrapers.extract.decode import decode_body, decode_report
from scrapers.extract.page import KINDS, extract_auto, extract_page
from scrapers.extract.result import MENTION_KEYS, PageResult

__all__ = [
    "KINDS", "MENTION_KEYS", "PageResult", "decode_body", "decode_report", "extract_attachment", "extract_auto", "extract_page",
    "find_usccs", "is_valid_uscc", "parse_amount", "parse_amount_yuan", "parse_date", "parse_datetime_iso",
]
