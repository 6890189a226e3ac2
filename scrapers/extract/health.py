"""What one page adds to its crawl's extraction health (kernel.contracts.EXTRACTION_HEALTH).

A template change shows the morning after: award pages that name no winner, winners without an
amount, pages of unknown kind and names without a role are counted per page here, summed per run
by the spider into the run stats, checked per source by a Dagster asset check, printed by
`tuoke crawl`.
"""

from __future__ import annotations

from kernel.contracts import EXTRACTION_HEALTH
from scrapers.extract.result import PageResult

AWARD_KINDS = ("procurement_award",)


def page_health(result: PageResult, extracted_as: str, page_kind: str | None = None) -> dict[str, int]:
    """The health counts of one page read as `extracted_as` (`page_kind`: what the page was found to be)."""
    winners = [m for m in result.mentions if m["role"] == "winner"]
    without_amount = [m for m in winners if m.get("amount_yuan") is None
                      and not any((m.get("extra") or {}).get(k) is not None for k in ("rate", "rate_percent"))]
    award = extracted_as in AWARD_KINDS
    return {
        "award_pages": int(award),
        "award_pages_without_winner": int(award and any(reason == "no_winner" for reason, _ in result.problems)),
        "winners": len(winners),
        "winners_without_amount": len(without_amount),
        "unknown_kind_pages": int(page_kind == "unknown"),
        "names_found": result.names_found,
        "names_without_role": len(result.unplaced_names),
    }


# The share of each measure above which a run warns (a data engineer tunes these), and the fewest
# pages a run needs before its shares say anything.
HEALTH_SHARE_MAX: dict[str, float] = {
    "award_pages_without_winner": 0.20,
    "winners_without_amount": 0.50,
    "unknown_kind_pages": 0.10,
    "names_without_role": 0.50,
}
HEALTH_MIN_PAGES = 5


def health_shares(stats: dict) -> list[tuple[str, str, int, int, float | None]]:
    """(key, what, count, of, share or None) of each measure of kernel.contracts.EXTRACTION_HEALTH."""
    rows = []
    for what, numerator, denominator in EXTRACTION_HEALTH:
        count, of = int(stats.get(numerator) or 0), int(stats.get(denominator) or 0)
        rows.append((numerator, what, count, of, count / of if of else None))
    return rows


def health_warnings(stats: dict) -> list[str]:
    """One sentence per measure over its share (none when the run read too few pages to judge)."""
    if int(stats.get("detail_pages") or 0) + int(stats.get("list_pages") or 0) < HEALTH_MIN_PAGES:
        return []
    return [f"{what}: {count} of {of} ({share:.0%}, above {HEALTH_SHARE_MAX[key]:.0%})"
            for key, what, count, of, share in health_shares(stats)
            if share is not None and share > HEALTH_SHARE_MAX[key]]
