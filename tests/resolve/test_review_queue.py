"""The review queue: marts.match_review lists the grey zone, `tuoke review` settles it, builds obey.

Real parts throughout: a DuckDB warehouse file, the resolver step the pipeline runs
(`build_entity_links`), the SQL model file of the queue, the published copy `tuoke review` reads,
the `tuoke` command, and the judgements CSV every build applies.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kernel.errors import UserError
from kernel.paths import REPO_ROOT, sql_models_dir
from pipelines.sql_models import parse_model
from tuoke.cli import app
from warehouse.db import connect, ensure_schemas
from warehouse.entity_links import build_entity_links

runner = CliRunner()
ADDRESS = "云南省昆明市呈贡区春融西路18号"
HUAXIN = "昆明市华信科技有限公司"
HUAXING = "昆明市华兴科技有限公司"  # a different company whose 字号 sounds alike
BARE = "华信科技有限公司"  # no region, no address: attached only as the one candidate
OTHER_CITY = "上海市华信科技有限公司"


class Warehouse:
    """A working warehouse file, built with the pipeline's steps, and its published copy."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.work = root / "work" / "tuoke.duckdb"
        self.published = root / "tuoke.duckdb"
        self.records: list[tuple] = []

    def add(self, record_id: str, name: str, address: str = "") -> None:
        self.records.append((record_id, "demo_src", "procurement_award", name, "", address, None))

    def build(self) -> None:
        con = connect(self.work)
        try:
            ensure_schemas(con)
            con.execute("CREATE OR REPLACE TABLE staging.stg_entity_records (record_id VARCHAR, source_id VARCHAR, "
                        "source_kind VARCHAR, name VARCHAR, uscc VARCHAR, address VARCHAR, region_hint VARCHAR)")
            con.executemany("INSERT INTO staging.stg_entity_records VALUES (?, ?, ?, ?, ?, ?, ?)", self.records)
            con.execute("CREATE OR REPLACE TABLE staging.stg_mentions AS "
                        "SELECT record_id AS mention_id, CAST(NULL AS VARCHAR) AS industry FROM staging.stg_entity_records")
            build_entity_links(con)
            con.execute(parse_model(sql_models_dir() / "marts" / "match_review.sql").sql)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        shutil.copyfile(self.work, self.published)

    def companies(self) -> dict[str, str]:
        con = connect(self.published, read_only=True)
        try:
            return dict(con.execute("SELECT record_id, company_id FROM core.entity_links").fetchall())
        finally:
            con.close()


@pytest.fixture
def warehouse(tmp_path, monkeypatch) -> Warehouse:
    configs = tmp_path / "configs"
    configs.mkdir()
    monkeypatch.setenv("TUOKE_CONFIGS_DIR", str(configs))
    monkeypatch.setenv("TUOKE_DATA_DIR", str(tmp_path / "data"))
    w = Warehouse(tmp_path / "data")
    for i in range(3):
        w.add(f"xin{i}", HUAXIN, ADDRESS)
    w.add("xing0", HUAXING, ADDRESS)
    w.add("xing1", HUAXING)
    w.add("bare0", BARE)
    w.build()
    return w


def _queue(fmt: str = "json") -> list[dict]:
    result = runner.invoke(app, ["review", "--format", fmt])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _pair(rows: list[dict], left: str, right: str) -> dict:
    found = [r for r in rows if {r["left_name"], r["right_name"]} == {left, right}]
    assert found, f"no queued pair {left} / {right} in {[(r['left_name'], r['right_name']) for r in rows]}"
    return found[0]


def test_the_queue_holds_weak_links_with_both_names_features_and_evidence(warehouse):
    rows = _queue()
    typo = _pair(rows, HUAXIN, HUAXING)
    assert typo["reason"] in ("weak_rule", "weak_edge", "low_score") and typo["rule"] != "same_key"
    assert isinstance(typo["evidence"], list) and typo["evidence"]  # which fields agreed
    assert ADDRESS in (typo["left_address"], typo["right_address"]) and len(typo["pair_id"]) == 12
    con = connect(warehouse.published, read_only=True)
    try:
        features = con.execute("SELECT features FROM marts.match_review WHERE pair_id = ?",
                               [typo["pair_id"]]).fetchone()[0]
        queued = con.execute("SELECT left_record_id, right_record_id FROM marts.match_review").fetchall()
    finally:
        con.close()
    assert '"strength"' in features and '"similarity"' in features
    same = {"xin0", "xin1", "xin2"}  # one name, one region, one address: not grey
    assert not [pair for pair in queued if set(pair) <= same]
    table = runner.invoke(app, ["review"])
    assert table.exit_code == 0 and typo["pair_id"] in table.stdout
    csv_rows = list(csv.DictReader(runner.invoke(app, ["review", "--format", "csv"]).stdout.splitlines()))
    assert {r["pair_id"] for r in csv_rows} == {r["pair_id"] for r in rows}
    assert {r["priority"] for r in rows} <= {1, 2, 3}
    assert [r["priority"] for r in rows] == sorted(r["priority"] for r in rows)  # most doubtful first
    urgent = json.loads(runner.invoke(app, ["review", "--priority", "1", "--format", "json"]).stdout)
    assert {r["pair_id"] for r in urgent} == {r["pair_id"] for r in rows if r["priority"] == 1}
    # the look-alike merged on an agreeing address: an independent piece of evidence, least urgent
    assert typo["priority"] == 3


def test_rejected_pair_stays_apart_over_rebuilds_and_other_ids_stay_stable(warehouse):
    before = warehouse.companies()
    assert before["xing0"] == before["xin0"], "the look-alike with the same address merged before the review"
    pair = _pair(_queue(), HUAXIN, HUAXING)
    result = runner.invoke(app, ["review", "reject", pair["pair_id"], "--note", "tested"])
    assert result.exit_code == 0, result.output
    judgements = list(csv.DictReader(
        line for line in (Path(os.environ["TUOKE_CONFIGS_DIR"]) / "judgements.csv").read_text("utf-8").splitlines()
        if not line.startswith("#")))
    assert [(j["left_name"], j["right_name"], j["judgement"]) for j in judgements] in (
        [(HUAXIN, HUAXING, "not_same")], [(HUAXING, HUAXIN, "not_same")])
    for _ in range(2):
        warehouse.build()
        after = warehouse.companies()
        assert after["xing0"] != after["xin0"] and after["xing1"] != after["xin0"]
        assert after["xin0"] == after["xin1"] == after["xin2"] == before["xin0"]  # the company kept its id
        assert pair["pair_id"] not in {r["pair_id"] for r in _queue()}


def test_accepted_pair_stays_together_even_when_new_mentions_make_it_ambiguous(warehouse):
    pair = _pair(_queue(), BARE, HUAXIN)
    result = runner.invoke(app, ["review", "accept", pair["pair_id"]])
    assert result.exit_code == 0, result.output
    warehouse.add("sh0", OTHER_CITY)  # now 华信科技有限公司 could be the Shanghai one as well
    warehouse.add("sh1", OTHER_CITY)
    first = None
    for _ in range(2):
        warehouse.build()
        ids = warehouse.companies()
        assert ids["bare0"] == ids["xin0"] != ids["sh0"]
        first = first or ids
        assert ids == first  # stable over rebuilds
    assert pair["pair_id"] not in {r["pair_id"] for r in _queue()}


def test_deciding_again_replaces_the_earlier_decision_and_keeps_other_lines(warehouse):
    path = Path(os.environ["TUOKE_CONFIGS_DIR"]) / "judgements.csv"
    path.write_text("# hand-written\nleft_record_id,left_name,right_record_id,right_name,judgement,note\n"
                    ",甲公司,,乙公司,not_same,by hand\n", encoding="utf-8")
    pair = _pair(_queue(), BARE, HUAXIN)
    assert runner.invoke(app, ["review", "reject", pair["pair_id"]]).exit_code == 0
    assert runner.invoke(app, ["review", "accept", pair["pair_id"]]).exit_code == 0
    lines = path.read_text("utf-8").splitlines()
    assert lines[:3] == ["# hand-written", "left_record_id,left_name,right_record_id,right_name,judgement,note",
                         ",甲公司,,乙公司,not_same,by hand"]
    assert len(lines) == 4 and ",same," in lines[3] and f"review:{pair['pair_id']}" in lines[3]


def test_unknown_pair_is_a_user_error(warehouse):
    result = runner.invoke(app, ["review", "reject", "0123456789ab"])
    assert isinstance(result.exception, UserError) and "0123456789ab" in str(result.exception)
    assert not (Path(os.environ["TUOKE_CONFIGS_DIR"]) / "judgements.csv").exists()


def test_cli_mistakes_print_one_line_and_exit_2(warehouse):
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    for args in (["review", "accept", "nosuchpair"], ["review", "--format", "xml"]):
        done = subprocess.run([sys.executable, "-c", "from tuoke.cli import main; main()", *args],
                              capture_output=True, text=True, env=env, cwd=REPO_ROOT)
        assert done.returncode == 2, done.stderr
        assert len(done.stderr.strip().splitlines()) == 1 and "error" in done.stderr
