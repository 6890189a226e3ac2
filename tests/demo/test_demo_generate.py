"""The demo web generator: deterministic, valid codes, realistic content, internal exports."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pdfplumber
from openpyxl import load_workbook
from stdnum.cn import uscc

from demo.companies import build_universe
from demo.generate import generate_site
from demo.internal import INTERNAL_DIR, build_internal, table_bytes
from demo.sitekit import allocate


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha1(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_seed_gives_byte_identical_site(demo_site, tmp_path):
    site_dir, _ = demo_site
    again = tmp_path / "again"
    generate_site(again, seed=42)
    assert _digest(site_dir) == _digest(again)


def test_other_seed_gives_other_site(demo_site, tmp_path):
    site_dir, _ = demo_site
    other = tmp_path / "other"
    generate_site(other, seed=7)
    assert (site_dir / "_truth.json").read_bytes() != (other / "_truth.json").read_bytes()


def test_default_site_is_fast_and_sized_as_promised(demo_site):
    _, manifest = demo_site
    assert manifest.seconds < 5
    award = manifest.sources["demo_zj_award"]
    assert 60 <= award["detail_pages"] <= 120
    assert 250 <= manifest.companies_on_public_pages <= 350


def test_notices_override_changes_award_count_only(tmp_path):
    manifest = generate_site(tmp_path / "s", seed=1, notices=150)
    assert manifest.sources["demo_zj_award"]["notices"] == 150
    assert manifest.sources["demo_zj_award"]["list_pages"] == 8  # 150 + corrections + duplicates, 20 a page


def test_every_truth_uscc_is_valid_and_carries_its_district(demo_site):
    site_dir, _ = demo_site
    from demo.companies import DIVISIONS

    truth = json.loads((site_dir / "_truth.json").read_text("utf-8"))
    codes = [c for c in truth["companies"] if c["uscc"]]
    assert len(codes) > 280
    for company in codes:
        assert uscc.is_valid(company["uscc"]), company
        assert company["uscc"][2:8] == DIVISIONS[company["city"]][1][company["district"]]
    assert any(c["uscc"] is None for c in truth["companies"])  # some public bodies have none


def test_truth_has_the_hard_cases(demo_site):
    site_dir, _ = demo_site
    truth = json.loads((site_dir / "_truth.json").read_text("utf-8"))
    companies = truth["companies"]
    variants = {u["variant"] for c in companies for u in c["uses"]}
    assert {"legal_form_swap", "traditional", "trailing_space", "no_region", "half_width"} <= variants
    shared = [c for c in companies if c["trade_name"] == "恒达" and c["kind"] == "enterprise"]
    assert len({c["city"] for c in shared}) >= 2 and len({c["uscc"] for c in shared}) == len(shared)
    assert any(c["is_branch"] and c["uses"] for c in companies)
    assert any(c["is_non_enterprise"] and any(u["role"] == "purchaser" for u in c["uses"]) for c in companies)
    notices = [n for n in truth["notices"] if n["source"] == "demo_zj_award"]
    assert sum(n["is_correction"] for n in notices) >= 1
    assert sum(bool(n["duplicate_of"]) for n in notices) >= 1
    assert {n["layout"] for n in notices} >= {"a", "b", "c", "correction"}


def test_gbk_pages_decode_as_gbk_and_the_liar_is_utf8(demo_site):
    site_dir, _ = demo_site
    headers = json.loads((site_dir / "_headers.json").read_text("utf-8"))
    gbk_with = [p for p, t in headers.items() if t == "text/html; charset=gbk"]
    gbk_without = [p for p, t in headers.items() if t == "text/html"]
    assert gbk_with and gbk_without
    for path in gbk_with[:5]:
        data = (site_dir / path.lstrip("/")).read_bytes()
        data.decode("gbk")
    liar = [p for p in gbk_without if b'charset=gb2312' in (site_dir / p.lstrip("/")).read_bytes()]
    assert len(liar) == 1
    (site_dir / liar[0].lstrip("/")).read_bytes().decode("utf-8")


def test_srdi_xlsx_has_title_row_two_row_header_and_merged_regions(demo_site):
    site_dir, manifest = demo_site
    book = load_workbook(site_dir / manifest.sources["demo_zj_srdi"]["xlsx"].lstrip("/"))
    assert len(book.sheetnames) >= 4
    sheet = book[book.sheetnames[0]]
    assert "专精特新" in sheet.cell(1, 1).value
    assert sheet.cell(2, 3).value == "所在地区" and sheet.cell(3, 3).value == "市"
    assert any(str(r.coord).startswith("C4") for r in sheet.merged_cells.ranges)


def test_pdf_attachments_have_a_chinese_text_layer(demo_site):
    site_dir, manifest = demo_site
    with pdfplumber.open(site_dir / manifest.sources["demo_zj_srdi"]["pdf"].lstrip("/")) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
        table = pdf.pages[0].extract_tables()[0]
    assert "企业名称" in text and "有限公司" in text
    assert table[0] == ["序号", "企业名称", "所在地区", "主导产品"]


def test_committed_internal_csvs_match_the_generator():
    universe = build_universe(42, 1)
    data = build_internal(universe, allocate(universe, 42), 42)
    for table in data.tables:
        committed = INTERNAL_DIR / table.filename
        assert committed.read_bytes() == table_bytes(table), f"run python -m demo.internal ({table.filename})"
        assert committed.stat().st_size < 50_000


def test_internal_exports_have_encodings_and_bad_rows():
    payroll = (INTERNAL_DIR / "payroll_employers.csv").read_bytes().decode("gbk")
    rows = list(csv.DictReader(io.StringIO(payroll)))
    assert "联系人身份证号" in rows[0]
    assert any(not r["代发单位名称"] for r in rows)
    assert any(r["月代发金额(元)"] == "abc" for r in rows)
    assert (INTERNAL_DIR / "counterparties.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    credit = list(csv.DictReader(io.StringIO((INTERNAL_DIR / "credit_customers.csv").read_text("utf-8"))))
    codes = [r["统一社会信用代码"].strip() for r in credit]
    assert any(c and not uscc.is_valid(c.upper()) for c in codes)  # a wrong check character
    assert any(not c for c in codes)  # and a blank code
