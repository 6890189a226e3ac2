"""`tuoke resolve INPUT.csv --out OUTPUT.csv`: company ids for a CSV of name mentions.

INPUT columns: record_id, source, name, uscc, address (uscc and address may be empty); UTF-8
(with or without BOM) or GBK. OUTPUT: record_id, company_id, rule, score, matched_record,
parent_company_id, features. Runs `warehouse.resolve.resolve_records`, the code the pipeline runs.
`--previous LAST_OUTPUT.csv` (any CSV with record_id, company_id — e.g. the last run's output)
keeps company ids stable when new mentions arrive.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from kernel.csvfiles import LINE_END
from kernel.errors import UserError

REQUIRED = ["record_id", "source", "name", "uscc", "address"]
OPTIONAL = {"uscc", "address", "source"}
BIG = 20_000  # show a progress bar from this many rows


def read_input(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise UserError(f"{path}: no such file")
    if path.is_dir():
        raise UserError(f"{path}: is a folder, expected a CSV file")
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise UserError(f"{path}: not a CSV text file (binary content)")
    text = None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise UserError(f"{path}: not UTF-8 or GBK text")
    if not text.strip():
        raise UserError(f"{path}: empty file, expected a header {','.join(REQUIRED)}")
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False)
    except (pd.errors.ParserError, csv.Error) as exc:
        raise UserError(f"{path}: not a readable CSV ({str(exc).splitlines()[0]})") from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    found = list(frame.columns[:8])
    for column in OPTIONAL:
        if column not in frame.columns:
            frame[column] = ""
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise UserError(
            f"{path}: missing column(s) {', '.join(missing)}; expected {','.join(REQUIRED)} "
            f"(found {','.join(found)})"
        )
    if frame["record_id"].duplicated().any():
        dup = frame.loc[frame["record_id"].duplicated(), "record_id"].iat[0]
        raise UserError(f"{path}: record_id {dup!r} appears more than once")
    return frame[REQUIRED]


def read_previous(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise UserError(f"{path}: no such previous-ids file")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8-sig",
                            usecols=lambda c: str(c).strip().lower() in ("record_id", "company_id"))
    except (UnicodeDecodeError, pd.errors.ParserError, csv.Error, ValueError) as exc:
        raise UserError(f"{path}: not a readable CSV ({str(exc).splitlines()[0]})") from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    if list(sorted(frame.columns)) != ["company_id", "record_id"]:
        raise UserError(f"{path}: previous ids need the columns record_id,company_id")
    return frame[frame["company_id"] != ""]


def resolve_command(
    input_csv: Path = typer.Argument(..., help="CSV with record_id,source,name,uscc,address"),
    out: Path = typer.Option(..., "--out", "-o", help="Where to write record_id,company_id,rule,score,..."),
    judgements: Path = typer.Option(None, "--judgements", help="Judgements CSV (default configs/judgements.csv)."),
    previous: Path = typer.Option(None, "--previous", help="CSV with record_id,company_id of an earlier run "
                                  "(e.g. its output): companies keep those ids."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar or summary."),
) -> None:
    """Resolve company-name mentions into stable company ids (same code as the pipeline)."""
    from warehouse.resolve import LAST_STATS, resolve_records

    frame = read_input(input_csv)
    previous_ids = read_previous(previous) if previous is not None else None
    if judgements is None:
        from kernel.paths import configs_dir

        default = configs_dir() / "judgements.csv"
        judgements = default if default.exists() else None
    elif not judgements.exists():
        raise UserError(f"{judgements}: no such judgements file")
    console = Console(stderr=True)
    show = not quiet and len(frame) >= BIG
    try:
        if show:
            with Progress(TextColumn("resolve {task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                          TimeElapsedColumn(), console=console, transient=True) as bar:
                task = bar.add_task("parse", total=5)

                def progress(step: str, done: int, total: int) -> None:
                    bar.update(task, description=step, completed=done, total=total)

                result = resolve_records(frame, judgements=judgements, progress=progress, previous=previous_ids)
        else:
            result = resolve_records(frame, judgements=judgements, previous=previous_ids)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    out.parent.mkdir(parents=True, exist_ok=True)
    columns = ["record_id", "company_id", "rule", "score", "matched_record", "parent_company_id", "features"]
    result[columns].to_csv(out, index=False, encoding="utf-8", lineterminator=LINE_END)
    if not quiet:
        console.print(
            f"resolved {LAST_STATS.get('records', len(result))} records into {LAST_STATS.get('companies')} companies "
            f"({LAST_STATS.get('blocking', {}).get('pairs', 0)} candidate pairs) → {out}",
            highlight=False,
        )


def register(app: typer.Typer) -> None:
    app.command("resolve")(resolve_command)
