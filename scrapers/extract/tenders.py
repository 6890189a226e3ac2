"""Tender notices: who buys, for what budget, by when, and whether the purchase is set aside for SMEs."""

from __future__ import annotations

import re

from scrapers.extract.amounts import parse_amount
from scrapers.extract.dates import parse_datetime_iso
from scrapers.extract.lots import lot_key
from scrapers.extract.page_model import Page
from scrapers.extract.result import PageResult

_SME_NO = re.compile(r"(?:非|不)(?:专门)?面向中小(?:微)?企业|不专门面向")
_SME_YES = re.compile(r"专门面向中小(?:微)?企业|预留.{0,10}中小(?:微)?企业|面向中小企业采购")


def extract_tender(page: Page, url: str, records, result: PageResult, first: dict, region) -> None:
    """The purchaser of a tender notice with its budget, lots, deadline and SME set-aside."""
    lots = []
    for grid in page.grids:
        if "lot" in grid.fields and ("budget" in grid.fields or "lot_name" in grid.fields):
            for record in grid.records():
                budget = parse_amount(record.get("budget"), record.get("budget_unit")).yuan
                lots.append({"lot": lot_key(record.get("lot")), "name": record.get("lot_name"), "budget_yuan": budget})
    budget = None
    for event in page.pairs:
        if event.field == "budget":
            budget = parse_amount(event.value, event.unit).yuan
            if budget is not None:
                break
    if budget is None and lots and all(lot["budget_yuan"] is not None for lot in lots):
        budget = round(sum(lot["budget_yuan"] for lot in lots), 2)
    text = "\n".join(page.lines)
    sme = None
    if _SME_NO.search(text):
        sme = False
    elif _SME_YES.search(text):
        sme = True
    deadline = parse_datetime_iso(first.get("deadline"))
    purchaser = records.purchaser
    if purchaser is None:
        result.problem("no_purchaser", "tender notice names no purchaser (采购人/招标人)")
        return
    result.add(url, region, role="purchaser", name=purchaser["name"], address=purchaser["address"], uscc=purchaser["uscc"],
               amount_yuan=budget, deadline=deadline or first.get("deadline"), sme_set_aside=sme, lots=lots or None)
    if sme is False or sme is None:
        result.mentions[-1]["extra"]["sme_set_aside"] = sme if sme is not None else False
    if records.agent:
        result.add(url, region, role="agent", name=records.agent["name"], address=records.agent["address"])
