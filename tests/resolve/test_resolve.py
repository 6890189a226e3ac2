"""Resolution on a hand-made gold set of hard pairs, id stability, judgements and the CLI."""

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from warehouse.resolve import describe_records, resolve_records

VALID_A = "91110108551385082Q"
BAD_A = "91110108551385082X"
VALID_B = "91330100716105852F"

GOLD = [  # record_id, name, uscc, address, gold entity
    ("g1", "杭州宏达机械设备有限公司", "", "", "hd_hz"),
    ("g2", "杭州宏達機械設備有限責任公司", "", "", "hd_hz"),
    ("g3", "杭州宏达机械设备有限公司", "", "浙江省杭州市余杭区某路1号", "hd_hz"),
    ("g4", "宁波宏达机械设备有限公司", "", "", "hd_nb"),  # same 字号, other city
    ("g5", "宏达机械设备有限公司杭州分公司", "", "", "hd_branch"),  # branch ≠ parent
    ("g6", "宏达机械设备有限公司", "", "", "hd_parent"),
    ("g7", "澳妆（上海）国际贸易有限公司", "", "", "az"),  # bracketed region
    ("g8", "上海澳妆国际贸易有限公司", "", "", "az"),
    ("g9", "深圳前海某某投资合伙企业（有限合伙）", "", "", "qh"),
    ("g10", "深圳前海某某投资合伙企业(有限合伙)", "", "", "qh"),
    ("g11", "北京华夏信息科技有限公司", VALID_A, "", "hx"),
    ("g12", "北京华夏信息科技有限公司", BAD_A, "", "hx"),  # bad check digit: still matches by name
    ("g13", "杭州永盛纺织有限公司", VALID_B, "", "ys1"),
    ("g14", "杭州永盛纺织有限公司", "91330106MA27XXXX5H", "", "ys_other"),  # placeholder, replaced below
    ("g15", "杭州宏达贸易有限公司", "", "", "hd_trade"),  # same 字号, other industry
    ("g16", "宁波宏達機械設備有限公司", "", "", "hd_nb"),
]


def _valid_other() -> str:
    from stdnum.cn import uscc

    body = "91330106MA27U8QX6"
    return body + uscc.calc_check_digit(body)


def gold_frame() -> pd.DataFrame:
    rows = [list(r) for r in GOLD]
    rows[13][2] = _valid_other()
    frame = pd.DataFrame(rows, columns=["record_id", "name", "uscc", "address", "gold"])
    frame["source"] = "test"
    return frame


def _clusters(frame, out):
    merged = frame.merge(out, on="record_id")
    return merged


def test_gold_pairs():
    frame = gold_frame()
    out = resolve_records(frame[["record_id", "source", "name", "uscc", "address"]])
    merged = frame.merge(out, on="record_id")
    # every gold entity is one company, and no company holds two gold entities
    assert (merged.groupby("gold")["company_id"].nunique() == 1).all(), merged.to_string()
    assert (merged.groupby("company_id")["gold"].nunique() == 1).all(), merged.to_string()
    ids = dict(zip(merged["record_id"], merged["company_id"]))
    assert ids["g11"] == "uscc-" + VALID_A and ids["g12"] == ids["g11"]
    assert ids["g13"].startswith("uscc-") and ids["g14"].startswith("uscc-") and ids["g13"] != ids["g14"]
    assert out.set_index("record_id").loc["g5", "parent_company_id"] == ids["g6"]
    assert out["features"].str.startswith("{").all()


def test_same_trade_name_without_region_is_not_forced_onto_one_city():
    frame = pd.DataFrame({
        "record_id": ["a", "b", "c"], "source": "s", "uscc": "", "address": "",
        "name": ["杭州宏达机械有限公司", "宁波宏达机械有限公司", "宏达机械有限公司"],
    })
    out = resolve_records(frame)
    assert out["company_id"].nunique() == 3
    # with an address the region-less mention finds its company
    frame.loc[2, "address"] = "宁波市鄞州区某路8号"
    out = resolve_records(frame)
    assert out["company_id"].iat[2] == out["company_id"].iat[1] != out["company_id"].iat[0]


def test_typos_merge_only_with_similar_characters_and_evidence():
    frame = pd.DataFrame({
        "record_id": ["a", "b", "c"], "source": "s", "uscc": "",
        "address": ["杭州市西湖区文三路100号", "杭州市西湖区文三路100号", "杭州市西湖区文三路100号"],
        "name": ["杭州宏达机械有限公司", "杭州宏逹机械有限公司", "杭州宏远机械有限公司"],
    })
    ids = resolve_records(frame)["company_id"].tolist()
    assert ids[0] == ids[1] != ids[2]
    # the same city alone is no second piece of evidence for a look-alike trade name
    ids = resolve_records(frame.assign(address=""))["company_id"].tolist()
    assert ids[0] != ids[1]


def test_ids_stable_across_runs_and_appends():
    frame = gold_frame()[["record_id", "source", "name", "uscc", "address"]]
    first = resolve_records(frame).set_index("record_id")["company_id"]
    again = resolve_records(frame.sample(frac=1, random_state=3)).set_index("record_id")["company_id"]
    assert first.equals(again.loc[first.index])
    extra = pd.DataFrame({"record_id": ["n1", "n2"], "source": "new", "uscc": "", "address": "",
                          "name": ["杭州宏达机械设备有限公司", "温州新公司贸易有限公司"]})
    grown = resolve_records(pd.concat([frame, extra])).set_index("record_id")["company_id"]
    assert grown.loc[first.index].equals(first)
    assert grown["n1"] == first["g1"]


def test_judgements_win(tmp_path: Path):
    frame = gold_frame()[["record_id", "source", "name", "uscc", "address"]]
    path = tmp_path / "judgements.csv"
    path.write_text(
        "# test\nleft_record_id,left_name,right_record_id,right_name,judgement,note\n"
        "g1,,g2,,not_same,split\n"
        ",宁波宏达机械设备有限公司,,宏达机械设备有限公司,same,merge by name\n",
        encoding="utf-8",
    )
    ids = resolve_records(frame, judgements=path).set_index("record_id")["company_id"]
    assert ids["g1"] != ids["g2"]
    assert ids["g4"] == ids["g6"] == ids["g16"]
    rules = resolve_records(frame, judgements=path).set_index("record_id")["rule"]
    assert "judgement" in set(rules)


def test_describe_records():
    frame = gold_frame()[["record_id", "source", "name", "uscc", "address"]]
    desc = describe_records(frame).set_index("record_id")
    assert desc.loc["g5", "is_branch"] and desc.loc["g5", "parent_match_key"] == "宏达机械设备有限公司"
    assert desc.loc["g7", "province"] == "上海市" and desc.loc["g3", "district"] == "余杭区"
    assert desc.loc["g11", "uscc_valid"] and not desc.loc["g12", "uscc_valid"]
    assert desc.loc["g11", "city"] == "北京市" and desc.loc["g11", "district"] == "海淀区"


def _cli(*args):
    return subprocess.run([sys.executable, "-c", "from tuoke.cli import main; main()", *args],
                          capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2])


def test_cli_small_csv_and_gbk(tmp_path: Path):
    frame = gold_frame()[["record_id", "source", "name", "uscc", "address"]]
    src = tmp_path / "in.csv"
    frame.to_csv(src, index=False, encoding="gbk")
    out = tmp_path / "out.csv"
    result = _cli("resolve", str(src), "--out", str(out))
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(out, dtype=str)
    assert list(table.columns[:4]) == ["record_id", "company_id", "rule", "score"]
    assert len(table) == len(frame) and table["company_id"].notna().all()


def test_cli_previous_output_keeps_ids(tmp_path: Path):
    frame = gold_frame()[["record_id", "source", "name", "uscc", "address"]]
    first_in, first_out = tmp_path / "in1.csv", tmp_path / "out1.csv"
    frame.iloc[1:].to_csv(first_in, index=False)
    assert _cli("resolve", str(first_in), "--out", str(first_out), "-q").returncode == 0
    second_in, second_out = tmp_path / "in2.csv", tmp_path / "out2.csv"
    frame.to_csv(second_in, index=False)
    result = _cli("resolve", str(second_in), "--out", str(second_out), "--previous", str(first_out), "-q")
    assert result.returncode == 0, result.stderr
    before = pd.read_csv(first_out, dtype=str).set_index("record_id")["company_id"]
    after = pd.read_csv(second_out, dtype=str).set_index("record_id")["company_id"]
    assert after.loc[before.index].equals(before)
    bad = _cli("resolve", str(second_in), "--out", str(second_out), "--previous", str(second_in))
    assert bad.returncode == 2 and "record_id,company_id" in bad.stderr


@pytest.mark.parametrize("content,message", [
    (b"a,b\n1,2\n", "missing column"),
    (b"\x00\x01\x02binary", "not a CSV"),
    (b"", "empty file"),
])
def test_cli_bad_files(tmp_path: Path, content: bytes, message: str):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content)
    result = _cli("resolve", str(bad), "--out", str(tmp_path / "o.csv"))
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
