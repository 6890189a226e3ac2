"""Who won, bought and ran the tender when a page says it in running text, not in labels.

- "河南乾坤路桥工程有限公司为第一中标候选人，中标价为39891360.02元" (ranked candidates in prose),
- "A包三门峡龙飞生物工程有限公司为第一成交候选供应商，谈判报价为290000元人民币" (lot, name, price),
- "经评审，确定某某公司为中标供应商" / "中标供应商为某某公司" (a winner in a sentence),
- "某某招标公司受某某局（的）委托，就…" (agent and purchaser of the opening sentence),
- the lead name of a free-text list line under a winner heading ("1、某某宾馆 中标协议价：400元/天").

Every rule yields ordinary `Pair`s (origin "prose" or "list"), so the notice rules treat them like labels;
a name must still end like an organisation (names.looks_like_org) or it is not taken.
"""

from __future__ import annotations

import re

from scrapers.extract.dates import parse_date
from scrapers.extract.fields import SUPPLIER_FIELDS
from scrapers.extract.labels import IGNORED, field_for
from scrapers.extract.lookups import words, words_pattern
from scrapers.extract.lots import LOT_DESIGNATOR_FIRST, LOT_WORD_FIRST
from scrapers.extract.org_names import clean_name, looks_like_org, name_problem
from scrapers.extract.orgspans import find_orgs, lead_org
from scrapers.extract.pairs import Pair, line_events

_STOP = "\\s，,。；;：:、“”\"！!？?"
_NAME = rf"[^{_STOP}]{{4,60}}"
_AFTER_STOP = rf"(?:^|(?<=[{_STOP}]))"
_LOT = rf"(?P<lot>{LOT_DESIGNATOR_FIRST}|{LOT_WORD_FIRST}\s*[:：]?)"
_RANKED = re.compile(
    rf"{_AFTER_STOP}\s*(?:(?:确定|推荐|选定|由)\s*)?{_LOT}?\s*(?P<name>{_NAME}?)\s*(?:被)?(?:确定|推荐)?为\s*(?:本(?:项目|次|标段|包)的?)?\s*"
    r"(?:(?P<first>第\s*(?P<rank>[一二三四五六七八九十\d]{1,2})\s*(?:名)?)\s*)?(?P<what>中标|成交|中选|入围)\s*(?P<cand>候选)?\s*(?:供应商|人|单位|候选人)"
)
_CHOSEN = re.compile(rf"(?:确定|推荐|选定|由)\s*(?P<name>{_NAME}?)\s*为\s*(?:本项目|该项目|本次)?的?(?:中标|成交|中选)")
_WINNER_IS = re.compile(rf"(?:中标|成交|中选)(?:供应商|人|单位)\s*(?:为|是)\s*[:：]?\s*(?P<name>{_NAME})")
_MONEY = r"(?P<value>(?:人民币|RMB|￥|¥)?\s*[\d,，.]+\s*(?:万元|元|万)?(?:人民币)?|[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整]{3,40})"
_AMOUNT = re.compile(
    rf"(?P<label>中标价|中标金额|成交价|成交金额|中标总价|成交总价|中标报价|成交报价|谈判报价|投标报价|最终报价|总价|合同价)"
    rf"(?:\s*[(（](?P<unit>万?元)[)）])?\s*(?:为|是)\s*[:：]?\s*{_MONEY}|"
    rf"(?P<label2>总价|总金额|报价)\s*(?P<value2>(?:人民币|RMB|￥|¥)?\s*\d[\d,，.]*\s*(?:万元|元))"
)
_PRINCIPAL = re.compile(rf"^\s*(?P<agent>{_NAME}?)受\s*(?P<purchaser>{_NAME}?)\s*(?:的)?委托")
_PRINCIPAL_FIRST = re.compile(rf"受\s*(?P<purchaser>{_NAME}?)\s*(?:的)?委托\s*[，,]\s*(?P<agent>{_NAME}?)\s*(?:于|就|对|在|现|组织|拟|依法)")
_NUMBERING = re.compile(r"^\s*(?:[(（]?\d{1,3}[)）.、．]|[一二三四五六七八九十]{1,3}[、.．]|[①-⑳]|[(（][一二三四五六七八九十]{1,3}[)）])?\s*")
_LEAD = re.compile(rf"[^{_STOP}]{{4,60}}")
_ANNOUNCES_WINNERS = re.compile(r"(?:中标|成交|入围|中选|定点|协议供货).{0,16}如下$")
_BARE_MONEY = re.compile(r"(?:￥|¥|人民币|RMB)\s*\d[\d,，.]*\s*(?:万元|元)?(?:\s*/\s*[天日月年次人])?|\d[\d,，.]*\s*(?:万元|元)(?:\s*/\s*[天日月年次人])?")
_ENTRY_WORDS = ("中标", "成交", "入围", "中选", "协议价", "定点")
_SPACED_LABEL = re.compile(r"^\s*(?:[(（]?\d{1,2}[)）.、．]\s*)?([\u4e00-\u9fff()（）]{2,12})[ \u3000\u00a0]+")
_TRIGGERS = ("候选", "中标", "成交", "中选", "入围", "委托", "价", "通过", "否决", "无效", "不合格", "不符合")
_CLAUSE = re.compile(r"[。；;！!？?]")


def _org(raw: str | None) -> str | None:
    name = clean_name(raw)
    return name if name and name_problem(name) is None and looks_like_org(name) else None


def prose_pairs(line: str) -> list[Pair]:
    """Pairs a sentence states without labels (see the module doc); [] for most lines."""
    if not any(t in line for t in _TRIGGERS):
        return []
    pairs: list[Pair] = []
    for match in _RANKED.finditer(line):
        name = _org(match.group("name"))
        if not name:
            continue
        if match.group("lot"):
            pairs.append(Pair(match.group("lot"), match.group("lot"), "lot", origin="prose"))
        rank = match.group("rank")
        if match.group("cand"):
            field = f"candidate_{_digit(rank)}" if rank and _digit(rank) else "candidate_name"
        elif rank and _digit(rank) and _digit(rank) > 1:
            field = f"candidate_{_digit(rank)}"
        else:
            field = "winner_name"
        pairs.append(Pair(match.group(0).strip(), name, field, origin="prose"))
    spaced = _SPACED_LABEL.match(line)
    if not pairs and spaced and field_for(spaced.group(1))[0] in SUPPLIER_FIELDS:
        lead = lead_name(line[spaced.end():])  # "第一中标候选人 广东某某工程有限公司 投标报价 1000.00 万元"
        if lead:
            pairs.append(Pair(spaced.group(1), lead[0], field_for(spaced.group(1))[0], origin="prose"))
    if not pairs:
        for pattern in (_CHOSEN, _WINNER_IS):
            match = pattern.search(line)
            name = _org(match.group("name")) if match else None
            if name:
                pairs.append(Pair(match.group(0).strip(), name, "winner_name", origin="prose"))
                break
    if not pairs:
        pairs += rejected_bidders(line)
    pairs += amount_pairs(line)
    for pattern in (_PRINCIPAL, _PRINCIPAL_FIRST):
        match = pattern.search(line)
        if match:
            agent, purchaser = _org(match.group("agent")), _org(match.group("purchaser"))
            if agent and purchaser and agent != purchaser:
                pairs.append(Pair("受托", agent, "agent_name", origin="prose"))
                pairs.append(Pair("委托", purchaser, "purchaser_name", origin="prose"))
                break
    return pairs


def rejected_bidders(line: str) -> list[Pair]:
    """Bidders a sentence rejects: "某某公司因…资格审查不通过", "某某公司、某某公司被否决投标" (role bidder)."""
    pairs: list[Pair] = []
    for clause in _CLAUSE.split(line):
        verdict = words_pattern("rejection_words").search(clause)
        if verdict is None:
            continue
        for span in find_orgs(clause[:verdict.start()]):
            name = _org(span.name)
            if name and field_for(name)[0] is None:
                pairs.append(Pair(verdict.group(0), name, "bidder_name", origin="prose"))
    return pairs


def amount_pairs(text: str) -> list[Pair]:
    """Money a sentence states without a colon: "中标价为39891360.02元", "，总价355000.00元"."""
    pairs = []
    for match in _AMOUNT.finditer(text):
        label = match.group("label") or match.group("label2")
        value = match.group("value") or match.group("value2")
        field, _ = field_for(label)
        pairs.append(Pair(label, value.strip(), field if field in ("amount", "price") else "amount", match.group("unit"), origin="prose"))
    return pairs


def lead_name(line: str) -> tuple[str, str] | None:
    """(organisation, rest of the line) when a line starts with one: a free-text list entry."""
    start = _NUMBERING.match(line).end()
    match = _LEAD.match(line, start)
    if not match:
        return None
    lead, end = match.group(0), match.end()
    name = _org(lead)
    if not name and re.search(r"[(（]", lead):  # "某某公司（地址：…）": the name ends before the bracket
        cut = re.search(r"[(（]", lead).start()
        name, end = _org(lead[:cut]), start + cut
    if not name:  # "山西迎泽宾馆中标A类标准间协议价：400元∕天": the name runs into a verb of the entry
        span = lead_org(line, start)
        if span and line[span.end:].startswith(_ENTRY_WORDS):
            name, end = _org(span.name), span.end
    if not name or field_for(name)[0]:
        return None
    return name, line[end:].lstrip(_STOP.replace("\\s", " "))


def signature_agent(lines: list[str]) -> str | None:
    """The agent that signs the notice: an organisation line just above the closing date that is named
    like an agent (招标 / 代理 / 咨询 / 采购中心 …). Used only when no label or sentence names one."""
    lines = [line for line in lines if line.strip()]
    # The signature stands just above the closing date, which need not be the page's last line:
    # another portal's chrome (related notices, a footer) may follow it.
    dated = [i for i in range(len(lines) - 1, max(-1, len(lines) - 40), -1) if len(lines[i]) <= 20 and parse_date(lines[i])]
    for end in [len(lines), *dated[:3]]:
        tail = lines[max(0, end - 8):end]
        while tail and (parse_date(tail[-1]) is not None and len(tail[-1]) <= 20):
            tail.pop()
        for line in reversed(tail[-2:]):
            lead = lead_name(line)
            if lead and not lead[1] and any(w in lead[0] for w in words("agent_words")):
                return lead[0]
    return None


def issuer_purchaser(lines: list[str], titles: list[str]) -> str | None:
    """The purchaser printed as the issuer on a line of its own near the top, when the notice title
    starts with that same name ("重庆市市政管理委员会" over "重庆市市政管理委员会…采购结果公告").
    Used only when no label or sentence names a purchaser; an agent-like name is not taken."""
    for line in lines[:15]:
        lead = lead_name(line)
        if not lead or lead[1] or any(w in lead[0] for w in words("agent_words")):
            continue
        if any(title.startswith(lead[0]) and len(title) > len(lead[0]) for title in titles if title):
            return lead[0]
    return None


def _digit(text: str | None) -> int | None:
    if not text:
        return None
    if text.isdigit():
        return int(text)
    digits = "一二三四五六七八九"
    return digits.index(text) + 1 if len(text) == 1 and text in digits else None


class FreeTextList:
    """A free-text list of winners: opened by a winner heading ("六、成交结果") or a name label with no value
    ("成交供应商名称、地址及成交金额："), it takes each line that starts with an organisation as an entry
    and closes at the first line that is neither an entry nor a labelled detail of one."""

    OPENERS = ("winner_name", "candidate_name")
    CLOSERS = ("purchaser_name", "agent_name", "project_name", "project_code", "budget", "published_at")

    def __init__(self) -> None:
        self.field: str | None = None

    def on_section(self, role: str | None) -> None:
        self.field = {"winner": "winner_name", "bidder": "bidder_name"}.get(role or "")

    def on_pair(self, pair: Pair) -> None:
        if pair.origin in ("list", "prose"):
            return
        if pair.field in self.OPENERS and not pair.value.strip():
            self.field = pair.field
        elif not pair.value.strip() and _ANNOUNCES_WINNERS.search(pair.label):
            self.field = "winner_name"  # "现将中标结果公布如下：" heads the list it announces
        elif pair.field in self.CLOSERS or (not pair.value.strip() and pair.field not in ("amount", "price", "address")):
            self.field = None
        elif pair.field in (None, IGNORED) and words_pattern("list_enders").search(pair.label):
            self.field = None  # "评审专家：…", "公示期：…": the notice has moved on

    def entry(self, line: str) -> list[Pair] | None:
        """The pairs of a list entry line (its name first), or None when the line is not one."""
        field = self.field
        if field is None and _NUMBERING.match(line).end() and any(w in line for w in _ENTRY_WORDS):
            field = "winner_name"  # "1、某某宾馆 中标标准间协议价：400元/天" with no heading above the list
        if field is None:
            return None
        lead = lead_name(line)
        if lead is None:
            return None
        entries: list[Pair] = []
        while lead is not None and len(entries) < 200:
            name, rest = lead
            entries.append(Pair("", name, field, origin="list"))
            lead = lead_name(rest) if _NUMBERING.match(rest).end() else None  # "1、A公司 2、B公司" on one line
        details = [e for e in line_events(rest) if isinstance(e, Pair)]
        if not any(p.field in ("amount", "price") for p in details):
            details += amount_pairs(rest)
        if not any(p.field in ("amount", "price") for p in details):
            money = _BARE_MONEY.search(rest)  # "某某公司 ￥123,456.00": the entry's amount, unlabelled
            if money:
                details.append(Pair("", money.group(0), "amount", origin="list"))
        return [*entries, *details]

    def after_line(self, events: list) -> None:
        if self.field is not None and not events:
            self.field = None
