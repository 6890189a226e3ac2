"""HTML list pages: 专精特新 lists (role listed) and winner lists (role winner) in page tables."""

from __future__ import annotations

import re

from scrapers.extract.codes import find_usccs
from scrapers.extract.common import is_failed_text
from scrapers.extract.money import read_money
from scrapers.extract.result import PageResult

_LIST_NAME = re.compile(r"(\d{4}年.{0,30}?(?:名单|名录|目录)|.{2,40}?(?:名单|名录))")


def list_name_from(*texts: str | None) -> str | None:
    for text in texts:
        if not text:
            continue
        match = _LIST_NAME.search(text)
        if match:
            # "XX局关于公布…名单的通知": the list is named without its publisher and the verb announcing it
            name = re.sub(r"^(?:.*?关于|对)", "", match.group(1))
            name = re.sub(r"^(?:公布|印发|发布|下达)(?=.{4})", "", name).strip(" 《》\"“”")
            return name.replace("“", "").replace("”", "").replace("'", "").replace("‘", "").replace("’", "")
    return None


def listed_mention(result: PageResult, record: dict, url: str | None, *, kind: str, list_name: str | None,
                   region: str | None, what: str = "listed company") -> None:
    """One table row (field -> text) as a `listed` or `winner` mention."""
    name_field = record.get("_name_field") or "name"
    raw = record.get(name_field)
    if kind == "winner_list" and (is_failed_text(record.get("status")) or (raw and is_failed_text(raw) and len(raw) < 12)):
        return
    name = result.accept_name(raw, what)
    if not name:
        return
    codes = find_usccs(record.get("uscc") or "") or find_usccs(record.get("_row"))
    place = record.get("region") or region
    if kind == "winner_list":
        amount_key = "amount" if record.get("amount") else "price"
        money = read_money(record.get(amount_key), record.get(f"{amount_key}_unit"), record.get(f"{amount_key}_label"))
        result.add(url, place, role="winner", name=name, uscc=codes[0] if codes else None, lot=record.get("lot"),
                   amount_yuan=money.yuan, amount_label=money.label if money.yuan else None,
                   amount_unit=money.unit if money.yuan else None, district=record.get("district"), list_name=list_name,
                   rate=money.rate, rate_unit=money.rate_unit, rate_percent=money.percent, lot_name=record.get("lot_name"),
                   project_name=record.get("project_name"))
    else:
        result.add(url, place, role="listed", name=name, uscc=codes[0] if codes else None, district=record.get("district"),
                   list_name=list_name, industry=record.get("industry"), product=record.get("product"),
                   address=record.get("address"), authority=record.get("authority"))
