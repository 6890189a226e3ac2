"""Reading Chinese values, shared by the page extractors and the bank-feed loader.

- `decoding`: bytes -> text (UTF-8 / header / meta charset / GB18030);
- `amounts`: money in 元 / 万元 / 亿元, 大写 numerals; `parse_amount` finds a value in prose,
  `parse_amount_cell` insists that a table cell holds one amount and nothing else;
- `dates`: dates and months in every common form, likewise prose (`parse_date`) and cell (`parse_date_cell`);
- `yesno`: 是/否 cells.
"""

from kernel.parsing.amounts import Amount, parse_amount, parse_amount_cell, parse_amount_yuan
from kernel.parsing.dates import (
    find_dates,
    parse_date,
    parse_date_cell,
    parse_datetime_iso,
    parse_month_cell,
)
from kernel.parsing.decoding import decode_body, decode_report
from kernel.parsing.text import fold
from kernel.parsing.yesno import parse_yes_no

__all__ = [
    "Amount", "decode_body", "decode_report", "find_dates", "fold", "parse_amount", "parse_amount_cell",
    "parse_amount_yuan", "parse_date", "parse_date_cell", "parse_datetime_iso", "parse_month_cell", "parse_yes_no",
]
