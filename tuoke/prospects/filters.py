"""`ProspectFilter`: what a screen asks of the prospect list, as typed and bounded values.

The CLI builds one from its options; the page builds one from the query string with
`ProspectFilter.from_query`, which refuses a bad value with a `FilterError` naming the parameter
(the page answers 400 with the message, the CLI prints it as one line). `check_known` refuses
products and signal types the build does not know.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal, get_args

from kernel.contracts import SEGMENTS
from kernel.errors import UserError

Sort = Literal["rank", "score", "name", "fit"]
SORTS: tuple[str, ...] = get_args(Sort)
PAGE_SIZES = (25, 50, 100)
DEFAULT_PAGE_SIZE = 50
MAX_PAGE = 100_000  # 10 million rows at the largest page size: OFFSET stays far inside BIGINT
MAX_TEXT = 64  # a branch, product or signal name
MAX_SEARCH = 100  # a name fragment or a USCC
MAX_SCORE = 1e6
TRUE_WORDS, FALSE_WORDS = ("1", "on", "true", "yes"), ("", "0", "off", "false", "no")


class FilterError(UserError):
    """A filter value that is malformed, out of bounds or unknown; the message names the parameter."""

    def __init__(self, parameter: str, message: str):
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter


@dataclass(frozen=True)
class ProspectFilter:
    branch: str | None = None
    segment: str | None = None
    product: str | None = None
    signal: str | None = None
    min_score: float | None = None
    new_only: bool = False
    q: str | None = None  # part of the name, a USCC or a company_id
    include_held: bool = False  # excluded and suppressed companies too (the CLI's export)
    sort: str = "rank"  # "fit" ranks by the product's fit (with a product); else the score
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    top_per_branch: int | None = None  # the CLI's --top

    def __post_init__(self):
        _check_choice("segment", self.segment, SEGMENTS)
        _check_choice("sort", self.sort, SORTS)
        if not 1 <= self.page <= MAX_PAGE:
            raise FilterError("page", f"must be a whole number from 1 to {MAX_PAGE} (got {self.page})")
        if self.page_size not in PAGE_SIZES:
            raise FilterError("page_size", f"must be one of {', '.join(map(str, PAGE_SIZES))} (got {self.page_size})")
        if self.min_score is not None and not (math.isfinite(self.min_score) and abs(self.min_score) <= MAX_SCORE):
            raise FilterError("min_score", f"must be a number between -{MAX_SCORE:g} and {MAX_SCORE:g}")
        if self.top_per_branch is not None and self.top_per_branch < 1:
            raise FilterError("top", f"must be at least 1 (got {self.top_per_branch})")
        for name, limit in (("branch", MAX_TEXT), ("product", MAX_TEXT), ("signal", MAX_TEXT), ("q", MAX_SEARCH)):
            _check_text(name, getattr(self, name), limit)

    @property
    def ranks_by_fit(self) -> bool:
        return self.sort == "fit" and self.product is not None

    def choosing_rows(self) -> ProspectFilter:
        """This filter without its order and page: what decides which rows match (and how many)."""
        return replace(self, sort="rank", page=1, page_size=DEFAULT_PAGE_SIZE)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> ProspectFilter:
        """The list page's query parameters (see `as_query`); a bad value raises FilterError."""
        return cls(
            branch=_text(params, "branch"), segment=_text(params, "segment"), product=_text(params, "product"),
            signal=_text(params, "signal"), min_score=_number(params, "min_score"),
            new_only=_flag(params, "new"), q=_text(params, "q"), sort=_text(params, "sort") or "rank",
            page=_whole(params, "page", 1), page_size=_whole(params, "page_size", DEFAULT_PAGE_SIZE),
        )

    def as_query(self, **changes) -> dict[str, str]:
        """The filter as URL query parameters (for links to other pages and sorts)."""
        f = replace(self, **changes)
        out = {"branch": f.branch, "segment": f.segment, "product": f.product,
               "min_score": None if f.min_score is None else f"{f.min_score:g}", "signal": f.signal,
               "new": "1" if f.new_only else None, "q": f.q, "sort": f.sort if f.sort != "rank" else None,
               "page": str(f.page) if f.page != 1 else None,
               "page_size": str(f.page_size) if f.page_size != DEFAULT_PAGE_SIZE else None}
        return {k: v for k, v in out.items() if v is not None}

    def check_known(self, products: tuple[str, ...], signals: tuple[str, ...]) -> None:
        """Refuse a product or signal type the build does not know (a branch outside the
        territory is not refused: the list is empty, as for a branch that does not exist)."""
        _check_choice("product", self.product, products)
        _check_choice("signal", self.signal, signals)


def _check_choice(name: str, value: str | None, valid: tuple[str, ...]) -> None:
    if value is not None and value not in valid:
        shown = value if len(value) <= 40 else value[:37] + "..."
        raise FilterError(name, f"unknown value {shown!r}; valid values: {', '.join(valid) or '(none yet)'}")


def _check_text(name: str, value: str | None, limit: int) -> None:
    if value is None:
        return
    if len(value) > limit:
        raise FilterError(name, f"at most {limit} characters (got {len(value)})")
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in value):
        raise FilterError(name, "contains control characters")


def _text(params: Mapping[str, str], name: str) -> str | None:
    value = (params.get(name) or "").strip()
    return value or None


def _whole(params: Mapping[str, str], name: str, default: int) -> int:
    value = _text(params, name)
    if value is None:
        return default
    if not (value.isascii() and value.isdigit()) or len(value) > 12:
        raise FilterError(name, f"must be a whole number (got {value[:20]!r})")
    return int(value)


def _number(params: Mapping[str, str], name: str) -> float | None:
    value = _text(params, name)
    if value is None:
        return None
    try:
        number = float(value) if value.isascii() and len(value) <= 32 else math.nan
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or abs(number) > MAX_SCORE:
        raise FilterError(name, f"must be a number between -{MAX_SCORE:g} and {MAX_SCORE:g} (got {value[:20]!r})")
    return number


def _flag(params: Mapping[str, str], name: str) -> bool:
    value = (params.get(name) or "").strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise FilterError(name, f"must be 1 or 0 (got {value[:20]!r})")
