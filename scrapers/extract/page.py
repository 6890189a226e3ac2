"""extract_page: bytes of one detail page -> PageResult, by kind, without per-site selectors.

extract_auto: the same when no source says the kind: the page's own headline, URL, opening
sentence or structure decide it (scrapers.extract.pagekind); a page none of them names is read by
every extractor that can read an unknown page, and the one whose mentions have evidence is kept
(issue 18: an unknown kind never silently means "award"). The result says which, and why.
"""

from __future__ import annotations

from collections.abc import Mapping

from kernel.contracts import PAGE_KINDS
from scrapers.extract.common import apply_selectors, fill_notice, report_unused
from scrapers.extract.decode import decode_report
from scrapers.extract.directories import extract_directory
from scrapers.extract.dom import MAX_CHARS, parse_html
from scrapers.extract.lists import list_name_from, listed_mention
from scrapers.extract.negative import extract_negative
from scrapers.extract.notices import extract_notice
from scrapers.extract.pagekind import PageKind, classify_page
from scrapers.extract.placement import place_names
from scrapers.extract.records import json_record_html
from scrapers.extract.result import PageResult
from scrapers.extract.sme_declaration import add_sme_declarations

KINDS = PAGE_KINDS
_TRUNCATED_TAIL = ("</html>", "</body>")


def _list_page(page, url, kind, config, result, first) -> None:
    from scrapers.extract.entities import entity_records

    list_name = (config or {}).get("list_name") or list_name_from(result.notice.get("notice_title"), page.title, *page.headings)
    region = (config or {}).get("region")
    for record in entity_records(page, ("winner_name", "name") if kind == "winner_list" else ("name", "winner_name")):
        if "lot" not in record and first.get("lot"):
            record["lot"] = first["lot"]
        listed_mention(result, record, url, kind=kind, list_name=list_name, region=region)
    if kind == "winner_list" and not result.mentions:
        extract_notice(page, url, "winner_list", config, result, first)
    elif not result.mentions and not result.attachment_links:
        result.problem("no_entries", "list page has neither a table of companies nor an attachment")


def extract_page(body: bytes, url: str, *, kind: str, headers: Mapping | None = None, config: Mapping | None = None) -> PageResult:
    """Mentions, notice fields, unused labels and problems of one page. Never raises on bad input."""
    result = PageResult()
    if kind not in KINDS:
        raise ValueError(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    if not body:
        result.problem("empty_page", "page body is empty")
        return result
    text, encoding, bad = decode_report(body, headers)
    if bad:
        result.problem("bad_encoding", f"no encoding decodes the page cleanly; {bad} characters replaced ({encoding})")
    text = json_record_html(text) or text  # a saved crawler record / API answer: the page in its field
    if len(text) > MAX_CHARS:
        result.problem("oversized_page", f"page has {len(text)} characters; only the first {MAX_CHARS} were read")
    elif not any(tail in text[-2000:].lower() for tail in _TRUNCATED_TAIL) and "<html" in text[:2000].lower():
        result.problem("truncated_html", "page ends before </html>: it may be cut off")
    page = parse_html(text)
    for reason, detail in page.limits:  # a cap that cut something off is never silent
        result.problem(reason, detail)
    apply_selectors(page, config)
    first = fill_notice(page, url, result, kind)
    if kind in ("procurement_award", "candidate_notice", "tender_notice"):
        extract_notice(page, url, kind, config, result, first)
        add_sme_declarations(page, url, result, kind)
    elif kind in ("srdi_list", "winner_list"):
        _list_page(page, url, kind, config, result, first)
    elif kind == "directory":
        extract_directory(page, url, config, result, first)
    else:
        extract_negative(page, url, config, result, first)
    place_names(page, result, kind, url, first.get("region") or (config or {}).get("region"))
    report_unused(page, result)
    return result


# What an extractor must find on a page of unknown kind for its reading to be kept, tried in order.
UNKNOWN_KIND_TRIES: tuple[tuple[str, frozenset[str]], ...] = (
    ("procurement_award", frozenset({"winner", "candidate"})),
    ("directory", frozenset({"member", "tenant"})),
)


def extract_auto(body: bytes, url: str, *, headers: Mapping | None = None, config: Mapping | None = None
                 ) -> tuple[PageResult, PageKind]:
    """Mentions of a page whose kind no source gives, and the kind it was read as (with its evidence)."""
    decided = classify_page(body, url, headers) if body else PageKind("unknown", "procurement_award", "empty page")
    if decided.extract_as in KINDS:
        return extract_page(body, url, kind=decided.extract_as, headers=headers, config=config), decided
    first = None
    for kind, evidence_roles in UNKNOWN_KIND_TRIES:
        result = extract_page(body, url, kind=kind, headers=headers, config=config)
        found = sum(1 for m in result.mentions if m["role"] in evidence_roles)
        if found:
            return result, PageKind("unknown", kind, f"{decided.evidence}; read as {kind}: {found} {'/'.join(sorted(evidence_roles))}")
        first = first or result
    first.problem("unknown_kind", f"{decided.evidence}; no extractor found a supplier or a member")
    return first, PageKind("unknown", UNKNOWN_KIND_TRIES[0][0], decided.evidence)
