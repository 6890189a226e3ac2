"""Conflicting evidence on the benchmark: `python -m benchmarks.resolve.conflicts --size 1000000`.

Resolves the generated records (benchmarks/resolve/generate.py), describes them as
core.entity_records, and runs the build's own blocking check
(dbt_like_sql/tests/conflicting_evidence.sql) over them in an in-memory DuckDB; prints the
number of failing rows (companies with conflicting evidence) and a few of them.
"""

from __future__ import annotations

import argparse

import duckdb

from benchmarks.resolve.generate import generate
from kernel.paths import sql_models_dir
from warehouse.resolve import resolve_and_describe


def conflicting_companies(size: int, seed: int = 7) -> tuple[int, list]:
    frame = generate(size, seed=seed)
    links, described = resolve_and_describe(frame[["record_id", "source", "name", "uscc", "address"]])
    records = described.assign(company_id=links["company_id"].to_numpy(), region_from_hint=False)
    query = (sql_models_dir() / "tests" / "conflicting_evidence.sql").read_text(encoding="utf-8")
    con = duckdb.connect()
    con.execute("CREATE SCHEMA core")
    con.register("records_frame", records)
    con.execute("CREATE TABLE core.entity_records AS SELECT * FROM records_frame")
    failing = con.execute(f"SELECT count(*) FROM ({query.strip().rstrip(';')})").fetchone()[0]
    examples = con.execute(f"SELECT * FROM ({query.strip().rstrip(';')}) LIMIT 5").fetchall()
    return int(failing), examples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    failing, examples = conflicting_companies(args.size, args.seed)
    print(f"{args.size:,} records: {failing} companies with conflicting evidence")
    for row in examples:
        print("  ", row)


if __name__ == "__main__":
    main()
