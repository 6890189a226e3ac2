"""How far a resolver that never guesses can get on the benchmark: `python -m benchmarks.resolve.ceiling --size 100000`.

The generator makes some mentions that another company could have written just as well: a name
without a place (伟衡投资合伙企业（有限合伙）) when two cities each have a 伟衡投资, a 字号 + 公司 short
form, a typo that is a sibling's 字号, and none of them with a USCC or an address. No rule can tell
whose such a mention is; a resolver that puts precision first leaves it alone.

This asks the generator, not the resolver. It draws `--draws` name variants of every company
(each source profile in its share) and keys every name as the resolver's normaliser does
(`name_text.name_key` of the display text: whitespace, zero-width characters, traditional script
and bracket widths do not count). A mention is *ambiguous* when it carries no valid USCC and no
address and another company's draws hold its key. The ceiling keeps every other mention in its
company and the ambiguous ones alone (those of one company with one key together): precision 1.
The draws can miss a rare variant of another company, so the true ceiling is at most this.
"""

from __future__ import annotations

import argparse
import random
from collections import Counter

import numpy as np
import pandas as pd

from benchmarks.resolve.generate import PROFILES, _alike_index, _companies, _mention, _Places
from benchmarks.resolve.metrics import pairwise_scores
from warehouse.codes import parse_codes
from warehouse.resolve.name_text import displays_and_keys


def _keys(names: list[str]) -> list[str]:
    return displays_and_keys(names, [])[1]


def reachable_keys(n_records: int, seed: int, draws: int) -> dict[str, dict[int, int]]:
    """Name key -> {company (its position, as generate() numbers them): how many of its draws write it}."""
    import opencc

    rng = random.Random(seed)
    s2t = opencc.OpenCC("s2t.json").convert
    places, alike = _Places(), _alike_index()
    companies = _companies(max(10, n_records // 5), rng, places, alike)  # generate()'s companies, same order
    draw_rng = random.Random(seed + 1)
    profiles, weights = [p for p, _ in PROFILES], [w for _, w in PROFILES]
    owners: dict[str, dict[int, int]] = {}
    for position, company in enumerate(companies):
        names = [_mention(draw_rng, company, places, s2t, alike, profile)[0]
                 for profile in draw_rng.choices(profiles, weights=weights, k=draws)]
        for key, n in Counter(_keys(names)).items():
            owners.setdefault(key, {})[position] = n
    return owners


def ceiling(frame: pd.DataFrame, owners: dict[str, dict[int, int]], threshold: float) -> tuple[dict, np.ndarray]:
    """Scores of the best partition a resolver that links at `threshold` can reach, and which
    mentions it leaves alone. A mention with a valid USCC or an address is its company's. One
    without is given to the company most likely to have written its name (prior: the companies'
    mention counts; likelihood: the share of its draws that write the key) when that company's
    posterior is at least `threshold`, and otherwise left alone (with its company's others of the
    same key). The assignment may be wrong: that is the precision such a link costs."""
    gold = frame["gold"].str[1:].astype(int).to_numpy()
    keys = _keys(frame["name"].tolist())
    valid = np.asarray(parse_codes(frame["uscc"].fillna("").tolist()).valid, dtype=bool)
    evidence = valid | (frame["address"].fillna("").str.strip() != "").to_numpy()
    prior = np.bincount(gold)
    predicted = gold.astype(object).copy()
    alone = np.zeros(len(frame), dtype=bool)
    for i in np.flatnonzero(~evidence).tolist():
        writers = owners.get(keys[i])
        if not writers or set(writers) == {gold[i]}:
            continue  # only its own company writes it (or no draw did: the benefit of the doubt)
        weight = {c: prior[c] * n for c, n in writers.items() if c < len(prior)}
        top = max(weight, key=weight.get)
        if weight[top] / sum(weight.values()) >= threshold:
            predicted[i] = top
        else:
            predicted[i], alone[i] = f"alone:{gold[i]}:{keys[i]}", True
    return pairwise_scores(gold, predicted.astype(str)), alone


def main() -> None:
    from benchmarks.resolve.generate import generate

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--draws", type=int, default=100, help="name variants drawn per company")
    parser.add_argument("--thresholds", default="0.5,0.9,0.99,1.0", help="posteriors a link needs")
    args = parser.parse_args()
    frame = generate(args.size, seed=args.seed)
    owners = reachable_keys(args.size, args.seed, args.draws)
    print(f"records {len(frame):,}; draws per company {args.draws}")
    for threshold in (float(t) for t in args.thresholds.split(",")):
        scores, alone = ceiling(frame, owners, threshold)
        tags = frame.loc[alone, "variant"].str.split("+").explode().value_counts().head(6)
        print(f"link at posterior >= {threshold}: P {scores['precision']:.4f} R {scores['recall']:.4f} "
              f"F1 {scores['f1']:.4f}; left alone {int(alone.sum()):,} ({', '.join(f'{t} {n:,}' for t, n in tags.items())})")


if __name__ == "__main__":
    main()
