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
