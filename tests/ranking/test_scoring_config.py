"""scoring.yaml mistakes are reported with the file, the key path and what is wrong."""

import pytest
import yaml
from ranking_world import base_scoring

from kernel.scoring_config import ScoringConfigError, load_scoring_config


def test_the_shipped_scoring_yaml_is_valid():
    cfg = load_scoring_config()
    assert list(cfg.dimensions) == ["business", "owner", "reputation", "mitigation", "willingness"]
    assert "dishonest_debtor" in cfg.exclusions.signals and "abnormal_operation" not in cfg.exclusions.signals


@pytest.mark.parametrize("change, message", [
    (lambda d: d["dimensions"]["business"]["signals"]["procurement_win"].update(half_life_days="soon"),
     r"dimensions\.business\.signals\.procurement_win\.half_life_days: must be a number"),
    (lambda d: d["dimensions"].pop("owner"), r"dimensions\.owner: missing"),
    (lambda d: d["dimensions"]["business"]["signals"].update(lottery_win={"points": 3}),
     r"dimensions\.business\.signals\.lottery_win: unknown signal 'lottery_win'"),
    (lambda d: d["risks"]["signals"]["abnormal_operation"].update(points=5),
     r"risks\.signals\.abnormal_operation\.points: a risk signal subtracts"),
    (lambda d: d["suppressions"]["risk_decline"].update(cooling_off_days=0),
     r"suppressions\.risk_decline\.cooling_off_days: must be a number > 0"),
    (lambda d: d["signals"]["procurement_win"].update(reason="{month} 中标 {projekt}"),
     r"signals\.procurement_win\.reason: unknown placeholder \{projekt\}"),
    (lambda d: d["products"]["政采贷"]["signals"]["procurement_win"].update(weight=3),
     r"products\.政采贷\.signals\.procurement_win\.weight: must be in \(0, 1\]"),
    (lambda d: d.update(as_of="yesterday"), r"as_of: must be a date"),
    (lambda d: d["dimensions"]["business"].update(wieght=2), r"dimensions\.business\.wieght: unknown key"),
])
def test_a_scoring_yaml_mistake_names_file_key_and_problem(tmp_path, change, message):
    data = base_scoring()
    change(data)
    path = tmp_path / "scoring.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ScoringConfigError, match=message) as info:
        load_scoring_config(path)
    assert str(path) in str(info.value)
