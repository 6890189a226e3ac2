"""Attachments (xlsx / xls / pdf / csv) -> PageResult. Never raises on a bad file.

Work is bounded before a reader sees the bytes: an xlsx (a zip) whose members would expand past
MAX_UNZIPPED_BYTES in all, or one member past MAX_ZIP_RATIO times (kernel.limits), is refused
as `zip_bomb` from its directory alone (Python's zipfile never inflates past a member's declared
size); a PDF whose Flate streams inflate past 256 MB is refused as `pdf_bomb`, and one that passes
reads at most MAX_PDF_PAGES pages within MAX_PDF_SECONDS (`pdf_page_limit`,
`pdf_time_limit`); a sheet keeps MAX_SHEET_ROWS rows (`table_row_limit`). Every cut is a problem.
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections.abc import Mapping

from kernel.limits import pdf_bomb_problem, zip_bomb_problem
from scrapers.extract.decode import decode_report
from scrapers.extract.lists import list_name_from, listed_mention
from scrapers.extract.result import PageResult
from scrapers.extract.sheets import table_records

_GENERIC_SHEET = re.compile(r"^(sheet\d*|工作表\d*|表\d*|名单|汇总|\d+)$", re.IGNORECASE)
MAX_PDF_PAGES = 300
MAX_PDF_SECONDS = 60.0
MAX_SHEET_ROWS = 50_000
MAX_SHEET_CELLS = 5_000_000


class AttachmentLimit(Exception):
    """A limit stopped reading; `reason` is the quarantine word."""

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def _xlsx(body: bytes) -> list[tuple[str, list[list]]]:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(body), data_only=True)
    sheets = []
    for sheet in book.worksheets:
        # one far-away cell (XFD1048576) would make iter_rows walk billions of empty cells
        if sheet.max_row * sheet.max_column > MAX_SHEET_CELLS:
            raise AttachmentLimit("sheet_too_large", f"sheet {sheet.title!r} spans {sheet.max_row} rows x "
                                  f"{sheet.max_column} columns (limit {MAX_SHEET_CELLS} cells); not read")
        grid = [list(row) for row in sheet.iter_rows(values_only=True)]
        for merged in sheet.merged_cells.ranges:
            value = sheet.cell(merged.min_row, merged.min_col).value
            for r in range(merged.min_row, merged.max_row + 1):
                for c in range(merged.min_col, merged.max_col + 1):
                    if r - 1 < len(grid) and c - 1 < len(grid[r - 1]):
                        grid[r - 1][c - 1] = value
        sheets.append((sheet.title, grid))
    return sheets


def _xls(body: bytes) -> list[tuple[str, list[list]]]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=body, formatting_info=True)
    except (NotImplementedError, xlrd.XLRDError):
        book = xlrd.open_workbook(file_contents=body)
    sheets = []
    for sheet in book.sheets():
        grid = [sheet.row_values(r) for r in range(sheet.nrows)]
        for rlo, rhi, clo, chi in getattr(sheet, "merged_cells", []) or []:
            value = grid[rlo][clo]
            for r in range(rlo, rhi):
                for c in range(clo, chi):
                    grid[r][c] = value
        sheets.append((sheet.name, grid))
    return sheets


def _pdf(body: bytes) -> list[tuple[str, list[list]]]:
    import pdfplumber

    rows: list[list] = []
    text_rows: list[list] = []
    started = time.monotonic()
    with pdfplumber.open(io.BytesIO(body)) as pdf:
        pages = len(pdf.pages)
        if pages > MAX_PDF_PAGES:
            raise AttachmentLimit("pdf_page_limit", f"PDF has {pages} pages (limit {MAX_PDF_PAGES}); not read")
        for page in pdf.pages:
            if time.monotonic() - started > MAX_PDF_SECONDS:
                raise AttachmentLimit("pdf_time_limit", f"PDF still not read after {MAX_PDF_SECONDS:.0f} s "
                                      f"(page {page.page_number} of {pages}); stopped")
            for table in page.extract_tables():
                rows.extend(table)
            if page.page_number == 1:
                text = page.extract_text() or ""
                text_rows.extend([[line] for line in text.splitlines()[:5]])
    # Title lines printed above the first table are not part of it; keep them for the list name.
    return [("", text_rows + rows)] if rows else []


def _csv(body: bytes) -> list[tuple[str, list[list]]]:
    text, _, _ = decode_report(body, None)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;|")
    except csv.Error:
        dialect = csv.excel
    return [("", list(csv.reader(io.StringIO(text), dialect)))]


_READERS = {"xlsx": _xlsx, "xlsm": _xlsx, "xls": _xls, "pdf": _pdf, "csv": _csv, "txt": _csv}


def _format(body: bytes, filename: str) -> str | None:
    if body.startswith(b"%PDF"):
        return "pdf"
    if body.startswith(b"PK\x03\x04"):
        return "xlsx"
    if body.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return ext if ext in _READERS else None


def extract_attachment(body: bytes, filename: str, *, kind: str, config: Mapping | None = None) -> PageResult:
    result = PageResult()
    config = config or {}
    result.notice["notice_id"] = filename
    fmt = _format(body or b"", filename or "")
    if not body:
        result.problem("corrupt_attachment", f"{filename}: empty file")
        return result
    if fmt is None:
        result.problem("corrupt_attachment", f"{filename}: not a spreadsheet, PDF or CSV")
        return result
    if fmt == "pdf":
        bomb = pdf_bomb_problem(body)
        if bomb:
            result.problem("pdf_bomb", f"{filename}: {bomb}; not opened")
            return result
    if fmt in ("xlsx", "xlsm"):
        bomb = zip_bomb_problem(body)
        if bomb:
            result.problem("zip_bomb", f"{filename}: {bomb}; not opened")
            return result
    try:
        sheets = _READERS[fmt](body)
    except AttachmentLimit as limit:
        result.problem(limit.reason, f"{filename}: {limit.detail}")
        return result
    except Exception as exc:  # any parser failure on a bad file is a problem, never a crash
        result.problem("corrupt_attachment", f"{filename}: cannot read as {fmt} ({type(exc).__name__})")
        return result
    found_table = False
    region = config.get("region")
    for sheet_name, rows in sheets:
        region_hint = sheet_name if sheet_name and not _GENERIC_SHEET.match(sheet_name.strip()) else None
        if len(rows) > MAX_SHEET_ROWS:
            result.problem("table_row_limit", f"{filename} sheet {sheet_name!r} has {len(rows)} rows; only the first "
                           f"{MAX_SHEET_ROWS} were read")
            rows = rows[:MAX_SHEET_ROWS]
        try:
            records, title, unused = table_records(rows, region_hint)
        except Exception as exc:  # keep other sheets
            result.problem("corrupt_attachment", f"{filename} sheet {sheet_name!r}: {type(exc).__name__}")
            continue
        if not records:
            continue
        found_table = True
        for label in unused:
            result.unused(label)
        list_name = config.get("list_name") or list_name_from(title, filename.rsplit(".", 1)[0])
        for record in records:
            listed_mention(result, record, None, kind=kind, list_name=list_name, region=region,
                           what="winner" if kind == "winner_list" else "listed company")
    if not found_table:
        result.problem("no_table", f"{filename}: no table with a name column (企业名称/中标人…) found")
    elif not result.mentions:
        result.problem("no_entries", f"{filename}: table found but no usable rows")
    return result
