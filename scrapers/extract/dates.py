"""Date parsing lives in the kernel (tuoke.core.parsing.dates), shared with the bank feeds."""

from tuoke.core.parsing.dates import find_dates, parse_date, parse_datetime_iso

__all__ = ["find_dates", "parse_date", "parse_datetime_iso"]
