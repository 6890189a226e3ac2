"""Why a record sits in its company: the `features` of one link in core.entity_links.

One definition for everyone who writes or reads them: entity resolution (warehouse/resolve)
encodes them, the SQL models (marts.match_review) and the web page read them back. The JSON
object has the fields of `LinkFeatures` in this order; a field whose value is None is left out.

- `rule`: the comparison level that decided the link (warehouse/resolve/pair_rules.py), or
  `canonical` (the record a company is named after), `same_key` (records the matcher cannot tell
  apart), `uscc` (the same valid code), `registry_name` (named exactly as a registry name, current or
  former: vouched for by the registry's code), `judgement` (a human decision in configs/judgements.csv);
- `strength`: `strong` (evidence beyond the name agreed), `weak` (attached only as the one
  compatible candidate), `judgement`, `canonical`;
- `candidates`: the blocking rule that paired the two names (same_core, typo, trade_name);
- `reads` / `threshold`: the features the deciding level reads and its configured threshold;
- `agreed`: the evidence that agreed (uscc, address, name_region, region, core, trade_name,
  legal_form, typo:shape|sound|missing_char, match_key, registry_uscc);
- `previous_company_id` / `id_change`: the id a record had in the last build and why it changed.

`encode_link_features` writes many at once (one JSON text per row, no per-row object);
`decode_link_features` reads one; `link_features_schema()` is the JSON schema.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from functools import cache
from json.encoder import encode_basestring
from typing import Any, Literal

import numpy as np
import pandas as pd

Strength = Literal["canonical", "strong", "weak", "judgement"]


@dataclass(frozen=True)
class LinkFeatures:
    rule: str
    strength: Strength
    similarity: float = 1.0
    agreed: tuple[str, ...] = ()
    candidates: str | None = None
    reads: tuple[str, ...] = ()
    threshold: float | None = None
    matched_record: str | None = None
    previous_company_id: str | None = None
    id_change: str | None = None

    def to_json(self) -> str:
        return encode_link_features(1, **{f.name: getattr(self, f.name) for f in fields(self)})[0]


FIELD_NAMES = tuple(f.name for f in fields(LinkFeatures))
_ALWAYS = ("rule", "strength", "similarity", "agreed")  # written even when empty


@cache
def _adapter():
    from pydantic import TypeAdapter

    return TypeAdapter(LinkFeatures)


def link_features_schema() -> dict:
    """The JSON schema of one features object."""
    return _adapter().json_schema()


def decode_link_features(text: str | bytes | None) -> LinkFeatures | None:
    """One features JSON text as LinkFeatures (None for None or empty text; ValueError if malformed)."""
    if text is None or text == "" or text == b"":
        return None
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("link features must be a JSON object")
    return _adapter().validate_python({k: v for k, v in data.items() if k in FIELD_NAMES})


def _json_value(value: Any) -> str:
    if isinstance(value, str):
        return encode_basestring(value)
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(encode_basestring(str(v)) for v in value) + "]"
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (float, np.floating)):
        return repr(float(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    return json.dumps(value, ensure_ascii=False)


def _column_texts(values: Any, n: int) -> np.ndarray | str | None:
    """JSON text per row for one field (a scalar gives one text; None entries stay None)."""
    if values is None:
        return None
    if isinstance(values, (str, tuple, float, int, np.floating, np.integer)):
        return _json_value(values)
    array = np.asarray(values, dtype=object) if not isinstance(values, np.ndarray) else values
    if len(array) != n:
        raise ValueError(f"a features column has {len(array)} values for {n} rows")
    if array.dtype.kind == "f":
        return np.array([repr(v) for v in array.tolist()], dtype=object)
    codes, uniques = pd.factorize(pd.Series(array, dtype=object), use_na_sentinel=True)
    texts = np.array([_json_value(u) for u in uniques] + [None], dtype=object)
    return texts[codes]  # code -1 (None) picks the trailing None


def _empty(value: Any) -> bool:
    return isinstance(value, tuple) and not value


_SLICE = 100_000  # rows encoded at a time: the temporaries of a million rows stay small


def encode_link_features(n: int, **columns: Any) -> np.ndarray:
    """n features JSON texts (object array). Each keyword is a field of LinkFeatures: one value
    for all rows or a sequence of n (None entries leave the key out of that row). Rows are grouped
    by which keys they have, and each group is written through one %-template made from the field
    list: no per-row dictionaries, and the texts of repeated values are shared."""
    if n > _SLICE:
        sliced = [encode_link_features(min(_SLICE, n - lo), **{k: v if _scalar(v) else v[lo:lo + _SLICE]
                                                               for k, v in columns.items()})
                  for lo in range(0, n, _SLICE)]
        return np.concatenate(sliced)
    return _encode(n, **columns)


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, tuple, float, int, np.floating, np.integer))


def _encode(n: int, **columns: Any) -> np.ndarray:
    unknown = set(columns) - set(FIELD_NAMES)
    if unknown:
        raise ValueError(f"not link features: {', '.join(sorted(unknown))}")
    missing = [f for f in ("rule", "strength") if columns.get(f) is None]
    if missing:
        raise ValueError(f"link features need {', '.join(missing)}")
    texts = {name: None if (name not in _ALWAYS and _empty(columns.get(name))) else _column_texts(columns.get(name), n)
             for name in FIELD_NAMES}
    for name in _ALWAYS:
        if texts[name] is None:
            texts[name] = _json_value(() if name == "agreed" else getattr(LinkFeatures, name))
    present = [name for name in FIELD_NAMES if texts[name] is not None]
    per_row = [name for name in present if not isinstance(texts[name], str)]
    pattern = np.zeros(n, dtype=np.int64)
    for bit, name in enumerate(per_row):
        pattern |= np.array([t is not None for t in texts[name].tolist()], dtype=np.int64) << bit
    out = np.empty(n, dtype=object)
    for code in np.unique(pattern).tolist():
        rows = np.flatnonzero(pattern == code)
        fields = [name for name in present if name not in per_row or code >> per_row.index(name) & 1]
        template = "{" + ", ".join(f'"{name}": ' + (texts[name].replace("%", "%%") if isinstance(texts[name], str)
                                                   else "%s") for name in fields) + "}"
        varying = [texts[name][rows].tolist() for name in fields if not isinstance(texts[name], str)]
        out[rows] = [template % values for values in zip(*varying)] if varying else [template] * len(rows)
    return out
