"""Human judgements (configs/judgements.csv): `same` / `not_same` decisions that always win.

Format (a CSV; lines starting with '#' are comments):
    left_record_id,left_name,right_record_id,right_name,judgement,note
Each side names either one record (its record_id) or every record whose name has the same match
key (the name as written; 有限责任公司/有限公司, brackets and traditional characters do not
matter). record_id wins when both are filled. judgement: same | not_same (unsure is ignored).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from kernel.csvfiles import csv_writer
from warehouse.resolve.name_parts import parse_company_name

COLUMNS = ["left_record_id", "left_name", "right_record_id", "right_name", "judgement", "note"]


@dataclass(frozen=True)
class Side:
    record_id: str
    name_key: str


@dataclass(frozen=True)
class Judgement:
    left: Side
    right: Side
    same: bool


def read_judgements(path: str | Path | None) -> list[Judgement]:
    if path is None:
        return []
    path = Path(path)
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8-sig")
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        return []
    out = []
    for number, row in enumerate(csv.DictReader(io.StringIO("\n".join(lines))), start=1):
        verdict = (row.get("judgement") or "").strip().lower()
        if verdict not in ("same", "not_same"):
            if verdict in ("", "unsure"):
                continue
            raise ValueError(f"{path}: judgement row {number}: judgement must be same or not_same, not {verdict!r}")
        left, right = _side(row, "left"), _side(row, "right")
        if left is None or right is None:
            raise ValueError(f"{path}: judgement row {number}: each side needs a record_id or a name")
        out.append(Judgement(left, right, verdict == "same"))
    return out


def _side(row: dict, prefix: str) -> Side | None:
    record_id = (row.get(f"{prefix}_record_id") or "").strip()
    name = (row.get(f"{prefix}_name") or "").strip()
    if record_id:
        return Side(record_id, "")
    if name:
        return Side("", parse_company_name(name).match_key)
    return None


def judged_records(judgements: list[Judgement]) -> set[str]:
    return {s.record_id for j in judgements for s in (j.left, j.right) if s.record_id}


def judgement_node_pairs(judgements: list[Judgement], record_id: pd.Series, match_hash: np.ndarray,
                         name_idx: np.ndarray, node: np.ndarray) -> tuple[list, list]:
    """(same, not_same) node pairs of the judgements; a side names one record, or every record whose
    name has that match key (match_hash per distinct name, parse_bulk.match_hash; name_idx per record)."""
    from warehouse.resolve.parse_bulk import match_hash as hash_of

    if not judgements:
        return [], []
    ids = sorted({s.record_id for j in judgements for s in (j.left, j.right) if s.record_id})
    at = pd.Index(record_id).get_indexer(ids) if ids else np.empty(0, np.int64)
    by_record = {r: int(node[i]) for r, i in zip(ids, at) if i >= 0}
    keys = {hash_of(s.name_key) for j in judgements for s in (j.left, j.right) if not s.record_id}
    by_key: dict[int, list[int]] = {}
    if keys:
        wanted = np.flatnonzero(np.isin(match_hash, np.array(sorted(keys), dtype=np.uint64)))
        for i in np.flatnonzero(np.isin(name_idx, wanted)).tolist():
            by_key.setdefault(int(match_hash[name_idx[i]]), []).append(int(node[i]))

    def nodes_of(side: Side) -> list[int]:
        if side.record_id:
            return [by_record[side.record_id]] if side.record_id in by_record else []
        return sorted(set(by_key.get(hash_of(side.name_key), [])))

    same, not_same = [], []
    for j in judgements:
        left, right = nodes_of(j.left), nodes_of(j.right)
        if not left or not right:
            continue
        if j.same:
            anchor = left[0]
            same.extend((anchor, n) for n in left[1:] + right if n != anchor)
        else:
            not_same.extend((a, b) for a in left for b in right if a != b)
    return same, not_same


HEADER = """\
# Human judgements for entity resolution; they always win over the matcher (nomenklatura-style).
# One decision per line. Each side names ONE record (left_record_id / right_record_id, as in
# core.entity_links) or EVERY record with that company name (left_name / right_name; compared on
# the normalised match key). When both are filled, the record_id is used.
# judgement: same | not_same   (unsure lines are ignored). note: free text (who, why, when).
"""


def record_judgement(path: str | Path, row: dict[str, str], replaces: str | None = None) -> None:
    """Append one decision (a dict over COLUMNS) to the judgements file, creating it when needed.

    `replaces`: a tag in the note of earlier lines this decision supersedes (a reviewer who
    changes their mind about one pair): those lines are dropped, every other line — comments and
    hand-written decisions — is kept byte for byte. The file is replaced atomically."""
    path = Path(path)
    text = path.read_text(encoding="utf-8-sig") if path.exists() else HEADER + ",".join(COLUMNS) + "\n"
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    if not any(line.strip() and not line.lstrip().startswith("#") for line in lines):
        lines.append(",".join(COLUMNS) + "\n")  # comments only: the header row is missing
    if replaces:
        lines = [line for line in lines if not _has_tag(line, replaces)]
    out = io.StringIO()
    csv_writer(out).writerow([str(row.get(c, "") or "") for c in COLUMNS])
    lines.append(out.getvalue())
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text("".join(lines), encoding="utf-8")
    tmp.replace(path)


def _has_tag(line: str, tag: str) -> bool:
    if not line.strip() or line.lstrip().startswith("#"):
        return False
    try:
        cells = next(csv.reader([line]))
    except (csv.Error, StopIteration):
        return False
    return len(cells) == len(COLUMNS) and tag in cells[-1].split()
