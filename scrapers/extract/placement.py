"""Names first, roles from structure: every organisation the page names ends in a mention, is given
a role from where it stands, or is reported as a name without a role (never silently dropped).

The label rules (notices, lists, directories) run first and are the more precise; this pass is
their fallback and their report (issue 18):
- every name the recogniser (orgspans) finds in a line is *found*, unless it stands inside the value
  of a label that names no party (项目名称, 地址, 开标地点, 发布日期 …: a project, a place, a venue);
- a found name that no mention carries is *unplaced* (PageResult.unplaced_names), counted per crawl
  as "names without a role";
- on an award or candidate page that yields no supplier at all, an unplaced name is given the
  supplier role when its place says so (the ordered rules below); a name with no such evidence is
  reported, never emitted.
"""

from __future__ import annotations

from collections.abc import Callable

from scrapers.extract.dom import Page
from scrapers.extract.fields import PARTY_FIELDS
from scrapers.extract.labels import IGNORED
from scrapers.extract.lookups import words_pattern
from scrapers.extract.orgspans import OrgSpan, find_orgs
from scrapers.extract.pairs import line_pairs
from scrapers.extract.result import PageResult

SUPPLIER_KINDS = ("procurement_award", "candidate_notice")
_PRINCIPAL_FIELDS = ("purchaser_name", "agent_name")


def _in_winner_section(page: Page, index: int, line: str, span: OrgSpan) -> bool:
    """The name leads a line under a winner heading (中标结果 / 成交信息 …)."""
    return page.line_roles[index] == "winner" and not line[:span.start].strip(" 0123456789.、)）(（")


def _followed_by_award_verb(page: Page, index: int, line: str, span: OrgSpan) -> bool:
    """"某某公司中标", "某某宾馆入围": an award verb right after the name (not 中标候选 / 中标通知)."""
    after = line[span.end:span.end + 6]
    return bool(words_pattern("award_verbs").match(after)) and not words_pattern("award_verb_not").match(after)


def _under_a_winner_label(page: Page, index: int, line: str, span: OrgSpan) -> bool:
    """"中标（成交）供应商名称（全称）：某某公司": the name is the whole value of a label with an award word,
    whether or not labels.yaml knows the label."""
    for pair in line_pairs(line) if ("：" in line or ":" in line) else ():
        if pair.value.strip(" ;；,，。") == span.name:
            return bool(words_pattern("award_verbs").search(pair.label)) and not words_pattern("candidate_words").search(pair.label)
    return False


# Evidence that a name is the supplier, in order; the first that holds gives the role.
SUPPLIER_EVIDENCE: tuple[tuple[str, Callable[[Page, int, str, OrgSpan], bool]], ...] = (
    ("winner_label", _under_a_winner_label),
    ("winner_section", _in_winner_section),
    ("award_verb", _followed_by_award_verb),
)


def place_names(page: Page, result: PageResult, kind: str, url: str | None, region: str | None) -> None:
    """Report the names no mention carries; give a supplier role from structure where none was found."""
    carried = {m["name"] for m in result.mentions}
    found: dict[str, tuple[int, str, OrgSpan]] = {}
    for index, line in enumerate(page.lines):
        for span in _party_spans(line):
            found.setdefault(span.name, (index, line, span))
    result.names_found = len(found)
    unplaced = [name for name in found if not _carried(name, carried)]
    if kind in SUPPLIER_KINDS and not any(m["role"] in ("winner", "candidate") for m in result.mentions):
        role = "candidate" if kind == "candidate_notice" else "winner"
        for name in list(unplaced):
            evidence = next((rule for rule, holds in SUPPLIER_EVIDENCE if holds(page, *found[name])), None)
            if evidence:
                result.add(url, region, role=role, name=name, rank=1 if role == "candidate" else None,
                           from_text=True, role_from=evidence)
                unplaced.remove(name)
        if any(m["role"] == role for m in result.mentions):
            result.problems[:] = [p for p in result.problems if p[0] not in ("no_winner", "no_candidate")]
    result.unplaced_names = unplaced


def _party_spans(line: str) -> list[OrgSpan]:
    """The names of a line that may be parties: not inside the value of a label naming no party."""
    spans = find_orgs(line)
    if not spans:
        return []
    values = []  # (start, end, field) of each labelled value in the line
    cursor = 0
    for pair in line_pairs(line) if ("：" in line or ":" in line) else ():
        start = line.find(pair.value, cursor) if pair.value else -1
        if start >= 0:
            values.append((start, start + len(pair.value), pair.field))
            cursor = start + len(pair.value)
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
