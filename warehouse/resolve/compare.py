"""Candidate pairs → edges: every pair is decided by the comparison levels (pair_rules.LEVELS);
the pairs a level links become edges with that level as their rule.

What agreed on an edge (the `agreed` list of its link's features) is spelled out only for the
edges that end up explaining a record (`agreed_lists`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kernel.resolution_config import ResolutionConfig
from warehouse.resolve.blocking import DETAILS, SAME_CORE, TRADE_NAME, CorePairs, NodePairs
from warehouse.resolve.nodes import Nodes
from warehouse.resolve.pair_features import PairFrame
from warehouse.resolve.pair_rules import LEVELS, STRONG, WEAK, decide, link_score, verdicts


@dataclass
class Edges:
    a: np.ndarray  # node ids (a < b)
    b: np.ndarray
    level: np.ndarray  # int16 into pair_rules.LEVELS
    strong: np.ndarray  # bool
    candidates: np.ndarray  # int8 into blocking.RULES
    detail: np.ndarray  # int8 into blocking.DETAILS
    score: np.ndarray
    similarity: np.ndarray
    pair: np.ndarray  # index into frame (for the features of explaining edges)
    frame: PairFrame | None = None

    def __len__(self) -> int:
        return len(self.a)

    def rule_name(self, i: int) -> str:
        return LEVELS[int(self.level[i])].name

    def keep_only(self, which: np.ndarray) -> np.ndarray:
        """Keep the edges `which` (in that order) and drop the rest; returns old index -> new (-1 dropped)."""
        remap = np.full(len(self.a), -1, dtype=np.int64)
        remap[which] = np.arange(len(which))
        for name in ("a", "b", "level", "strong", "candidates", "detail", "score", "similarity", "pair"):
            setattr(self, name, getattr(self, name)[which])
        return remap


def compare_pairs(nodes: Nodes, cp: CorePairs, pairs: NodePairs, addresses: np.ndarray,
                  config: ResolutionConfig) -> tuple[Edges, dict]:
    """Edges for the pairs some level links, and how many pairs each level decided."""
    frame = PairFrame(nodes, cp, pairs, addresses, config)
    decided = decide(frame.values, len(frame), config)
    frame.keep_only(AGREED_FEATURES)
    verdict = verdicts(decided)
    keep = np.flatnonzero((verdict == STRONG) | (verdict == WEAK))
    strong = verdict[keep] == STRONG
    counts = np.bincount(decided.astype(np.int64), minlength=len(LEVELS))
    by_level = {level.name: int(n) for level, n in zip(LEVELS, counts.tolist()) if n}
    edges = Edges(a=frame.a[keep], b=frame.b[keep], level=decided[keep], strong=strong,
                  candidates=frame.candidates[keep], detail=frame.detail[keep],
                  score=link_score(frame.candidates[keep].astype(np.int64), frame.similarity[keep], strong, config),
                  similarity=frame.similarity[keep], pair=keep, frame=frame)
    return edges, by_level


_EVIDENCE = ("name_region", "region", "no_region", "uscc", "address", "core", "trade_name", "legal_form")
AGREED_FEATURES = ("candidates", "name_regions_equal", "regions_agree", "no_region", "uscc", "streets", "address_similarity")


def agreed_lists(edges: Edges, which: np.ndarray) -> np.ndarray:
    """What agreed, per edge in `which` (object array of tuples of evidence names)."""
    frame, at = edges.frame, edges.pair[which]
    cfg = frame.config
    streets = frame.values("streets", at)
    flags = np.stack([
        frame.values("name_regions_equal", at),
        frame.values("regions_agree", at),
        frame.values("no_region", at) & ~frame.values("name_regions_equal", at),
        frame.values("uscc", at) == 1,
        (streets == 1) | ((streets == 0) & (frame.values("address_similarity", at) >= cfg.comparison.address_similarity)),
        edges.candidates[which] == SAME_CORE,
        edges.candidates[which] == TRADE_NAME,
        _same_legal_group(frame, at),
    ], axis=1)
    combo = flags.astype(np.int64) @ (1 << np.arange(len(_EVIDENCE)))
    combo = combo * len(DETAILS) + edges.detail[which]
    kinds, inverse = np.unique(combo, return_inverse=True)
    texts = []
    for k in kinds.tolist():
        bits, detail = divmod(k, len(DETAILS))
        names = [name for i, name in enumerate(_EVIDENCE) if bits >> i & 1]
        if detail:
            names.append(f"typo:{DETAILS[detail]}")
        texts.append(tuple(names))
    out = np.empty(len(kinds), dtype=object)
    for i, names in enumerate(texts):  # element by element: numpy would unpack the tuples
        out[i] = names
    return out[inverse] if len(which) else np.empty(0, dtype=object)


def _same_legal_group(frame: PairFrame, at: np.ndarray) -> np.ndarray:
    la, lb = frame.nodes.legal[frame.a[at]], frame.nodes.legal[frame.b[at]]
    return (la > 0) & (la == lb)
