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
