"""Blocking finds exactly the pairs a brute-force comparison would (it only avoids comparing the rest)."""

import random

import numpy as np
from rapidfuzz.distance import Levenshtein

from warehouse.resolve import blocking, typo_pairs
from warehouse.resolve.blocking import CorePairs
from warehouse.resolve.nodes import Nodes
from warehouse.resolve.typo_pairs import _SHAPE_PAIRS, SHAPE, SOUND, sounds_of

CHARS = list("宏达逹弘洪鸿红华信新鑫源泰恒瑞己已巳未末科技机械设备贸易")


def _cores(seed: int = 5, n: int = 300) -> np.ndarray:
    rng = random.Random(seed)
    base = ["".join(rng.choice(CHARS) for _ in range(rng.randint(3, 16))) for _ in range(n)]
    found = set(base)
    for b in base:  # typo variants: one character replaced, one dropped
        i = rng.randrange(len(b))
        found.add(b[:i] + rng.choice(CHARS) + b[i + 1:])
        i = rng.randrange(len(b))
        found.add(b[:i] + b[i + 1:])
    return np.array(sorted(c for c in found if 3 <= len(c) <= 16), dtype=object)


def test_typo_pairs_are_exactly_the_confusable_substitutions_and_missing_characters():
    cores = _cores()
    ids = np.arange(len(cores))
    sa, sb, detail, _capped = typo_pairs.substitution_pairs(cores, ids, max_group=10**9)
    ma, mb = typo_pairs.missing_char_pairs(cores, ids, missing_min=5)
    got = {}
    for a, b, d in zip(sa.tolist(), sb.tolist(), detail.tolist()):
        key = (min(a, b), max(a, b))
        got[key] = min(got.get(key, 9), d)
    shape = {p for x, y in _SHAPE_PAIRS for p in ((x, y), (y, x))}
    expected, expected_missing = {}, set()
    by_length: dict[int, list[int]] = {}
    for i in ids.tolist():
        by_length.setdefault(len(cores[i]), []).append(i)
    for length, group in by_length.items():
        for n, i in enumerate(group):
            for j in group[n + 1:]:
                diff = [k for k in range(length) if cores[i][k] != cores[j][k]]
                if len(diff) == 1:
                    x, y = cores[i][diff[0]], cores[j][diff[0]]
                    if (x, y) in shape:
                        expected[(i, j)] = SHAPE
                    elif set(sounds_of(x)) & set(sounds_of(y)):
                        expected[(i, j)] = SOUND
            if length >= 6:
                expected_missing |= {(min(i, j), max(i, j)) for j in by_length.get(length - 1, [])
                                     if Levenshtein.distance(cores[i], cores[j]) == 1}
    assert got == expected and len(expected) > 10
    assert {(min(a, b), max(a, b)) for a, b in zip(ma.tolist(), mb.tolist())} == expected_missing
    assert len(expected_missing) > 100


def test_node_pairs_are_every_related_pair_whose_cities_can_agree():
    rng = np.random.default_rng(3)
    n, n_cores = 400, 30
    core = rng.integers(0, n_cores, n)
    city = rng.choice([0, 3301, 3302, 3303], n, p=[0.3, 0.3, 0.2, 0.2])
    region = np.stack([np.where(city > 0, 33, 0), city, np.zeros(n, int)], axis=1)
    zeros = np.zeros(n, dtype=np.int64)
    nodes = Nodes(core_id=core, cores=np.array([f"c{i}" for i in range(n_cores)], dtype=object), trade_id=zeros,
                  trades=np.array([""], dtype=object), industry_id=zeros, industries=np.array([""], dtype=object),
                  legal=zeros, branch=zeros.astype(bool), uscc=zeros - 1, name_region=region * 0, name_key=zeros,
                  region=region, parent_region=region * 0, street=zeros - 1, address_id=zeros - 1,
                  first_record=np.arange(n), raw_name=np.array(["x"] * n, dtype=object),
                  abbreviated=zeros.astype(bool), form=zeros.astype(np.int8), no_industry=zeros.astype(bool),
                  traditional=zeros.astype(bool))
    related = [(c, c) for c in range(n_cores)] + [(1, 2), (3, 9), (5, 6), (0, 29)]
    cp = CorePairs(a=np.array([a for a, _ in related]), b=np.array([b for _, b in related]),
                   rule=np.zeros(len(related), np.int8), detail=np.zeros(len(related), np.int8),
                   similarity=np.ones(len(related)))
    pairs, stats = blocking.node_pairs(nodes, cp, max_block=10**4)
    got = set(zip(pairs.a.tolist(), pairs.b.tolist()))
    assert len(got) == len(pairs)  # no pair twice
    rel = {(a, b) for a, b in related} | {(b, a) for a, b in related}
    expected = {(i, j) for i in range(n) for j in range(i + 1, n)
                if (core[i], core[j]) in rel and (city[i] == 0 or city[j] == 0 or city[i] == city[j])}
    assert got == expected and stats.pairs == len(expected)
    # a cap drops whole buckets and counts them
    capped, stats = blocking.node_pairs(nodes, cp, max_block=4)
    assert len(capped) < len(expected) and stats.keys["same_core"]["capped_blocks"] > 0


# ---------------------------------------------------------------- parsing in worker processes
def _parse(workers: int):
    from warehouse.resolve import parse_bulk

    names = np.array([f"杭州{a}{b}机械设备有限公司" for a in "宏鸿华信鑫源泰恒" for b in "达逹远盛兴昌海天"] * 3
                     + ["宏达机械有限公司杭州分公司", ""], dtype=object)
    addresses = np.array(["浙江省杭州市余杭区1号", "宁波市2号", ""], dtype=object)
    codes = np.array(["91110108551385082Q", "", "x"], dtype=object)
    names, parsed_addresses, parsed_codes = parse_bulk.parse_distinct(names, addresses, codes, workers=workers)
    per_name = {f: names.column(f) for f in names.keys}  # key rows may repeat across chunks: compare per name
    return per_name, names.hash64, vars(parsed_addresses), vars(parsed_codes)


def _same(left, right) -> None:
    for a, b in zip(left, right):
        if isinstance(a, dict):
            assert a.keys() == b.keys() and all(np.array_equal(a[k], b[k]) for k in a)
        else:
            assert np.array_equal(a, b)


def test_worker_processes_parse_like_one_process(monkeypatch):
    from warehouse.resolve import parse_bulk

    monkeypatch.setattr(parse_bulk, "PARALLEL_MIN", 0)
    monkeypatch.setattr(parse_bulk, "CHUNK", {"names": 7, "addresses": 1, "codes": 1})
    _same(_parse(1), _parse(2))


def test_a_worker_that_dies_costs_time_not_results(monkeypatch, caplog):
    import os
    import time

    from warehouse.resolve import parse_bulk

    parent = os.getpid()
    real = parse_bulk.parse_names_chunk

    def dies_in_a_child(chunk, with_display=False):
        if os.getpid() != parent:
            os._exit(1)
        time.sleep(0.02)  # leave the child time to take a chunk
        return real(chunk, with_display)

    monkeypatch.setattr(parse_bulk, "PARALLEL_MIN", 0)
    monkeypatch.setattr(parse_bulk, "CHUNK", {"names": 7, "addresses": 1, "codes": 1})
    expected = _parse(1)
    monkeypatch.setattr(parse_bulk, "parse_names_chunk", dies_in_a_child)
    _same(expected, _parse(2))
    assert "died" in caplog.text


def test_a_polyphone_sounds_alike_in_any_of_its_readings():
    """长 reads zhang first but chang in 长城 (长/常), 盛 sheng first but also cheng (盛/成): a
    typist types the reading in mind, so each reading is a sound class of its own."""
    assert "can" in sounds_of("长") and "cen" in sounds_of("盛")  # folded: ch -> c, -ng -> -n
    cores = np.array(["长城机械", "常城机械", "盛达贸易", "成达贸易", "东达贸易"], dtype=object)
    a, b, detail, _ = typo_pairs.substitution_pairs(cores, np.arange(len(cores)), max_group=100)
    found = {tuple(sorted((cores[x], cores[y]))): d for x, y, d in zip(a.tolist(), b.tolist(), detail.tolist())}
    assert found.get(("常城机械", "长城机械")) == SOUND
    assert found.get(("成达贸易", "盛达贸易")) == SOUND
    assert not any("东达贸易" in pair for pair in found)
