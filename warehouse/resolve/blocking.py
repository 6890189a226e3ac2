"""Candidate pairs of nodes, with the blocking statistics (Splink-style: measure before scoring).

Blocking runs on *distinct core names* first, then expands to nodes:

1. core pairs — which two cores (字号 + industry) could name one company:
   - `same_core` : a core with itself;
   - `typo`      : two cores of 3-16 characters that differ in one position where the characters
                   look alike (形近字 table) or sound alike (pypinyin, with zh/z, ch/c, sh/s, n/l,
                   -ng/-n folded) — found by grouping on (core with that position deleted, position,
                   confusion class), so only confusable substitutions are ever paired; or a core of
                   >= 5 characters that is another core with one character missing;
   - `trade_name`: two cores with the same trade name whose industries are empty or contain one
                   another (宏达 / 宏达机械 / 宏达机械设备), or a core of >= 3 characters without
                   industry that starts a longer core (川健福 / 川健福房地产开发).
   A core made of generic words alone (科技, 贸易…) or with a generic trade name pairs with nothing:
   such a name only matches itself (same node) or through a USCC.
2. node pairs — for each core pair, the nodes of the two cores are paired only where their derived
   regions can agree: same city, or one side without a city (a region-less mention may be any of
   them). A bucket of more than `max_block`·(`max_block`−1)/2 pairs is dropped and counted: the
   cap keeps the work about linear, and a region-less name shared by that many nodes cannot be
   attached to one of them anyway.
Everything is numpy: strings are touched once per distinct core (or distinct character).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from warehouse.lookups import read_rows, read_words
from warehouse.resolve.prepare import Nodes

GENERIC = frozenset(read_words("industry_words.csv"))
RULES = ("same_core", "typo", "trade_name")
SAME_CORE, TYPO, TRADE_NAME = 0, 1, 2
DETAILS = ("", "shape", "sound", "missing_char")
SHAPE, SOUND, MISSING_CHAR = 1, 2, 3
TYPO_MIN, TYPO_MAX = 3, 16  # core lengths that get typo keys
MISSING_MIN = 5  # the shorter core of a missing-character pair has at least this many characters

_SHAPE_PAIRS = tuple(
    dict.fromkeys(tuple(sorted((row["a"], row["b"]))) for row in read_rows("confusable_chars.csv"))
)

try:
    from pypinyin import Style, lazy_pinyin
except ImportError:  # pragma: no cover - optional: without it only the 形近字 table is used
    lazy_pinyin = None


@dataclass
class BlockingStats:
    keys: dict = field(default_factory=dict)  # rule -> {"core_pairs", "blocks", "pairs", "largest", "capped_blocks", "capped_pairs"}
    pairs: int = 0

    def as_dict(self) -> dict:
        return {"pairs": self.pairs, "rules": self.keys}


@dataclass
class CorePairs:
    a: np.ndarray  # core ids, a <= b
    b: np.ndarray
    rule: np.ndarray  # int8 into RULES
    detail: np.ndarray  # int8 into DETAILS
    similarity: np.ndarray  # 0.7 · trade-name ratio + 0.3 · industry ratio

    def __len__(self) -> int:
        return len(self.a)


@dataclass
class NodePairs:
    a: np.ndarray  # node ids
    b: np.ndarray
    core_pair: np.ndarray  # index into CorePairs

    def __len__(self) -> int:
        return len(self.a)


# ---------------------------------------------------------------- characters
def fold_sound(syllable: str) -> str:
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


def sound_of(char: str) -> str:
    if lazy_pinyin is None or not ("\u4e00" <= char <= "\u9fff"):
        return ""
    reading = lazy_pinyin(char, style=Style.NORMAL, errors="ignore")
    return fold_sound(reading[0]) if reading and reading[0] else ""


def _char_classes(codepoints: np.ndarray) -> tuple[np.ndarray, np.ndarray, dict]:
    """Distinct code points (sorted), their sound class (-1 none), and code point -> shape pair ids."""
    chars = np.unique(codepoints)
    sounds: dict[str, int] = {}
    sound = np.full(len(chars), -1, dtype=np.int64)
    for i, cp in enumerate(chars.tolist()):
        s = sound_of(chr(cp))
        if s:
            sound[i] = sounds.setdefault(s, len(sounds))
    shapes: dict[int, list[int]] = {}
    for pair_id, (x, y) in enumerate(_SHAPE_PAIRS):
        shapes.setdefault(ord(x), []).append(pair_id)
        shapes.setdefault(ord(y), []).append(pair_id)
    return chars, sound, shapes


# ---------------------------------------------------------------- grouping helpers
def _grid(start_a: np.ndarray, size_a: np.ndarray, start_b: np.ndarray, size_b: np.ndarray):
    """All (start_a + i, start_b + j) for i < size_a, j < size_b, per row; returns positions and row."""
    count = size_a.astype(np.int64) * size_b.astype(np.int64)
    total = int(count.sum())
    row = np.repeat(np.arange(len(count)), count)
    offset = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(count) - count, count)
    nb = size_b[row].astype(np.int64)
    i, j = offset // nb, offset % nb
    return start_a[row] + i, start_b[row] + j, i, j, row


def _groups(*keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sort order and (start, size) of runs of equal keys (last key varies slowest)."""
    order = np.lexsort(keys)
    n = len(order)
    if n == 0:
        return order, np.empty(0, np.int64), np.empty(0, np.int64)
    change = np.zeros(n, dtype=bool)
    change[0] = True
    for key in keys:
        k = key[order]
        change[1:] |= k[1:] != k[:-1]
    start = np.flatnonzero(change)
    size = np.diff(np.append(start, n))
    return order, start, size


def _pairs_in_groups(order, start, size, max_group: int):
    """(x, y) with x before y inside each run of at most max_group members (element ids from order)."""
    keep = (size > 1) & (size <= max_group)
    pa, pb, i, j, _row = _grid(start[keep], size[keep], start[keep], size[keep])
    upper = i < j
    return order[pa[upper]], order[pb[upper]]


# ---------------------------------------------------------------- core pairs
_RNG = np.random.default_rng(20240611)
_MULT = _RNG.integers(1, 2**63 - 1, size=TYPO_MAX + 1, dtype=np.int64).astype(np.uint64) | np.uint64(1)


def _char_matrix(strings: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    fixed = np.asarray(strings, dtype=f"U{TYPO_MAX}") if len(strings) else np.empty(0, dtype=f"U{TYPO_MAX}")
    matrix = fixed.view(np.uint32).reshape(len(strings), TYPO_MAX).astype(np.uint64)
    lengths = (matrix > 0).sum(axis=1)
    return matrix, lengths


def _substitution_pairs(cores: np.ndarray, ids: np.ndarray, max_group: int):
    """Core pairs of equal length that differ in one position by a confusable character."""
    matrix, lengths = _char_matrix(cores[ids])
    chars, sound, shapes = _char_classes(matrix[matrix > 0])
    full = (matrix * _MULT[:TYPO_MAX]).sum(axis=1)  # uint64, wraps
    # every (character, shape pair) entry, sorted by character: a character may be in several pairs
    entries = sorted((cp, pair_id) for cp, ids_ in shapes.items() for pair_id in ids_)
    shape_cp = np.array([e[0] for e in entries], dtype=np.uint64)
    shape_pair = np.array([e[1] for e in entries], dtype=np.int64)
    rows_h, rows_tag, rows_core = [], [], []
    for pos in range(TYPO_MAX):
        at = np.flatnonzero(lengths > pos)
        if not len(at):
            break
        char = matrix[at, pos]
        h = full[at] - char * _MULT[pos]
        tag_base = lengths[at].astype(np.int64) * 32 + pos  # < 1024 (length and position <= 16)
        cls = sound[np.searchsorted(chars, char)]
        has = cls >= 0
        rows_h.append(h[has])
        rows_tag.append((cls[has] * 2) * 1024 + tag_base[has])
        rows_core.append(at[has])
        lo = np.searchsorted(shape_cp, char, side="left")
        n = np.searchsorted(shape_cp, char, side="right") - lo
        if n.any():
            rep = np.repeat(np.arange(len(at)), n)
            entry = np.repeat(lo, n) + (np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n))
            rows_h.append(h[rep])
            rows_tag.append((shape_pair[entry] * 2 + 1) * 1024 + tag_base[rep])
            rows_core.append(at[rep])
    if not rows_h:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.int8), 0
    h = np.concatenate(rows_h)
    tag = np.concatenate(rows_tag).astype(np.int64)
    row = np.concatenate(rows_core).astype(np.int64)
    order, start, size = _groups(tag, h)
    x, y = _pairs_in_groups(order, start, size, max_group)
    capped = int((size > max_group).sum())
    ra, rb = row[x], row[y]
    # verify (a 64-bit hash collision, or two keys of one core): exactly one position differs
    ok = (ra != rb) & ((matrix[ra] != matrix[rb]).sum(axis=1) == 1)
    detail = np.where(tag[x] // 1024 % 2 == 1, SHAPE, SOUND).astype(np.int8)
    return ids[ra[ok]], ids[rb[ok]], detail[ok], capped


def _missing_char_pairs(cores: np.ndarray, ids: np.ndarray):
    """(longer, shorter): the shorter core (>= MISSING_MIN characters) is the longer one minus one character."""
    matrix, lengths = _char_matrix(cores[ids])
    weighted = matrix * _MULT[:TYPO_MAX]
    full = weighted.sum(axis=1)
    short = np.flatnonzero((lengths >= MISSING_MIN) & (lengths < TYPO_MAX))
    long_ = np.flatnonzero(lengths > MISSING_MIN)
    if not len(short) or not len(long_):
        return np.empty(0, np.int64), np.empty(0, np.int64)
    key_short = pd.Index(full[short].astype(np.int64) ^ lengths[short].astype(np.int64))
    prefix = np.cumsum(weighted[long_], axis=1) - weighted[long_]  # exclusive: sum over k < pos
    shifted = np.zeros_like(matrix[long_])
    shifted[:, :-1] = matrix[long_][:, 1:] * _MULT[:TYPO_MAX - 1]  # char k+1 weighted as position k
    suffix = np.cumsum(shifted[:, ::-1], axis=1)[:, ::-1]  # sum over k >= pos of char k+1 at k
    out_long, out_short = [], []
    for pos in range(TYPO_MAX):
        at = np.flatnonzero(lengths[long_] > pos)
        if not len(at):
            break
        h = prefix[at, pos] + suffix[at, pos]
        key = h.astype(np.int64) ^ (lengths[long_][at] - 1).astype(np.int64)
        hit = key_short.get_indexer(key) if key_short.is_unique else _first_index(key_short, key)
        found = hit >= 0
        out_long.append(long_[at[found]])
        out_short.append(short[hit[found]])
    la, sb = np.concatenate(out_long), np.concatenate(out_short)
    if not len(la):
        return np.empty(0, np.int64), np.empty(0, np.int64)
    la, sb = _verify_missing(cores, ids, la, sb)
    return ids[la], ids[sb]


def _first_index(index: pd.Index, key: np.ndarray) -> np.ndarray:
    first = pd.Series(np.arange(len(index)), index=index)
    first = first[~first.index.duplicated()]
    return first.reindex(key).fillna(-1).to_numpy().astype(np.int64)


def _verify_missing(cores, ids, la, sb):
    keep = np.fromiter((_one_deleted(cores[ids[x]], cores[ids[y]]) for x, y in zip(la, sb)), dtype=bool, count=len(la))
    pairs = pd.DataFrame({"a": la[keep], "b": sb[keep]}).drop_duplicates()
    return pairs["a"].to_numpy(), pairs["b"].to_numpy()


def _one_deleted(longer: str, shorter: str) -> bool:
    i = 0
    while i < len(shorter) and longer[i] == shorter[i]:
        i += 1
    return longer[i + 1:] == shorter[i:]


def _industry_containment(industries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) industry ids, x != y, both non-empty, industry x a substring of industry y."""
    position = {s: i for i, s in enumerate(industries.tolist()) if s}
    xs, ys = [], []
    for y, text in enumerate(industries.tolist()):
        if len(text) < 2:
            continue
        subs = {text[i:j] for i in range(len(text)) for j in range(i + 1, len(text) + 1)} - {text}
        for sub in subs:
            x = position.get(sub)
            if x is not None:
                xs.append(x)
                ys.append(y)
    return np.asarray(xs, dtype=np.int64), np.asarray(ys, dtype=np.int64)


def _trade_pairs(core_trade: np.ndarray, core_industry: np.ndarray, industries: np.ndarray, ids: np.ndarray,
                 cores: np.ndarray, max_group: int):
    """Cores with one trade name whose industries are empty or contain one another."""
    frame = pd.DataFrame({"core": ids, "trade": core_trade[ids], "ind": core_industry[ids]})
    empty_id = np.flatnonzero(industries == "")
    bare = frame[frame["ind"].isin(empty_id)]
    with_bare = bare.merge(frame, on="trade", suffixes=("_a", "_b"))
    with_bare = with_bare[with_bare["core_a"] != with_bare["core_b"]]
    x, y = _industry_containment(industries)
    parts = [with_bare[["core_a", "core_b"]].to_numpy()]
    if len(x):
        relation = pd.DataFrame({"ind": x, "ind_b": y})
        left = frame.merge(relation, on="ind")
        right = frame.rename(columns={"core": "core_b", "ind": "ind_b"})
        contained = left.merge(right, on=["trade", "ind_b"])
        parts.append(contained[["core", "core_b"]].to_numpy())
    parts.append(_prefix_pairs(core_trade, core_industry, industries, ids, cores, max_group))
    both = np.concatenate(parts) if parts else np.empty((0, 2), np.int64)
    return both[:, 0].astype(np.int64), both[:, 1].astype(np.int64)


def _prefix_pairs(core_trade, core_industry, industries, ids, cores, max_group: int) -> np.ndarray:
    """(bare core, longer core) where a core without industry starts another core of >= 3
    characters (川健福 / 川健福房地产开发 where the industry split read 川健福房地产 + 开发).
    Cores are sorted, so the cores with a prefix are one searchsorted range; a range of more
    than max_group cores is skipped (such a short name has no single candidate anyway)."""
    bare = ids[(industries[core_industry[ids]] == "")]
    if not len(bare):
        return np.empty((0, 2), np.int64)
    length = np.fromiter((len(c) for c in cores[bare]), dtype=np.int64, count=len(bare))
    bare = bare[length >= 3]
    if not len(bare):
        return np.empty((0, 2), np.int64)
    sorted_cores = cores.astype(str)
    starts = cores[bare].astype(str)
    lo = np.searchsorted(sorted_cores, starts, side="left")
    hi = np.searchsorted(sorted_cores, np.char.add(starts, "\U0010ffff"), side="left")
    size = hi - lo
    keep = (size > 1) & (size <= max_group + 1)
    bare, lo, size = bare[keep], lo[keep], size[keep]
    if not len(bare):
        return np.empty((0, 2), np.int64)
    row = np.repeat(np.arange(len(bare)), size)
    other = np.repeat(lo, size) + (np.arange(int(size.sum())) - np.repeat(np.cumsum(size) - size, size))
    a, b = bare[row], other
    allowed = np.zeros(len(cores), dtype=bool)
    allowed[ids] = True
    ok = (a != b) & allowed[b]
    return np.stack([a[ok], b[ok]], axis=1).astype(np.int64)


def _ratios(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    if not len(left):
        return np.empty(0)
    return process.cpdist(list(left), list(right), scorer=fuzz.ratio, workers=1) / 100.0


def core_pairs(nodes: Nodes, max_block: int = 60) -> tuple[CorePairs, dict]:
    cores = nodes.cores
    n_cores = len(cores)
    core_trade = np.zeros(n_cores, dtype=np.int64)
    core_industry = np.zeros(n_cores, dtype=np.int64)
    core_trade[nodes.core_id] = nodes.trade_id
    core_industry[nodes.core_id] = nodes.industry_id
    trades, industries = nodes.trades, nodes.industries
    length = np.fromiter((len(c) for c in cores), dtype=np.int64, count=n_cores)
    generic_trade = np.fromiter((t in GENERIC for t in trades), dtype=bool, count=len(trades))
    generic_core = np.fromiter((c in GENERIC for c in cores), dtype=bool, count=n_cores)
    blockable = (length >= 2) & ~generic_core & ~generic_trade[core_trade]
    ids = np.flatnonzero(blockable)

    typo_ids = ids[(length[ids] >= TYPO_MIN) & (length[ids] <= TYPO_MAX)]
    sa, sb, sdetail, capped_typo = _substitution_pairs(cores, typo_ids, max_group=max_block)
    ma, mb = _missing_char_pairs(cores, typo_ids)
    trade_len = np.fromiter((len(t) for t in trades), dtype=np.int64, count=len(trades))
    trade_ids = ids[trade_len[core_trade[ids]] >= 2]
    ta, tb = _trade_pairs(core_trade, core_industry, industries, trade_ids, cores, max_block)

    cross = pd.DataFrame({
        "a": np.concatenate([ta, sa, ma]), "b": np.concatenate([tb, sb, mb]),
        "rule": np.concatenate([np.full(len(ta), TRADE_NAME), np.full(len(sa) + len(ma), TYPO)]).astype(np.int8),
        "detail": np.concatenate([np.zeros(len(ta), np.int8), sdetail, np.full(len(ma), MISSING_CHAR, np.int8)]),
    })
    lo, hi = np.minimum(cross["a"], cross["b"]), np.maximum(cross["a"], cross["b"])
    cross["a"], cross["b"] = lo, hi
    # one rule per core pair, in the order the comparisons are made: trade name, then shape, then sound
    cross["prio"] = np.where(cross["rule"] == TRADE_NAME, 0, cross["detail"])
    cross = cross.sort_values(["a", "b", "prio"], kind="stable").drop_duplicates(["a", "b"])
    a, b = cross["a"].to_numpy(), cross["b"].to_numpy()
    sim_trade = np.where(core_trade[a] == core_trade[b], 1.0, _ratios(trades[core_trade[a]], trades[core_trade[b]]))
    ia, ib = core_industry[a], core_industry[b]
    either = (industries[ia] != "") | (industries[ib] != "")
    sim_ind = np.ones(len(a))
    if either.any():
        sim_ind[either] = np.where(ia[either] == ib[either], 1.0,
                                   _ratios(industries[ia[either]], industries[ib[either]]))
    similarity = np.round(0.7 * sim_trade + 0.3 * sim_ind, 4)

    pairs = CorePairs(
        a=np.concatenate([ids, a]).astype(np.int64), b=np.concatenate([ids, b]).astype(np.int64),
        rule=np.concatenate([np.full(len(ids), SAME_CORE, np.int8), cross["rule"].to_numpy()]),
        detail=np.concatenate([np.zeros(len(ids), np.int8), cross["detail"].to_numpy()]),
        similarity=np.concatenate([np.ones(len(ids)), similarity]),
    )
    counts = {RULES[r]: {"core_pairs": int((pairs.rule == r).sum())} for r in range(len(RULES))}
    counts["typo"]["capped_key_groups"] = capped_typo  # typo keys shared by more than max_block cores
    return pairs, counts


# ---------------------------------------------------------------- node pairs
def node_pairs(nodes: Nodes, cp: CorePairs, max_block: int = 60) -> tuple[NodePairs, BlockingStats]:
    """Expand core pairs to node pairs whose derived regions can agree (same city, or one without)."""
    stats = BlockingStats()
    max_pairs = max_block * (max_block - 1) // 2
    n_cores = len(nodes.cores)
    city = nodes.region[:, 1].astype(np.int64)
    order = np.lexsort((np.arange(len(nodes)), city, nodes.core_id))
    core_sorted, city_sorted = nodes.core_id[order], city[order]
    core_size = np.bincount(nodes.core_id, minlength=n_cores)
    core_start = np.cumsum(core_size) - core_size
    zero_size = np.bincount(nodes.core_id[city == 0], minlength=n_cores)

    # buckets of one core in one known city
    _o, bstart, bsize = _groups(city_sorted, core_sorted)
    bcore, bcity = core_sorted[bstart], city_sorted[bstart]
    known = bcity != 0
    buckets = pd.DataFrame({"core": bcore[known], "city": bcity[known], "start": bstart[known], "size": bsize[known]})
    cpf = pd.DataFrame({"k": np.arange(len(cp)), "ca": cp.a, "cb": cp.b})
    left = cpf.merge(buckets.rename(columns={"core": "ca", "start": "sa", "size": "na"}), on="ca")
    same_city = left.merge(buckets.rename(columns={"core": "cb", "start": "sb", "size": "nb"}), on=["cb", "city"])

    # (core pair, first node and count on side a, first node and count on side b) per bucket pair
    parts = [(same_city["k"].to_numpy(), same_city["sa"].to_numpy(), same_city["na"].to_numpy(),
              same_city["sb"].to_numpy(), same_city["nb"].to_numpy())]
    # a side without a city pairs with every node of the other core
    k = np.flatnonzero(zero_size[cp.a] > 0)
    parts.append((k, core_start[cp.a[k]], zero_size[cp.a[k]], core_start[cp.b[k]], core_size[cp.b[k]]))
    k = np.flatnonzero((cp.a != cp.b) & (zero_size[cp.b] > 0) & (core_size[cp.a] > zero_size[cp.a]))
    parts.append((k, core_start[cp.a[k]] + zero_size[cp.a[k]], core_size[cp.a[k]] - zero_size[cp.a[k]],
                  core_start[cp.b[k]], zero_size[cp.b[k]]))
    kk, sa, na, sb, nb = (np.concatenate(column).astype(np.int64) for column in zip(*parts))

    # inside one core the two sides can start at the same node: the bucket with itself (a pair
    # once: i < j), or the city-less bucket against the core's whole range, which starts with
    # that bucket (city-less pairs once, then every node with a city)
    same_start = sa == sb
    bucket_pairs = np.where(same_start, na * (na - 1) // 2 + na * (nb - na), na * nb)
    capped = bucket_pairs > max_pairs
    rule_of = cp.rule[kk]
    for r, name in enumerate(RULES):
        mine = rule_of == r
        ok = mine & ~capped & (bucket_pairs > 0)
        stats.keys[name] = {
            "blocks": int(ok.sum()),
            "pairs": int(bucket_pairs[ok].sum()),
            "largest": int(bucket_pairs[mine].max()) if mine.any() else 0,
            "capped_blocks": int((mine & capped).sum()),
            "capped_pairs": int(bucket_pairs[mine & capped].sum()),
        }
    use = ~capped & (bucket_pairs > 0)
    kk, sa, na, sb, nb, same_start = kk[use], sa[use], na[use], sb[use], nb[use], same_start[use]
    pa, pb, i, j, row = _grid(sa, na, sb, nb)
    keep = np.where(same_start[row], (i < j) | (j >= na[row]), True)
    a, b, kk = order[pa[keep]], order[pb[keep]], kk[row[keep]]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    stats.pairs = len(lo)
    return NodePairs(lo, hi, kk), stats


def candidate_pairs(nodes: Nodes, max_block: int = 60) -> tuple[CorePairs, NodePairs, BlockingStats]:
    cp, counts = core_pairs(nodes, max_block)
    pairs, stats = node_pairs(nodes, cp, max_block)
    for name, values in counts.items():
        stats.keys.setdefault(name, {}).update(values)
    return cp, pairs, stats
