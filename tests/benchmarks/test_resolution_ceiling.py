"""The no-guess ceiling of the resolution benchmark (benchmarks/resolve/ceiling.py)."""

import pandas as pd

from benchmarks.resolve.ceiling import _keys, ceiling, reachable_keys
from benchmarks.resolve.generate import generate


def _frame(rows):
    return pd.DataFrame(rows, columns=["name", "uscc", "address", "gold"])


def test_a_name_two_companies_write_is_left_alone_unless_evidence_or_the_prior_decides():
    frame = _frame([
        ("伟衡投资有限公司", "", "", "e0"), ("上海市伟衡投资有限公司", "", "", "e0"),
        ("伟衡投资有限公司", "", "", "e1"), ("杭州市伟衡投资有限公司", "", "人民路1号", "e1"),
        ("伟衡投资有限公司", "", "人民路1号", "e1"),
    ])
    owners = {"伟衡投资有限公司": {0: 5, 1: 5}, "上海市伟衡投资有限公司": {0: 5}, "杭州市伟衡投资有限公司": {1: 5}}
    scores, alone = ceiling(frame, owners, threshold=0.9)
    assert alone.tolist() == [True, False, True, False, False]  # the address settles the last one
    assert scores["precision"] == 1.0 and scores["recall"] < 1.0
    # company 1 has three mentions to company 0's two: a posterior of 0.6 links at 0.5, to the wrong company once
    scores, alone = ceiling(frame, owners, threshold=0.5)
    assert not alone.any() and scores["precision"] < 1.0


def test_the_draws_replay_the_generators_companies_in_its_order():
    frame = generate(2_000, seed=3)
    gold = frame["gold"].str[1:].astype(int).tolist()
    keys = _keys(frame["name"].tolist())

    def own_share(owners):
        return sum(g in owners.get(k, {}) for k, g in zip(keys, gold)) / len(frame)

    assert own_share(reachable_keys(2_000, 3, draws=30)) > 0.7
    assert own_share(reachable_keys(2_000, 4, draws=30)) < 0.1  # another seed's companies: not these
    scores, alone = ceiling(frame, reachable_keys(2_000, 3, draws=30), threshold=1.0)
    assert 0 < alone.sum() < len(frame) * 0.05 and 0.95 < scores["f1"] < 1.0
