"""Extraction on real pages: run `tuoke extract`'s code over ../shared/real-pages and score it.

Two runs over the corpus: with the page kind NOT given (decided the way `tuoke extract` decides it
without --kind) and with the answer key's kind given. Each run writes one prediction file per page
into a private temporary folder (`--keep DIR` keeps them in DIR/<mode>/), then the corpus' own
`score.py` scores it; the
figures per role group, amounts and page-kind accuracy are printed and written to
`benchmarks/out/eval_pages.md`.

Corpus: env TUOKE_REAL_PAGES, else ../shared/real-pages beside the repository.
Run: .venv/bin/python -m benchmarks.eval_pages [-v] [--page SUBSTR]   (or `make eval-pages`)
"""

from __future__ import annotations

import argparse
import html
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from scrapers.extract import extract_page

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "benchmarks" / "out"
PRINTED = ("role", "name", "amount_yuan", "lot", "rank", "uscc")
GROUPS = ("supplier", "agent", "purchaser", "bidder", "member")
# The answer key's "failed" pages are award notices whose lots all failed: extracted as awards.
KIND_OF_GOLD = {"failed": "procurement_award"}
_PAGE_TEMPLATE = '<html><head><meta charset="utf-8"><title>{t}</title></head><body><h1>{t}</h1>{c}</body></html>'


def corpus_dir() -> Path | None:
    configured = os.environ.get("TUOKE_REAL_PAGES")
    candidates = [Path(configured)] if configured else [REPO.parent / "shared" / "real-pages"]
    for candidate in candidates:
        if (candidate / "gold.json").is_file() and (candidate / "pages").is_dir():
            return candidate
    return None


def batches(corpus: Path) -> list[tuple[str, Path]]:
    """(name, folder holding gold.json and pages/) of every batch; each is scored on its own."""
    found = [("batch1", corpus)]
    for sub in sorted(corpus.iterdir()):
        if sub.is_dir() and (sub / "gold.json").is_file() and (sub / "pages").is_dir():
            found.append((sub.name, sub))
    return found


def page_html(path: Path) -> tuple[bytes, str | None]:
    """(HTML bytes as unwrap.py writes them, original URL when the crawler record has one)."""
    raw = path.read_bytes()
    if path.suffix.lower() == ".json":
        record = json.loads(raw.decode("utf-8-sig"))
        title = html.escape(str(record.get("title") or ""), quote=False)
        body = _PAGE_TEMPLATE.format(t=title, c=record.get("content") or "").encode("utf-8")
        return body, record.get("url") or None
    if b"<html" not in raw[:2000].lower():
        raw = b'<html><head><meta charset="utf-8"></head><body>' + raw + b"</body></html>"
    return raw, None


def extract_as_cli_decides(body: bytes, url: str):
    """(page kind, mentions) as `tuoke extract` reads a page without --kind (scrapers.extract.extract_auto)."""
    from scrapers.extract import extract_auto

    result, decided = extract_auto(body, url)
    # a page nothing names is read by each extractor in turn: its kind is the one whose reading was kept
    return (decided.extract_as if decided.kind == "unknown" else decided.kind), result.mentions


def extract_as_gold_says(kind: str):
    """The same with the answer key's kind given (`tuoke extract --kind`)."""
    def run(body: bytes, url: str):
        try:
            return kind, extract_page(body, url, kind=KIND_OF_GOLD.get(kind, kind)).mentions
        except ValueError:  # a kind the page extractor does not know: nothing predicted
            return kind, []
    return run


def kind_from_gold(kind: str) -> tuple[str, str]:
    return kind, KIND_OF_GOLD.get(kind, kind)


def predict(pages: list[Path], out_dir: Path, extract_of: Callable[[Path], Callable[[bytes, str], tuple]]) -> dict[str, str]:
    """Write one prediction file per page; return the kind each page was found to be."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.jsonl"):
        old.unlink()
    kinds = {}
    for number, path in enumerate(pages, 1):
        body, original_url = page_html(path)
        # A neutral URL when the page has none: the corpus file names spell out the answer.
        url = original_url or f"file:///real-pages/page-{number:03d}.html"
        kinds[path.name], mentions = extract_of(path)(body, url)
        with open(out_dir / f"{path.name}.jsonl", "w", encoding="utf-8") as handle:
            for mention in mentions:
                handle.write(json.dumps({k: mention.get(k) for k in PRINTED}, ensure_ascii=False) + "\n")
    return kinds


def score(corpus: Path, batch: Path, pred_dir: Path, verbose: bool, page_filters: list[str]) -> tuple[dict, str]:
    command = [sys.executable, str(corpus / "score.py"), str(pred_dir), "--gold", str(batch / "gold.json")]
    if verbose:
        command.append("-v")
    for needle in page_filters:
        command += ["--page", needle]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    last = done.stdout.strip().splitlines()[-1]
    return json.loads(last), done.stdout


def fmt(value) -> str:
    return "  n/a" if value is None else f"{value:.3f}"


def group_figures(figures: dict, separator: str = " ") -> str:
    """Recall/precision of each role group the answer key has: `supplier 1.000/1.000 agent …`."""
    by_role = figures["by_role"]
    return separator.join(f"{g} {fmt(by_role[g]['recall'])}/{fmt(by_role[g]['precision'])}"
                          for g in GROUPS if g in by_role)


def amounts_right(figures: dict) -> int:
    """How many gold amounts were matched (score.py gives the share of them)."""
    return round((figures["amount_coverage"] or 0) * figures["amount_gold"])


def summary_lines(mode: str, figures: dict, kind_accuracy: float) -> list[str]:
    return [
        f"{mode:<11} recall {fmt(figures['recall'])} precision {fmt(figures['precision'])} | "
        f"amounts right {amounts_right(figures)}/{figures['amount_gold']} (accuracy {fmt(figures['amount_accuracy'])}, coverage {fmt(figures['amount_coverage'])}) | "
        f"page kind {fmt(kind_accuracy)}",
        f"{'':<11} recall/precision per group: {group_figures(figures)}",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-v", "--verbose", action="store_true", help="print score.py's misses, false positives and amount errors")
    parser.add_argument("--page", action="append", default=[], help="only pages whose file name contains this (repeatable)")
    parser.add_argument("--keep", type=Path, help="write the prediction files to DIR/<mode>/ and keep them")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="eval-pages-") as scratch:
        return _run(args, args.keep or Path(scratch))


def _run(args: argparse.Namespace, pred_root: Path) -> int:
    corpus = corpus_dir()
    if corpus is None:
        where = os.environ.get("TUOKE_REAL_PAGES") or REPO.parent / "shared" / "real-pages"
        print(f"eval-pages: real-pages corpus not found at {where} (set TUOKE_REAL_PAGES to its folder)", file=sys.stderr)
        return 1
    started = time.perf_counter()
    lines: list[str] = []
    report = [f"# Extraction on real pages ({corpus}), each batch apart", "",
              "Kind not given: `scrapers.extract.extract_auto` (what `tuoke extract` runs without --kind); page-kind accuracy from the kind it decided.", ""]
    total_pages = 0
    for batch_name, batch in batches(corpus):
        gold = json.loads((batch / "gold.json").read_text(encoding="utf-8"))
        pages = sorted(p for p in (batch / "pages").iterdir() if p.name in gold)
        if args.page:
            pages = [p for p in pages if any(s in p.name for s in args.page)]
        if not pages:
            continue
        total_pages += len(pages)
        lines.append(f"{batch_name} ({len(pages)} pages)")
        report += [f"# {batch_name}: {len(pages)} pages of {batch}", ""]
        for mode, kind_of in (
            ("kind-guess", lambda path: extract_as_cli_decides),
            ("kind-given", lambda path, gold=gold: extract_as_gold_says(gold[path.name]["kind"])),
        ):
            pred_dir = pred_root / batch_name / mode
            kinds = predict(pages, pred_dir, kind_of)
            right = sum(1 for p in pages if kinds[p.name] == gold[p.name]["kind"])
            figures, scored = score(corpus, batch, pred_dir, args.verbose, args.page)
            if args.verbose:
                print(f"===== {batch_name} {mode} =====")
                print(scored)
                wrong = [f"{p.name}: {kinds[p.name]} (gold {gold[p.name]['kind']})" for p in pages if kinds[p.name] != gold[p.name]["kind"]]
                print("page kind wrong on:", *wrong or ["none"], sep="\n    ")
            lines += summary_lines(mode, figures, right / len(pages))
            report += [f"## {batch_name} {mode}", "", "```", scored.strip(), "```", ""]
    elapsed = time.perf_counter() - started
    report += ["## Summary", "", "```", *lines, "```"]  # no timings: the same figures leave the file unchanged
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "eval_pages.md").write_text("\n".join(report) + "\n", encoding="utf-8")
    print(f"eval-pages: {total_pages} real pages, {elapsed:.1f} s; report benchmarks/out/eval_pages.md; recall >= 0.97 and precision >= 0.98 per group, amounts right >= 0.95 with coverage >= 0.90, on each batch")
    for line in lines:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
