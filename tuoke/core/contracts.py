"""Contracts between the stations, defined once: everyone imports these names, nobody retypes them.

docs/CONTRACTS.md describes each one in prose; this module is what code checks against.
"""

from __future__ import annotations

from typing import Literal, get_args

# -- page kinds: what a public page is (a source YAML's `kind`, `tuoke extract --kind`) -------------
PageKind = Literal[
    "procurement_award",
    "candidate_notice",
    "tender_notice",
    "winner_list",
    "srdi_list",
    "directory",
    "negative_list",
]
PAGE_KINDS: tuple[str, ...] = get_args(PageKind)

# -- internal feeds: the column types of configs/feeds.yaml ----------------------------------------
# The feed names and their canonical columns are configs/feeds.yaml itself (tuoke.core.feeds reads
# it); what every column type means is the loader's table in warehouse/feeds/columns.py.
FeedColumnType = Literal[
    "name",  # company name; empty -> quarantined (empty_name)
    "text",  # free text, trimmed
    "uscc",  # 统一社会信用代码; a wrong check character keeps the row with uscc NULL, flagged invalid_uscc
    "int",  # whole number; else bad_number
    "amount",  # yuan: "1,234.5", "¥1234", "31.2万"; else bad_number
    "date",  # 2026-10-08, 2026/10/8, 20261008, 2026年10月8日; else bad_date
    "month",  # 2026-10, 202610, 2026年10月 (the month's first day); else bad_date
    "bool",  # 是/否, Y/N, true/false, 1/0; else bad_bool
    "person_name",  # an individual's name: stored only as its salted hash
    "person_id",  # an 18-digit ID number: stored only as its salted hash
]
FEED_COLUMN_TYPES: tuple[str, ...] = get_args(FeedColumnType)
