"""A small tuoke project in a tmp dir: SQL models, one source YAML, landing files, a fake crawler.

Real DuckDB files, real Dagster execution; only the crawl is faked (a swappable resource).
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import dagster as dg

from kernel.sources import load_sources
from pipelines.assemble import build_definitions
from pipelines.load_assets import PythonStep, default_steps
from pipelines.resources import CrawlRunner, TuokeWarehouse

VALID_USCC = ["91330100MA27XL0E2Y", "91110000100000000D"]  # replaced below by computed valid codes

MODELS = {
    "staging/stg_names.sql": """
        -- staging.stg_names: one row per named mention in the landing files.
        CREATE OR REPLACE TABLE staging.stg_names AS
        WITH named AS (SELECT * FROM raw.mentions WHERE name IS NOT NULL)
        SELECT mention_id, source_id, trim(name) AS name, uscc, amount_yuan FROM named;
    """,
    "core/companies.sql": """
        -- core.companies: one row per company (here: per distinct name).
        SELECT 'c-' || md5(name) AS company_id, name, max(uscc) AS uscc, count(*) AS mentions,
               sum(coalesce(amount_yuan, 0)) AS amount_yuan
        FROM staging.stg_names
        GROUP BY name
    """,
    "marts/prospects.sql": """
        /* marts.prospects: companies ranked by amount won. */
        CREATE OR REPLACE TABLE marts.prospects AS
        SELECT company_id, name, amount_yuan,
               row_number() OVER (ORDER BY amount_yuan DESC, company_id) AS rank
        FROM core.companies;
    """,
}

SOURCE_YAML = """
id: test_award
title: Test award notices
kind: procurement_award
region: 浙江省
start_urls: ["http://127.0.0.1:1/index.htm"]
schedule: "0 6 * * *"
assertions: {min: 2, max: 100}
"""


def uscc(seed: str) -> str:
    from stdnum.cn import uscc as stdnum_uscc

    body = ("91330100" + seed).ljust(17, "0")[:17]
    return body + stdnum_uscc.calc_check_digit(body)


def mention(i: int, name: str, amount: float, code: str | None = None, source_id: str = "test_award", run_id: str = "r1") -> dict:
    return {
        "mention_id": f"m{i:04d}", "source_id": source_id, "source_kind": "procurement_award",
        "run_id": run_id, "url": f"http://example/{i}", "fetched_at": "2026-01-01T00:00:00.000000Z",
        "name": name, "uscc": code, "amount_yuan": amount, "role": "winner",
    }


def write_landing(data: Path, run_id: str, rows: list[dict], source_id: str = "test_award", items: int | None = None) -> None:
    folder = data / "landing" / source_id
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{run_id}.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    stats = {"source_id": source_id, "run_id": run_id, "items": len(rows) if items is None else items,
             "pages": 3, "quarantined": 0, "blocked": 0, "finish_reason": "finished",
             "unused_labels": {"联系人": 2}}
    (folder / f"{run_id}.stats.json").write_text(json.dumps(stats), encoding="utf-8")


def write_models(models: Path, extra: dict[str, str] | None = None) -> Path:
    for rel, sql in {**MODELS, **(extra or {})}.items():
        path = models / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(sql).strip() + "\n", encoding="utf-8")
    return models


def write_source(folder: Path, yaml_text: str = SOURCE_YAML) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "test_award.yaml").write_text(textwrap.dedent(yaml_text), encoding="utf-8")
    return folder


class FakeCrawlRunner(CrawlRunner):
    """Writes a landing file of `items` mentions instead of crawling (same contract as the real one)."""

    items: int = 3

    def crawl(self, context, source_id):
        from kernel.paths import DataPaths

        data = Path(self.data_dir) if self.data_dir else DataPaths.from_env().root
        existing = sorted((data / "landing" / source_id).glob("*.stats.json"))
        run_id = f"20260101T00000{len(existing)}Z-abcdef"
        rows = [mention(i, f"公司{i}", 1000.0 * i, source_id=source_id, run_id=run_id) for i in range(self.items)]
        write_landing(data, run_id, rows, source_id=source_id)
        return json.loads((data / "landing" / source_id / f"{run_id}.stats.json").read_text())


def landing_only_steps() -> list[PythonStep]:
    return [s for s in default_steps() if s.name == "load_landing"]


def mini_definitions(root: Path, *, extra_models: dict[str, str] | None = None, steps=None, crawl_items: int = 3) -> dg.Definitions:
    data = root / "data"
    models = write_models(root / "models", extra_models)
    sources = load_sources(write_source(root / "sources"))
    return build_definitions(
        sources=sources,
        models_dir=models,
        steps=landing_only_steps() if steps is None else steps,
        resources={
            "warehouse": TuokeWarehouse(data_dir=str(data), lock_timeout_seconds=30),
            "crawler": FakeCrawlRunner(data_dir=str(data), items=crawl_items),
        },
    )


def table_rows(db: Path, table: str) -> list[tuple]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        columns = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
        order = ", ".join(f'"{c}"' for c in columns)
        return con.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()
    finally:
        con.close()
