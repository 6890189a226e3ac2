"""Generic entity records for list-like pages: a table row, or a run of label/value pairs
starting at a name label (detail pages and cards)."""

from __future__ import annotations

from scrapers.extract.fields import ENTITY_FIELDS
from scrapers.extract.labels import IGNORED
from scrapers.extract.page_model import Grid, Page


def entity_records(page: Page, name_fields: tuple[str, ...] = ENTITY_FIELDS) -> list[dict]:
    """Field -> value dicts in page order; `_name_field` says which column gave the name."""
    records: list[dict] = []
    current: dict | None = None
    for event in page.events:
        if isinstance(event, Grid):
            name_field = next((f for f in name_fields if f in event.fields), None)
            if name_field is None:
                continue
            for record in event.records():
                record["_name_field"] = name_field
                record["_headers"] = " ".join(event.header)
                records.append(record)
            current = None
            continue
        field = event.field
        if not field or field == IGNORED:
            continue
        if field in name_fields:
            current = {"_name_field": field, field: event.value, "_row": event.value}
            records.append(current)
        elif current is not None and field not in current:
            current[field] = event.value
            if event.unit:
                current[f"{field}_unit"] = event.unit
    return records
