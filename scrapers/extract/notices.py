"""Award, candidate and tender notices: who won / ranks / buys, for how much, in which lot.

The page arrives as ordered events (label/value pairs and header tables). A name label starts
a new record; address, amount and code labels that follow fill the record last started.
"""

from __future__ import annotations

from collections.abc import Mapping

from scrapers.extract.codes import find_usccs
from scrapers.extract.common import is_failed_text
from scrapers.extract.crosscheck import cross_check, join_rank_amounts
from scrapers.extract.fields import PARTY_FIELDS
from scrapers.extract.labels import field_for
from scrapers.extract.lookups import words
from scrapers.extract.lots import lot_key, rank_of
from scrapers.extract.money import read_money
from scrapers.extract.notice_grids import read_grid
from scrapers.extract.org_names import clean_name, looks_like_org
from scrapers.extract.orgspans import names_in_value
from scrapers.extract.page_model import Grid, Page
from scrapers.extract.pairs import Pair
from scrapers.extract.prose import issuer_purchaser, signature_agent
from scrapers.extract.result import PageResult
from scrapers.extract.tenders import extract_tender

AWARD_KINDS = ("procurement_award", "winner_list")
_EXTRA_KEYS = ("rate", "rate_unit", "rate_percent", "amount_text", "amount_from", "lot_name", "from_text", "uscc_as_written", "role_from", "consortium")


class _Records:
    """Records in page order, merged when the same company is seen twice."""

    def __init__(self, result: PageResult, kind: str):
        self.result, self.kind = result, kind
        self.items: list[dict] = []
        self.current: dict | None = None  # last entity started: record, purchaser or agent
        self.pending: dict = {}
        self.lot: str | None = None
        self.rank: int | None = None
        self.failed_lots: list[dict] = []
        self.purchaser: dict | None = None
        self.agent: dict | None = None
        self.told: dict[str, str] = {}  # purchaser / agent named only in a sentence
        self.rank_amounts: list[tuple] = []  # (lot, rank, text, unit, label): "第一名 报价：…" with no name beside it
        self.events = 0  # events read so far

    def role_for(self, field: str) -> tuple[str, int | None]:
        if field.startswith("consortium_"):  # a consortium member shares the role of the supplier it joins
            joined = self.joined()
            return (joined["role"], joined["rank"]) if joined else self.role_for("winner_name")
        candidate_kind = self.kind == "candidate_notice"
        if field == "winner_name":
            return ("candidate", 1) if candidate_kind else ("winner", None)
        if field.startswith("candidate_") and field[-1].isdigit():
            return "candidate", int(field[-1])
        if field == "candidate_name":
            return "candidate", self.rank
        if self.rank is not None:  # "推荐名次：1 投标人名称：X": a ranked bidder is a candidate
            return "candidate", self.rank
        return "bidder", None

    def joined(self) -> dict | None:
        """The supplier a consortium member joins: the last one started in this lot."""
        return next((i for i in reversed(self.items) if i["role"] in ("winner", "candidate") and i["lot"] == self.lot), None)

    def start(self, role: str, name: str, rank: int | None = None, lot: str | None = None, **fields) -> dict:
        lot = lot if lot is not None else self.lot
        if role == "winner":  # "中标结果：X" after X was listed as a candidate: the same record wins
            twin = next((i for i in self.items if i["name"] == name and i["role"] == "candidate" and i["lot"] in (None, lot)), None)
            if twin is not None:
                twin["role"] = "winner"
                self.pending = {}
                self.current = twin
                return twin
        previous = self.items[-1] if self.items else None
        # "第一/第二/第三中标候选人" one right after the other, nothing of their own between: a roll of names
        roll = previous is not None and previous.get("started") == self.events - 1 and previous["role"] in ("winner", "candidate")
        record = {"role": role, "name": name, "rank": rank, "lot": lot, "started": self.events, "roll": roll,
                  "address": None, "uscc": None, "amount": None, "amount_label": None, "amount_unit": None,
                  "rate": None, "rate_unit": None}
        for key, value in fields.items():
            if value is not None:
                record[key] = value
        for key, value in self.pending.items():
            if record.get(key) is None:
                record[key] = value
        self.pending = {}
        self.rank = None
        self.items.append(record)
        self.current = record
        return record

    def fill(self, key: str, value) -> None:
        target = self.current
        if target is None:
            self.pending.setdefault(key, value)
        elif target.get(key) is None:
            target[key] = value

    def set_amount(self, text: str, unit: str | None, label: str | None = None, award: bool = False,
                   where: int | None = None) -> None:
        """The amount of the supplier last started (its own row, cell or lines), with its label and
        unit; an amount before any supplier belongs to nobody, never to the next name on the page.
        An award amount (中标金额) after a roll of ranked names is the last one's only in its own line or row."""
        target = self.current
        if target is None or target.get("role") in ("purchaser", "agent"):
            return
        if (award and target.get("role") == "candidate" and (target.get("rank") or 1) > 1 and target.get("roll")
                and (where is None or where != target.get("where"))):
            self.result.problem("amount_conflict", f"{label or ''} {text[:40]!r} withheld: an award amount after a roll of "
                                                   f"candidates, outside the row of candidate {target['rank']} {target['name']!r}")
            return
        money = read_money(text, unit, label)
        if money.rate is not None:
            if target.get("rate") is None:
                target.update(rate=money.rate, rate_unit=money.rate_unit)
        elif money.percent is not None:
            target.setdefault("rate_percent", money.percent)  # 费率 / 下浮率: a bid, not an amount
        elif money.yuan is not None:
            if target.get("amount") is None:
                target.update(amount=money.yuan, amount_label=money.label, amount_unit=money.unit)
        elif text:
            target.setdefault("amount_text", text[:60])


def _party(records: _Records, event: Pair, result: PageResult) -> None:
    """A supplier or bidder value: one name, several ("A公司、B公司", "A公司与B公司联合体"), or a
    name that leads a sentence ("某某公司，因…资格审查不通过")."""
    value = event.value
    if is_failed_text(value) and len(value) < 12:
        records.failed_lots.append({"lot": records.lot, "reason": value})
        return
    codes = find_usccs(value)
    from_text = event.origin in ("prose", "list") or None
    role, rank = records.role_for(event.field)
    names, consortium = names_in_value(value)
    consortium = consortium or event.field.startswith("consortium_") or None
    if len(names) > 1:
        started = [records.start(role, name, rank, from_text=from_text, consortium=consortium, section=event.section, where=event.where)
                   for name in names]
        records.current = started[0]  # an amount after a consortium belongs to its first (lead) member
        return
    name = result.accept_org(value, event.label) if not names or names[0] != value.strip() else names[0]
    if name is None and names:
        name = names[0]
    if name:
        lead = records.joined() if event.field == "consortium_member" else None
        records.start(role, name, rank, uscc=codes[0] if codes else None, from_text=from_text, consortium=consortium,
                      section=event.section, where=event.where)
        if lead is not None:
            lead["consortium"] = True
            records.current = lead  # an amount after the members belongs to the lead


def _pair(records: _Records, event: Pair, result: PageResult) -> None:
    field, value = event.field, event.value
    if field in PARTY_FIELDS:
        _party(records, event, result)
        return
    if field == "lot":
        records.lot = lot_key(value)
        return
    if field == "rank":
        rank = rank_of(value)
        current = records.current
        if current is not None and current.get("role") == "candidate" and current["rank"] is None:
            current["rank"] = rank
        elif current is not None and current.get("role") == "bidder" and not current.get("from_text") and rank:
            current.update(role="candidate", rank=rank)  # "投标人名称：X 推荐名次：1": a ranked bidder
        else:
            records.rank = rank
        return
    if field in ("winner_address", "address"):
        if value:
            records.fill("address", value)
        return
    if field in ("amount", "price") and event.rank is not None:
        records.rank_amounts.append((records.lot, event.rank, value, event.unit, event.label))
        return
    if field in ("amount", "price"):
        records.set_amount(value, event.unit, event.label, award=field == "amount", where=event.where)
        return
    if field == "uscc":
        codes = find_usccs(value)
        if codes:
            records.fill("uscc", codes[0])
        elif value and records.current is not None:
            records.current.setdefault("uscc_as_written", value[:40])
        return
    if field in ("purchaser_name", "agent_name") and event.origin == "prose":
        name = result.accept_org(value, event.label)  # "X受Y委托": used only when no label names them
        if name:
            records.told.setdefault(field, name)
        return
    if field in ("purchaser_name", "agent_name"):
        role = "purchaser" if field == "purchaser_name" else "agent"
        entity = getattr(records, role)
        if entity is None:
            # A labelled buyer or agent may be a 街道 or a 项目部: only placeholders and labels are refused.
            name = result.accept_name(value, event.label)
            if name and field_for(name)[0]:
                result.problem("not_a_name", f"{event.label} {name[:60]!r} dropped: it is a field label")
                name = None
            if name:
                entity = {"role": role, "name": name, "address": None, "uscc": None}
                setattr(records, role, entity)
                records.current = entity
        elif clean_name(value) == entity["name"]:
            records.current = entity  # the 公告概要 grid and 1.采购人信息 name the same buyer: one mention
        return
    if field in ("purchaser_address", "agent_address"):
        entity = records.purchaser if field == "purchaser_address" else records.agent
        if entity is not None and entity["address"] is None:
            entity["address"] = value
        return
    if field == "status" and value and looks_like_org(clean_name(value)) and not is_failed_text(value):
        name = result.accept_org(value, event.label)  # "中标结果：某某公司"
        if name:
            role, rank = records.role_for("winner_name")
            records.start(role, name, rank)
        return
    if field in ("status", "fail_reason") and is_failed_text(value):
        records.failed_lots.append({"lot": records.lot, "reason": value[:200]})
        if records.current is not None and records.current.get("lot") == records.lot and records.current in records.items:
            records.items.remove(records.current)
            records.current = None
        return
    if field is None or field.startswith("_"):
        codes = find_usccs(value)
        if codes and records.current is not None and records.current.get("uscc") is None:
            records.current["uscc"] = codes[0]


def _merge(items: list[dict]) -> list[dict]:
    merged: list[dict] = []
    for item in items:
        twin = next((m for m in merged if m["role"] == item["role"] and m["name"] == item["name"]
                     and (m["lot"] == item["lot"] or m["lot"] is None or item["lot"] is None)
                     and (m.get("rank") == item.get("rank") or m.get("rank") is None or item.get("rank") is None)), None)
        if twin is None:
            merged.append(item)
            continue
        for key, value in item.items():
            if twin.get(key) is None and value is not None:
                twin[key] = value
    return merged


def _unlabelled_principals(records: _Records, page: Page, result: PageResult) -> None:
    """Purchaser and agent no label names: from a sentence ("X受Y委托"), else the agent signing the
    notice and the purchaser the title starts with."""
    if records.agent is None and "agent_name" not in records.told:
        signed = signature_agent(page.lines)
        if signed:
            records.told["agent_name"] = signed
    if records.purchaser is None and "purchaser_name" not in records.told:
        issuer = issuer_purchaser(page.lines, [result.notice.get("notice_title") or "", page.title, *page.headings[:3]])
        if issuer:
            records.told["purchaser_name"] = issuer
    for role in ("purchaser", "agent"):
        if getattr(records, role) is None and f"{role}_name" in records.told:
            setattr(records, role, {"role": role, "name": records.told[f"{role}_name"], "address": None, "uscc": None})


def _trust_structure(items: list[dict], records: _Records) -> list[dict]:
    """Suppliers read from sentences or free-text lines count only where no table or label names one,
    and never when they are the page's own purchaser or agent (a signature under the list)."""
    principals = {e["name"] for e in (records.purchaser, records.agent) if e}
    items = [i for i in items if not (i.get("from_text") and i["name"] in principals)]
    structured = {i["name"] for i in items if not i.get("from_text") and i["role"] in ("winner", "candidate")}
    if structured:
        items = [i for i in items if not i.get("from_text") or i["name"] in structured or i["role"] not in ("winner", "candidate")]
    return items


def extract_notice(page: Page, url: str, kind: str, config: Mapping | None, result: PageResult, first: dict) -> None:
    records = _Records(result, kind)
    for event in page.events:
        records.events += 1
        if isinstance(event, Grid):
            read_grid(records, event, result)
        else:
            _pair(records, event, result)
    _unlabelled_principals(records, page, result)
    items = cross_check(_trust_structure(_merge(records.items), records), result)
    join_rank_amounts(items, records.rank_amounts, result)
    region = first.get("region") or (config or {}).get("region")
    title = f"{result.notice.get('notice_title') or ''} {page.title}"
    failed_notice = any(w in title for w in words("failed_notice_title"))

    if kind == "tender_notice":
        extract_tender(page, url, records, result, first, region)
        return

    winners = [i for i in items if i["role"] == "winner"]
    if kind in AWARD_KINDS and not winners:
        firsts = [i for i in items if i["role"] == "candidate" and i.get("rank") == 1]
        for item in firsts:
            item["role"] = "winner"
        winners = firsts
    # Losing bidders only: a bidder who also won is the winner (its price fills a missing amount).
    for bidder in [i for i in items if i["role"] == "bidder"]:
        twin = next((w for w in winners if w["name"] == bidder["name"] and (w["lot"] in (None, bidder["lot"]) or bidder["lot"] is None)), None)
        if twin is not None:
            if twin.get("amount") is None:
                twin.update({k: bidder.get(k) for k in ("amount", "amount_label", "amount_unit")})
            items.remove(bidder)
    total = next((read_money(p.value, p.unit, p.label) for p in page.pairs if p.field == "total_amount" and p.value), None)
    if len(winners) == 1 and winners[0].get("amount") is None and winners[0].get("rate") is None and total and total.yuan:
        # the notice's total award (总中标金额) is its one winner's amount
        winners[0].update(amount=total.yuan, amount_label=total.label, amount_unit=total.unit)
    for entity in (records.purchaser, records.agent):
        if entity:
            result.add(url, region, role=entity["role"], name=entity["name"], address=entity["address"], uscc=entity["uscc"])
    for item in items:
        extra = {k: item[k] for k in _EXTRA_KEYS if item.get(k) is not None}
        result.add(url, region, role=item["role"], name=item["name"], uscc=item["uscc"], address=item["address"],
                   amount_yuan=item["amount"], amount_label=item.get("amount_label"), amount_unit=item.get("amount_unit"),
                   lot=item["lot"], rank=item.get("rank"), **extra)
    if records.failed_lots:
        result.notice["failed_lots"] = records.failed_lots
    if kind in AWARD_KINDS and not winners and not records.failed_lots and not failed_notice:
        if not (kind == "winner_list" and result.attachment_links):
            result.problem("no_winner", "award notice names no winner and no lot is marked failed (废标/流标/终止)")
    if kind == "candidate_notice" and not any(i["role"] == "candidate" for i in items) and not records.failed_lots and not failed_notice:
        result.problem("no_candidate", "candidate notice names no ranked candidate")
