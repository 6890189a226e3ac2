from pathlib import Path

import pytest

PAGES = Path(__file__).parent.parent / "fixtures" / "pages"


@pytest.fixture
def page_bytes():
    return lambda name: (PAGES / name).read_bytes()


def build_xlsx(rows_by_sheet: dict, merges=()) -> bytes:
    import io

    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in rows_by_sheet.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        for merge in merges:
            sheet.merge_cells(merge)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def make_xlsx():
    return build_xlsx
