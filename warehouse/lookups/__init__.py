"""Data files for name parsing and region lookup (read by warehouse.resolve.name_parts / regions / codes)."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

LOOKUP_DIR = Path(__file__).resolve().parent


@cache
def read_rows(filename: str) -> tuple[dict, ...]:
    """Rows of a lookup CSV; lines starting with '#' are comments."""
    with open(LOOKUP_DIR / filename, encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return tuple(dict(row) for row in csv.DictReader(lines))


@cache
def read_words(filename: str, column: str = "word") -> tuple[str, ...]:
    return tuple(dict.fromkeys(row[column].strip() for row in read_rows(filename) if row[column].strip()))
