"""Individuals' names and ID numbers never reach the warehouse or a quarantine file in clear."""

import json

import duckdb
from test_feeds import CONTACT_ID, CONTACT_NAME, PAYROLL_HEADER, payroll_rows, write_csv

from kernel.paths import DataPaths
from warehouse.db import connect, ensure_schemas
from warehouse.feeds import load_feeds
from warehouse.pii import hash_pii


def test_contact_names_and_id_numbers_are_only_stored_hashed(tmp_path, monkeypatch):
    monkeypatch.setenv("TUOKE_PII_SALT", "test-salt")
    paths = DataPaths(tmp_path / "data")
    rows = payroll_rows()
    rows.append(["杭州丁科技有限公司", "", "杭州分行", "x", "1", "1", CONTACT_NAME, CONTACT_ID])  # quarantined
    write_csv(paths.inbox / "payroll" / "p.csv", PAYROLL_HEADER, rows, "gbk")
    con = connect(paths.working_db)
    ensure_schemas(con)
    load_feeds(con, paths)
    stored = con.execute("SELECT contact_name_hash, contact_id_hash FROM raw.feed_payroll ORDER BY row_number").fetchone()
    assert stored == (hash_pii(CONTACT_NAME, "person_name"), hash_pii(CONTACT_ID, "person_id"))
    con.close()

    leaks = []
    con = duckdb.connect(str(paths.working_db), read_only=True)
    tables = con.execute(
        "SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
    ).fetchall()
    for schema, table in tables:
        columns = [r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ?",
            [schema, table]).fetchall()]
        for column in columns:
            hits = con.execute(
                f'SELECT count(*) FROM {schema}."{table}" WHERE contains(CAST("{column}" AS VARCHAR), ?) '
                f'OR contains(CAST("{column}" AS VARCHAR), ?)',
                [CONTACT_NAME, CONTACT_ID],
            ).fetchone()[0]
            if hits:
                leaks.append(f"{schema}.{table}.{column}")
    con.close()
    assert leaks == []
    quarantine_files = list(paths.quarantine.rglob("*.jsonl"))
    assert quarantine_files
    for path in quarantine_files:
        text = path.read_text(encoding="utf-8")
        assert CONTACT_NAME not in text and CONTACT_ID not in text
    # The quarantined row that named the contact keeps the contact, as hashes (an analyst can still
    # match it to the stored row), never in clear.
    records = [json.loads(line) for path in quarantine_files for line in path.read_text(encoding="utf-8").splitlines()]
    bad_headcount = [r for r in records if r["row_number"] == len(rows)]
    assert len(bad_headcount) == 1 and bad_headcount[0]["reason"] == "bad_number"
    assert bad_headcount[0]["row"]["联系人"] == hash_pii(CONTACT_NAME, "person_name")
    assert bad_headcount[0]["row"]["联系人身份证号"] == hash_pii(CONTACT_ID, "person_id")
    raw_bytes = paths.working_db.read_bytes()
    assert CONTACT_ID.encode() not in raw_bytes and CONTACT_NAME.encode("utf-8") not in raw_bytes
