"""Per-record features for resolution: `record_features(records) -> Features`.

Everything is columnar: names, codes and addresses are parsed once per distinct value
(parse_bulk, in worker processes) and a record refers to its parsed values by index. Regions
are three integer columns (province 2 digits, city 4, district 6; 0 = unknown), so a record's
region — its name's, completed by its address and then by its USCC's division — is a few numpy
operations. The evidence a record carries is its valid USCC and its street (addresses.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from warehouse.regions import AMBIGUOUS_DISTRICTS
from warehouse.resolve.heap import release_arrow_memory, release_heap
from warehouse.resolve.parse_bulk import AMBIGUOUS_PLACES, ParsedCodes, ParsedNames, parse_distinct
from warehouse.resolve.records import Records


@dataclass
class Features:
    """Columns per record (arrays of len(records)) and per distinct value."""

    records: Records
    names: ParsedNames  # per distinct raw name (records.name.codes indexes it)
    codes: ParsedCodes  # per distinct raw code (records.uscc.codes indexes it)
    uscc_id: np.ndarray  # per record: valid code -> index into uscc_codes, -1 none
    uscc_codes: np.ndarray  # sorted distinct valid codes
    street_id: np.ndarray  # per record: street key -> index into streets, -1 none
    streets: np.ndarray  # sorted distinct street keys
    address_id: np.ndarray  # per record: normalised address -> index into addresses, -1 none
    addresses: np.ndarray  # sorted distinct normalised addresses
    name_region: np.ndarray  # (n, 3) int32: what the name says
    region: np.ndarray  # (n, 3) int32: the name's region completed by address and USCC division
    parent_region: np.ndarray  # (n, 3) int32: a branch's parent's region

    @property
    def name_idx(self) -> np.ndarray:
        return self.records.name.codes

    def name_column(self, field: str) -> np.ndarray:
        """A parsed-name column per record."""
        return self.names.column(field)[self.records.name.codes]

    @property
    def uscc_valid(self) -> np.ndarray:
        return self.codes.valid[self.records.uscc.codes]

    @property
    def uscc_clean(self) -> np.ndarray:
        return self.codes.code[self.records.uscc.codes]

    def street_key(self) -> np.ndarray:
        """The street key per record (None where the address has none)."""
        table = np.append(self.streets.astype(object), None)
        return table[self.street_id]

    def __len__(self) -> int:
        return len(self.records)

    def subset(self, rows: np.ndarray) -> Features:
        """The features of the records at `rows` (ascending), as if only they had been parsed:
        per-record columns are cut (copies: lending a code to one batch leaves the others as they
        were), the distinct names cut to the ones used; codes and addresses are shared lookups."""
        records, used = self.records.take(rows)
        return Features(
            records=records, names=self.names.subset(used), codes=self.codes, uscc_id=self.uscc_id[rows],
            uscc_codes=self.uscc_codes, street_id=self.street_id[rows], streets=self.streets,
            address_id=self.address_id[rows], addresses=self.addresses, name_region=self.name_region[rows],
            region=self.region[rows], parent_region=self.parent_region[rows])


def _ids(values: np.ndarray, present: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of each value among the sorted distinct present values (-1 where not present)."""
    ids = np.full(len(values), -1, dtype=np.int64)
    if not present.any():
        return ids, np.empty(0, dtype=object)
    codes, distinct = pd.factorize(values[present], sort=True)
    ids[present] = codes
    return ids, np.asarray(distinct, dtype=object)


def record_features(records: Records, workers: int | None = None, with_display: bool = False) -> Features:
    """One entry per record with the parsed fields the matcher and the warehouse need."""
    names, addresses, codes = parse_distinct(records.name.values, records.address.values, records.uscc.values,
                                             workers, with_display)
    release_arrow_memory()
    code_id, valid_codes = _ids(codes.code, codes.valid)
    street_of_address, streets = _ids(addresses.street, addresses.street != "")
    text_of_address, texts = _ids(addresses.text, addresses.text != "")
    addr = records.address.codes
    name_region = names.column("region")[records.name.codes]
    address_region, code_region = addresses.region[addr], codes.region[records.uscc.codes]
    settle_ambiguous_places(name_region, names.column("ambiguous_place")[records.name.codes],
                            address_region, code_region)
    region = derive_region(name_region, address_region, code_region)
    parent_region = names.column("parent_region")[records.name.codes]
    for field in ("region", "parent_region", "ambiguous_place"):  # per record from here on: read no more
        names.keys.pop(field, None)
    release_heap()  # the parse's temporaries (its joined chunks, their Arrow buffers): 0.1 GiB at 1.9M records
    return Features(
        records=records, names=names, codes=codes,
        uscc_id=code_id[records.uscc.codes], uscc_codes=valid_codes.astype(str) if len(valid_codes) else valid_codes,
        street_id=street_of_address[addr], streets=streets, address_id=text_of_address[addr], addresses=texts,
        name_region=name_region, region=region, parent_region=parent_region,
    )


_AMBIGUOUS_PAIRS = {(i, code) for i, name in enumerate(AMBIGUOUS_PLACES) for code in AMBIGUOUS_DISTRICTS[name]}


def settle_ambiguous_places(name_region: np.ndarray, ambiguous: np.ndarray, *evidence: np.ndarray) -> None:
    """A name that starts with a district several cities have (朝阳区X) is placed in the one its
    record's address (else its USCC division) names; otherwise its place stays unknown. In place."""
    rows = np.flatnonzero(ambiguous >= 0)
    for extra in evidence:
        if not len(rows):
            return
        hit = np.fromiter(((int(a), int(d)) in _AMBIGUOUS_PAIRS for a, d in zip(ambiguous[rows], extra[rows, 2])),
                          dtype=bool, count=len(rows))
        name_region[rows[hit]] = extra[rows[hit]]
        rows = rows[~hit]


def compatible(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise: no level where both regions are known and differ ((n, 3) int arrays)."""
    return ((a == 0) | (b == 0) | (a == b)).all(axis=1)


def derive_region(name: np.ndarray, *extras: np.ndarray) -> np.ndarray:
    """The name's region, completed level by level by each extra region that does not contradict it."""
    region = name.copy()
    for extra in extras:
        take = (extra[:, 0] != 0) & compatible(region, extra)
        fill = take[:, None] & (region == 0)
        region = np.where(fill, extra, region)
    return region


def region_key(region: np.ndarray) -> np.ndarray:
    """One int64 per (province, city, district) triple; 0 = no region."""
    r = region.astype(np.int64)
    return (r[:, 0] * 10_000 + r[:, 1]) * 1_000_000 + r[:, 2]


def region_levels(key: np.ndarray) -> np.ndarray:
    """How many levels (province, city, district) a region_key names."""
    key = np.asarray(key, dtype=np.int64)
    return (key > 0).astype(np.int64) + (key // 1_000_000 % 10_000 > 0) + (key % 1_000_000 > 0)
