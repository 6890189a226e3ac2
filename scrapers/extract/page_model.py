"""What the DOM pass makes of a page: `Page` (title, headings, lines with their section roles,
label/value pairs and header tables in document order, links, and the caps that cut something off)
and `Grid` (a table found by its header text). Every extractor reads these; `dom.parse_html` builds
them."""

from __future__ import annotations

from dataclasses import dataclass, field

from scrapers.extract.labels import IGNORED, looks_like_label
from scrapers.extract.pairs import Pair


@dataclass
class Grid:
    """A table found by its header text: one record per data row, keyed by field."""

    header: list[str]
    fields: list[str | None]
    units: list[str | None]
    rows: list[list[str]]
    lines_before: list[str] = field(default_factory=list)
    section: str | None = None  # the role of the section heading above the table

    def records(self) -> list[dict]:
        out = []
        for row in self.rows:
            record: dict = {"_row": " ".join(row)}
            for col, value in enumerate(row):
                name = self.fields[col] if col < len(self.fields) else None
                if name and name != IGNORED and value and name not in record:
                    record[name] = value
                    if self.units[col]:
                        record[f"{name}_unit"] = self.units[col]
                    record[f"{name}_label"] = self.header[col]
            out.append(record)
        return out

    def unused_headers(self) -> list[str]:
        return [h for h, f in zip(self.header, self.fields) if f is None and h and looks_like_label(h)]


@dataclass
class Page:
    title: str = ""
    headings: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    line_roles: list[str | None] = field(default_factory=list)  # the section role each line stands in
    events: list = field(default_factory=list)  # Pair | Grid, in document order
    links: list[tuple[str, str]] = field(default_factory=list)  # (href, text)
    meta: dict[str, str] = field(default_factory=dict)
    root: object = None
    truncated: bool = False
    limits: list[tuple[str, str]] = field(default_factory=list)  # (reason, detail) of each cap that cut

    def limit(self, reason: str, detail: str) -> None:
        if all(r != reason for r, _ in self.limits):
            self.limits.append((reason, detail))

    @property
    def grids(self) -> list[Grid]:
        return [e for e in self.events if isinstance(e, Grid)]

    @property
    def pairs(self) -> list[Pair]:
        return [e for e in self.events if isinstance(e, Pair)]
