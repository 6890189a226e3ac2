"""The parsed name fields and evidence per record, for core.entity_records (`describe(features)`).

Region: the name's, else the address's, else the USCC division's (the resolver's own region);
street_key: the address's street (addresses.py) — the two columns the conflicting-evidence check
reads beside uscc / uscc_valid; registry_uscc: the code a registry name vouches for the record with
(authority.py, rule `registry_name`), which the check counts as the record's code.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from warehouse.regions import NAMES, city_name
from warehouse.resolve.authority import LentCodes, lent_code_texts
from warehouse.resolve.prepare import Features

DESCRIBED_COLUMNS = ("record_id", "display_name", "match_key", "core_name", "legal_form", "province", "city",
                     "district", "is_branch", "parent_match_key", "is_non_enterprise", "uscc", "uscc_valid",
                     "street_key", "registry_uscc")

DESCRIBED_KEYS = ("match_key", "core", "legal_form", "is_branch", "parent_key", "is_non_enterprise")  # parsed-name
# columns describe reads: the resolver keeps them to the end when it describes (run.py)


def region_names(region: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Province, city and district names of (n, 3) region codes (None where unknown)."""
    def names(column: np.ndarray, lookup) -> np.ndarray:
        codes, inverse = np.unique(column, return_inverse=True)
        table = np.array([lookup(int(c)) if c else None for c in codes] or [None], dtype=object)
        return table[inverse]

    return (names(region[:, 0], lambda c: NAMES.get(f"{c:02d}")),
            names(region[:, 1], lambda c: city_name(f"{c:04d}")),
            names(region[:, 2], lambda c: NAMES.get(f"{c:06d}")))


def _blank_is_none(values: np.ndarray) -> np.ndarray:
    return np.where(values == "", None, values)


def describe(features: Features, lent: LentCodes, rows: slice = slice(None)) -> pd.DataFrame:
    """The described rows of the records at `rows` (default all): the build writes a slice at a
    time, so the frame of every record is never held at once."""
    province, city, district = region_names(features.region[rows])
    names = features.names
    idx = features.name_idx[rows]
    uscc = features.records.uscc.codes[rows]
    streets = np.append(features.streets.astype(object), None)

    def name_column(field: str) -> np.ndarray:
        return names.text_at(field, idx)

    return pd.DataFrame({
        "record_id": features.records.record_id.iloc[rows].reset_index(drop=True),
        "display_name": pd.Series(names.display_at(idx), dtype=object),
        "match_key": pd.Series(name_column("match_key"), dtype=object),
        "core_name": pd.Series(name_column("core"), dtype=object),
        "legal_form": pd.Series(_blank_is_none(name_column("legal_form")), dtype=object),
        "province": pd.Series(province, dtype=object),
        "city": pd.Series(city, dtype=object),
        "district": pd.Series(district, dtype=object),
        "is_branch": name_column("is_branch"),
        "parent_match_key": pd.Series(name_column("parent_key"), dtype=object),
        "is_non_enterprise": name_column("is_non_enterprise"),
        "uscc": pd.Series(_blank_is_none(features.codes.code[uscc]), dtype=object),
        "uscc_valid": features.codes.valid[uscc],
        "street_key": pd.Series(streets[features.street_id[rows]], dtype=object),
        "registry_uscc": pd.Series(lent_code_texts(features, lent)[rows], dtype=object),
    })
