"""Names first, roles from structure: every organisation the page names ends in a mention, is given
a role from where it stands, or is reported as a name without a role (never silently dropped).

The label rules (notices, lists, directories) run first and are the more precise; this pass is
their fallback and their report (issue 18):
- every name the recogniser (orgspans) finds in a line is *found*, unless it stands inside the value
  of a label that names no party (项目名称, 地址, 开标地点, 发布日期 …: a project, a place, a venue);
- a found name that no mention carries is *unplaced* (PageResult.unplaced_names), counted per crawl
  as "names without a role";
- on an award or candidate page that yields no supplier at all, an unplaced name is given the
  supplier role when its place says so: the words of its own label, known to labels.yaml or not
  (an award word -> winner; a rank with a candidate word -> candidate of that rank), its table
  column's header (and the row's rank column), the section heading above it, an award verb after it
  (the ordered rules below); a name with no such evidence is reported, never emitted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from scrapers.extract.fields import PARTY_FIELDS
from scrapers.extract.labels import IGNORED
from scrapers.extract.lookups import words_pattern
from scrapers.extract.lots import rank_of
from scrapers.extract.orgspans import OrgSpan, find_orgs
from scrapers.extract.page_model import Grid, Page
from scrapers.extract.pairs import Pair, line_pairs
from scrapers.extract.result import PageResult

SUPPLIER_KINDS = ("procurement_award", "candidate_notice")
NOTICE_KINDS = (*SUPPLIER_KINDS, "tender_notice")  # pages with a purchaser and an agent
_PRINCIPAL_FIELDS = ("purchaser_name", "agent_name")


Role = tuple[str, int | None]  # (winner | candidate, rank)
WINNER: Role = ("winner", None)


def _in_winner_section(page: Page, index: int, line: str, span: OrgSpan) -> Role | None:
    """The name leads a line under a winner heading (中标结果 / 成交信息 …)."""
    if page.line_roles[index] == "winner" and not line[:span.start].strip(" 0123456789.、)）(（"):
        return WINNER
    return None


def _followed_by_award_verb(page: Page, index: int, line: str, span: OrgSpan) -> Role | None:
    """"某某公司中标", "某某宾馆入围": an award verb right after the name (not 中标候选 / 中标通知)."""
    after = line[span.end:span.end + 6]
    if words_pattern("award_verbs").match(after) and not words_pattern("award_verb_not").match(after):
        return WINNER
    return None


_COPULA = ("被确定为", "确定为", "推荐为", "为")
_CLAUSE_END = "，,。；;：:（("


def _named_by_copula(page: Page, index: int, line: str, span: OrgSpan) -> Role | None:
    """"X为第一成交候选供应商": the words after 为 name the role as a label would (a rank with a
    candidate word, an award word)."""
    after = line[span.end:span.end + 24]
    copula = next((c for c in _COPULA if after.startswith(c)), None)
    if copula is None:
        return None
    phrase = after[len(copula):]
    cut = min((phrase.find(c) for c in _CLAUSE_END if c in phrase), default=len(phrase))
    return label_role(phrase[:cut]) if cut <= 16 else None


def label_role(label: str) -> Role | None:
    """The supplier role a label gives the name it holds, whether or not labels.yaml knows the label:
    a rank with a candidate word ("第一中标（选）候选人", "第二名") -> candidate of that rank; an award word
    and no candidate or bidder word ("中标（成交）供应商名称（全称）") -> winner."""
    rank = rank_of(label)
    if rank and (words_pattern("ranked_words").search(label)):
        return "candidate", rank
    if words_pattern("award_verbs").search(label) and not words_pattern("candidate_words").search(label):
        return WINNER
    return None


@dataclass(frozen=True)
class _LinePair:
    """A label and value of a line, with where the value stands and the words before the label."""

    pair: Pair
    before: str  # the line's text from the previous value's end to this label: a heading, a row's rank
    start: int  # where the value starts in the line (-1: not found)

    @property
    def value(self) -> str:
        return self.pair.value.strip(_VALUE_TRIM)


_VALUE_TRIM = " ;；,，。"


def _line_pairs(line: str) -> list[_LinePair]:
    """The line's pairs, each value looked for after its own label: "X，地址：X" holds the value's
    text twice, and the first X is no address."""
    pairs, cursor = [], 0
    for pair in line_pairs(line) if ("：" in line or ":" in line) else ():
        label_at = line.find(pair.label, cursor) if pair.label else -1
        before = line[cursor:label_at] if label_at >= 0 else ""
        start = line.find(pair.value, max(cursor, label_at + len(pair.label))) if pair.value else -1
        if start >= 0:
            cursor = start + len(pair.value)
        elif label_at >= 0:
            cursor = label_at + len(pair.label)
        pairs.append(_LinePair(pair, before, start))
    return pairs


def _under_a_supplier_label(page: Page, index: int, line: str, span: OrgSpan) -> Role | None:
    """The name is the whole value of a label with an award word or a candidate rank — or of a label
    naming a supplier ("单位名称", "供应商名称") after words on the same line that give the role: a rank
    from the row's cells ("第一名 单位名称：X") or an award heading kept inline by a page flattened into
    long lines ("五、中标（成交）信息 供应商名称：X")."""
    for located in _line_pairs(line):
        before, label, field, value = located.before, located.pair.label, located.pair.field, located.value
        inner = _NESTED_LABEL.match(value)
        if value != span.name and inner and inner.group(2).strip(_VALUE_TRIM) == span.name:
            # "第一名：单位名称：X" (a table read as lines): the outer label is the words before the inner one
            before, label, field, value = f"{before}{label} ", inner.group(1), None, span.name
        if value != span.name:
            continue
        role = label_role(label)
        if role is None and _names_a_supplier(label, field):
            role = label_role(before)  # "第一名 单位名称：X", "五、中标（成交）信息 供应商名称：X"
        return role
    return None


_NESTED_LABEL = re.compile(r"^([^：:]{1,10})[：:]\s*(.+)$")


def _no_supplier_label(label: str, field: str | None) -> bool:
    """A label of the purchaser or agent (采购人名称, 招标代理机构) or of a bidder or candidate list."""
    return field in _PRINCIPAL_FIELDS or any(words_pattern(words).search(label) for words in
                                             ("agent_words", "candidate_words", "purchaser_words"))


def _supplier_header(header: str) -> bool:
    """A column header that names suppliers ("供应商", "中标单位"), not bidders or candidates."""
    return bool(words_pattern("supplier_nouns").search(header)) and not _no_supplier_label(header, None)


def _names_a_supplier(label: str, field: str | None) -> bool:
    """A label that names an organisation and may name a supplier ("单位名称", "供应商名称")."""
    return not _no_supplier_label(label, field) and bool(
        words_pattern("supplier_nouns").search(label) or words_pattern("name_headers").search(label))


# Evidence that a name is a supplier, in order; the first that holds gives the role.
SUPPLIER_EVIDENCE: tuple[tuple[str, Callable[[Page, int, str, OrgSpan], Role | None]], ...] = (
    ("supplier_label", _under_a_supplier_label),
    ("winner_section", _in_winner_section),
    ("award_verb", _followed_by_award_verb),
    ("copula_role", _named_by_copula),
)


def grid_roles(grid: Grid) -> dict[str, tuple[Role | None, str]]:
    """Each organisation that fills a table cell whole, with the role its column header gives it (a rank
    column of the row makes a candidate of that rank), or None where the header gives none."""
    rank_col = next((i for i, f in enumerate(grid.fields) if f == "rank"), None)
    # "项目名 | 成交金额(元) | 供应商": a column of the row's award (its amount) says what the supplier column holds
    award_grid = any(label_role(header) == WINNER for header in grid.header)
    found: dict[str, tuple[Role | None, str]] = {}
    for row in grid.rows:
        for col, cell in enumerate(row[:len(grid.header)]):
            spans = find_orgs(cell.strip())
            if len(spans) != 1 or spans[0].name != cell.strip():
                continue
            role = label_role(grid.header[col])
            if role is None and award_grid and _supplier_header(grid.header[col]):
                role = WINNER
            if rank_col is not None and rank_col < len(row) and rank_of(row[rank_col]) and (role is None or role == WINNER):
                role = ("candidate", rank_of(row[rank_col])) if role or words_pattern("name_headers").search(grid.header[col]) else None
            found.setdefault(spans[0].name, (role, "column_header"))
    return found


def place_names(page: Page, result: PageResult, kind: str, url: str | None, region: str | None) -> None:
    """Report the names no mention carries; give a supplier role from structure where none was found."""
    carried = {m["name"] for m in result.mentions}
    found: dict[str, tuple[Role | None, str]] = {}
    lines: dict[str, list[tuple[int, str, OrgSpan]]] = {}  # the lines a name stands on, in page order
    for index, line in enumerate(page.lines):
        for span in _party_spans(line):
            lines.setdefault(span.name, []).append((index, line, span))
    for grid in page.grids:
        for name, evidence in grid_roles(grid).items():
            found.setdefault(name, evidence)
    for name in lines:
        found.setdefault(name, (None, ""))
    result.names_found = len(found)
    unplaced = [name for name in found if not _carried(name, carried)]
    if kind in SUPPLIER_KINDS and not any(m["role"] in ("winner", "candidate") for m in result.mentions):
        placed = []
        for name in unplaced:
            role, rule = found[name]
            if role is None and name in lines:
                role, rule = _evidence(page, lines[name])
            if role is not None:
                placed.append((name, role, rule))
        has_winner = any(role == WINNER for _, role, _ in placed)
        for name, (role, rank), rule in placed:
            if kind == "candidate_notice" and role == "winner":
                role, rank = "candidate", 1
            elif kind != "candidate_notice" and role == "candidate" and rank == 1 and not has_winner:
                role = "winner"  # an award page's first-ranked candidate is its winner when nothing else names one
            result.add(url, region, role=role, name=name, rank=rank, from_text=True, role_from=rule)
            unplaced.remove(name)
        if placed:
            result.problems[:] = [p for p in result.problems if p[0] not in ("no_winner", "no_candidate")]
    if kind in NOTICE_KINDS:
        _place_principals(lines, unplaced, result, url, region)
    result.unplaced_names = unplaced


PRINCIPALS = ("purchaser", "agent")  # their label words: _principal_label


def _place_principals(lines: dict[str, list[tuple[int, str, OrgSpan]]], unplaced: list[str], result: PageResult,
                      url: str | None, region: str | None) -> None:
    """A page with no purchaser (agent) mention gets the first unplaced name that is the whole value
    of a label with a purchaser (agent) word ("采购单位名称：X", "招标代理：X"), on any of its lines."""
    for role in PRINCIPALS:
        if any(m["role"] == role for m in result.mentions):
            continue
        name = next((n for n in unplaced if any(_principal_label(line, span) == role for _, line, span in lines.get(n, ()))),
                    None)
        if name is not None:
            result.add(url, region, role=role, name=name, from_text=True, role_from=f"{role}_label")
            unplaced.remove(name)


def _principal_label(line: str, span: OrgSpan) -> str | None:
    """purchaser or agent when the name is the whole value of a label with such words (an agent word
    wins: 采购代理机构 is the agent's label, not the purchaser's)."""
    label = next((p.pair.label for p in _line_pairs(line) if p.value == span.name), None)
    if label is None:
        return None
    if words_pattern("agent_label_words").search(label):
        return "agent"
    if words_pattern("purchaser_words").search(label) and not words_pattern("supplier_nouns").search(label):
        return "purchaser"
    return None


def _evidence(page: Page, places: list[tuple[int, str, OrgSpan]]) -> tuple[Role | None, str]:
    """The role the name's first line gives, by the rules in order; else the first later line where
    a label gives it (`supplier_label`). The other rules read the first line only: on every line they
    gave agents a supplier role from their signature under the award section (5 false suppliers on
    the real pages)."""
    index, line, span = places[0]
    for rule, holds in SUPPLIER_EVIDENCE:
        if (role := holds(page, index, line, span)) is not None:
            return role, rule
    for index, line, span in places[1:]:
        if (role := _under_a_supplier_label(page, index, line, span)) is not None:
            return role, "supplier_label"
    return None, ""


def _party_spans(line: str) -> list[OrgSpan]:
    """The names of a line that may be parties: not inside the value of a label naming no party."""
    spans = find_orgs(line)
    if not spans:
        return []
    values = [(p.start, p.start + len(p.pair.value), p.pair.field) for p in _line_pairs(line) if p.start >= 0]
    kept = []
    for span in spans:
        field = next((f for a, b, f in values if a <= span.start < b), None)
        if field is None or field in PARTY_FIELDS or field in _PRINCIPAL_FIELDS or field == "name":
            kept.append(span)
        elif field == IGNORED and words_pattern("party_labels_ignored").search(line):
            kept.append(span)  # 发布单位 / 发布人: may be the purchaser or agent
    return kept


def _carried(name: str, carried: set[str]) -> bool:
    """A name some mention carries, also when a mention holds it with a bracket note or branch suffix."""
    return name in carried or any(name in other or other in name for other in carried if len(other) >= 4)
