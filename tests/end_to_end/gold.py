"""Resolution scored against the demo generator's truth (`_truth.json`: the real company behind
every name written on every page and in every bank export).

Each record of staging.stg_entity_records is matched to its gold company by where it was written and how:
(source, page path, name) for public mentions, (feed, name) for feed rows, names compared after NFKC
without spaces; a mention taken from an attachment (whose page the truth does not list) by
(source, name) when that name means one company in that source. Pairwise precision and recall then compare the companies resolution made with the
gold ones: precision is the share of record pairs put together that belong together.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import duckdb


def _name_key(text: str | None) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def gold_index(truth_path: Path) -> dict[tuple[str, str, str], set[str]]:
    """(source, page path or '' or '*' for any, name key) -> gold company ids written there under that name."""
    truth = json.loads(Path(truth_path).read_text(encoding="utf-8"))
    index: dict[tuple[str, str, str], set[str]] = {}
    for company in truth["companies"]:
        for use in company["uses"]:
            source = use["source"]
            if source.startswith("internal:"):
                key = ("feed:" + source.split(":", 1)[1], "", _name_key(use["text"]))
            else:
                key = (source, urlparse(use["url"]).path, _name_key(use["text"]))
            index.setdefault(key, set()).add(company["gold_id"])
            index.setdefault((key[0], "*", key[2]), set()).add(company["gold_id"])
    return index


@dataclass(frozen=True)
class ResolutionScore:
    records: int  # records resolution linked
    matched: int  # of those, records whose gold company is known (one, unambiguous)
    precision: float
    recall: float
    companies: int  # distinct companies among the matched records
    gold_companies: int  # distinct gold companies among the matched records


def _pairs(counts: Counter) -> int:
    return sum(n * (n - 1) // 2 for n in counts.values())


def score_resolution(db: Path, truth_path: Path) -> ResolutionScore:
    index = gold_index(truth_path)
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            """
            SELECT r.source_id, m.url, r.name, l.company_id
            FROM staging.stg_entity_records AS r
            JOIN core.entity_links AS l USING (record_id)
            LEFT JOIN raw.mentions AS m ON m.mention_id = r.record_id
            """
        ).fetchall()
    finally:
        con.close()
    labelled: list[tuple[str, str]] = []
    for source_id, url, name, company_id in rows:
        path = urlparse(url).path if url else ""
        gold = index.get((source_id, path, _name_key(name))) or index.get((source_id, "*", _name_key(name)))
        if gold and len(gold) == 1:
            labelled.append((company_id, next(iter(gold))))
    together = _pairs(Counter(labelled))
    predicted = _pairs(Counter(c for c, _ in labelled))
    actual = _pairs(Counter(g for _, g in labelled))
    return ResolutionScore(
        records=len(rows), matched=len(labelled),
        precision=together / predicted if predicted else 1.0, recall=together / actual if actual else 1.0,
        companies=len({c for c, _ in labelled}), gold_companies=len({g for _, g in labelled}),
    )
