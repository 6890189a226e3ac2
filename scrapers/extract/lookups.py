"""Loads the YAML lookups (label synonyms, word lists) once; the rules read them as data."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import yaml

from scrapers.extract.text import label_key

LOOKUP_DIR = Path(__file__).parent / "lookups"
_DIR = LOOKUP_DIR


@functools.cache
def _load(name: str) -> dict:
    return yaml.safe_load((_DIR / f"{name}.yaml").read_text(encoding="utf-8")) or {}


@functools.cache
def label_table() -> tuple[dict[str, str], frozenset[str], tuple[tuple[str, str], ...]]:
    """(normalised label -> field, ignored labels, ordered substring rules)."""
    data = _load("labels")
    exact: dict[str, str] = {}
    for field, synonyms in data["fields"].items():
        for synonym in synonyms:
            exact.setdefault(label_key(str(synonym))[0], field)
    ignore = frozenset(label_key(str(s))[0] for s in data.get("ignore", []))
    contains = tuple((label_key(str(s))[0], f) for s, f in data.get("contains", []))
    return exact, ignore, contains


@functools.cache
def words(name: str) -> tuple[str, ...]:
    return tuple(str(w) for w in _load("words")[name])


def penalty_rules() -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((t, tuple(kw)) for t, kw in _load("penalties")["penalty_types"])


@functools.cache
def section_table() -> tuple[dict[str, str | None], dict[str, dict[str, str]]]:
    """(normalised section heading -> role or None, generic field -> {role: field})."""
    data = _load("labels")
    headings: dict[str, str | None] = {}
    for role, names in (data.get("sections") or {}).items():
        for name in names:
            headings.setdefault(label_key(str(name))[0], None if role == "none" else role)
    fields = {str(f): {str(r): str(t) for r, t in roles.items()} for f, roles in (data.get("section_fields") or {}).items()}
    return headings, fields


@functools.cache
def line_section_table() -> dict[str, str]:
    """Normalised heading -> role, for headings that count only as a whole line."""
    table: dict[str, str] = {}
    for role, names in (_load("labels").get("line_sections") or {}).items():
        for name in names:
            table.setdefault(label_key(str(name))[0], role)
    return table


@functools.cache
def amount_parts() -> frozenset[str]:
    return frozenset(label_key(str(s))[0] for s in _load("labels").get("amount_parts") or [])


@functools.cache
def words_pattern(name: str) -> re.Pattern:
    """One compiled alternation of a word list (longest first): `search` finds any of them."""
    return re.compile("|".join(re.escape(w) for w in sorted(words(name), key=len, reverse=True)))


@functools.cache
def field_group(name: str) -> tuple[str, ...]:
    """One named group of fields (labels.yaml `field_groups`)."""
    return tuple(str(f) for f in _load("labels")["field_groups"][name])
