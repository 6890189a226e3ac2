"""What each feeds.yaml column type means: its SQL type and the parser of one cell, in one table.

A parser takes the cell as the export wrote it (not empty once trimmed) and returns the canonical
text that the loader CASTs to the SQL type. It raises ValueError for a bad value (the row is
quarantined with the type's `bad_reason`, or a BadCell's own reason), or returns None with
`flag_on_none` set (the row is kept with that issue).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import get_args

from kernel.contracts import FeedColumnType
from kernel.name_validation import org_name_problem
from kernel.parsing import parse_amount_cell, parse_date_cell, parse_month_cell, parse_yes_no
from warehouse.codes import clean_code, is_valid_uscc
from warehouse.pii import hash_pii


@dataclass(frozen=True)
class ColumnKind:
    sql_type: str
    parse: Callable[[str], str | None]
    bad_reason: str = "bad_value"
    empty_reason: str = "missing_value"  # a required column left empty
    flag_on_none: str | None = None
    personal: bool = False  # stored, quarantined and hashed into record ids only as a salted hash
    cast: str = "CAST({column} AS {sql_type})"  # how the loader turns the parsed text into the SQL value

    def cast_sql(self, column: str) -> str:
        return self.cast.format(column=column, sql_type=self.sql_type)


class BadCell(ValueError):
    """A bad value with a reason of its own (e.g. a company name that is a formula)."""

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason


def _text(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _company_name(text: str) -> str:
    # the same border check as scraped names: hostile strings never become companies
    problem = org_name_problem(text)
    if problem is not None:
        raise BadCell(problem.reason, problem.detail)
    return _text(text)


def _uscc_or_none(text: str) -> str | None:
    code = clean_code(text)
    return code if is_valid_uscc(code) else None


def _whole_number(text: str) -> str:
    value = parse_amount_cell(text)
    if not value.is_integer():
        raise ValueError(f"{text!r} is not a whole number")
    return str(int(value))


def _amount(text: str) -> str:
    return repr(parse_amount_cell(text))


# Several names in one cell (a registry's 曾用名): vendors separate them with ；; 、 | or line breaks.
_NAME_SEPARATORS = re.compile(r"[；;、|｜\n\r]+")


def _company_names(text: str) -> str:
    """The names of one cell as a JSON list, each checked like a company name; a bad one refuses the row."""
    names = [part.strip() for part in _NAME_SEPARATORS.split(unicodedata.normalize("NFKC", text))]
    return json.dumps(list(dict.fromkeys(_company_name(n) for n in names if n)), ensure_ascii=False)


# What registries print where a firm chose not to publish a figure of its annual report (年报).
NOT_PUBLISHED = frozenset({"企业选择不公示", "选择不公示", "不公示", "未公示", "暂无", "-", "--", "—", "/", "未知"})


def _reported(parse: Callable[[str], str]) -> Callable[[str], str | None]:
    def parse_reported(text: str) -> str | None:
        if _text(text).replace(" ", "") in NOT_PUBLISHED:
            return None  # kept, flagged not_published: the row is good, the figure is unknown
        return parse(text)
    return parse_reported


COLUMN_KINDS: dict[str, ColumnKind] = {
    "name": ColumnKind("VARCHAR", _company_name, empty_reason="empty_name"),
    "text": ColumnKind("VARCHAR", _text),
    "uscc": ColumnKind("VARCHAR", _uscc_or_none, flag_on_none="invalid_uscc"),
    "int": ColumnKind("BIGINT", _whole_number, bad_reason="bad_number"),
    "amount": ColumnKind("DOUBLE", _amount, bad_reason="bad_number"),
    "date": ColumnKind("DATE", lambda text: parse_date_cell(text).isoformat(), bad_reason="bad_date"),
    "month": ColumnKind("DATE", lambda text: parse_month_cell(text).isoformat(), bad_reason="bad_date"),
    "bool": ColumnKind("BOOLEAN", lambda text: "true" if parse_yes_no(text) else "false", bad_reason="bad_bool"),
    "person_name": ColumnKind("VARCHAR", lambda text: hash_pii(text, "person_name"), personal=True),
    "person_id": ColumnKind("VARCHAR", lambda text: hash_pii(text, "person_id"), personal=True),
    "name_list": ColumnKind("VARCHAR[]", _company_names, cast="from_json({column}, '[\"VARCHAR\"]')"),
    "reported_int": ColumnKind("BIGINT", _reported(_whole_number), bad_reason="bad_number", flag_on_none="not_published"),
    "reported_amount": ColumnKind("DOUBLE", _reported(_amount), bad_reason="bad_number", flag_on_none="not_published"),
}
assert set(COLUMN_KINDS) == set(get_args(FeedColumnType)), "every feeds.yaml column type needs a kind"
