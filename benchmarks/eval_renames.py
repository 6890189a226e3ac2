"""Rename recall on real names: resolution of ../shared/real-names with and without a registry
extract that carries the renamed companies' former names (曾用名), as the `registry` feed does.

The mentions are every row of the corpus' pairs.csv (names only, as benchmarks/eval_names.py). The
registry extract is built from the corpus itself: one row per group that has former full names
(`former_full`, and the names filed under one taxpayer id, `alias_same_id`): its current full name,
a synthetic valid USCC (the corpus has none for these groups; a registry always has one) and its
former names. It enters resolution as dbt_like_sql/staging/stg_entity_records.sql puts the feed in:
the row under its name, one record per former name with the same USCC. Scores are pairwise over
the corpus mentions only (the registry records are not scored), by eval_names' own scorer:

- renames: pairs of a `former_full` / `alias_same_id` mention with the current full name of its group;
- kind=former_full / former_short: every gold pair touching a mention of that kind;
- all: every pair (what the registry records cost in precision).

Run: .venv/bin/python -m benchmarks.eval_renames   (writes benchmarks/out/eval_renames.md)
"""

from __future__ import annotations

import random
import time

import numpy as np
import pandas as pd

from benchmarks.eval_names import OUT, corpus_dir, pairwise, read_mentions

RENAME_KINDS = ("former_full", "alias_same_id")


def registry_extract(mentions: pd.DataFrame) -> pd.DataFrame:
    """One registry row per group with a former full name: name, synthetic USCC, former names."""
    from demo.companies import make_uscc

    rows = []
    for group, names in mentions.groupby("group_id", sort=True):
        current = names.loc[names["kind"] == "full", "name"].tolist()
        former = names.loc[names["kind"].isin(RENAME_KINDS), "name"].tolist()
        if not former:
            continue
        name = current[0] if current else former.pop(0)
        if not former:
            continue
        rows.append({"group_id": group, "name": name, "former_names": former,
                     "uscc": make_uscc(random.Random(group), "91", "110000")})
    return pd.DataFrame(rows)


def registry_records(extract: pd.DataFrame) -> pd.DataFrame:
    """The extract as stg_entity_records makes it: the row, then one record per former name."""
    records = []
    for i, row in enumerate(extract.itertuples(index=False)):
        records.append({"record_id": f"registry:{i}", "source": "feed:registry", "name": row.name,
                        "uscc": row.uscc, "address": ""})
        for position, former in enumerate(row.former_names, start=1):
            records.append({"record_id": f"registry:{i}~former-{position}", "source": "feed:registry:former",
                            "name": former, "uscc": row.uscc, "address": ""})
    return pd.DataFrame(records)


def resolve(records: pd.DataFrame) -> dict[str, str]:
    from warehouse.resolve import resolve_records

    links = resolve_records(records[["record_id", "source", "name", "uscc", "address"]], judgements=None)
    return dict(zip(links["record_id"], links["company_id"]))


def rename_pairs(mentions: pd.DataFrame, pred: np.ndarray) -> tuple[int, int]:
    """(rename pairs found, rename pairs in gold): a former name with its group's current full name."""
    frame = mentions.assign(pred=pred)
    full = frame[frame["kind"] == "full"].set_index("group_id")["pred"]
    renamed = frame[frame["kind"].isin(RENAME_KINDS)]
    renamed = renamed[renamed["group_id"].isin(full.index)]
    together = (renamed["pred"].to_numpy() == full.loc[renamed["group_id"]].to_numpy())
    return int(together.sum()), int(len(renamed))


def main() -> None:
    corpus = corpus_dir()
    if corpus is None:
        raise SystemExit("real-names corpus not found (../shared/real-names or TUOKE_REAL_NAMES)")
    mentions = read_mentions(corpus)
    extract = registry_extract(mentions)
    runs = {}
    for label, extra in (("without registry", None), ("with registry former names", registry_records(extract))):
        records = mentions if extra is None else pd.concat([mentions, extra], ignore_index=True)
        started, cpu = time.monotonic(), time.process_time()
        by_record = resolve(records)
        runs[label] = (np.array([by_record[r] for r in mentions["record_id"]], dtype=object),
                       time.monotonic() - started, time.process_time() - cpu)
    gold = pd.factorize(mentions["group_id"])[0]
    kind = mentions["kind"].to_numpy(dtype=object)
    lines = [f"# eval-renames: rename recall on real names ({corpus.name}, {len(mentions):,} mentions; "
             f"registry extract of {len(extract):,} renamed companies, "
             f"{int(extract['former_names'].map(len).sum()):,} former names)", "",
             "| run | rename pairs found | rename recall | former_full P | former_full R | former_short R | all P | all R | "
             "wall s | cpu s |", "|---|---|---|---|---|---|---|---|---|---|"]
    for label, (pred, wall, cpu) in runs.items():
        labels = pd.factorize(pd.Series(pred, dtype=object))[0]
        found, total = rename_pairs(mentions, pred)
        former = pairwise(gold, labels, kind == "former_full")
        former_short = pairwise(gold, labels, kind == "former_short")
        every = pairwise(gold, labels)
        lines.append(f"| {label} | {found}/{total} | {found / total:.4f} | {former['precision']:.4f} | "
                     f"{former['recall']:.4f} | {former_short['recall']:.4f} | {every['precision']:.4f} | "
                     f"{every['recall']:.4f} | {wall:.1f} | {cpu:.1f} |")
    lines += ["", "Rename pairs: a `former_full` or `alias_same_id` mention and its group's current full name. "
              "former_short names (old 证券简称) are no registry names; the registry reaches them only through "
              "a resolved full name."]
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "eval_renames.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
