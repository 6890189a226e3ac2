"""`tuoke rank` / `export` / `explain` on a published warehouse: json lines, xlsx, clear errors."""

import json
import shutil

import openpyxl
import pytest
from typer.testing import CliRunner

from kernel.paths import DataPaths
from tuoke.cli import app

runner = CliRunner()


@pytest.fixture
def published(world, tmp_path, monkeypatch):
    world.company("a", "杭州甲科技有限公司")
    world.win("a")
    world.payroll("a")
    world.company("b", "宁波乙精密有限公司", branch="宁波分行")
    world.mention("b", "listed", "srdi_list", list_name="2026年浙江省专精特新中小企业名单", tier="省级")
    world.company("c", "杭州丙科技有限公司")
    world.win("c", amount=100_000)
    world.mention("c", "penalized", "negative_list", penalty_type="失信被执行人", list_name="失信被执行人名单")
    world.build()
    world.con.execute("CHECKPOINT")
    data = tmp_path / "data"
    data.mkdir()
    shutil.copyfile(world.path, data / "tuoke.duckdb")
    monkeypatch.setenv("TUOKE_DATA_DIR", str(data))
    return DataPaths(data)


def test_rank_json_is_one_object_per_line_without_excluded_companies(published):
    result = runner.invoke(app, ["rank", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert {r["company_id"] for r in rows} == {"a", "b"}
    first = next(r for r in rows if r["company_id"] == "a")
    for key in ("branch", "rank", "company_id", "name", "score", "segment", "reasons", "products", "evidence_urls",
                "excluded"):
        assert key in first
    assert first["rank"] == 1 and first["excluded"] is False and isinstance(first["reasons"], list)
    assert "代发工资 48 人，月代发 31.2 万元" in first["reasons"]


def test_rank_by_product_and_unknown_values_list_the_valid_ones(published):
    result = runner.invoke(app, ["rank", "--product", "专精特新贷", "--format", "json"])
    assert [json.loads(x)["company_id"] for x in result.stdout.splitlines()] == ["b"]
    result = runner.invoke(app, ["rank", "--branch", "北京分行"])
    assert result.exit_code != 0
    assert "杭州分行" in str(result.exception) and "宁波分行" in str(result.exception)


def test_export_writes_a_workbook_with_a_summary_and_a_sheet_per_branch(published):
    out = published.exports / "p.xlsx"
    result = runner.invoke(app, ["export", "--out", str(out)])
    assert result.exit_code == 0, result.output
    workbook = openpyxl.load_workbook(out)
    assert workbook.sheetnames[:3] == ["汇总", "宁波分行", "杭州分行"]
    sheet = workbook["杭州分行"]
    assert sheet.freeze_panes == "C2"
    assert sheet["B2"].value == "杭州甲科技有限公司"
    reasons = next(c for c in sheet[2] if isinstance(c.value, str) and "代发工资" in c.value)
    assert "；" in reasons.value
    assert any(c.hyperlink is not None and c.hyperlink.target.startswith("https://") for c in sheet[2])
    assert "排除及暂缓" in workbook.sheetnames


def test_explain_finds_a_company_by_part_of_its_name(published):
    result = runner.invoke(app, ["explain", "甲科技"])
    assert result.exit_code == 0, result.output
    assert "score" in result.stdout and "中标" in result.stdout
    ambiguous = runner.invoke(app, ["explain", "杭州"])
    assert ambiguous.exit_code != 0 and "several companies" in str(ambiguous.exception)


def test_rank_without_a_published_warehouse_says_run_build(tmp_path, monkeypatch):
    monkeypatch.setenv("TUOKE_DATA_DIR", str(tmp_path / "empty"))
    result = runner.invoke(app, ["rank"])
    assert result.exit_code != 0 and "tuoke build" in str(result.exception)
