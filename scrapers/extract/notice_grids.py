"""Tables of a notice: lot tables, bidder tables with prices, and tables with one column per candidate."""

from __future__ import annotations

from scrapers.extract.codes import find_usccs
from scrapers.extract.common import is_failed_text
from scrapers.extract.labels import field_for
from scrapers.extract.lots import lot_key, rank_of
from scrapers.extract.money import AMOUNT_FIELDS
from scrapers.extract.page_model import Grid
from scrapers.extract.result import PageResult


def read_grid(records, grid: Grid, result: PageResult) -> None:
    """The suppliers and bidders of one table, each with the amount of its own row or column."""
    fields = set(grid.fields)
    candidate_columns = [(i, int(f[-1])) for i, f in enumerate(grid.fields) if f and f.startswith("candidate_") and f[-1].isdigit()]
    if candidate_columns:
        # One column per candidate; the first column labels the rows (单位名称 / 投标报价（万元） / 项目经理 / 工期).
        by_rank: dict[int, dict] = {}
        for row in grid.rows:
            row_field, unit = field_for(row[0]) if row and candidate_columns[0][0] > 0 else (None, None)
            if row_field in AMOUNT_FIELDS:
                for col, rank in candidate_columns:
                    if col < len(row) and rank in by_rank:  # each candidate's own column
                        records.current = by_rank[rank]
                        records.set_amount(row[col], unit, row[0])
                records.current = None
                continue
            if row_field not in (None, "name", "winner_name", "candidate_name", "bidder_name"):
                continue  # 项目经理, 工期, 专职安全员: a person or a term, never a candidate
            for col, rank in candidate_columns:
                if col < len(row):
                    name = result.accept_org(row[col], grid.header[col])
                    if name:
                        by_rank[rank] = records.start("candidate", name, rank)
        return
    name_field = next((f for f in ("winner_name", "candidate_name", "bidder_name", "name") if f in fields), None)
    if name_field is None:
        for record in grid.records() if "fail_reason" in fields else ():
            if record.get("fail_reason"):
                records.failed_lots.append({"lot": lot_key(record.get("lot")) or records.lot, "reason": record["fail_reason"][:200]})
        return
    has_price = "price" in fields
    if name_field == "winner_name":
        role = "candidate" if records.kind == "candidate_notice" else "winner"
    elif name_field == "candidate_name" or ("rank" in fields and name_field == "name"):
        role = "candidate"
    elif name_field == "bidder_name" and "rank" in fields:
        role = "candidate"  # a ranked table of bidders (推荐排名 / 排序) ranks candidates
    elif name_field == "bidder_name":
        role = "bidder" if has_price or "amount" not in fields else ("candidate" if records.kind == "candidate_notice" else "winner")
    else:
        role = "winner" if ({"lot", "amount"} & fields and records.kind != "candidate_notice") else "candidate"
    last_lot = None
    position = 0
    for record in grid.records():
        lot = lot_key(record.get("lot")) or last_lot
        last_lot = lot
        row_text = record["_row"]
        raw_name = record.get(name_field)
        if (role in ("winner", "candidate")) and (is_failed_text(record.get("status")) or is_failed_text(record.get("fail_reason"))
                                                   or (raw_name and is_failed_text(raw_name) and len(raw_name) < 12)):
            records.failed_lots.append({"lot": lot, "reason": (record.get("fail_reason") or record.get("status") or raw_name or "")[:200]})
            continue
        codes = find_usccs(record.get("uscc") or row_text)
        name = result.accept_org(raw_name, grid.header[grid.fields.index(name_field)])
        if not name:
            continue
        position += 1
        rank = rank_of(record.get("rank")) if record.get("rank") else None
        if role == "candidate" and rank is None:
            rank = position
        if role == "candidate" and records.kind == "candidate_notice" and name_field == "winner_name" and rank is None:
            rank = 1
        entry = records.start(role, name, rank, lot=lot, uscc=codes[0] if codes else None,
                              address=record.get("address") or record.get("winner_address"), section=grid.section)
        amount_key = "amount" if record.get("amount") else "price"
        if record.get(amount_key):  # the row's own award or bid cell; a budget or price cap never is one
            records.set_amount(record[amount_key], record.get(f"{amount_key}_unit"), grid.header[grid.fields.index(amount_key)])
        if record.get("lot_name"):
            entry["lot_name"] = record["lot_name"]
    records.current = None


