"""Which fields name an organisation: one definition (labels.yaml `field_groups`) every rule imports."""

from __future__ import annotations

from scrapers.extract.lookups import field_group

SUPPLIER_FIELDS: tuple[str, ...] = field_group("supplier")  # a winner or a candidate (consortium members too)
PARTY_FIELDS: tuple[str, ...] = field_group("party")  # a supplier or a bidder: starts a record of the notice
ENTITY_FIELDS: tuple[str, ...] = field_group("entity")  # a list column / card label that starts a record
HEADER_FIELDS: frozenset[str] = frozenset((*ENTITY_FIELDS, "uscc"))  # their presence makes a row a table header
