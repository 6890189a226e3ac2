"""Reading a bank export (CSV in UTF-8/GBK/GB18030, XLSX, Parquet) into headers and text cells,
and finding the feeds.yaml columns among its headers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from kernel.feeds import FeedColumn, FeedSpec
from kernel.parsing import decode_report

FEED_FILE_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm", ".parquet")


def header_key(text: object) -> str:
    """Headers compare after NFKC, without spaces: 月代发金额（元） == 月代发金额(元)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text or ""))).lower()


def cell_text(value: Any) -> str:
    """One cell as the text a person would read (xlsx/parquet cells arrive typed)."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        if pd.isna(value):
            return ""
        return value.date().isoformat() if (value.hour, value.minute, value.second) == (0, 0, 0) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is pd.NaT or (not isinstance(value, (str, bytes)) and pd.isna(value) is True):
        return ""
    return str(value).strip()


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) when it decodes; otherwise GB18030 (a superset of GBK).
    Bytes that decode as neither are refused rather than loaded with replacement characters."""
    text, encoding, replaced = decode_report(data)
    if replaced:
        raise ValueError(f"not UTF-8 or GB18030 text ({replaced} undecodable characters as {encoding})")
    return text


def read_feed_file(path: Path) -> tuple[list[str], list[list[str]]]:
    """Headers and rows of a CSV/XLSX/Parquet export, every cell as text (CSV cells as written)."""
    headers, rows = read_feed_rows(path)
    return headers, list(rows)


def read_feed_rows(path: Path) -> tuple[list[str], Iterator[list[str]]]:
    """read_feed_file with the rows as an iterator: a CSV's rows are split as they are read, so a
    million-row export is never held as a million lists at once."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        reader = csv.reader(io.StringIO(decode_text(path.read_bytes())))
        header = next(reader, None)
        if header is None:
            return [], iter(())
        return [h.strip() for h in header], reader
    headers, rows = _read_table_file(path, suffix)
    return headers, iter(rows)


def _read_table_file(path: Path, suffix: str) -> tuple[list[str], list[list[str]]]:
    if suffix in (".xlsx", ".xlsm"):
        frame = pd.read_excel(path, dtype=object, header=None, engine="openpyxl")
    elif suffix == ".parquet":
        frame = pd.read_parquet(path)
        frame = pd.DataFrame([list(frame.columns)] + frame.astype(object).values.tolist())
    else:
        raise ValueError(f"unsupported file type {suffix}")
    values = [[cell_text(v) for v in row] for row in frame.astype(object).values.tolist()]
    if not values:
        return [], []
    return values[0], values[1:]


def match_headers(spec: FeedSpec, headers: list[str]) -> tuple[dict[str, int], list[FeedColumn]]:
    """Position of each feeds.yaml column among the headers, and the required columns not found."""
    positions: dict[str, int] = {}
    for index, header in enumerate(headers):
        positions.setdefault(header_key(header), index)
    found: dict[str, int] = {}
    missing: list[FeedColumn] = []
    for column in spec.columns:
        for header in column.headers:
            if header_key(header) in positions:
                found[column.name] = positions[header_key(header)]
                break
        else:
            if column.required:
                missing.append(column)
    return found, missing
