"""`tuoke rank`, `tuoke alerts`, `tuoke explain`, `tuoke export`: read the published warehouse
(read-only) and show or write the per-branch prospect lists."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pandas as pd
import typer
from rich.cells import cell_len, set_cell_size
from rich.console import Console
from rich.table import Table

from kernel.contracts import SEGMENT_LABELS
from kernel.errors import UserError
from kernel.paths import DataPaths
from tuoke.exporting import (
    _as_list,
    _clean,
    wan_text,
    write_prospects_csv,
    write_prospects_json,
    write_prospects_xlsx,
)
from tuoke.prospects import FilterError, ProspectFilter, ProspectReader, Scope, open_published

FORMATS = ("table", "csv", "xlsx", "json")
# the CLI runs on the bank's own machine with the file itself: it sees every branch
EVERYTHING = Scope.everything()


def _text(value) -> str:
    value = _clean(value)
    return "" if value is None else str(value)


def _check_format(fmt: str, valid: tuple[str, ...] = FORMATS) -> None:
    if fmt not in valid:
        raise UserError(f"unknown --format {fmt!r}; valid values: {', '.join(valid)}")


def _check_branch(reader: ProspectReader, branch: str | None) -> None:
    if branch is not None and branch not in reader.catalog.branches:
        raise UserError(f"unknown --branch {branch!r}; valid values: {', '.join(reader.catalog.branches) or '(none yet)'}")


def cli_filter(**options) -> ProspectFilter:
    """A ProspectFilter from CLI options; a bad value is one line naming the option."""
    try:
        return ProspectFilter(**options)
    except FilterError as exc:
        raise UserError(f"--{exc.parameter.replace('_', '-')}: {str(exc).split(': ', 1)[1]}") from None


def query_prospects(reader: ProspectReader, branch: str | None = None, segment: str | None = None,
                    product: str | None = None, top: int | None = None, include_held: bool = False) -> pd.DataFrame:
    """Ranked prospects, filtered; with a product, ranked per branch by that product's fit."""
    _check_branch(reader, branch)
    f = cli_filter(branch=branch, segment=segment, product=product, top_per_branch=top, include_held=include_held,
                   sort="fit" if product else "rank")
    try:
        return reader.frame(EVERYTHING, f)
    except FilterError as exc:
        raise UserError(f"--{exc}") from None


NAME_CELLS = 28  # terminal cells for a name: a 14-character Chinese name, or a longer one cut with …
RANK_CELLS = 4
SIZE_CELLS = 10  # 规模待核实, 个体工商户, 小型企业


def _fit(text: str, cells: int, pad: bool = True) -> str:
    """`text` cut to `cells` terminal cells (a Chinese character takes two), with … when cut."""
    if cell_len(text) > cells:
        text = set_cell_size(text, max(cells - 1, 0)).rstrip() + "…"
    return text + " " * (cells - cell_len(text)) if pad else text


def prospect_lines(df: pd.DataFrame, width: int) -> list[str]:
    """One line per prospect: rank, name, score, segment, size (规模, when the build has it) and the
    top reason cut to `width` cells, under a line naming the branch. `tuoke explain` gives
    everything else, the size's evidence among it."""
    segment_cells = max(cell_len(label) for label in SEGMENT_LABELS.values())
    size_cells = SIZE_CELLS + 2 if "size_label" in df else 0
    fixed = RANK_CELLS + 2 + NAME_CELLS + 1 + 6 + 2 + segment_cells + 2 + size_cells
    lines: list[str] = []
    branch = None
    for row in df.to_dict(orient="records"):
        if row["branch"] != branch:
            branch = row["branch"]
            lines.append(_fit(str(branch), width, pad=False))
        rank = "" if pd.isna(row["rank"]) else str(int(row["rank"]))
        reasons = [str(r) for r in _as_list(row["reasons"])]
        line = (f"{rank:>{RANK_CELLS}}  {_fit(str(row['name']), NAME_CELLS)} {row['score']:6.1f}  "
                f"{_fit(SEGMENT_LABELS.get(row['segment'], str(row['segment'])), segment_cells)}  ")
        if size_cells:
            line += _fit(_text(row["size_label"]), SIZE_CELLS) + "  "
        line = line + (reasons[0] if reasons and width > fixed else "")
        lines.append(_fit(line, width, pad=False).rstrip())
    return lines


def print_prospects(df: pd.DataFrame, title: str) -> None:
    """The prospect list as lines that fit the terminal (80 columns when not a terminal)."""
    console = Console(highlight=False)
    console.print(_fit(title, console.width, pad=False), markup=False, style="bold")
    if df.empty:
        console.print("(no prospects)", markup=False)
    for line in prospect_lines(df, console.width):
        console.print(line, markup=False, no_wrap=True, crop=True)
    console.print(_fit("tuoke explain NAME: every signal, point and product of one company", console.width, pad=False),
                  markup=False, style="dim")


def _emit(df: pd.DataFrame, fmt: str, out: Path | None, title: str, dimensions) -> None:
    if fmt == "table":
        if out:
            raise UserError("--out needs --format csv, xlsx or json")
        print_prospects(df, title)
    elif fmt == "json":
        write_prospects_json(df, out, stream=sys.stdout)
    elif fmt == "csv":
        write_prospects_csv(df, out, stream=sys.stdout)
    elif fmt == "xlsx":
        if out is None:
            raise UserError("--format xlsx needs --out FILE.xlsx")
        write_prospects_xlsx(df, out, dimensions=dimensions)
        Console(stderr=True).print(f"written {out}")
    if out and fmt in ("json", "csv"):
        Console(stderr=True).print(f"written {out}")


def rank_command(
    branch: str = typer.Option(None, "--branch", help="Only this branch (分行/支行)."),
    segment: str = typer.Option(None, "--segment", help="new_to_bank | existing_no_credit | existing_credit"),
    product: str = typer.Option(None, "--product", help="Rank by this product's fit (e.g. 政采贷)."),
    top: int = typer.Option(None, "--top", help="Top N per branch."),
    fmt: str = typer.Option("table", "--format", help="table | csv | xlsx | json (one object per line)"),
    out: Path = typer.Option(None, "--out", help="Write to this file instead of stdout."),
) -> None:
    """Ranked prospects per branch with readable reasons (excluded and suppressed companies left out)."""
    _check_format(fmt)
    with open_published() as reader:
        df = query_prospects(reader, branch, segment, product, top)
        dimensions = reader.catalog.dimensions
    title = f"Prospects{' · ' + branch if branch else ''}{' · ' + segment if segment else ''}" \
            f"{' · ' + product if product else ''}"
    _emit(df, fmt, out, title, dimensions)


def alerts_command(
    since: str = typer.Option(None, "--since", help="Signals first seen on or after this date (YYYY-MM-DD); "
                                                     "default: those new in the latest build."),
    branch: str = typer.Option(None, "--branch", help="Only this branch."),
    fmt: str = typer.Option("table", "--format", help="table | csv | json"),
    out: Path = typer.Option(None, "--out", help="Write to this file instead of stdout."),
) -> None:
    """New signals (a new win, a new 专精特新 listing, a new negative-list hit) on prospects: the trigger list."""
    _check_format(fmt, ("table", "csv", "json"))
    since_date = None
    if since:
        try:
            since_date = dt.date.fromisoformat(since)
        except ValueError:
            raise UserError(f"--since {since!r} is not a date (YYYY-MM-DD)") from None
    with open_published() as reader:
        _check_branch(reader, branch)
        df = reader.new_signals(EVERYTHING, branch, since_date)
    if fmt == "table":
        table = Table(title=f"New signals{' since ' + since if since else ' (latest build)'}")
        for column in ("branch", "name", "signal", "reason", "observed", "rank", "url"):
            table.add_column(column)
        for row in df.to_dict(orient="records"):
            rank = row.get("rank")
            table.add_row(
                str(row["branch"]), str(row["name"]), str(row["signal_label"]), _text(row["reason_text"]),
                _text(row["observed_at"])[:10],
                "excluded" if row.get("excluded") else ("suppressed" if row.get("suppressed") else
                                                        ("" if pd.isna(rank) else str(int(rank)))),
                _text(row["url"]),
            )
        Console().print(table)
    elif fmt == "json":
        write_prospects_json(df, out, stream=sys.stdout)
    else:
        write_prospects_csv(df, out, stream=sys.stdout)


def size_lines(c: dict) -> list[str]:
    """规模 with its evidence, what contradicts it, and 普惠: eligibility and the 单户授信 ceiling left
    (nothing on a build without sizes)."""
    if c.get("size_label") is None:
        return []
    evidence = f" · 依据 {c['size_evidence_label']}" if c.get("size_evidence_label") else ""
    lines = [f"规模: {c.get('size_reason') or c['size_label']}{evidence}"]
    if c.get("size_conflict"):
        lines.append(f"规模存疑: {c['size_conflict']}")
    if c.get("puhui_eligible"):
        ceiling = c.get("credit_ceiling_yuan")
        lines.append("普惠: 是" + (f" · 单户授信上限 {wan_text(ceiling)} 万元（已扣除我行现有授信）"
                                   if ceiling is not None else ""))
    elif c.get("puhui_eligible") is not None:
        lines.append(f"普惠: 否（{c['size_label']}）")
    if c.get("established_on"):
        lines.append(f"成立日期: {_text(c['established_on'])[:10]}")
    return lines


def explain_command(company: str = typer.Argument(..., help="company_id, USCC, or (part of) the name")) -> None:
    """Every signal of one company and the points it gave, its exclusions and suppressions."""
    with open_published() as reader:
        view = reader.prospect(EVERYTHING, reader.find(EVERYTHING, company))
    c = view.company
    console = Console()
    rank = c.get("rank")
    status = "不得受理 (excluded)" if c["excluded"] else "暂缓 (suppressed)" if c["suppressed"] else f"#{int(rank)}"
    console.print(f"[bold]{c['name']}[/bold]  {c['company_id']}  USCC {c.get('uscc') or '-'}", markup=False)
    console.print(f"branch {c['branch']} · {status} · score {c['score']:.2f} · segment "
                  f"{SEGMENT_LABELS.get(c['segment'], c['segment'])}", markup=False)
    console.print("五好: " + " · ".join(f"{d.label} {d.value:.2f}" for d in view.dimensions), markup=False)
    for line in size_lines(c):
        console.print(line, markup=False)
    if view.product_fit:
        console.print("products: " + "、".join(f"{k} {v}" for k, v in view.product_fit), markup=False)
    table = Table(title="signals and points (score = sum of points)")
    for column in ("points", "by dimension", "signal", "date", "reason", "source", "url"):
        table.add_column(column)
    for row in sorted(view.signals, key=lambda r: -float(r["points"])):  # stable: newest first within
        table.add_row(
            f"{float(row['points']):.2f}", row["points_by_dimension"], row["label"],
            _text(row["observed_at"])[:10], _text(row["reason_text"]), _text(row["source_id"]),
            _text(row["url"]),
        )
    for row in view.derived:
        table.add_row(f"{float(row['points']):.2f}", f"{row['dimension']} {row['points']}", row["signal"], "",
                      str(row["reason_text"]), "(derived)", "")
    console.print(table)
    if view.flags:
        flags = Table(title="exclusions (不得受理) and suppressions")
        for column in ("kind", "label", "reason", "list", "date", "until", "active", "url"):
            flags.add_column(column)
        for row in view.flags:
            flags.add_row(row["kind"], row["label"], _text(row["reason_text"]), _text(row["list_name"]),
                          _text(row["observed_at"])[:10], _text(row["expires"])[:10],
                          "yes" if row["active"] else "no (lifted/expired)", _text(row["url"]))
        console.print(flags)
    else:
        console.print("no exclusions or suppressions")


def export_command(
    fmt: str = typer.Option("xlsx", "--format", help="xlsx | csv | json"),
    out: Path = typer.Option(None, "--out", help="Default: data/exports/prospects-<date>.<ext>"),
    branch: str = typer.Option(None, "--branch", help="Only this branch."),
) -> None:
    """Write the prospect lists (xlsx: a summary sheet and one sheet per branch)."""
    _check_format(fmt, ("xlsx", "csv", "json"))
    paths = DataPaths.from_env()
    target = out or paths.exports / f"prospects-{dt.date.today().isoformat()}.{fmt if fmt != 'json' else 'jsonl'}"
    with open_published() as reader:
        df = query_prospects(reader, branch, include_held=True)
        summary = reader.branch_summary(EVERYTHING, branch)
        dimensions = reader.catalog.dimensions
    if fmt == "xlsx":
        write_prospects_xlsx(df, target, summary=summary, dimensions=dimensions)
    elif fmt == "csv":
        write_prospects_csv(df, target)
    else:
        write_prospects_json(df, target)
    Console().print(f"written {target} ({int(df['rank'].notna().sum())} ranked prospects, {len(df)} companies)")


def register(app: typer.Typer) -> None:
    app.command("rank")(rank_command)
    app.command("alerts")(alerts_command)
    app.command("explain")(explain_command)
    app.command("export")(export_command)
