"""Pairwise precision / recall / F1 from contingency counts (no pair enumeration)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def _pairs(counts: np.ndarray) -> int:
    counts = counts.astype(np.int64)
    return int((counts * (counts - 1) // 2).sum())


def pairwise_scores(gold, predicted) -> dict:
    frame = pd.DataFrame({"g": pd.factorize(pd.Series(gold))[0], "p": pd.factorize(pd.Series(predicted))[0]})
    tp = _pairs(frame.groupby(["g", "p"]).size().to_numpy())
    true_pairs = _pairs(frame.groupby("g").size().to_numpy())
    pred_pairs = _pairs(frame.groupby("p").size().to_numpy())
    precision = tp / pred_pairs if pred_pairs else 1.0
    recall = tp / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "true_pairs": true_pairs, "pred_pairs": pred_pairs}


def recall_by_variant(gold, predicted, variant) -> dict[str, dict]:
    """Per variation class (the `+`-joined tags of the generator's `variant` column): how many
    mentions carry it and the share that sit in their company's main predicted cluster (the
    cluster holding most of the company's mentions)."""
    frame = pd.DataFrame({"g": pd.Series(gold).to_numpy(), "p": pd.factorize(pd.Series(predicted))[0],
                          "v": pd.Series(variant).to_numpy()})
    main = frame.groupby(["g", "p"]).size().rename("n").reset_index().sort_values(["g", "n"], ascending=[True, False])
    main = main.drop_duplicates("g").set_index("g")["p"]
    frame["together"] = frame["p"].to_numpy() == main.reindex(frame["g"]).to_numpy()
    sizes = frame.groupby("g").size()
    frame = frame[(sizes.reindex(frame["g"]) > 1).to_numpy()]  # a lone mention has nobody to join
    tags = frame.assign(tag=frame["v"].str.split("+")).explode("tag")
    out = {}
    for tag, group in tags.groupby("tag"):
        out[str(tag)] = {"mentions": int(len(group)), "together": round(float(group["together"].mean()), 4)}
    return out


def review_queue_figures(links: pd.DataFrame, gold: pd.Series) -> dict:
    """What the review queue (marts.match_review's rule, applied to resolve_records output) holds:
    its size, the share of its links that join different gold entities, and the share of all
    such wrong links it catches. `gold`: gold entity by record_id."""
    strength = links["features"].str.extract(r'"strength": "(\w+)"', expand=False)
    candidates = links["features"].str.extract(r'"candidates": "(\w+)"', expand=False).fillna("")
    edge = links[~links["rule"].isin(["canonical", "same_key", "uscc", "judgement"]) & links["matched_record"].ne("")]
    rule = candidates.loc[edge.index].to_numpy()
    grey = (strength.loc[edge.index] == "weak") | np.isin(rule, ["typo", "trade_name", "prefix"]) | (edge["score"] < 0.95)
    wrong = edge["record_id"].map(gold).to_numpy() != edge["matched_record"].map(gold).to_numpy()
    queued = edge[grey.to_numpy()]
    agreed = edge["features"].str.extract(r'"agreed": \[([^\]]*)\]', expand=False).fillna("")
    independent = agreed.str.contains('"uscc"|"address"').to_numpy()
    regional = agreed.str.contains('"region"|"name_region"').to_numpy()
    urgent = grey.to_numpy() & ~independent & ((rule == "typo") | (np.isin(rule, ["trade_name", "prefix"]) & ~regional))
    return {
        "priority1_links": int(urgent.sum()),
        "priority1_wrong_share": round(float(wrong[urgent].mean()), 4) if urgent.any() else 0.0,
        "queue_pairs": int(queued.groupby(["matched_record", "features"]).ngroups) if len(queued) else 0,
        "queue_links": int(grey.sum()), "edge_links": int(len(edge)),
        "queue_wrong_share": round(float(wrong[grey.to_numpy()].mean()), 4) if grey.any() else 0.0,
        "wrong_links_caught": round(float(wrong[grey.to_numpy()].sum() / wrong.sum()), 4) if wrong.any() else 1.0,
    }
