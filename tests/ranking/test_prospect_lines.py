"""`tuoke rank` / `tuoke demo` print one line per prospect that fits the terminal (Chinese = 2 cells)."""

import pandas as pd
import pytest
from rich.cells import cell_len

from tuoke.commands.rank import prospect_lines

LONG_REASON = "2026-10 中标 某某市第一人民医院CT设备维保服务项目 326.5 万元（政府采购，公开招标）"


def _prospects() -> pd.DataFrame:
    return pd.DataFrame([
        {"branch": "杭州分行", "rank": 1, "name": "杭州甲乙丙丁科技股份有限公司嘉兴分公司", "score": 87.54,
         "segment": "new_to_bank", "reasons": [LONG_REASON, "代发工资 48 人"]},
        {"branch": "杭州分行", "rank": 2, "name": "ABC Trading", "score": 7.5, "segment": "existing_credit",
         "reasons": []},
        {"branch": "宁波分行", "rank": 1, "name": "宁波乙精密有限公司", "score": 70.0, "segment": "existing_no_credit",
         "reasons": ["专精特新（2026年浙江省专精特新中小企业名单）"]},
    ])


@pytest.mark.parametrize("width", [80, 60, 120])
def test_every_line_fits_the_width(width):
    lines = prospect_lines(_prospects(), width)
    assert lines and all(cell_len(line) <= width for line in lines)


def test_one_line_per_prospect_under_its_branch_with_rank_name_score_segment_and_top_reason():
    lines = prospect_lines(_prospects(), 80)
    assert lines[0] == "杭州分行" and lines[3] == "宁波分行" and len(lines) == 5
    first = lines[1]
    assert first.split()[0] == "1" and "87.5" in first and "新客户" in first
    assert first.endswith("…") and "2026-10 中标" in first  # the top reason, cut to the width
    assert "代发工资" not in first  # only the top reason; `tuoke explain` gives the rest
    assert "宁波乙精密有限公司" in lines[4] and "专精特新" in lines[4] and "存量无贷" in lines[4]
    # a name too long for its column is cut, and the score column stays aligned
    assert "…" in first.split()[1]
    assert cell_len(first[:first.index("87.5")]) == cell_len(lines[4][:lines[4].index("70.0")])


def test_a_wide_terminal_shows_more_of_the_reason():
    assert LONG_REASON in prospect_lines(_prospects(), 160)[1]
