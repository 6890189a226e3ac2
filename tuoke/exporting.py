"""Writers for the prospect lists a marketing team opens: xlsx (summary sheet + one sheet per
branch, frozen header, set widths, evidence as hyperlinks, reasons joined with "；"), csv and
json lines.

Names come from pages written by strangers, so the writers are a second layer behind the name
validator (OWASP "CSV injection"): xlsx text cells are always written as strings, never as
formulas or numbers; a CSV field that starts with = + - @ tab or CR gets a leading apostrophe; only
http(s) URLs become hyperlinks.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from kernel.contracts import DIMENSIONS, SEGMENT_LABELS
from kernel.csvfiles import LINE_END
from tuoke.prospects import Column, Dimension, ProspectFilter, ProspectReader, Scope, sheet_columns
from tuoke.prospects.catalog import RISK
from tuoke.prospects.columns import held_columns

# the branch sheets' 五好 headers when the caller has no build at hand (the read model's catalog
# gives scoring.yaml's labels)
UNLABELLED_DIMENSIONS = tuple(Dimension(key, key) for key in (*DIMENSIONS, RISK))
EXTRA_EVIDENCE_LINKS = 3  # further links go to columns beside the first one
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# xlsxwriter's write() would turn "=…" into a live formula and "http…" into a link on its own.
WRAPPED_KINDS = ("list", "wrap")
SAFE_WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


def csv_safe(value: Any) -> Any:
    """A text value a spreadsheet will not run as a formula (numbers and None pass unchanged)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def wan_text(yuan: Any) -> str:
    """An amount in yuan as 万元 the way the size reasons write it (ref.wan_text): thousands grouped,
    at most two decimals, trailing zeros dropped (10000000 → '1,000', 312000 → '31.2')."""
    return f"{float(yuan) / 10_000:,.2f}".rstrip("0").rstrip(".")


def write_cell(sheet, row: int, col: int, value: Any, cell_format=None) -> None:
    """Text as a string cell, always; other values as xlsxwriter types them."""
    if isinstance(value, str):
        sheet.write_string(row, col, value, cell_format)
    else:
        sheet.write(row, col, value, cell_format)


def is_web_url(url: str) -> bool:
    return url.lower().startswith(("http://", "https://")) and len(url) < 2000 and not any(
        ch in url for ch in '"<> \n\r\t')


def _as_list(value: Any) -> list:
    if value is None:
        return []
    if isinstance(value, float) and math.isnan(value):
        return []
    if isinstance(value, dict):
        return list(value)
    try:
        return list(value)
    except TypeError:
        return [value]


def _clean(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def prospect_records(df: pd.DataFrame) -> list[dict]:
    """Rows as plain Python values (lists as lists, maps as dicts, no NaN) for json/csv."""
    records = []
    for row in df.to_dict(orient="records"):
        clean = {}
        for key, value in row.items():
            if key in ("reasons", "products", "evidence_urls"):
                clean[key] = [str(v) for v in _as_list(value)]
            elif key == "product_fit":
                if isinstance(value, dict):
                    clean[key] = {str(k): _clean(v) for k, v in value.items()}
                elif value is None or (isinstance(value, float) and math.isnan(value)):
                    clean[key] = {}
                else:  # a list of (key, value) pairs
                    clean[key] = {str(k): _clean(v) for k, v in _as_list(value)}
            elif hasattr(value, "isoformat"):
                clean[key] = value.isoformat()
            elif hasattr(value, "item"):  # numpy scalars
                clean[key] = _clean(value.item())
            else:
                clean[key] = _clean(value)
        records.append(clean)
    return records


def write_prospects_json(df: pd.DataFrame, path: Path | None = None, stream=None) -> None:
    """One JSON object per line."""
    lines = (json.dumps(record, ensure_ascii=False) for record in prospect_records(df))
    if path is not None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    else:
        for line in lines:
            stream.write(line + "\n")


def write_prospects_csv(df: pd.DataFrame, path: Path | None = None, stream=None) -> None:
    """UTF-8 with BOM so Excel opens the Chinese right; lists joined with "；"; text quoted (a CR
    inside a name must not start a new row) and formula-escaped."""
    records = prospect_records(df)
    frame = pd.DataFrame(records, columns=list(df.columns))
    for column in ("reasons", "products", "evidence_urls"):
        if column in frame:
            frame[column] = frame[column].map(lambda v: "；".join(v or []))
    if "product_fit" in frame:
        frame["product_fit"] = frame["product_fit"].map(
            lambda v: "；".join(f"{k}:{x}" for k, x in (v or {}).items()))
    frame = frame.map(csv_safe)
    frame.columns = [csv_safe(c) for c in frame.columns]
    if path is not None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        frame.to_csv(path, index=False, encoding="utf-8-sig", quoting=csv.QUOTE_NONNUMERIC, lineterminator=LINE_END)
    else:
        frame.to_csv(stream, index=False, quoting=csv.QUOTE_NONNUMERIC, lineterminator=LINE_END)


def _cell(column: Column, value: Any) -> Any:
    """A value as its workbook cell shows it, by the column's kind."""
    if column.kind == "list":
        return "；".join(str(v) for v in _as_list(value))
    value = _clean(value)
    if hasattr(value, "item"):
        value = value.item()
    if column.kind == "segment":
        return SEGMENT_LABELS.get(value, value)
    if column.kind == "yes_no":
        return None if value is None else ("是" if value else "否")
    if column.kind == "wan":
        return None if value is None else float(value) / 10_000
    return value


def _sheet_name(name: str, used: set[str]) -> str:
    base = "".join("_" if ch in '[]:*?/\\' else ch for ch in str(name or "未分配"))[:31] or "未分配"
    candidate, n = base, 2
    while candidate in used:
        suffix = f"_{n}"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate)
    return candidate


def write_prospects_xlsx(df: pd.DataFrame, path: Path | str, summary: pd.DataFrame | None = None,
                         dimensions: Sequence[Dimension] = UNLABELLED_DIMENSIONS) -> Path:
    """The workbook a marketing team opens: 汇总 (per branch: prospects, excluded, by segment, top
    score), then one sheet per branch with its ranked prospects, then 排除及暂缓 (excluded and
    suppressed companies with the reason). `df` has the columns of marts.prospects_ranked;
    `dimensions` head the 五好 columns (the read model's `catalog.dimensions`)."""
    import xlsxwriter

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path), {"nan_inf_to_errors": True, **SAFE_WORKBOOK_OPTIONS})
    header = workbook.add_format({"bold": True, "bg_color": "#1F4E78", "font_color": "#FFFFFF", "text_wrap": True,
                                  "valign": "vcenter", "border": 1})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    top = workbook.add_format({"valign": "top"})
    number = workbook.add_format({"num_format": "0.0", "valign": "top"})
    link = workbook.add_format({"font_color": "#0563C1", "underline": 1, "valign": "top"})

    ranked_mask = df["rank"].notna() if "rank" in df else pd.Series(True, index=df.index)
    ranked = df[ranked_mask]
    held = df[~ranked_mask]

    # 汇总 sheet
    sheet = workbook.add_worksheet("汇总")
    if summary is None:
        summary = _summary_from(df)
    columns = [("branch", "网点", 16), ("prospects", "可营销客户", 11), ("excluded", "不得受理", 10),
               ("suppressed", "暂缓(行内状态)", 13),
               *((segment, label, 9) for segment, label in SEGMENT_LABELS.items()),
               ("top_score", "最高分", 9), ("top_company", "最高分企业", 34)]
    for c, (_, title, width) in enumerate(columns):
        sheet.write(0, c, title, header)
        sheet.set_column(c, c, width)
    for r, row in enumerate(summary.to_dict(orient="records"), start=1):
        for c, (key, _, _) in enumerate(columns):
            value = _clean(row.get(key))
            if hasattr(value, "item"):
                value = value.item()
            write_cell(sheet, r, c, value, number if key == "top_score" else top)
    sheet.freeze_panes(1, 0)

    used = {"汇总"}
    for branch, rows in ranked.groupby("branch", sort=True, dropna=False):
        rows = rows.sort_values("rank")
        sheet = workbook.add_worksheet(_sheet_name(branch, used))
        _write_table(sheet, rows, sheet_columns(dimensions), (header, wrap, top, number, link))

    if len(held):
        sheet = workbook.add_worksheet(_sheet_name("排除及暂缓", used))
        _write_table(sheet, held.sort_values(["branch", "name"]), held_columns(), (header, wrap, top, number, link))
    workbook.close()
    return path


def _write_table(sheet, rows: pd.DataFrame, all_columns: Sequence[Column], formats) -> None:
    header, wrap, top, number, link = formats
    columns = [c for c in all_columns if c.name in rows.columns]
    for c, column in enumerate(columns):
        sheet.write(0, c, column.header, header)
        sheet.set_column(c, c, column.width, wrap if column.kind in WRAPPED_KINDS else None)
    link_col = next((i for i, c in enumerate(columns) if c.kind == "links"), None)
    if link_col is not None:
        for k in range(EXTRA_EVIDENCE_LINKS):
            sheet.write(0, link_col + 1 + k, f"证据链接{k + 2}", header)
            sheet.set_column(link_col + 1 + k, link_col + 1 + k, 30)
    for r, row in enumerate(rows.to_dict(orient="records"), start=1):
        for c, column in enumerate(columns):
            value = row.get(column.name)
            if column.kind == "links":
                for k, url in enumerate(_as_list(value)[: 1 + EXTRA_EVIDENCE_LINKS]):
                    url = str(url)
                    if is_web_url(url):
                        sheet.write_url(r, c + k, url, link, string=f"证据{k + 1}")
                    else:
                        sheet.write_string(r, c + k, url)
                continue
            numeric = column.kind == "wan" or column.name.startswith("score")  # one decimal; ranks stay whole
            cell_format = number if numeric else wrap if column.kind in WRAPPED_KINDS else top
            write_cell(sheet, r, c, _cell(column, value), cell_format)
    sheet.freeze_panes(1, 2)
    sheet.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)


def _summary_from(df: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for branch, group in df.groupby("branch", sort=True, dropna=False):
        ranked = group[group["rank"].notna()] if "rank" in group else group
        top_row = ranked.sort_values("score", ascending=False).head(1)
        rows.append({
            "branch": branch,
            "prospects": len(ranked),
            "excluded": int(group["excluded"].fillna(False).astype(bool).sum()) if "excluded" in group else 0,
            "suppressed": int((group.get("suppressed", pd.Series(False, index=group.index)).fillna(False).astype(bool)
                               & ~group.get("excluded", pd.Series(False, index=group.index)).fillna(False)
                               .astype(bool)).sum()),
            "new_to_bank": int((ranked.get("segment") == "new_to_bank").sum()),
            "existing_no_credit": int((ranked.get("segment") == "existing_no_credit").sum()),
            "existing_credit": int((ranked.get("segment") == "existing_credit").sum()),
            "top_score": float(top_row["score"].iloc[0]) if len(top_row) else None,
            "top_company": top_row["name"].iloc[0] if len(top_row) else None,
        })
    return pd.DataFrame(rows)


def export_prospects_xlsx(reader: ProspectReader, path: Path | str) -> Path:
    """The whole published list (all branches, held companies on their own sheet) as the marketing
    workbook; used by `tuoke demo`."""
    everything = Scope.everything()
    return write_prospects_xlsx(reader.frame(everything, ProspectFilter(include_held=True)), path,
                                summary=reader.branch_summary(everything), dimensions=reader.catalog.dimensions)
