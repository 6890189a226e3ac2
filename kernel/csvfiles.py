"""CSV as tuoke writes it: RFC 4180, every row ended by CRLF.

Python's csv module quotes a field only when it holds the delimiter, the quote character or a
character of the line terminator. With "\n" as the terminator a bare "\r" inside a value (a note
pasted from Excel, a name from a bad page) goes out unquoted, and every reader that accepts "\r"
as a line end — Excel, pandas, the csv module itself — splits the row there. With "\r\n" both
characters are quoted wherever they occur. Write such text to a file with `newline=""` (or as
bytes) so that nothing translates the line ends, and compare it with a file's bytes, not with
text read back in universal-newline mode.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

LINE_END = "\r\n"


def csv_writer(stream: TextIO, **options: Any):
    """A csv.writer on `stream` with RFC 4180 line ends."""
    return csv.writer(stream, lineterminator=LINE_END, **options)


def csv_text(rows: Iterable[Sequence[Any]]) -> str:
    """`rows` (the header first, if any) as CSV text with RFC 4180 line ends."""
    out = io.StringIO()
    csv_writer(out).writerows(rows)
    return out.getvalue()
