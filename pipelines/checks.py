"""Asset checks that guard the core and the marts.

Most warehouse checks are SQL test files, dbt-style: dbt_like_sql/tests/<name>.sql returns the
failing rows (`parse_sql_test`); the two left in Python use the kernel's vectorised USCC check (kernel/uscc.py).

Crawl checks come from each source YAML (`assertions: {min, max}`) and from the previous run.
Warehouse checks run on the working DuckDB file inside the build, before publish: a BLOCKING
check that fails with ERROR severity stops everything downstream of its asset, so the published
warehouse keeps the last good build.
"""


import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dagster as dg

from kernel.sources import SourceConfig
from kernel.uscc import valid_usccs
from pipelines.crawl_assets import crawl_key
from pipelines.resources import DUCKDB_WRITE_OP_TAGS, DUCKDB_WRITE_POOL, TuokeWarehouse

# Thresholds a data engineer tunes; named so the check descriptions can quote them.
USCC_VALID_RECORD_SHARE_MIN = 0.90  # entity records: codes as the sources wrote them (warn)
PREVIOUS_RUN_DROP_FACTOR = 0.5  # a crawl under half of the previous run warns


ERROR, WARN = dg.AssetCheckSeverity.ERROR, dg.AssetCheckSeverity.WARN

# ---------------------------------------------------------------- crawl checks (per source YAML)


def run_stats_files(landing_dir: Path) -> list[dict[str, Any]]:
    """All run stats of one source, oldest first (run ids start with a UTC timestamp)."""
    stats = []
    for path in sorted(landing_dir.glob("*.stats.json")):
        try:
            stats.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, json.JSONDecodeError):
            continue
    return stats


def evaluate_item_assertions(items: int | None, minimum: int | None, maximum: int | None) -> tuple[bool, str]:
    if items is None:
        return False, "no run stats found for the latest crawl"
    if minimum is not None and items < minimum:
        return False, f"{items} items, fewer than the minimum {minimum} a healthy run yields"
    if maximum is not None and items > maximum:
        return False, f"{items} items, more than the maximum {maximum} a healthy run yields"
    return True, f"{items} items within [{minimum if minimum is not None else '-'}, {maximum if maximum is not None else '-'}]"


def _loaded_files(con, source_id: str) -> dict[str, int]:
    """file name -> bytes of the source's landing files already in raw.landing_files."""
    if con is None or not con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'raw' "
                                      "AND table_name = 'landing_files'").fetchone()[0]:
        return {}
    return {Path(name).name: size for name, size in con.execute(
        "SELECT landing_file, bytes FROM raw.landing_files WHERE source_id = ?", [source_id]).fetchall()}


def _file_mention_ids(path: Path) -> set[str]:
    ids: set[str] = set()
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            try:
                ids.add(json.loads(line)["mention_id"])
            except (ValueError, KeyError, TypeError):
                continue
    return ids


def distinct_items_held(landing_dir: Path, con=None) -> int | None:
    """Distinct mentions a source holds over all its runs: the loaded runs counted in raw.mentions
    (`con`: the working warehouse, read-only), the runs not loaded yet (normally only the crawl
    just made) read from their landing files.

    Crawls are incremental: a run over an unchanged site fetches no detail page and yields 0 new
    items, which is healthy. The YAML assertions therefore bound what the source holds, while
    `items_vs_previous_run` watches each run's yield per detail page.
    """
    files = sorted(landing_dir.glob("*.jsonl"))
    if not files:
        return None
    source_id = landing_dir.name
    loaded = _loaded_files(con, source_id)
    done = [f.name for f in files if loaded.get(f.name) == f.stat().st_size]
    ids: set[str] = set()
    if done:
        ids = {r[0] for r in con.execute(
            "SELECT DISTINCT mention_id FROM raw.mentions WHERE source_id = ? "
            "AND list_contains(?::VARCHAR[], parse_filename(landing_file))", [source_id, done]).fetchall()}
    for path in files:
        if path.name not in done:
            ids |= _file_mention_ids(path)
    return len(ids)


def evaluate_against_previous(latest: int | None, previous: int | None,
                              detail_pages: int | None = None) -> tuple[bool, str]:
    if latest is None:
        return False, "no run stats found for the latest crawl"
    if detail_pages == 0 and latest == 0:
        return True, "nothing new since the previous run (incremental crawl fetched no detail page)"
    if detail_pages and latest == 0:
        return False, f"{detail_pages} new detail pages fetched but 0 items extracted: has the site changed?"
    if previous is None:
        return True, f"first run: {latest} items"
    if previous > 0 and latest == 0:
        return False, f"0 items; the previous run yielded {previous}"
    if previous > 0 and latest < previous * PREVIOUS_RUN_DROP_FACTOR:
        return False, f"{latest} items, under half of the previous run's {previous}"
    return True, f"{latest} items; previous run {previous}"


def _crawl_checks(source: SourceConfig) -> list[dg.AssetChecksDefinition]:
    key = crawl_key(source.id)

    @dg.asset_check(
        asset=key,
        name="items_within_assertions",
        blocking=True,
        description=f"Distinct items the source holds within the YAML assertions {dict(source.assertions) or '(none)'}.",
    )
    def items_within_assertions(warehouse: TuokeWarehouse) -> dg.AssetCheckResult:
        landing_dir = warehouse.paths().source_landing(source.id)
        runs = run_stats_files(landing_dir)
        latest = runs[-1] if runs else {}
        items = None
        if runs and warehouse.paths().working_db.exists():
            with warehouse.open_read() as con:
                items = distinct_items_held(landing_dir, con)
        elif runs:
            items = distinct_items_held(landing_dir)
        if not source.assertions and runs:
            return dg.AssetCheckResult(passed=True, description="source declares no assertions",
                                       metadata={"items": int(items or 0)})
        passed, text = evaluate_item_assertions(items, source.min_items, source.max_items)
        return dg.AssetCheckResult(
            passed=passed, severity=ERROR, description=text,
            metadata={"items": int(items or 0), "run_id": str(latest.get("run_id") or "")},
        )

    @dg.asset_check(
        asset=key,
        name="items_vs_previous_run",
        blocking=False,
        description="A crawl that yields 0 or under half of the previous run's items warns.",
    )
    def items_vs_previous_run(warehouse: TuokeWarehouse) -> dg.AssetCheckResult:
        runs = run_stats_files(warehouse.paths().source_landing(source.id))
        latest = runs[-1].get("items") if runs else None
        previous = runs[-2].get("items") if len(runs) > 1 else None
        detail_pages = runs[-1].get("detail_pages") if runs else None
        passed, text = evaluate_against_previous(latest, previous, detail_pages)
        return dg.AssetCheckResult(
            passed=passed, severity=WARN, description=text,
            metadata={"items": int(latest or 0), "previous_items": int(previous or 0)},
        )

    return [items_within_assertions, items_vs_previous_run]


def build_crawl_checks(sources: Sequence[SourceConfig]) -> list[dg.AssetChecksDefinition]:
    from pipelines.crawl_health import extraction_health_check

    return [check for source in sources for check in (*_crawl_checks(source), extraction_health_check(source))]


# ---------------------------------------------------------------- warehouse checks


@dataclass(frozen=True)
class WarehouseCheck:
    table: str  # the asset checked, "schema.table"
    name: str
    blocking: bool
    description: str
    evaluate: Callable[[Any], dg.AssetCheckResult]  # open read-only DuckDB connection → result
    reads: tuple[str, ...] = ()  # other tables it reads (become deps so it runs after them)

    @property
    def key(self) -> dg.AssetKey:
        return dg.AssetKey(self.table.split("."))


def _columns(con, table: str) -> set[str]:
    schema, name = table.split(".")
    return {
        r[0]
        for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ?",
            [schema, name],
        ).fetchall()
    }


def _require(con, table: str, columns: Iterable[str]) -> dg.AssetCheckResult | None:
    missing = sorted(set(columns) - _columns(con, table))
    if missing:
        return dg.AssetCheckResult(
            passed=False, severity=ERROR,
            description=f"{table} lacks column(s) {', '.join(missing)} this check needs",
        )
    return None


def check_uscc_record_share(con) -> dg.AssetCheckResult:
    if (problem := _require(con, "core.entity_records", ["uscc", "uscc_valid"])) is not None:
        return problem
    with_code, valid = con.execute(
        "SELECT count(*) FILTER (WHERE uscc IS NOT NULL AND uscc <> ''), "
        "count(*) FILTER (WHERE uscc IS NOT NULL AND uscc <> '' AND uscc_valid) FROM core.entity_records"
    ).fetchone()
    share = valid / with_code if with_code else 1.0
    return dg.AssetCheckResult(
        passed=share >= USCC_VALID_RECORD_SHARE_MIN, severity=WARN,
        description=f"{share:.1%} of {with_code} records with a USCC have a valid check character "
        f"(minimum {USCC_VALID_RECORD_SHARE_MIN:.0%})",
        metadata={"records_with_uscc": int(with_code), "valid": int(valid), "share": float(share)},
    )


def check_company_uscc_valid(con) -> dg.AssetCheckResult:
    if (problem := _require(con, "core.companies", ["company_id", "uscc"])) is not None:
        return problem
    codes = con.execute("SELECT company_id, uscc FROM core.companies WHERE uscc IS NOT NULL").fetchall()
    valid = valid_usccs([code for _, code in codes])
    invalid = [pair for pair, ok in zip(codes, valid.tolist()) if not ok]
    share = 1 - len(invalid) / len(codes) if codes else 1.0
    return dg.AssetCheckResult(
        passed=not invalid, severity=ERROR,
        description=f"{share:.2%} of {len(codes)} company codes pass the GB 32100 check character",
        metadata={"companies_with_uscc": len(codes), "invalid": len(invalid),
                  "examples": dg.MetadataValue.json([list(x) for x in invalid[:10]])},
    )


WAREHOUSE_CHECKS: tuple[WarehouseCheck, ...] = (
    WarehouseCheck("core.entity_records", "uscc_validity_rate", False,
                   "Share of resolution records with a USCC whose check character is valid.",
                   check_uscc_record_share),
    WarehouseCheck("core.companies", "company_uscc_valid", True,
                   "Every company code passes the GB 32100 check character.", check_company_uscc_valid),
)


def _warehouse_check(spec: WarehouseCheck) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=spec.key,
        name=spec.name,
        blocking=spec.blocking,
        description=spec.description,
        additional_deps=[dg.AssetKey(t.split(".")) for t in spec.reads],
        pool=DUCKDB_WRITE_POOL,
        op_tags=DUCKDB_WRITE_OP_TAGS,
    )
    def _check(warehouse: TuokeWarehouse) -> dg.AssetCheckResult:
        with warehouse.open_read() as con:
            return spec.evaluate(con)

    return _check


# ---------------------------------------------------------------- SQL test files (dbt-style)

SQL_TEST_EXAMPLES = 10


def _sql_test_evaluator(query: str, shown: str) -> Callable[[Any], dg.AssetCheckResult]:
    """A check that passes when `query` returns no row. An error in it (a missing column of our
    own table, say) fails the check with the error's first line: nothing is probed around."""

    def evaluate(con) -> dg.AssetCheckResult:
        try:
            failing = con.execute(f"SELECT count(*) FROM ({query})").fetchone()[0]
            examples = con.execute(f"SELECT * FROM ({query}) LIMIT {SQL_TEST_EXAMPLES}").fetchall() if failing else []
        except Exception as exc:  # noqa: BLE001 — the check fails, naming its file and the error
            return dg.AssetCheckResult(passed=False, severity=ERROR,
                                       description=f"{shown}: {str(exc).splitlines()[0]}")
        return dg.AssetCheckResult(
            passed=failing == 0, severity=ERROR,
            description=f"{failing} failing rows ({shown})" if failing else f"no failing row ({shown})",
            metadata={"failing_rows": int(failing),
                      "examples": dg.MetadataValue.json(json.loads(json.dumps(examples, default=str)))},
        )

    return evaluate


def parse_sql_test(path: Path) -> WarehouseCheck:
    """dbt_like_sql/tests/<name>.sql: a query returning the failing rows, headed by
    `-- asset: schema.table` (the asset it checks), optionally `-- blocking: true|false`
    (default true), then comment lines describing it. Every other table it reads (sqlglot)
    becomes a dependency of the check."""
    import sqlglot
    from sqlglot import exp

    from pipelines.sql_models import ModelError, header_comment

    text = path.read_text(encoding="utf-8")
    header, description = {}, []
    for line in header_comment(text).splitlines():
        key, _, value = line.partition(":")
        if key.strip() in ("asset", "blocking") and value.strip():
            header[key.strip()] = value.strip()
        else:
            description.append(line)
    if "asset" not in header:
        raise ModelError(f"{path}: a SQL test starts with `-- asset: schema.table`")
    try:
        statements = [s for s in sqlglot.parse(text, read="duckdb") if s is not None]
    except sqlglot.errors.ParseError as exc:
        raise ModelError(f"{path}: sqlglot cannot parse it: {str(exc).splitlines()[0]}") from exc
    if len(statements) != 1 or not isinstance(statements[0], exp.Query):
        raise ModelError(f"{path}: a SQL test is one SELECT query returning the failing rows")
    ctes = {c.alias_or_name.lower() for c in statements[0].find_all(exp.CTE)}
    reads = sorted({f"{t.db.lower()}.{t.name.lower()}" for t in statements[0].find_all(exp.Table)
                    if isinstance(t.this, exp.Identifier) and t.db and t.name.lower() not in ctes})
    return WarehouseCheck(
        table=header["asset"], name=path.stem, blocking=header.get("blocking", "true").lower() == "true",
        description=" ".join(description).strip() or path.stem,
        evaluate=_sql_test_evaluator(text.strip().rstrip(";"), f"dbt_like_sql/tests/{path.name}"),
        reads=tuple(t for t in reads if t != header["asset"]),
    )


def sql_tests(tests_dir: Path | None = None) -> list[WarehouseCheck]:
    from kernel.paths import sql_models_dir

    folder = Path(tests_dir) if tests_dir else sql_models_dir() / "tests"
    return [parse_sql_test(path) for path in sorted(folder.glob("*.sql"))]


def build_warehouse_checks(
    available: Iterable[dg.AssetKey], checks: Sequence[WarehouseCheck] | None = None
) -> list[dg.AssetChecksDefinition]:
    """Checks (the Python ones and the SQL test files) whose asset and every table they read exist
    in this graph."""
    checks = [*WAREHOUSE_CHECKS, *sql_tests()] if checks is None else checks
    available = set(available)
    return [
        _warehouse_check(spec)
        for spec in checks
        if spec.key in available and all(dg.AssetKey(t.split(".")) in available for t in spec.reads)
    ]
