"""`tuoke extract` prints JSON lines and one-line errors."""

import json
from pathlib import Path

from typer.testing import CliRunner

from tuoke.cli import app
from tuoke.commands.extract import guess_kind

PAGES = Path(__file__).parent.parent / "fixtures" / "pages"


def test_extract_prints_one_json_line_per_mention():
    out = CliRunner().invoke(app, ["extract", str(PAGES / "award_old_gbk.html")])
    rows = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    assert any(r["role"] == "winner" and r["amount_yuan"] == 99550.0 for r in rows)
    assert {"role", "name", "amount_yuan", "lot", "rank", "uscc", "address", "project_name", "project_code",
            "published_at", "source_url"} <= set(rows[0])


def test_guess_kind_from_page_words():
    assert guess_kind("<title>中标候选人公示</title>") == "candidate_notice"
    assert guess_kind("<h1>失信被执行人名单</h1>") == "negative_list"
    assert guess_kind("<h1>结果公告</h1>") == "procurement_award"
