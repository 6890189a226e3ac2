"""Date parsing lives in the kernel (kernel.parsing.dates), shared with the bank feeds."""

from kernel.parsing.dates import find_dates, parse_date, parse_datetime_iso

__all__ = ["find_dates", "parse_date", "parse_datetime_iso"]
