"""The label rules and the structure rules check each other (issue 18).

A supplier a label names is a winner or a candidate only if nothing on the page's structure says
otherwise. Where the structure contradicts the label — a sentence rejects the same company in the
same lot, the label stands under a heading of losing or rejected bidders, the "name" is itself a
field label — the page holds conflicting evidence: the mention is reported as `role_conflict` and
withheld or demoted to bidder, never emitted as a winner. Precision wins: a field label or a
rejected bidder taken for a winner reaches a loan officer as "中标".

The rules are an ordered list; the first that holds decides. Each is a small function with its own test.

Also here: bid prices given by rank in a section apart from the names ("第一名 报价：…" over a table of
names elsewhere) are joined to the supplier of that rank and lot, never by position on the page.
"""

from __future__ import annotations

from collections.abc import Callable

from scrapers.extract.labels import field_for
from scrapers.extract.money import read_money
from scrapers.extract.result import PageResult

SUPPLIER_ROLES = ("winner", "candidate")
WITHHELD, DEMOTED = "withheld", "demoted to bidder"


def _same_lot(a: dict, b: dict) -> bool:
    return a.get("lot") is None or b.get("lot") is None or a["lot"] == b["lot"]


def _rejected_in_prose(item: dict, items: list[dict]) -> str | None:
    """A sentence rejects the same company in the same lot ("X因…资格审查不通过", "X被否决投标")."""
    rejected = any(other is not item and other["role"] == "bidder" and other.get("from_text") and other["name"] == item["name"]
                   and _same_lot(other, item) for other in items)
    return WITHHELD if rejected else None


def _under_a_bidder_heading(item: dict, items: list[dict]) -> str | None:
    """A winner label under a heading of losing or rejected bidders (否决投标情况, 未中标供应商 …)."""
    return DEMOTED if item["role"] == "winner" and item.get("section") == "bidder" else None


def _is_a_field_label(item: dict, items: list[dict]) -> str | None:
    """The "name" is a field label (投标报价, 中标候选人): the value cell held a label, not a company."""
    field, _ = field_for(item["name"])
    return WITHHELD if field is not None else None


CONFLICT_RULES: tuple[tuple[str, Callable[[dict, list[dict]], str | None]], ...] = (
    ("rejected_in_prose", _rejected_in_prose),
    ("under_a_bidder_heading", _under_a_bidder_heading),
    ("is_a_field_label", _is_a_field_label),
)


def cross_check(items: list[dict], result: PageResult) -> list[dict]:
    """The suppliers the labels name, less those the structure contradicts (each a reported role_conflict)."""
    kept = []
    for item in items:
        if item["role"] not in SUPPLIER_ROLES or item.get("from_text"):
            kept.append(item)
            continue
        verdict = next(((rule, action) for rule, check in CONFLICT_RULES if (action := check(item, items))), None)
        if verdict is None:
            kept.append(item)
            continue
        rule, action = verdict
        result.problem("role_conflict", f"{item['role']} {item['name'][:60]!r}: {rule}; {action}")
        if action == DEMOTED:
            item.update(role="bidder", rank=None)
            kept.append(item)
    return kept


def join_rank_amounts(items: list[dict], rank_amounts: list[tuple], result: PageResult) -> None:
    """Prices stated by rank alone ("第一名 报价：…") given to the supplier of that rank and lot, when exactly
    one has that rank and no amount of its own; otherwise reported, never guessed."""
    for lot, rank, text, unit, label in rank_amounts:
        money = read_money(text, unit, label)
        if money.yuan is None:
            continue
        matches = [i for i in items if i["role"] in SUPPLIER_ROLES and i.get("rank") == rank and _same_lot(i, {"lot": lot})]
        if len(matches) != 1:
            result.problem("rank_amount_unjoined", f"{label} {text[:40]!r} of rank {rank}: {len(matches)} suppliers of that rank")
            continue
        if matches[0].get("amount") is None:
            matches[0].update(amount=money.yuan, amount_label=money.label, amount_unit=money.unit, amount_from="rank")
