"""Bounds on untrusted input, shared by the scrapers (pages, attachments, amounts), the feeds loader
and the SQL sandbox.

Pure: standard library only, no imports of ours.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
import zlib

# Problems that mean "read in part" (pages, attachments): quarantined even when the page also gave
# mentions, so what a limit cut off is never lost silently.
LIMIT_REASONS = frozenset({"element_limit", "table_row_limit", "deep_nesting", "oversized_page", "zip_bomb",
                           "pdf_bomb", "pdf_page_limit", "pdf_time_limit", "sheet_too_large"})
# The longest organisation name any border accepts (registered names run to ~40 characters; a
# longer string is a sentence or a glued cell): the name check, landing and extraction use this one.
MAX_NAME_LENGTH = 80
MAX_UNZIPPED_BYTES = 64 * 1024 * 1024
MAX_ZIP_RATIO = 200  # sheet XML compresses 10-50x; a bomb compresses 1000x
ZIP_RATIO_FLOOR = 1024 * 1024  # members below 1 MB may compress as well as they like
MAX_PDF_INFLATED_BYTES = 256 * 1024 * 1024  # all of a PDF's Flate streams, inflated
_PDF_STREAM = re.compile(rb"stream\r?\n")
# The largest single award (one lot, one contract) that can be real: 10^11 yuan (1,000 亿元) is
# above every public procurement award on record; a larger figure is a typo, a unit applied twice
# or a hostile page. An amount outside (0, MAX_AWARD_YUAN] is quarantined, never scored.
MAX_AWARD_YUAN = 1e11
# SQL written by a user (`tuoke query`, warehouse/sandbox.py). DuckDB's own memory_limit bounds its
# buffer manager only: a value built by one function call (repeat('x', 2000000000): 2 GB) bypasses
# it, so the query also runs in a child process whose address space is capped at the DuckDB limit
# plus the interpreter's own ~0.9 GB of mappings and some headroom.
SANDBOX_MEMORY_LIMIT_BYTES = 1 * 2**30
SANDBOX_ADDRESS_SPACE_BYTES = SANDBOX_MEMORY_LIMIT_BYTES + 3 * 2**29  # + 1.5 GiB
SANDBOX_TIMEOUT_S = 30.0
SANDBOX_MAX_ROWS = 100_000


def amount_problem(yuan: float) -> str | None:
    """Why `yuan` cannot be one award's amount (a sentence), or None when it is plausible."""
    if math.isnan(yuan) or math.isinf(yuan):
        return f"amount {yuan} 元 is not a finite number"
    if yuan <= 0:
        return f"amount {yuan:,.2f} 元 is not positive"
    if yuan > MAX_AWARD_YUAN:
        return f"amount {yuan:.4g} 元 is above the largest plausible single award ({MAX_AWARD_YUAN:.0e} 元)"
    return None


def zip_bomb_problem(body: bytes) -> str | None:
    """Why this zip (xlsx) must not be opened, judged from its central directory alone, or None.

    Python's zipfile never inflates a member past its declared size, so the declared sizes bound
    the work of any reader that goes through it (openpyxl, pandas)."""
    try:
        members = zipfile.ZipFile(io.BytesIO(body)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return None  # not a readable zip: the reader reports it as corrupt
    total = sum(m.file_size for m in members)
    if total > MAX_UNZIPPED_BYTES:
        return f"expands to {total / 2**20:.0f} MB (limit {MAX_UNZIPPED_BYTES // 2**20} MB)"
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > ZIP_RATIO_FLOOR and ratio > MAX_ZIP_RATIO:
            return f"member {member.filename} expands {ratio:.0f} times (limit {MAX_ZIP_RATIO})"
    return None


def pdf_bomb_problem(body: bytes, limit: int = MAX_PDF_INFLATED_BYTES) -> str | None:
    """Why this PDF must not be parsed: its Flate streams inflate past `limit` bytes in all.

    Inflates each stream in 1 MB steps and throws the output away, so the check itself needs
    little memory and stops as soon as the limit is passed (a PDF parser would hold it all)."""
    total = 0
    for match in _PDF_STREAM.finditer(body):
        start = match.end()
        end = body.find(b"endstream", start)
        if end < 0:
            break
        inflater = zlib.decompressobj()
        data = body[start:end]
        try:
            while data:
                total += len(inflater.decompress(data, 1024 * 1024))
                if total > limit:
                    return f"its streams inflate past {limit // 2**20} MB"
                data = inflater.unconsumed_tail
        except zlib.error:
            continue  # not Flate (or damaged): the parser decides
    return None
