"""Layout robustness on real pages: every page of both batches re-laid-out the way other portals
differ (benchmarks/layout_transforms.py), extracted with the kind NOT given, scored per transform
and per batch with the corpus' own score.py.

A transform keeps every gold name, amount and role verbatim (checked: a page where a gold name no
longer occurs in the text after a transform is left out of that transform and counted); it changes
only the layout, so a drop from the untouched figures estimates how the rules hold on an unseen
layout without inventing content. Each transform is scored on the pages it changed.

Run: .venv/bin/python -m benchmarks.eval_layouts [-v] [--transform NAME] [--keep DIR]   (or `make eval-layouts`)
Report: benchmarks/out/eval_layouts.md
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

from lxml import etree

from benchmarks.eval_pages import (
    OUT,
    PRINTED,
    amounts_right,
    batches,
    corpus_dir,
    fmt,
    group_figures,
    page_html,
    score,
)
from benchmarks.layout_transforms import TRANSFORMS, WORD_MARK, Transform
from scrapers.extract import extract_auto
from scrapers.extract.decode import decode_body

_PARSER = etree.HTMLParser(recover=True, remove_comments=True)
_BRACKETS = str.maketrans("（）【】［］", "()()()")
# every transform is also scored with the label rules off (structure_only): what each layout change
# does to the fallback an unseen layout degrades to
STRUCTURE_RUNS = ("identity", *(t.name for t in TRANSFORMS))
IDENTITY = Transform("identity", "the page parsed and written back unchanged (the harness itself)", lambda root: 1)


def norm(text: str) -> str:
    """The scorer's name normal form: NFKC, no whitespace, one bracket kind, casefolded."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).translate(_BRACKETS).casefold()


def parse(body: bytes):
    text = decode_body(body, None)
    text = re.sub(r"^<\?xml[^>]*\?>", "", text.strip())
    return etree.fromstring(text, _PARSER)


def serialise(root) -> bytes:
    """UTF-8 HTML with one charset declaration (GBK pages are re-encoded)."""
    head = root.find("head")
    if head is None:
        head = etree.Element("head")
        root.insert(0, head)
    for meta in list(head.iter("meta")):
        if meta.get("charset") or (meta.get("http-equiv") or "").lower() == "content-type":
            meta.getparent().remove(meta)
    head.insert(0, etree.Element("meta", charset="utf-8"))
    html = etree.tostring(root, method="html", encoding="unicode")
    return html.replace(f"<{WORD_MARK}></{WORD_MARK}>", "<o:p></o:p>").encode("utf-8")


def visible_text(root) -> str:
    clone = copy.deepcopy(root)
    for element in list(clone.iter("script", "style")):
        element.getparent().remove(element)
    return norm("".join(clone.itertext()))


def missing_names(root, mentions: list[dict]) -> list[str]:
    text = visible_text(root)
    return [m["name"] for m in mentions if norm(m["name"]) not in text]


def structure_only(body: bytes, url: str) -> list[dict]:
    """Mentions with the label rules off: the page kind, then only the names-first placement pass
    (scrapers.extract.placement: roles from section heading, row or column label, sentence verb).
    What an unseen layout that no label rule reads degrades to."""
    from scrapers.extract.dom import parse_html
    from scrapers.extract.pagekind import classify_page
    from scrapers.extract.placement import place_names
    from scrapers.extract.records import json_record_html
    from scrapers.extract.result import PageResult

    decided = classify_page(body, url)
    text = decode_body(body, None)
    result = PageResult()
    kind = decided.extract_as if decided.extract_as != "unknown" else "procurement_award"
    place_names(parse_html(json_record_html(text) or text), result, kind, url, None)
    return result.mentions


def auto_mentions(body: bytes, url: str) -> list[dict]:
    return extract_auto(body, url)[0].mentions


def run_transform(transform: Transform, pages: list[tuple[Path, bytes, str]], gold: dict, pred_dir: Path,
                  extract=auto_mentions) -> dict:
    """Predictions for every page the transform changes; returns what it did to the batch."""
    pred_dir.mkdir(parents=True, exist_ok=True)
    changed, broke = [], []
    for path, body, url in pages:
        root = parse(body)
        before = missing_names(root, gold[path.name]["mentions"])
        if not transform.apply(root):
            continue
        if len(missing_names(root, gold[path.name]["mentions"])) > len(before):
            broke.append(path.name)  # the transform would have changed a gold name: not a layout change
            continue
        changed.append(path.name)
        mentions = extract(serialise(root), url)
        with open(pred_dir / f"{path.name}.jsonl", "w", encoding="utf-8") as handle:
            for mention in mentions:
                handle.write(json.dumps({k: mention.get(k) for k in PRINTED}, ensure_ascii=False) + "\n")
    return {"changed": changed, "broke": broke}


def row(name: str, n_pages: int, done: dict, figures: dict | None) -> str:
    if figures is None:
        return f"| {name} | 0/{n_pages} | | | | | |"
    return (f"| {name} | {len(done['changed'])}/{n_pages} | {fmt(figures['recall'])} | {fmt(figures['precision'])} | "
            f"{amounts_right(figures)}/{figures['amount_gold']} ({fmt(figures['amount_accuracy'])}) | "
            f"{group_figures(figures, ', ')} | {len(done['broke'])} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-v", "--verbose", action="store_true", help="print score.py's misses, false positives and amount errors")
    parser.add_argument("--transform", action="append", default=[], help="only this transform (repeatable)")
    parser.add_argument("--keep", type=Path, help="keep the prediction files in DIR/<batch>/<transform>/")
    args = parser.parse_args(argv)
    corpus = corpus_dir()
    if corpus is None:
        print("eval-layouts: real-pages corpus not found (set TUOKE_REAL_PAGES to its folder)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="eval-layouts-") as scratch:
        return _run(args, corpus, args.keep or Path(scratch))


def _run(args, corpus: Path, pred_root: Path) -> int:
    started = time.perf_counter()
    transforms = [IDENTITY, *TRANSFORMS]
    if args.transform:
        transforms = [t for t in transforms if t.name in args.transform]
    report = ["# Layout robustness on real pages (kind not given)", "",
              "Each transform re-lays-out the real pages without changing a name, an amount or a role word; "
              "scored on the pages it changed (`changed`), with the corpus scorer. `broke` = pages left out "
              "because the transform would have altered a gold name. `structure only` rows: the label rules off, only "
              "the names-first placement pass (roles from section heading, row/column label, sentence verb); "
              "it places suppliers only, so read its supplier figures.", "",
              "| transform | what |", "|---|---|", *(f"| {t.name} | {t.what} |" for t in transforms), ""]
    for batch_name, batch in batches(corpus):
        gold = json.loads((batch / "gold.json").read_text(encoding="utf-8"))
        pages = []
        for number, path in enumerate(sorted(p for p in (batch / "pages").iterdir() if p.name in gold), 1):
            body, original_url = page_html(path)
            pages.append((path, body, original_url or f"file:///real-pages/page-{number:03d}.html"))
        report += [f"## {batch_name} ({len(pages)} pages)", "",
                   "| transform | changed | recall | precision | amounts right (accuracy) | per group recall/precision | broke |",
                   "|---|---:|---:|---:|---:|---|---:|"]
        runs = [(t.name, t, auto_mentions) for t in transforms]
        runs += [(f"structure only, {t.name}", t, structure_only) for t in transforms if t.name in STRUCTURE_RUNS]
        for name, transform, extract in runs:
            pred_dir = pred_root / batch_name / name.replace(", ", "-").replace(" ", "_")
            done = run_transform(transform, pages, gold, pred_dir, extract)
            figures = None
            if done["changed"]:
                scratch_gold = pred_dir / "gold.json"
                scratch_gold.write_text(json.dumps({k: gold[k] for k in done["changed"]}, ensure_ascii=False), encoding="utf-8")
                figures, scored = score(corpus, scratch_gold.parent, pred_dir, args.verbose, [])
                if args.verbose:
                    print(f"===== {batch_name} {name} =====\n{scored}")
            report.append(row(name, len(pages), done, figures))
        report.append("")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "eval_layouts.md").write_text("\n".join(report) + "\n", encoding="utf-8")
    print("\n".join(line for line in report if line.startswith(("##", "| transform |", "|---|-", "| ")) and "| what |" not in line
                    and not any(line.startswith(f"| {t.name} | {t.what}") for t in transforms)))
    print(f"eval-layouts: {time.perf_counter() - started:.1f} s; report benchmarks/out/eval_layouts.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
