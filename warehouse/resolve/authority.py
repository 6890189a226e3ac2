"""Registry names as authority: the rule `registry_name` (`registry_codes(features, sources)`).

A registry (工商登记) files a company's current name and its former names (曾用名) under one valid
USCC; its rows enter as authority records (sources `resolution.authority_sources` in
configs/resolution.yaml: feed:registry, feed:registry:former). A record without a valid USCC whose
name is exactly such a name (the same match key: region, 字号, industry, legal form) is vouched for
by the registry's code: it joins that company as if it carried the code, whatever else the company
holds (a renamed company that moved: 江西中江地产股份有限公司 is now 昆吾九鼎投资控股股份有限公司 in
北京). The code vouches for the record's evidence as for a record that carries it, so the cluster
stays free of conflicting evidence by the rule of evidence.py.

Precision first — no code is lent when
- the records that carry a valid code under that exact name carry more than one code (two
  registrations of one name, or an internal feed that disagrees with the registry);
- the record's own region (its name completed by its address) contradicts the authority record's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from warehouse.resolve.prepare import Features, compatible

RULE = "registry_name"


@dataclass(frozen=True)
class LentCodes:
    record: np.ndarray  # positions of the records vouched for by a registry name
    authority: np.ndarray  # per such record: the position of an authority record of that name
    code_id: np.ndarray  # per such record: the code lent (index into features.uscc_codes)

    def __len__(self) -> int:
        return len(self.record)


def _none() -> LentCodes:
    empty = np.empty(0, dtype=np.int64)
    return LentCodes(empty, empty, empty)


def registry_codes(features: Features, sources: tuple[str, ...]) -> LentCodes:
    """The records a registry name vouches for, and the code it lends (see the module doc)."""
    records = features.records
    authority_source = np.isin(records.source.values, np.array(sources, dtype=object))
    coded = features.uscc_id >= 0
    is_authority = authority_source[records.source.codes] & coded
    if not is_authority.any():
        return _none()
    key = features.names.column("match_hash")[features.name_idx]
    authority_keys = np.unique(key[is_authority])
    # every valid code filed under one of those names, by any source: one code per name, or none lent
    at = np.flatnonzero(coded & np.isin(key, authority_keys))
    pairs = np.unique(np.stack([key[at].astype(np.uint64), features.uscc_id[at].astype(np.uint64)]), axis=1)
    names, count = np.unique(pairs[0], return_counts=True)
    single = names[count == 1]
    if not len(single):
        return _none()
    code_of = pairs[1][np.isin(pairs[0], single)].astype(np.int64)  # aligned with `single` (both sorted)
    first_authority = np.flatnonzero(is_authority)
    first_authority = first_authority[np.unique(key[first_authority], return_index=True)[1]]
    authority_of = first_authority[np.searchsorted(key[first_authority], single)]
    candidates = np.flatnonzero(~coded & np.isin(key, single))
    which = np.searchsorted(single, key[candidates])
    authority = authority_of[which]
    agree = compatible(features.region[candidates], features.region[authority])
    return LentCodes(record=candidates[agree], authority=authority[agree], code_id=code_of[which[agree]])


def lend(features: Features, lent: LentCodes) -> None:
    """The lent codes become the records' codes for the matcher (in place; the records' own
    `uscc`/`uscc_valid` as written stay what describe() reports)."""
    features.uscc_id[lent.record] = lent.code_id


def lent_code_texts(features: Features, lent: LentCodes) -> np.ndarray:
    """Per record: the USCC a registry name lends it (None where none)."""
    out = np.full(len(features), None, dtype=object)
    if len(lent):
        out[lent.record] = np.asarray(features.uscc_codes, dtype=object)[lent.code_id]
    return out
