"""Scores candidate node pairs and turns them into explainable edges.

Comparisons, in order (Splink-like levels; the first that decides wins):
1. different valid USCCs, branch vs non-branch, incompatible legal forms, regions that disagree,
   or two names that both carry a region and name different ones → no edge;
2. `same_core`   : equal core names (字号 + industry);
3. `typo`        : cores one edit apart where the substituted characters look or sound alike
                   (形近字 table + pypinyin), or one character missing from a long core;
4. `trade_name`  : equal trade name and one industry contains the other (宏达机械 / 宏达机械设备 / 宏达).
An edge is `strong` when the regions agree (both names carry the same region, or the derived
regions — name, address, USCC division — agree to the city, or the addresses are alike);
otherwise `weak`: the clustering attaches a weak edge only when it points at one company.
Tokens are weighted by rarity: the trade name counts 0.7 of the similarity, generic industry
words 0.3, and a trade name shared by many nodes is reported in the features.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from warehouse.lookups import read_rows
from warehouse.regions import compatible

try:
    from pypinyin import Style, lazy_pinyin
except ImportError:  # pragma: no cover - optional: without it only the 形近字 table is used
    lazy_pinyin = None

_CONFUSABLE = frozenset(
    pair for row in read_rows("confusable_chars.csv") for pair in ((row["a"], row["b"]), (row["b"], row["a"]))
)


@lru_cache(maxsize=100_000)
def _sound(char: str) -> str:
    if lazy_pinyin is None:
        return char
    return lazy_pinyin(char, style=Style.NORMAL, errors="ignore")[0] if char else ""


def _fold(syllable: str) -> str:
    """Fold sounds typists confuse: zh/z, ch/c, sh/s, n/l, -ng/-n."""
    s = syllable
    for a, b in (("zh", "z"), ("ch", "c"), ("sh", "s")):
        if s.startswith(a):
            s = b + s[2:]
    if s.startswith("n"):
        s = "l" + s[1:]
    if s.endswith("ng"):
        s = s[:-1]
    return s


@lru_cache(maxsize=100_000)
def confusable(x: str, y: str) -> str | None:
    """'shape' / 'sound' when two characters are a likely typo of each other."""
    if (x, y) in _CONFUSABLE:
        return "shape"
    if lazy_pinyin is not None and "\u4e00" <= x <= "\u9fff" and "\u4e00" <= y <= "\u9fff":
        sx, sy = _sound(x), _sound(y)
        if sx and sy and (sx == sy or _fold(sx) == _fold(sy)):
            return "sound"
    return None


def _typo(a: str, b: str) -> str | None:
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) != 1:
            return None
        return confusable(a[diff[0]], b[diff[0]])
    if abs(len(a) - len(b)) == 1 and min(len(a), len(b)) >= 5 and Levenshtein.distance(a, b) == 1:
        return "missing_char"
    return None


def score_pairs(nodes: pd.DataFrame, pairs: pd.DataFrame, shared_trade: dict | None = None) -> pd.DataFrame:
    """Edges (a, b, strength, rule, score, similarity, agreed) for the pairs that can be one company."""
    core = nodes["core"].to_numpy()
    trade = nodes["trade_name"].to_numpy()
    industry = nodes["industry"].to_numpy()
    legal = nodes["legal_group"].to_numpy()
    branch = nodes["is_branch"].to_numpy()
    uscc = nodes["uscc_key"].to_numpy()
    nreg = nodes["name_region"].to_numpy()
    dreg = nodes["region"].to_numpy()
    address = nodes["address"].to_numpy()
    shared_trade = shared_trade or {}
    out = {k: [] for k in ("a", "b", "strength", "rule", "score", "similarity", "agreed")}
    for a, b in zip(pairs["a"].to_numpy(), pairs["b"].to_numpy()):
        ua, ub = uscc[a], uscc[b]
        if ua and ub and ua != ub:
            continue
        if branch[a] != branch[b]:
            continue
        la, lb = legal[a], legal[b]
        if la and lb and la != lb:
            continue
        ra, rb = dreg[a], dreg[b]
        if not compatible(ra, rb):
            continue
        na, nb = nreg[a], nreg[b]
        agreed = []
        if not na.empty and not nb.empty:
            if na != nb:
                continue
            strong = True
            agreed.append("name_region")
        elif ra == rb or (ra.city is not None and ra.city == rb.city):
            strong = True
            agreed.append("region" if not ra.empty else "no_region")
        else:
            strong = False
        if ua and ua == ub:
            strong = True
            agreed.append("uscc")
        if address[a] and address[b] and fuzz.ratio(address[a], address[b]) >= 85:
            strong = True
            agreed.append("address")
        ca, cb = core[a], core[b]
        if ca == cb:
            rule, detail = "same_core", ""
            agreed.append("core")
        elif trade[a] == trade[b] and (
            not industry[a] or not industry[b] or industry[a] in industry[b] or industry[b] in industry[a]
        ):
            rule, detail = "trade_name", ""
            strong = False
            agreed.append("trade_name")
        else:
            detail = _typo(ca, cb)
            if detail is None:
                continue
            rule = "typo"
        if la and la == lb:
            agreed.append("legal_form")
        sim_trade = fuzz.ratio(trade[a], trade[b]) / 100.0
        sim_industry = fuzz.ratio(industry[a], industry[b]) / 100.0 if (industry[a] or industry[b]) else 1.0
        similarity = round(0.7 * sim_trade + 0.3 * sim_industry, 4)
        base = {"same_core": 0.9, "typo": 0.8, "trade_name": 0.7}[rule]
        score = round(min(1.0, base * (0.8 + 0.2 * similarity) + (0.1 if strong else 0.0)), 4)
        if detail:
            agreed.append(f"typo:{detail}")
        out["a"].append(a); out["b"].append(b)
        out["strength"].append("strong" if strong else "weak")
        out["rule"].append(rule); out["score"].append(score); out["similarity"].append(similarity)
        out["agreed"].append(agreed)
    edges = pd.DataFrame(out)
    if len(edges):
        edges["a"] = edges["a"].astype(np.int64)
        edges["b"] = edges["b"].astype(np.int64)
    return edges
