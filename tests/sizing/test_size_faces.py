"""Size reaches every face (issue 21): `tuoke rank` (json and table), `tuoke explain`, the xlsx and
csv exports read back, and the list, the prospect page and the download of a real `tuoke serve`
process — all from one published warehouse built by the real SQL models (tests/sizing/size_world.py)
and read through the one read model (tuoke/prospects)."""

from __future__ import annotations

import io
import json
import re
import shutil
import sys
from html.parser import HTMLParser
from pathlib import Path

import httpx
import openpyxl
import pandas as pd
import pytest
from size_world import SizeWorld
from typer.testing import CliRunner

from tuoke.cli import app
from warehouse.serving import prepare_published_copy

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from web_world import WebWorld  # noqa: E402

runner = CliRunner()
REFERRAL = "——建议转介公司金融部"
# company_id -> name: one of each size the page must tell apart
FIRMS = {
    "small": "杭州恒达机械制造有限公司",  # 声明函 小型, and we lend it 300 万元
    "shop": "杭州市上城区老李面馆",  # USCC 92…: 个体工商户
    "unknown": "杭州小王五金有限公司",  # payroll only
    "medium": "杭州寅卯软件有限公司",  # 年报 150 人, 3,000 万元 in software
    "conflict": "杭州庚辛电气有限公司",  # 声明函 小型, 年报 420 人
    "listed": "浙江钱潮智能装备股份有限公司",  # on the test's listed-company list
}


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    root = tmp_path_factory.mktemp("size-faces")
    world = SizeWorld(root / "work.duckdb")
    small = world.company("small", FIRMS["small"], industry="通用设备制造业")
    world.win(small)
    world.declaration(small, "小型企业", employees=35, revenue_yuan=12_000_000)
    world.credit(small, 3_000_000)
    shop = world.company("shop", FIRMS["shop"], uscc="92330102MA2KX7F30Y")
    world.pos(shop, monthly=80_000)
    unknown = world.company("unknown", FIRMS["unknown"])
    world.win(unknown)
    world.payroll(unknown, headcount=18)
    medium = world.company("medium", FIRMS["medium"])
    world.win(medium)
    world.registry(medium, employees=150, revenue_yuan=30_000_000, industry_code="I6510", report_year=2024)
    conflict = world.company("conflict", FIRMS["conflict"], industry="电气机械和器材制造业")
    world.win(conflict)
    world.declaration(conflict, "小型企业", employees=35, revenue_yuan=12_000_000)
    world.registry(conflict, employees=420, revenue_yuan=90_000_000, industry_code="C3811", report_year=2024)
    listed = world.company("listed", FIRMS["listed"])
    world.win(listed)
    world.payroll(listed, headcount=60)
    world.build()
    world.con.execute("CHECKPOINT")
    world.con.close()
    data = root / "data"
    data.mkdir()
    shutil.copyfile(world.path, data / "tuoke.duckdb")
    prepare_published_copy(data / "tuoke.duckdb")
    return data


@pytest.fixture
def cli(published, monkeypatch):
    monkeypatch.setenv("TUOKE_DATA_DIR", str(published))
    return published


def _invoke(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_rank_json_carries_size_its_evidence_and_the_ceiling(cli):
    rows = {r["company_id"]: r for r in map(json.loads, _invoke("rank", "--format", "json").splitlines())}
    assert "listed" not in rows  # a large firm is off the 普惠 list
    assert all(r["size_label"] and r["size_reason"] for r in rows.values()), rows
    small = rows["small"]
    assert small["size_label"] == "小型企业" and "中小企业声明函" in small["size_reason"]
    assert small["puhui_eligible"] is True and small["credit_ceiling_yuan"] == 7_000_000  # 1,000 万 less 300 万
    assert rows["shop"]["size_label"] == "个体工商户" and "个体经营贷" in rows["shop"]["products"]
    assert rows["unknown"]["size_label"] == "规模待核实"
    assert rows["unknown"]["size_reason"] == "规模待核实（仅有代发人数 18 人）"
    assert rows["conflict"]["size_conflict"] and "420" in rows["conflict"]["size_conflict"]


def test_rank_table_shows_the_size_label_on_each_line(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "160")
    lines = _invoke("rank").splitlines()
    by_name = {name: next(line for line in lines if name in line) for name in
               (FIRMS["small"], FIRMS["shop"], FIRMS["unknown"])}
    assert "小型企业" in by_name[FIRMS["small"]] and "个体工商户" in by_name[FIRMS["shop"]]
    assert "规模待核实" in by_name[FIRMS["unknown"]]


def test_explain_names_the_size_its_evidence_conflict_and_ceiling(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    out = _invoke("explain", "small")
    assert "规模: 小型企业（2025-06 中小企业声明函：从业人员 35 人，营业收入 1,200 万元）" in out
    assert "普惠: 是 · 单户授信上限 700 万元" in out
    out = _invoke("explain", "conflict")
    assert "规模存疑:" in out and "420" in out
    out = _invoke("explain", "listed")
    assert "规模: 大型企业" in out and "普惠: 否（大型企业）" in out and "不得受理" in out


def _sheet_rows(sheet) -> list[dict]:
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def test_the_workbook_shows_size_on_the_branch_sheet_and_the_large_firm_on_the_exclusions(cli):
    out = cli / "exports" / "p.xlsx"
    _invoke("export", "--out", str(out))
    workbook = openpyxl.load_workbook(out)
    ranked = {r["企业名称"]: r for r in _sheet_rows(workbook["杭州分行"])}
    assert ranked[FIRMS["small"]]["规模"] == "小型企业"
    assert "中小企业声明函" in ranked[FIRMS["small"]]["规模依据"]
    assert ranked[FIRMS["small"]]["普惠授信上限(万元)"] == 700 and ranked[FIRMS["small"]]["普惠"] == "是"
    assert ranked[FIRMS["shop"]]["规模"] == "个体工商户"
    assert ranked[FIRMS["unknown"]]["规模依据"] == "规模待核实（仅有代发人数 18 人）"
    assert "420" in ranked[FIRMS["conflict"]]["规模存疑"]
    assert FIRMS["listed"] not in ranked
    held = {r["企业名称"]: r for r in _sheet_rows(workbook["排除及暂缓"])}
    assert held[FIRMS["listed"]]["规模"] == "大型企业"
    assert held[FIRMS["listed"]]["不得受理原因"] == "大型企业（上市公司 609001）" + REFERRAL


def test_the_csv_export_reads_back_with_the_size_columns(cli):
    out = cli / "exports" / "p.csv"
    _invoke("export", "--format", "csv", "--out", str(out))
    frame = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    by_id = frame.set_index("company_id")
    assert by_id.loc["shop", "size_label"] == "个体工商户"
    assert by_id.loc["listed", "size_label"] == "大型企业" and by_id.loc["listed", "puhui_eligible"] == "False"
    assert (frame["size_label"] != "").all() and (frame["size_reason"] != "").all()


class _Cells(HTMLParser):
    """The text of each table row's cells, and the text of elements by id."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self.ids: dict[str, str] = {}
        self._cell: list[str] | None = None
        self._open: list[tuple[str, str | None, list[str]]] = []  # (tag, id, text) of open span/table

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag == "td" and self.rows:
            self._cell = []
            self.rows[-1].append("")
        if tag in ("table", "span"):
            self._open.append((tag, dict(attrs).get("id"), []))

    def handle_data(self, data):
        if self._cell is not None and self.rows and self.rows[-1]:
            self.rows[-1][-1] += data
        for _, _, parts in self._open:
            parts.append(data)

    def handle_endtag(self, tag):
        if tag in ("table", "span") and self._open and self._open[-1][0] == tag:
            _, element, parts = self._open.pop()
            if element:
                self.ids[element] = re.sub(r"\s+", " ", "".join(parts)).strip()


def _parsed(html: str) -> _Cells:
    parser = _Cells()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def server(published, tmp_path_factory):
    world = WebWorld(tmp_path_factory.mktemp("size-serve"))
    shutil.copytree(published, world.data)
    world.start_server("--insecure-cookies")
    try:
        with httpx.Client(base_url=world.url, timeout=30) as client:
            page = client.get("/login").text
            token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
            signed_in = client.post("/login", data={"username": "hq", "password": "hq-demo-pass", "csrf_token": token})
            assert signed_in.status_code == 303, signed_in.text[:500]
            yield client
    finally:
        world.stop_server()


def test_the_served_list_has_a_size_cell_with_its_evidence_on_every_row(server):
    response = server.get("/prospects", params={"page_size": 100})
    assert response.status_code == 200
    rows = [r for r in _parsed(response.text).rows if len(r) == 9]
    by_name = {next(n for n in FIRMS.values() if n in r[1]): r[5] for r in rows}
    assert FIRMS["listed"] not in by_name and len(by_name) == 5
    assert by_name[FIRMS["small"]].strip().startswith("小型企业")
    assert "中小企业声明函" in by_name[FIRMS["small"]]
    assert by_name[FIRMS["shop"]].strip().startswith("个体工商户")
    assert "仅有代发人数 18 人" in by_name[FIRMS["unknown"]]
    assert "规模存疑" in by_name[FIRMS["conflict"]]
    assert "普惠上限 700 万元" in response.text


def test_the_served_prospect_page_shows_size_evidence_and_ceiling(server):
    page = _parsed(server.get("/prospects/small").text)
    assert page.ids["size-badge"] == "小型企业"
    assert "2025-06 中小企业声明函：从业人员 35 人，营业收入 1,200 万元" in page.ids["size"]
    assert "单户授信上限 700 万元" in page.ids["size"]
    listed = _parsed(server.get("/prospects/listed").text)
    assert listed.ids["size-badge"] == "大型企业" and listed.ids["size"].endswith("普惠否")


def test_the_served_download_reads_back_with_the_size_columns(server):
    response = server.get("/prospects/export.xlsx")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    ranked = {r["企业名称"]: r for r in _sheet_rows(workbook["杭州分行"])}
    assert ranked[FIRMS["medium"]]["规模"] == "中型企业" and ranked[FIRMS["medium"]]["普惠"] == "否"
    assert ranked[FIRMS["medium"]]["普惠授信上限(万元)"] is None
