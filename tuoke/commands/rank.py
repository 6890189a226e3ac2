"""`tuoke rank`, `tuoke alerts`, `tuoke explain`, `tuoke export`: read the published warehouse
(read-only) and show or write the per-branch prospect lists."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import duckdb
import pandas as pd
import typer
from rich.cells import cell_len, set_cell_size
from rich.console import Console
from rich.table import Table

from kernel.errors import UserError
from kernel.paths import DataPaths
from tuoke.exporting import (
    SEGMENT_LABELS,
    _as_list,
    _clean,
    write_prospects_csv,
    write_prospects_json,
    write_prospects_xlsx,
)

FORMATS = ("table", "csv", "xlsx", "json")
SEGMENTS = tuple(SEGMENT_LABELS)


def open_published() -> duckdb.DuckDBPyConnection:
    from warehouse.db import connect

    path = DataPaths.from_env().published_db
    if not path.exists():
        raise UserError(f"no published warehouse at {path}; run `tuoke build` first (or `tuoke demo`)")
    try:
        con = connect(path, read_only=True)
    except duckdb.Error as exc:
        raise UserError(f"cannot open the published warehouse {path}: {exc}") from None
    try:
        con.execute("SELECT 1 FROM marts.prospects_ranked LIMIT 1")
    except duckdb.Error:
        con.close()
        raise UserError(f"{path} has no marts.prospects_ranked yet; run `tuoke build` first") from None
    return con


def _text(value) -> str:
    value = _clean(value)
    return "" if value is None else str(value)


def _values(con, sql: str) -> list[str]:
    return [r[0] for r in con.execute(sql).fetchall() if r[0] is not None]


def _check_choice(option: str, value: str | None, valid: list[str]) -> None:
    if value is not None and value not in valid:
        raise UserError(f"unknown {option} {value!r}; valid values: {', '.join(valid) or '(none yet)'}")


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise UserError(f"unknown --format {fmt!r}; valid values: {', '.join(FORMATS)}")


def query_prospects(
    con, branch: str | None = None, segment: str | None = None, product: str | None = None, top: int | None = None,
    include_held: bool = False,
) -> pd.DataFrame:
    """Ranked prospects, filtered; with a product, ranked per branch by that product's fit."""
    _check_choice("--branch", branch, _values(con, "SELECT DISTINCT branch FROM marts.prospects_ranked ORDER BY 1"))
    _check_choice("--segment", segment, list(SEGMENTS))
    if product is not None:
        products = _values(con, "SELECT DISTINCT product FROM ref.scoring_products ORDER BY 1")
        _check_choice("--product", product, products)
    if top is not None and top < 1:
        raise UserError(f"--top must be at least 1 (got {top})")
    where, params = [], []
    if not include_held:
        where.append("rank IS NOT NULL")
    if branch:
        where.append("branch = ?")
        params.append(branch)
    if segment:
        where.append("segment = ?")
        params.append(segment)
    rank_expr = "rank"
    order = "branch, rank NULLS LAST, score DESC, company_id"
    if product:
        where.append("list_contains(products, ?)")
        params.append(product)
        rank_expr = ("CASE WHEN rank IS NOT NULL THEN row_number() OVER (PARTITION BY branch, rank IS NULL "
                     "ORDER BY product_fit[?] DESC, score DESC, company_id) END")
        params.insert(0, product)
    sql = (
        f"SELECT * REPLACE ({rank_expr} AS rank) FROM marts.prospects_ranked "
        f"{'WHERE ' + ' AND '.join(where) if where else ''}"
    )
    outer = f"SELECT * FROM ({sql}) {'WHERE rank <= ' + str(int(top)) if top else ''} ORDER BY {order}"
    return con.execute(outer, params).df()


NAME_CELLS = 28  # terminal cells for a name: a 14-character Chinese name, or a longer one cut with …
RANK_CELLS = 4


def _fit(text: str, cells: int, pad: bool = True) -> str:
    """`text` cut to `cells` terminal cells (a Chinese character takes two), with … when cut."""
    if cell_len(text) > cells:
        text = set_cell_size(text, max(cells - 1, 0)).rstrip() + "…"
    return text + " " * (cells - cell_len(text)) if pad else text


def prospect_lines(df: pd.DataFrame, width: int) -> list[str]:
    """One line per prospect: rank, name, score, segment and the top reason cut to `width` cells,
    under a line naming the branch. `tuoke explain` gives everything else."""
    segment_cells = max(cell_len(label) for label in SEGMENT_LABELS.values())
    fixed = RANK_CELLS + 2 + NAME_CELLS + 1 + 6 + 2 + segment_cells + 2
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


def _emit(df: pd.DataFrame, fmt: str, out: Path | None, title: str, default_xlsx: Path | None = None) -> None:
    if fmt == "table":
        if out:
            raise UserError("--out needs --format csv, xlsx or json")
        print_prospects(df, title)
    elif fmt == "json":
        write_prospects_json(df, out, stream=sys.stdout)
    elif fmt == "csv":
        write_prospects_csv(df, out, stream=sys.stdout)
    elif fmt == "xlsx":
        target = out or default_xlsx
        if target is None:
            raise UserError("--format xlsx needs --out FILE.xlsx")
        write_prospects_xlsx(df, target)
        Console(stderr=True).print(f"written {target}")
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
    con = open_published()
    try:
        df = query_prospects(con, branch, segment, product, top)
    finally:
        con.close()
    title = f"Prospects{' · ' + branch if branch else ''}{' · ' + segment if segment else ''}" \
            f"{' · ' + product if product else ''}"
    _emit(df, fmt, out, title)


def alerts_command(
    since: str = typer.Option(None, "--since", help="Signals first seen on or after this date (YYYY-MM-DD); "
                                                     "default: those new in the latest build."),
    branch: str = typer.Option(None, "--branch", help="Only this branch."),
    fmt: str = typer.Option("table", "--format", help="table | csv | json"),
    out: Path = typer.Option(None, "--out", help="Write to this file instead of stdout."),
) -> None:
    """New signals (a new win, a new 专精特新 listing, a new negative-list hit) on prospects: the trigger list."""
    if fmt not in ("table", "csv", "json"):
        raise UserError(f"unknown --format {fmt!r}; valid values: table, csv, json")
    con = open_published()
    try:
        _check_choice("--branch", branch, _values(con, "SELECT DISTINCT branch FROM marts.prospects_ranked ORDER BY 1"))
        if since:
            try:
                since_date = dt.date.fromisoformat(since)
            except ValueError:
                raise UserError(f"--since {since!r} is not a date (YYYY-MM-DD)") from None
            df = con.execute(
                """
                SELECT p.branch, h.company_id, p.name, h.signal, coalesce(r.label, h.signal) AS signal_label,
                       coalesce(r.kind, 'opportunity') AS kind,
                       ref.signal_reason(h.signal, h.value, h.amount, h.observed_at, h.detail, h.list_name, h.source_id)
                           AS reason_text,
                       h.url, h.observed_at, h.first_seen_at AS first_seen, p.rank, p.score,
                       p.rank IS NOT NULL AS on_prospect, p.excluded, p.suppressed
                FROM marts.signal_history AS h
                JOIN marts.prospects_ranked AS p USING (company_id)
                LEFT JOIN ref.scoring_signals AS r ON r.signal = h.signal
                WHERE CAST(h.first_seen_at AS DATE) >= ? AND (? IS NULL OR p.branch = ?)
                ORDER BY p.branch, kind, h.observed_at DESC NULLS LAST
                """,
                [since_date, branch, branch],
            ).df()
        else:
            df = con.execute(
                "SELECT * FROM marts.new_signals WHERE (? IS NULL OR branch = ?) "
                "ORDER BY branch, kind, observed_at DESC NULLS LAST",
                [branch, branch],
            ).df()
    finally:
        con.close()
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


def find_company(con, query: str) -> str:
    """A company_id from an id, an exact name, a name substring, or (failing those) a close name."""
    query = query.strip()
    if not query:
        raise UserError("give a company_id or a name")
    hit = con.execute("SELECT company_id FROM marts.prospects_ranked WHERE company_id = ? OR uscc = upper(?)",
                      [query, query]).fetchall()
    if len(hit) == 1:
        return hit[0][0]
    exact = con.execute("SELECT company_id FROM marts.prospects_ranked WHERE name = ?", [query]).fetchall()
    if len(exact) == 1:
        return exact[0][0]
    candidates = con.execute(
        "SELECT company_id, name, branch FROM marts.prospects_ranked WHERE contains(name, ?) "
        "ORDER BY length(name), name LIMIT 11",
        [query],
    ).fetchall()
    if not candidates:
        candidates = con.execute(
            "SELECT company_id, name, branch FROM marts.prospects_ranked "
            "WHERE jaro_winkler_similarity(name, ?) >= 0.8 "
            "ORDER BY jaro_winkler_similarity(name, ?) DESC, name LIMIT 11",
            [query, query],
        ).fetchall()
        if len(candidates) == 1:
            return candidates[0][0]
    if len(candidates) == 1:
        return candidates[0][0]
    if not candidates:
        raise UserError(f"no company matches {query!r} (try part of its name or its company_id)")
    listed = "; ".join(f"{name} [{cid}, {branch}]" for cid, name, branch in candidates[:10])
    more = " …" if len(candidates) > 10 else ""
    raise UserError(f"{query!r} matches several companies: {listed}{more} — give the company_id")


def explain_company(con, company_id: str) -> dict:
    """Everything behind one company's place on the list."""
    cursor = con.execute("SELECT * FROM marts.prospects_ranked WHERE company_id = ?", [company_id])
    names = [d[0] for d in cursor.description]
    row = dict(zip(names, cursor.fetchone()))
    points = con.execute(
        """
        SELECT s.signal, coalesce(r.label, s.signal) AS label, s.observed_at, s.value, s.amount, s.source_id, s.url,
               ref.signal_reason(s.signal, s.value, s.amount, s.observed_at, s.detail, s.list_name, s.source_id)
                   AS reason_text,
               coalesce(string_agg(p.dimension || ' ' || CAST(p.points AS VARCHAR), ', ' ORDER BY p.dimension), '')
                   AS points_by_dimension,
               coalesce(sum(p.points), 0) AS points
        FROM core.company_signals AS s
        LEFT JOIN marts.signal_points_base AS p ON p.signal_id = s.signal_id
        LEFT JOIN ref.scoring_signals AS r ON r.signal = s.signal
        WHERE s.company_id = ?
        GROUP BY ALL
        ORDER BY points DESC, s.observed_at DESC NULLS LAST
        """,
        [company_id],
    ).df()
    derived = con.execute(
        "SELECT dimension, signal, points, reason_text FROM marts.signal_points "
        "WHERE company_id = ? AND signal_id < 0",
        [company_id],
    ).df()
    flags = con.execute(
        "SELECT kind, label, reason_text, list_name, source_id, url, observed_at, active FROM marts.company_flags "
        "WHERE company_id = ? ORDER BY active DESC, kind, observed_at DESC",
        [company_id],
    ).df()
    return {"company": row, "signals": points, "derived": derived, "flags": flags}


def explain_command(company: str = typer.Argument(..., help="company_id, USCC, or (part of) the name")) -> None:
    """Every signal of one company and the points it gave, its exclusions and suppressions."""
    con = open_published()
    try:
        company_id = find_company(con, company)
        info = explain_company(con, company_id)
    finally:
        con.close()
    c = info["company"]
    console = Console()
    rank = c.get("rank")
    status = "不得受理 (excluded)" if c["excluded"] else "暂缓 (suppressed)" if c["suppressed"] else f"#{int(rank)}"
    console.print(f"[bold]{c['name']}[/bold]  {c['company_id']}  USCC {c.get('uscc') or '-'}")
    console.print(f"branch {c['branch']} · {status} · score {c['score']:.2f} · segment {c['segment']}")
    console.print(
        "五好: 经营 {:.2f} · 企业主 {:.2f} · 口碑 {:.2f} · 风险缓释 {:.2f} · 合作意愿 {:.2f} · 风险 {:.2f}".format(
            c["score_business"], c["score_owner"], c["score_reputation"], c["score_mitigation"],
            c["score_willingness"], c["score_risk"])
    )
    fit = c.get("product_fit") or {}
    if fit:
        console.print("products: " + "、".join(f"{k} {v}" for k, v in dict(fit).items()))
    table = Table(title="signals and points (score = sum of points)")
    for column in ("points", "by dimension", "signal", "date", "reason", "source", "url"):
        table.add_column(column)
    for row in info["signals"].to_dict(orient="records"):
        table.add_row(
            f"{float(row['points']):.2f}", row["points_by_dimension"], row["label"],
            _text(row["observed_at"])[:10], _text(row["reason_text"]), _text(row["source_id"]),
            _text(row["url"]),
        )
    for row in info["derived"].to_dict(orient="records"):
        table.add_row(f"{float(row['points']):.2f}", f"{row['dimension']} {row['points']}", row["signal"], "",
                      str(row["reason_text"]), "(derived)", "")
    console.print(table)
    if len(info["flags"]):
        flags = Table(title="exclusions (不得受理) and suppressions")
        for column in ("kind", "label", "reason", "list", "date", "active", "url"):
            flags.add_column(column)
        for row in info["flags"].to_dict(orient="records"):
            flags.add_row(row["kind"], row["label"], _text(row["reason_text"]), _text(row["list_name"]),
                          _text(row["observed_at"])[:10], "yes" if row["active"] else "no (lifted/expired)",
                          _text(row["url"]))
        console.print(flags)
    else:
        console.print("no exclusions or suppressions")


def export_command(
    fmt: str = typer.Option("xlsx", "--format", help="xlsx | csv | json"),
    out: Path = typer.Option(None, "--out", help="Default: data/exports/prospects-<date>.<ext>"),
    branch: str = typer.Option(None, "--branch", help="Only this branch."),
) -> None:
    """Write the prospect lists (xlsx: a summary sheet and one sheet per branch)."""
    if fmt not in ("xlsx", "csv", "json"):
        raise UserError(f"unknown --format {fmt!r}; valid values: xlsx, csv, json")
    paths = DataPaths.from_env()
    target = out or paths.exports / f"prospects-{dt.date.today().isoformat()}.{fmt if fmt != 'json' else 'jsonl'}"
    con = open_published()
    try:
        df = query_prospects(con, branch, include_held=True)
        summary = con.execute(
            "SELECT * FROM marts.branch_summary WHERE (? IS NULL OR branch = ?) ORDER BY branch", [branch, branch]
        ).df()
    finally:
        con.close()
    if fmt == "xlsx":
        write_prospects_xlsx(df, target, summary=summary)
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
