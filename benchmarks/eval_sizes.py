"""Size classes of the real pages' winners: how many get one, and from which evidence.

Each batch of ../shared/real-pages is extracted as benchmarks/eval_pages.py does (kind decided as
`tuoke extract` decides it), its mentions are landed and built through the real station code
(landing loader, staging models, resolution, core models up to core.company_size) with the shipped
configs/size_standard.yaml, and every company that won on a page is counted by size class and by
the evidence that decided it. The pages carry no registry or bank data, so only page evidence
counts: a 中小企业声明函, the USCC kind digits, name forms — and, in the second run, the Shanghai
exchange's listed companies as a large-enterprise list, read from ../shared/real-names' raw SSE
lists (2013 and 2017; used here, never shipped).

Run: .venv/bin/python -m benchmarks.eval_sizes   (writes benchmarks/out/eval_sizes.md)
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
from collections import Counter
from pathlib import Path

from benchmarks.eval_pages import OUT, batches, corpus_dir, kind_as_cli_decides, page_html
from kernel.contracts import MENTION_KEYS
from scrapers.extract import extract_page

REPO = Path(__file__).resolve().parent.parent
REAL_NAMES = Path(os.environ.get("TUOKE_REAL_NAMES", REPO.parent / "shared" / "real-names"))
def core_models() -> list[tuple[str, str]]:
    """core.company_mentions, then the core models the ranking runs (up to core.company_size)."""
    from warehouse.scoring import RANKING_MODELS

    return [("core", "company_mentions"), *(m for m in RANKING_MODELS if m[0] == "core")]


def sse_listed() -> list[dict]:
    """SSE-listed companies (code, full name) from the real-names raw lists, 2013 and 2017."""
    raw = REAL_NAMES / "raw"
    entries: dict[str, dict] = {}
    js = raw / "ijibu-tracker__static_js_shang.js"
    if js.is_file():
        text = js.read_text(encoding="utf-8", errors="replace")
        body = json.loads(text[text.index("(") + 1:text.rindex(")")])
        for row in body.get("result", body if isinstance(body, list) else []):
            if row.get("FULLNAME"):
                entries[row["FULLNAME"]] = {"name": row["FULLNAME"], "code": row.get("PRODUCTID")}
    askci = raw / "hjpcs-company_info__A-share_SSE-rows-only.csv"
    if askci.is_file():
        for row in csv.DictReader(io.StringIO(askci.read_bytes().decode("gbk", errors="replace")), delimiter="\t"):
            name = (row.get("公司名称") or "").strip()
            if name:
                entries[name] = {"name": name, "code": (row.get("股票代码") or "").strip() or None}
    return list(entries.values())


def land(pages: list[Path], landing: Path, source_id: str) -> int:
    landing.mkdir(parents=True, exist_ok=True)
    run_id = "20261101T000000Z-000000"
    count = 0
    with (landing / f"{run_id}.jsonl").open("w", encoding="utf-8") as handle:
        for number, path in enumerate(pages, 1):
            body, url = page_html(path)
            url = url or f"file:///real-pages/{source_id}/{path.name}"
            _kind, extract_as = kind_as_cli_decides(body, url)
            try:
                mentions = extract_page(body, url, kind=extract_as).mentions
            except ValueError:
                mentions = []
            for i, mention in enumerate(mentions):
                row = dict.fromkeys(MENTION_KEYS)
                row.update(mention)
                row.update(mention_id=f"{source_id}-{number}-{i}", source_id=source_id, source_kind=extract_as,
                           run_id=run_id, fetched_at="2026-11-01T00:00:00Z", content_hash=str(number))
                handle.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
                count += 1
    return count


def sizes_of_winners(batch: Path, name: str, large: dict | None) -> Counter:
    from kernel.paths import DataPaths
    from warehouse.db import connect, ensure_schemas
    from warehouse.entity_links import build_entity_links
    from warehouse.feeds import load_feeds
    from warehouse.landing_loader import load_landing
    from warehouse.refdata import load_reference
    from warehouse.scoring import run_sql_model

    pages = sorted((batch / "pages").iterdir())
    with tempfile.TemporaryDirectory() as tmp:
        paths = DataPaths(Path(tmp) / "data")
        land(pages, paths.landing / f"real_{name}", f"real_{name}")
        con = connect(paths.working_db)
        ensure_schemas(con)
        load_landing(con, paths)
        load_feeds(con, paths)
        load_reference(con, large_enterprises=large or {"lists": []})
        run_sql_model(con, "staging", "stg_mentions")
        run_sql_model(con, "staging", "stg_entity_records")
        build_entity_links(con)
        for layer, model in core_models():
            run_sql_model(con, layer, model)
        rows = con.execute("""
            SELECT z.size_class, coalesce(z.size_evidence, '(none)'), z.is_individual_business
            FROM (SELECT DISTINCT company_id FROM core.company_mentions WHERE role = 'winner') AS w
            JOIN core.company_size AS z USING (company_id)
        """).fetchall()
        con.close()
    return Counter((size, evidence) for size, evidence, _ in rows)


def main() -> None:
    os.environ.setdefault("TUOKE_PII_KEY", "eval-sizes-not-a-secret-" + "x" * 16)
    corpus = corpus_dir()
    if corpus is None:
        raise SystemExit("real-pages corpus not found (../shared/real-pages or TUOKE_REAL_PAGES)")
    listed = sse_listed()
    large = {"lists": [{"id": "sse_listed_2013_2017", "kind": "listed", "label": "上市公司",
                        "title": "上海证券交易所 上市公司（2013/2017 快照）", "publisher": "上海证券交易所",
                        "entries": listed}]} if listed else None
    lines = ["# eval-sizes: size classes of the real pages' winners", "",
             f"Winners = distinct companies with a `winner` mention after resolution; the pages carry no registry or "
             f"bank data. Second run: {len(listed):,} SSE-listed companies (real-names raw lists) as a "
             "large-enterprise list.", "",
             "| batch | run | winners | with a size class | by size class and evidence |", "|---|---|---|---|---|"]
    for name, batch in batches(corpus):
        for label, lists in (("page evidence only", None), ("+ SSE listed companies", large)):
            counts = sizes_of_winners(batch, name, lists)
            total = sum(counts.values())
            known = sum(n for (size, _), n in counts.items() if size != "unknown")
            detail = ", ".join(f"{size} from {evidence}: {n}" for (size, evidence), n in sorted(counts.items()))
            lines.append(f"| {name} | {label} | {total} | {known} | {detail} |")
    text = "\n".join(lines) + "\n"
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "eval_sizes.md").write_text(text, encoding="utf-8")
    print(re.sub(r"\n{3,}", "\n\n", text))


if __name__ == "__main__":
    main()
