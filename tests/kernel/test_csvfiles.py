"""CSV rows end with CRLF (RFC 4180), so a bare CR or LF inside a value is quoted and stays in its
row for every reader; one helper writes them (kernel/csvfiles.py)."""

from __future__ import annotations

import csv
import io
import re

import pandas as pd

from kernel.csvfiles import LINE_END, csv_text
from kernel.paths import REPO_ROOT

PACKAGES = ("kernel", "scrapers", "warehouse", "pipelines", "tuoke")
# values a loan officer's note or a scraped name can hold: Excel's line break inside a cell is a bare CR
AWKWARD = ["第一行\r第二行", "甲\n乙", "丙\r\n丁", 'a "quoted", b', "=1+1", "", "普通"]


def test_a_carriage_return_inside_a_value_stays_in_its_row():
    text = csv_text([["note", "n"], *[[value, i] for i, value in enumerate(AWKWARD)]])
    assert text.endswith(LINE_END) and text.count(LINE_END) >= len(AWKWARD) + 1
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows == [["note", "n"], *[[value, str(i)] for i, value in enumerate(AWKWARD)]]
    frame = pd.read_csv(io.StringIO(text, newline=""), dtype=str, keep_default_na=False)
    assert frame["note"].tolist() == AWKWARD


def test_the_line_end_of_the_old_writers_split_such_a_row():
    """What the helper replaces: with "\\n" as the terminator the CR goes out unquoted."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([AWKWARD[0], "x"])
    assert len(list(csv.reader(io.StringIO(out.getvalue(), newline="")))) == 2


def _calls(pattern: str) -> dict[str, list[str]]:
    found = {}
    for package in PACKAGES:
        for path in sorted((REPO_ROOT / package).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            calls = [text[m.start():text.find(")\n", m.start()) + 1] for m in re.finditer(pattern, text)]
            if calls:
                found[str(path.relative_to(REPO_ROOT))] = calls
    return found


def test_csv_rows_are_written_by_the_one_helper():
    assert set(_calls(r"\bcsv\.writer\(")) == {"kernel/csvfiles.py"}
    assert set(_calls(r"lineterminator\s*=\s*['\"]")) == set()
    for path, calls in _calls(r"\.to_csv\(").items():  # pandas writes "\n" and minimal quoting by default
        assert all("lineterminator=LINE_END" in call for call in calls), (path, calls)
