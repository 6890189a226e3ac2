"""Resolution quality on real names: run `tuoke resolve`'s code over ../shared/real-names and score it.

Every row of the corpus' `pairs.csv` is one mention (name only: no USCC, no address — the hardest
case, and the one the issue measured); its gold entity is `group_id`. The resolver is
`warehouse.resolve.resolve_records`, the code `tuoke resolve` and the pipeline run. Scores are
pairwise (pairs counted per cluster, never enumerated):

- headline sets: `full+former+branch` (full, full_fmt, former_full, alias_same_id, branch,
  parent_from_branch mentions; target P >= 0.98, R >= 0.90), `chinese` (everything but the
  English names), `all`;
- by kind: the pairs that touch a mention of that kind (precision: predicted pairs, recall: gold
  pairs); Taiwanese groups (traditional script) as a slice of their own;
- precision classes: the corpus' `hard_negatives.csv` (different companies sharing a 字号, each
  pair must stay apart), branch vs parent and two branches of one parent (must stay apart);
- the exact-name baseline (identical trimmed names are one company) in the same run.

Corpus: env TUOKE_REAL_NAMES, else ../shared/real-names beside the repository. Figures are printed
and written to benchmarks/out/eval_names.md.
Run: .venv/bin/python -m benchmarks.eval_names [-v N] [--sample N]   (or `make eval-names`)
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "benchmarks" / "out"
HEADLINE_KINDS = ("full", "full_fmt", "former_full", "alias_same_id", "branch", "parent_from_branch")
ENGLISH_KINDS = ("english", "english_short")
KIND_ORDER = ("full", "full_fmt", "former_full", "alias_same_id", "branch", "parent_from_branch", "short",
              "short_ext", "short_b", "former_short", "english", "english_short")
TARGETS = {"full+former+branch": (0.98, 0.90), "all": (0.97, None), "chinese (no english)": (0.98, 0.70)}  # issue 19
# what the resolver reached (a little under, 2026-12-08: Chinese P 0.9904 R 0.7224): below one, `make eval-names` fails
FLOORS = {"full+former+branch": (0.84, 0.19), "all": (0.978, 0.49), "chinese (no english)": (0.985, 0.72)}


def corpus_dir() -> Path | None:
    configured = os.environ.get("TUOKE_REAL_NAMES")
    candidates = [Path(configured)] if configured else [REPO.parent / "shared" / "real-names"]
    for candidate in candidates:
        if (candidate / "pairs.csv").is_file():
            return candidate
    return None


def read_mentions(corpus: Path) -> pd.DataFrame:
    """pairs.csv as mentions: record_id, source, name, uscc (empty), address (empty), group_id, kind."""
    frame = pd.read_csv(corpus / "pairs.csv", dtype=str, keep_default_na=False, encoding="utf-8")
    return pd.DataFrame({
        "record_id": [f"n{i}" for i in range(len(frame))], "source": frame["source_file"],
        "name": frame["name"], "uscc": "", "address": "", "group_id": frame["group_id"], "kind": frame["kind"],
    })


def resolve(mentions: pd.DataFrame) -> np.ndarray:
    """Predicted company id per mention, by the resolver `tuoke resolve` runs (no judgements)."""
    from warehouse.resolve import resolve_records

    links = resolve_records(mentions[["record_id", "source", "name", "uscc", "address"]], judgements=None)
    by_record = dict(zip(links["record_id"], links["company_id"]))
    return np.array([by_record[r] for r in mentions["record_id"]], dtype=object)


def exact_name(mentions: pd.DataFrame) -> np.ndarray:
    """The baseline: identical names (outer whitespace trimmed, as the corpus writes them) merge."""
    return mentions["name"].str.strip().to_numpy(dtype=object)


# ---------------------------------------------------------------- scoring
def _pairs(n: np.ndarray) -> int:
    n = np.asarray(n, dtype=np.int64)
    return int((n * (n - 1) // 2).sum())


def _touching(n: np.ndarray, m: np.ndarray) -> int:
    """Pairs inside groups of size n that touch one of the group's m marked members."""
    n, m = np.asarray(n, dtype=np.int64), np.asarray(m, dtype=np.int64)
    return int((m * (n - m) + m * (m - 1) // 2).sum())


def pairwise(gold: np.ndarray, pred: np.ndarray, mark: np.ndarray | None = None) -> dict:
    """Pairwise precision/recall; with `mark`, only the pairs that touch a marked mention."""
    g = pd.factorize(pd.Series(gold))[0].astype(np.int64)
    p = pd.factorize(pd.Series(pred))[0].astype(np.int64)
    m = np.ones(len(g), np.int64) if mark is None else np.asarray(mark, bool).astype(np.int64)

    def count(key: np.ndarray) -> int:
        key = pd.factorize(key)[0] if len(key) else key
        return _touching(np.bincount(key), np.bincount(key, weights=m).astype(np.int64)) if len(key) else 0

    tp, gold_pairs, pred_pairs = count(g * (int(p.max(initial=0)) + 1) + p), count(g), count(p)
    precision = tp / pred_pairs if pred_pairs else 1.0
    recall = tp / gold_pairs if gold_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "gold_pairs": gold_pairs,
            "pred_pairs": pred_pairs, "tp": tp, "mentions": int(m.sum())}


def subset(gold: np.ndarray, pred: np.ndarray, keep: np.ndarray) -> dict:
    return pairwise(gold[keep], pred[keep])


def hard_negative_errors(corpus: Path, mentions: pd.DataFrame, pred: np.ndarray) -> tuple[int, int, list]:
    """(pairs found, pairs merged, merged examples) over hard_negatives.csv."""
    path = corpus / "hard_negatives.csv"
    if not path.is_file():
        return 0, 0, []
    where = dict(zip(zip(mentions["group_id"].to_numpy(dtype=object).tolist(),
                         mentions["name"].to_numpy(dtype=object).tolist()), pred.tolist()))
    found = merged = 0
    examples = []
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            a = where.get((row["group_id_a"], row["name_a"]))
            b = where.get((row["group_id_b"], row["name_b"]))
            if a is None or b is None:
                continue
            found += 1
            if a == b:
                merged += 1
                examples.append((row["name_a"], row["name_b"]))
    return found, merged, examples


def branch_errors(mentions: pd.DataFrame, pred: np.ndarray) -> dict:
    """Predicted pairs between a branch and its parent family, and between two branches of one parent."""
    group = mentions["group_id"].to_numpy()
    family = np.array([g.split("~b-")[0] for g in group], dtype=object)
    is_branch = np.array(["~b-" in g for g in group])
    frame = pd.DataFrame({"family": family, "group": group, "pred": pred, "branch": is_branch})
    families = set(frame.loc[frame["branch"], "family"])
    frame = frame[frame["family"].isin(families)]
    both = frame.groupby(["family", "pred"]).agg(n=("branch", "size"), b=("branch", "sum"))
    parent_pairs = int((both["b"] * (both["n"] - both["b"])).sum())  # a branch with a parent mention
    groups_in = frame[frame["branch"]].groupby(["family", "pred"])["group"].nunique()
    sibling_pairs = int((groups_in * (groups_in - 1) // 2).sum())  # two branch groups in one cluster
    parent_gold = int(sum(1 for _ in families))
    return {"families": parent_gold, "branch_parent_merged": parent_pairs, "sibling_branches_merged": sibling_pairs}


# ---------------------------------------------------------------- report
def _fmt(x: float) -> str:
    return f"{x:.4f}"


def slices(mentions: pd.DataFrame, pred: np.ndarray) -> list[tuple[str, dict]]:
    kind = mentions["kind"].to_numpy(dtype=object)
    group = pd.factorize(mentions["group_id"])[0]  # ints: factorized again per slice, cheaply
    english = np.isin(kind, ENGLISH_KINDS)
    taiwan = mentions["group_id"].str.startswith(("TWSE-", "TPEX-")).to_numpy(dtype=bool)
    headline = np.isin(kind, HEADLINE_KINDS)
    out = [("all", subset(group, pred, np.ones(len(kind), bool))),
           ("chinese (no english)", subset(group, pred, ~english)),
           ("full+former+branch", subset(group, pred, headline)),
           ("taiwan (traditional), chinese", subset(group, pred, taiwan & ~english)),
           ("mainland, chinese", subset(group, pred, ~taiwan & ~english))]
    gold = group
    for k in KIND_ORDER:
        if (kind == k).any():
            out.append((f"kind={k} (pairs touching it)", pairwise(gold, pred, kind == k)))
    return out


def report(corpus: Path, mentions: pd.DataFrame, runs: dict[str, np.ndarray], seconds: float) -> list[str]:
    runs = {n: pd.factorize(pd.Series(p, dtype=object))[0] for n, p in runs.items()}  # ints from here on
    lines = [f"# eval-names: resolution on real names ({corpus.name}, {len(mentions):,} mentions, "
             f"{mentions['group_id'].nunique():,} entities; names only, no USCC/address)", "",
             f"resolver wall time: {seconds:.1f} s", ""]
    names = list(runs)
    header = "| slice | mentions | gold pairs | " + " | ".join(f"{n} P | {n} R | {n} F1" for n in names) + " |"
    lines += [header, "|" + "---|" * (3 + 3 * len(names))]
    per_run = {n: slices(mentions, p) for n, p in runs.items()}
    for i, (label, first) in enumerate(per_run[names[0]]):
        cells = []
        for n in names:
            s = per_run[n][i][1]
            cells += [_fmt(s["precision"]), _fmt(s["recall"]), _fmt(s["f1"])]
        lines.append(f"| {label} | {first['mentions']:,} | {first['gold_pairs']:,} | " + " | ".join(cells) + " |")
    lines.append("")
    for n, pred in runs.items():
        found, merged, _ex = hard_negative_errors(corpus, mentions, pred)
        br = branch_errors(mentions, pred)
        lines.append(f"- {n}: hard negatives kept apart {found - merged}/{found} "
                     f"(precision {_fmt((found - merged) / found if found else 1.0)}); "
                     f"branch–parent pairs merged {br['branch_parent_merged']}, "
                     f"two branches of one parent merged {br['sibling_branches_merged']} "
                     f"({br['families']} families with branches)")
    lines.append("")
    ours = dict(per_run[names[0]])
    for label, (p_min, r_min) in TARGETS.items():
        s = ours[label]
        ok = s["precision"] >= p_min and (r_min is None or s["recall"] >= r_min)
        want = f"P >= {p_min}" + (f", R >= {r_min}" if r_min else "")
        lines.append(f"- target {label}: {want} -> {'met' if ok else 'NOT met'}")
    lines += [f"- FLOOR BROKEN {label}: P {_fmt(ours[label]['precision'])} R {_fmt(ours[label]['recall'])} "
              f"under the floor P >= {p}, R >= {r}" for label, (p, r) in FLOORS.items() if below_floor(ours[label], p, r)]
    return lines


def below_floor(scores: dict, precision: float, recall: float) -> bool:
    return scores["precision"] < precision or scores["recall"] < recall


def show_errors(mentions: pd.DataFrame, pred: np.ndarray, limit: int, seed: int = 0) -> None:
    """Examples of false merges and misses (for tuning; never fit single names)."""
    frame = mentions.assign(pred=pred)
    rng = np.random.default_rng(seed)
    mixed = frame.groupby("pred")["group_id"].nunique()
    bad = mixed[mixed > 1].index.to_numpy()
    print(f"\n## {len(bad)} predicted clusters with several entities (sample)")
    for p in rng.permutation(bad)[:limit]:
        rows = frame[frame["pred"] == p]
        print("  " + " | ".join(f"{n} [{g}:{k}]" for n, g, k in zip(rows["name"], rows["group_id"], rows["kind"])))
    split = frame.groupby("group_id")["pred"].nunique()
    missed = split[split > 1].index.to_numpy()
    print(f"\n## {len(missed)} entities split over several clusters (sample)")
    for g in rng.permutation(missed)[:limit]:
        rows = frame[frame["group_id"] == g]
        print("  " + " | ".join(f"{n} ({k})" for n, k in zip(rows["name"], rows["kind"])))


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", type=int, default=0, metavar="N", help="print N error examples")
    parser.add_argument("--kind", default="", help="with -v: only errors touching this kind")
    args = parser.parse_args(list(argv) if argv is not None else None)
    corpus = corpus_dir()
    if corpus is None:
        print("eval-names: no corpus (set TUOKE_REAL_NAMES or put real-names beside the repository)", file=sys.stderr)
        return 2
    os.environ.setdefault("TUOKE_RESOLVE_WORKERS", "2")
    mentions = read_mentions(corpus)
    start = time.perf_counter()
    pred = resolve(mentions)
    seconds = time.perf_counter() - start
    lines = report(corpus, mentions, {"resolver": pred, "exact name": exact_name(mentions)}, seconds)
    text = "\n".join(lines) + "\n"
    broken = any(line.startswith("- FLOOR BROKEN") for line in lines)
    print(text)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "eval_names.md").write_text(text, encoding="utf-8")
    if args.verbose:
        shown = mentions if not args.kind else mentions
        if args.kind:
            keep = shown["group_id"].isin(set(shown.loc[shown["kind"] == args.kind, "group_id"]))
            show_errors(shown[keep], pred[keep.to_numpy()], args.verbose)
        else:
            show_errors(shown, pred, args.verbose)
    return 1 if broken else 0


if __name__ == "__main__":
    raise SystemExit(main())
