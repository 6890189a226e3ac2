"""The links of one resolution, kept columnar: `LinkRows.frame(rows)` writes the rows asked for.

A link's features JSON and its matched record id are the largest part of a resolution's output
(at two million records, about 1 GiB of Python strings for the whole links frame). They are
encoded here for a slice of records at a time, from the per-node columns explain.py decided, so a
writer that takes slices (warehouse/entity_links.py) never holds the texts of every record. The
frame of a slice is the same, row for row, as that slice of the whole frame.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kernel.link_features import decode_link_features, encode_link_features

LINK_COLUMNS = ("record_id", "company_id", "rule", "score", "features", "matched_record", "parent_company_id")
NO_RECORD = -1  # matched position: no record (a node of one record nobody attached)
SAME_KEY = {"rule": "same_key", "strength": "strong", "agreed": ("match_key",)}


@dataclass
class LinkRows:
    """Per record: record_id, company_id, parent_company_id, rule, score, the position of the
    matched record (NO_RECORD none) and the node whose decision explains it; per attached node:
    the LinkFeatures columns of that decision."""

    record_id: pd.Series
    company_id: np.ndarray
    parent_company_id: np.ndarray
    rule: np.ndarray
    score: np.ndarray
    matched: np.ndarray  # int64 record position
    node: np.ndarray  # per record
    multi: np.ndarray  # per node: bool, it has more than one record
    link_of_node: np.ndarray  # per node: its row in `linked_columns`, -1 for a node nobody attached
    linked_columns: dict  # LinkFeatures field -> array, a row per attached node
    canonical: np.ndarray  # per record: bool
    registry: np.ndarray  # per record: bool, linked by a registry name (authority.py)
    registry_rule: str
    previous_id: np.ndarray  # per record (object): the id before, where it changed
    change: np.ndarray  # per record (object): why it changed, None where it did not

    def __len__(self) -> int:
        return len(self.record_id)

    def matched_ids(self, rows: np.ndarray) -> np.ndarray:
        """matched_record of `rows`: the record id, "" for a canonical record, None for none."""
        pos = self.matched[rows]
        out = np.full(len(rows), None, dtype=object)
        known = pos != NO_RECORD
        out[known] = self.record_id.take(pos[known]).to_numpy(dtype=object)
        out[self.canonical[rows]] = ""
        return out

    def texts(self, rows: np.ndarray, matched: np.ndarray) -> np.ndarray:
        """features JSON of `rows` (with their matched ids `matched`)."""
        out = np.full(len(rows), None, dtype=object)
        canonical, registry, node = self.canonical[rows], self.registry[rows], self.node[rows]
        at_node = self.link_of_node[node]
        attached = at_node >= 0
        plain = ~canonical & ~registry
        same_key = plain & ~attached & self.multi[node]
        if same_key.any():
            out[same_key] = encode_link_features(int(same_key.sum()), **SAME_KEY, matched_record=matched[same_key])
        by_edge = plain & attached
        if by_edge.any():
            at = at_node[by_edge]
            out[by_edge] = encode_link_features(int(by_edge.sum()), matched_record=matched[by_edge],
                                                **{k: v[at] for k, v in self.linked_columns.items()})
        if registry.any():
            out[registry] = encode_link_features(int(registry.sum()), rule=self.registry_rule, strength="strong",
                                                 agreed=("match_key", "registry_uscc"), matched_record=matched[registry])
        if canonical.any():
            out[canonical] = encode_link_features(1, rule="canonical", strength="canonical")[0]
        for i in np.flatnonzero(pd.notna(self.change[rows])).tolist():  # the id it had in the last build, and why
            old = decode_link_features(out[i])
            fields = {k: getattr(old, k) for k in old.__dataclass_fields__}
            fields.update(previous_company_id=self.previous_id[rows[i]], id_change=self.change[rows[i]])
            out[i] = encode_link_features(1, **fields)[0]
        return out

    def frame(self, rows: slice = slice(None)) -> pd.DataFrame:
        """The links DataFrame (LINK_COLUMNS) of the records at `rows`."""
        positions = np.arange(len(self))[rows]
        matched = self.matched_ids(positions)
        return pd.DataFrame({
            "record_id": self.record_id.iloc[rows].reset_index(drop=True),
            "company_id": pd.Series(self.company_id[rows], dtype=object),
            "rule": pd.Series(self.rule[rows], dtype=object), "score": self.score[rows],
            "features": pd.Series(self.texts(positions, matched), dtype=object),
            "matched_record": pd.Series(matched, dtype=object),
            "parent_company_id": pd.Series(self.parent_company_id[rows], dtype=object),
        })
