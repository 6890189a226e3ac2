"""`tuoke review`: the grey zone of entity resolution, and the decisions that settle it.

    tuoke review [--format table|csv|json] [--priority 1|2|3] [--reason weak_edge|weak_rule|low_score] [--limit N]
    tuoke review accept PAIR_ID [--note TEXT]
    tuoke review reject PAIR_ID [--note TEXT]

The queue is `marts.match_review` of the published warehouse (read-only; built by every build).
A decision is appended to the judgements file (configs/judgements.csv, or --judgements), which
every build applies: an accepted pair is joined (by its two record ids), a rejected pair is kept
apart — by the two names as written when they differ (华兴科技 is not 华信科技, wherever either is
mentioned), by the two record ids when the names are equal. Deciding a pair again replaces the
earlier decision. The pair leaves the queue at the next build.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import typer
from rich.console import Console
from rich.table import Table

from kernel.csvfiles import csv_writer
from kernel.errors import UserError
from kernel.paths import DataPaths, configs_dir

FORMATS = ("table", "csv", "json")
REASONS = ("weak_edge", "weak_rule", "low_score")
QUEUE = "marts.match_review"
LIST_COLUMNS = ["pair_id", "priority", "reason", "rule", "score", "left_name", "right_name", "left_uscc", "right_uscc",
                "left_region", "right_region", "left_address", "right_address", "evidence", "records", "company_id",
                "left_record_id", "right_record_id"]
TABLE_COLUMNS = ["pair_id", "priority", "rule", "score", "left_name", "right_name", "evidence"]
TABLE_HEADERS = {"priority": "p", "left_name": "name", "right_name": "linked to"}

review_app = typer.Typer(help="List the entity-resolution review queue; accept or reject a pair.",
                         no_args_is_help=False, add_completion=False)


def judgements_file(override: Path | None) -> Path:
    return Path(override) if override else configs_dir() / "judgements.csv"


def _open(db: Path | None) -> duckdb.DuckDBPyConnection:
    from tuoke.commands.query import open_published

    db = Path(db) if db else DataPaths.from_env().published_db
    con = open_published(db)
    found = con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'marts' "
                        "AND table_name = 'match_review'").fetchone()[0]
    if not found:
        con.close()
        raise UserError(f"{db} has no {QUEUE}; run `tuoke build` to make the review queue")
    return con


def read_queue(db: Path | None, reason: str | None = None, limit: int | None = None,
               priority: int | None = None) -> list[dict]:
    con = _open(db)
    try:
        sql = f"SELECT {', '.join(LIST_COLUMNS)} FROM {QUEUE} WHERE true"
        params: list = []
        if reason:
            sql += " AND reason = ?"
            params.append(reason)
        if priority:
            sql += " AND priority <= ?"
            params.append(priority)
        sql += " ORDER BY priority, score, pair_id"
        if limit:
            sql += f" LIMIT {int(limit)}"
        cursor = con.execute(sql, params)
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row)) for row in cursor.fetchall()]
    finally:
        con.close()


def find_pair(db: Path | None, pair_id: str) -> dict:
    con = _open(db)
    try:
        cursor = con.execute(f"SELECT * FROM {QUEUE} WHERE pair_id = ?", [pair_id.strip().lower()])
        columns = [d[0] for d in cursor.description]
        row = cursor.fetchone()
    finally:
        con.close()
    if row is None:
        raise UserError(f"no pair {pair_id!r} in the review queue; `tuoke review` lists the pair ids")
    return dict(zip(columns, row))


def decision_row(pair: dict, same: bool, note: str) -> dict[str, str]:
    """The judgements line for a decision on one queued pair (see the module doc for the sides)."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    tag = f"review:{pair['pair_id']}"
    text = " ".join(part for part in (note.strip(), tag, stamp) if part)
    by_name = not same and pair["left_match_key"] != pair["right_match_key"]
    return {
        "left_record_id": "" if by_name else pair["left_record_id"],
        "left_name": pair["left_name"] or "",
        "right_record_id": "" if by_name else pair["right_record_id"],
        "right_name": pair["right_name"] or "",
        "judgement": "same" if same else "not_same",
        "note": text,
    }


def _decide(pair_id: str, same: bool, note: str, judgements: Path | None, db: Path | None) -> None:
    from warehouse.resolve.judgements import record_judgement

    pair = find_pair(db, pair_id)
    path = judgements_file(judgements)
    row = decision_row(pair, same, note)
    try:
        record_judgement(path, row, replaces=f"review:{pair['pair_id']}")
    except OSError as exc:
        raise UserError(f"{path}: cannot write the judgement ({exc.strerror or exc})") from None
    sign = "=" if same else "≠"
    Console(stderr=True).print(
        f"{'accepted' if same else 'rejected'} {pair['pair_id']}: {pair['left_name']} {sign} {pair['right_name']} "
        f"→ {path} (applied by the next build)", highlight=False)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _evidence_text(value) -> str:
    try:
        items = json.loads(value) if isinstance(value, str) else value
    except ValueError:
        return str(value)
    return ", ".join(str(i) for i in items or [])


def _print(rows: list[dict], fmt: str) -> None:
    if fmt == "json":
        payload = [{**r, "evidence": json.loads(r["evidence"]) if isinstance(r.get("evidence"), str) else r.get("evidence")}
                   for r in rows]
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, default=str, indent=1) + "\n")
    elif fmt == "csv":
        writer = csv_writer(sys.stdout)
        writer.writerow(LIST_COLUMNS)
        for r in rows:
            writer.writerow([_cell(r.get(c)) for c in LIST_COLUMNS])
    else:
        console = Console()
        if not rows:
            console.print("the review queue is empty")
            return
        table = Table(title=f"{len(rows)} pair(s) to review — tuoke review accept|reject PAIR_ID")
        for column in TABLE_COLUMNS:  # the pair id is what the user types next: never cut it
            table.add_column(TABLE_HEADERS.get(column, column), no_wrap=column in ("pair_id", "priority", "score"),
                             min_width=12 if column == "pair_id" else None,
                             overflow="fold")
        for r in rows:
            table.add_row(*(_evidence_text(r.get(c)) if c == "evidence" else _cell(r.get(c)) for c in TABLE_COLUMNS))
        console.print(table)
        console.print("[dim]regions, addresses, codes and sources: --format csv or json[/dim]")


@review_app.callback(invoke_without_command=True)
def review_command(
    ctx: typer.Context,
    fmt: str = typer.Option("table", "--format", "-f", help="table | csv | json"),
    reason: str = typer.Option(None, "--reason", help="Only one reason: weak_edge | weak_rule | low_score."),
    limit: int = typer.Option(None, "--limit", "-n", min=1, help="At most this many pairs."),
    priority: int = typer.Option(None, "--priority", "-p", min=1, max=3,
                                 help="Only pairs of this priority or more urgent (1 = most often wrong)."),
    db: Path = typer.Option(None, "--db", help="DuckDB file (default: the published data/tuoke.duckdb)."),
) -> None:
    """List the pairs the matcher decided on thin evidence (marts.match_review), most doubtful first."""
    if ctx.invoked_subcommand is not None:
        return
    if fmt not in FORMATS:
        raise UserError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if reason is not None and reason not in REASONS:
        raise UserError(f"--reason must be one of {', '.join(REASONS)}, not {reason!r}")
    _print(read_queue(db, reason, limit, priority), fmt)


def _decision_command(same: bool, doc: str):
    """`tuoke review accept` (same) or `reject` (not same): one command body, two verdicts."""

    def command(
        pair_id: str = typer.Argument(..., help="A pair_id from `tuoke review`."),
        note: str = typer.Option("", "--note", help="Who and why (kept in the judgements file)."),
        judgements: Path = typer.Option(None, "--judgements", help="Judgements CSV (default configs/judgements.csv)."),
        db: Path = typer.Option(None, "--db", help="DuckDB file (default: the published data/tuoke.duckdb)."),
    ) -> None:
        _decide(pair_id, same, note, judgements, db)

    command.__doc__ = doc
    return command


accept_command = review_app.command("accept")(
    _decision_command(True, "The two records name one company: join them on every build."))
reject_command = review_app.command("reject")(
    _decision_command(False, "Different companies: keep them apart on every build."))


def register(app: typer.Typer) -> None:
    app.add_typer(review_app, name="review")
