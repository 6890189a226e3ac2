"""eval-name-variants: resolution on real registered names written the ways mentions write them.

`make eval-names` reads the real-names corpus as it is: full names against stock short names and
former names. This takes its real Chinese full names (the registered names of listed firms and of
small taxpayers, kind `full`) and writes some of them again the way a procurement notice, a POS
export or a payroll file would: with whitespace, in traditional script, with half-width brackets,
a zero-width character, 有限责任公司 as 有限公司, the leading place shortened (杭州市 → 杭州), dropped,
or moved into brackets before the legal form (杭州X有限公司 → X（杭州）有限公司), or without the legal
form. Every full name stays in as a mention of its own, so the corpus's other companies with the
same 字号 (hard_negatives.csv: 上饶市广丰区三山矿业 / 玉山县三山矿业) are there to be confused with.
Names only: no USCC and no address, so a variant that drops what told two companies apart (a
place) may rightly stay alone.

The place is found with the division names of lookups/adcodes.csv, not with the resolver's parser,
so the variants do not inherit its blind spots. Seeded: `python -m benchmarks.eval_name_variants
[--companies 8000] [--seed 11]`; writes benchmarks/out/eval_name_variants.md.
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.eval_names import corpus_dir
from benchmarks.resolve.metrics import pairwise_scores, recall_by_variant
from warehouse.lookups import read_rows

OUT = Path(__file__).parent / "out" / "eval_name_variants.md"
FLOOR = (0.995, 0.98)  # P, R: a little under what the resolver reached (2026-12-08: P 0.9989 R 0.9838); exits 1 below
FORMS = ("股份有限公司", "有限责任公司", "有限公司")
_PLACES = frozenset(r["name"] for r in read_rows("adcodes.csv"))
_SUFFIXES = ("省", "市", "自治区", "特别行政区", "区", "县", "自治州", "地区", "盟", "旗")
SPACES = ("\u3000", " ", "\t", "  ")


def leading_place(name: str) -> str:
    """The division names the name starts with (浙江省杭州市, 上海市), longest first, up to three levels."""
    taken = 0
    for _ in range(3):
        for length in range(min(12, len(name) - taken - 2), 1, -1):
            if name[taken:taken + length] in _PLACES:
                taken += length
                break
        else:
            break
    return name[:taken]


def legal_form(name: str) -> str:
    return next((form for form in FORMS if name.endswith(form)), "")


def _strip_suffix(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


_SHORT_COUNT = Counter(_strip_suffix(name) for name in _PLACES)


def _short_place(place: str) -> str | None:
    """The last division of the place without its suffix (浙江省杭州市 → 杭州, 上海市 → 上海), or None
    when that short form is shared with another division (上饶 is 上饶市 and 上饶县) or is one itself."""
    last = next((place[-length:] for length in range(len(place), 1, -1) if place[-length:] in _PLACES), place)
    short = _strip_suffix(last)
    if short == last or _SHORT_COUNT[short] > 1 or short in _PLACES:
        return None
    return short


def _variants(rng: random.Random, s2t: Callable[[str], str]) -> dict[str, Callable[[str], str | None]]:
    """Variation class -> a function writing the name that way (None: it does not apply)."""
    def whitespace(name):
        place, form = leading_place(name), legal_form(name)
        body = name[len(place): len(name) - len(form)]
        parts = [p for p in (place, body, form) if p]
        return rng.choice(SPACES).join(parts) + rng.choice(("", " ", "\u3000")) if len(parts) > 1 else None

    def traditional(name):
        written = s2t(name)
        return written if written != name else None

    def half_width(name):
        return name.replace("（", "(").replace("）", ")") if "（" in name else None

    def zero_width(name):
        return name[:2] + "\u200b" + name[2:]

    def form_short(name):
        return name[: -len("有限责任公司")] + "有限公司" if name.endswith("有限责任公司") else None

    def place_short(name):
        place = leading_place(name)
        short = _short_place(place) if place else None
        return short + name[len(place):] if short else None

    def place_dropped(name):
        place = leading_place(name)
        return name[len(place):] if place and len(name) - len(place) - len(legal_form(name)) >= 2 else None

    def place_bracketed(name):
        place, form = leading_place(name), legal_form(name)
        short = _short_place(place) if place and form and "（" not in name and "(" not in name else None
        return f"{name[len(place): len(name) - len(form)]}（{short}）{form}" if short else None

    def form_dropped(name):
        form = legal_form(name)
        return name[: -len(form)] if form and len(name) - len(form) - len(leading_place(name)) >= 2 else None

    return {"whitespace": whitespace, "traditional": traditional, "half_width": half_width, "zero_width": zero_width,
            "form_short": form_short, "place_short": place_short, "place_dropped": place_dropped,
            "place_bracketed": place_bracketed, "form_dropped": form_dropped}


def full_names(corpus: Path) -> pd.DataFrame:
    """The corpus's Chinese full names, one per company (group_id)."""
    frame = pd.read_csv(corpus / "pairs.csv", dtype=str, keep_default_na=False, encoding="utf-8")
    frame = frame[(frame["kind"] == "full") & frame["name"].str.contains(r"[\u4e00-\u9fff]{2}", regex=True)]
    return frame.drop_duplicates("group_id")[["group_id", "name"]].reset_index(drop=True)


def mentions(names: pd.DataFrame, companies: int, seed: int, per_company: int = 2) -> pd.DataFrame:
    """Every full name, and `per_company` variants of `companies` of them (class tags in `variant`)."""
    import opencc

    rng = random.Random(seed)
    variants = _variants(rng, opencc.OpenCC("s2t.json").convert)
    rows = [(g, n, "full") for g, n in zip(names["group_id"], names["name"])]
    for i in rng.sample(range(len(names)), min(companies, len(names))):
        group, name = names.at[i, "group_id"], names.at[i, "name"]
        written = set()
        for cls in rng.sample(list(variants), len(variants)):
            text = variants[cls](name)
            if text and text != name and text not in written:
                rows.append((group, text, cls))
                written.add(text)
                if len(written) == per_company:
                    break
    frame = pd.DataFrame(rows, columns=["gold", "name", "variant"])
    frame.insert(0, "record_id", [f"v{i}" for i in range(len(frame))])
    frame["source"], frame["uscc"], frame["address"] = "variants", "", ""
    return frame


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=8000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    corpus = corpus_dir()
    if corpus is None:
        print("eval-name-variants: the real-names corpus is not there (../shared/real-names or TUOKE_REAL_NAMES)")
        return 1
    from warehouse.resolve import resolve_records

    frame = mentions(full_names(corpus), args.companies, args.seed)
    start = time.perf_counter()
    links = resolve_records(frame[["record_id", "source", "name", "uscc", "address"]], judgements=None)
    seconds = time.perf_counter() - start
    company = frame["record_id"].map(links.set_index("record_id")["company_id"]).to_numpy()
    scores = pairwise_scores(frame["gold"], company)
    varied = np.isin(frame["gold"], frame.loc[frame["variant"] != "full", "gold"].unique())
    by_class = recall_by_variant(frame["gold"][varied], company[varied], frame["variant"][varied])
    lines = [f"# eval-name-variants: real full names written as mentions write them (seed {args.seed})", "",
             f"{len(frame):,} mentions: {int((frame['variant'] == 'full').sum()):,} full names, "
             f"{int((frame['variant'] != 'full').sum()):,} variants of {args.companies:,} of them; resolver "
             f"{seconds:.1f} s", "",
             f"pairwise: P {scores['precision']:.4f} R {scores['recall']:.4f} F1 {scores['f1']:.4f} "
             f"({scores['true_pairs']:,} gold pairs, {scores['pred_pairs']:,} predicted)", "",
             "| class | mentions | with their company's main cluster |", "|---|---:|---:|"]
    lines += [f"| {cls} | {v['mentions']:,} | {v['together']:.4f} |" for cls, v in sorted(by_class.items())]
    below = scores["precision"] < FLOOR[0] or scores["recall"] < FLOOR[1]
    lines += ["", f"- floor P >= {FLOOR[0]}, R >= {FLOOR[1]}: {'BELOW' if below else 'met'}"]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 1 if below else 0


if __name__ == "__main__":
    raise SystemExit(main())
