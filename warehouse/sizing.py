"""Who counts as 普惠: the size standard and the large-enterprise lists as ref.* tables.

`write_size_reference(con, standard, large)` writes, from configs/size_standard.yaml (kernel.size_standard)
and configs/large_enterprises.yaml (kernel.large_enterprises), plain rows the SQL models join:

- `ref.size_thresholds(industry, size_class, class_rank, measure, threshold)` — 《中小企业划型标准规定》:
  a firm of `industry` is at least `size_class` when it reaches every threshold of that class
  (measure: employees in 人, revenue / assets in 元);
- `ref.size_industries(industry, position, article, source, measures, catch_all)` — the rows, cited;
- `ref.size_words(vocabulary, word, value, label)` — the vocabularies: `industry_code` (GB/T 4754
  prefix → industry), `industry_name` (word → industry), `declared_class` (中型企业 → medium),
  `policy_declaration` (残疾人福利性单位 → small), `registration_kind` (USCC prefix 92 →
  individual_business), `individual_enterprise_type`, `individual_name_form` (the name endings the
  resolver's legal-form lookup classes `individual`), `cooperative_name_form`, `large_enterprise_type`
  and `large_enterprise_type_exception`;
- `ref.size_sections(section, low, high)` — GB/T 4754 sections by division number;
- `ref.size_classes(size_class, class_rank, label)` and `ref.size_evidence(evidence, position, label)`;
- `ref.size_settings` — one row: the standard's citation, the individual business default class,
  POS months per year, the subsidiary rule, the referral text;
- `ref.large_enterprise_lists(list_id, kind, label, title, publisher, url, as_of, source_file, rows,
  status)` — each configured list and how many entries it gave (status `loaded` | `missing_file`);
- `ref.large_enterprises(list_id, list_kind, list_label, list_title, url, name, match_key, uscc, code,
  group_stem, prefixes)` — one row per list entry; `match_key` is the resolver's own
  (warehouse.resolve.name_parts), so an entry meets its company's records exactly.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Mapping
from pathlib import Path

import duckdb

from kernel.contracts import MEASURED_SIZE_CLASSES
from kernel.feeds import FeedColumn, FeedSpec
from kernel.large_enterprises import EnterpriseList, LargeEnterprisesConfig, load_large_enterprises
from kernel.size_standard import CLASS_RANK, SizeStandard, load_size_standard
from warehouse.codes import clean_code, is_valid_uscc
from warehouse.db import ensure_schemas
from warehouse.feeds.read import cell_text, match_headers, read_feed_file

log = logging.getLogger(__name__)

LEGAL_FORMS = Path(__file__).resolve().parent / "lookups" / "legal_forms.csv"


def _write(con: duckdb.DuckDBPyConnection, table: str, columns: str, rows: list) -> None:
    con.execute(f"CREATE OR REPLACE TABLE {table} ({columns})")
    if rows:
        marks = ", ".join("?" for _ in rows[0])
        con.executemany(f"INSERT INTO {table} VALUES ({marks})", [list(r) for r in rows])


def legal_form_classes() -> dict[str, set[str]]:
    """class -> the endings (form and canonical key) of the resolver's legal-form lookup."""
    classes: dict[str, set[str]] = {}
    lines = [line for line in LEGAL_FORMS.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    for row in csv.DictReader(lines):
        classes.setdefault(row["class"], set()).update({row["form"], row["key"]})
    return classes


def _words(standard: SizeStandard) -> list[tuple[str, str, str | None, str | None]]:
    forms = legal_form_classes()
    individual = standard.individual_business
    rows: list[tuple[str, str, str | None, str | None]] = []
    rows += [("industry_code", code, industry, None) for industry, code in standard.code_rows()]
    rows += [("industry_name", word, industry, None) for industry, word in standard.name_rows()]
    rows += [("declared_class", word, size_class, None) for word, size_class in standard.declared_classes.items()]
    rows += [("policy_declaration", word, d.size_class, d.article) for word, d in standard.policy_declarations.items()]
    rows += [("registration_kind", k.prefix, k.kind, k.label) for k in standard.registration_kinds]
    rows += [("individual_enterprise_type", word, None, None) for word in individual.enterprise_types]
    exceptions = set(individual.name_form_exceptions)
    rows += [("individual_name_form", form, None, None)
             for form in sorted(forms.get("individual", set()) - exceptions)]
    rows += [("cooperative_name_form", form, None, None) for form in sorted(forms.get("coop", set()))]
    rows += [("large_enterprise_type", word, None, None) for word in standard.large_enterprise_types]
    rows += [("large_enterprise_type_exception", word, None, None) for word in standard.large_enterprise_type_exceptions]
    return rows


def write_size_standard(con: duckdb.DuckDBPyConnection, standard: SizeStandard) -> dict:
    _write(con, "ref.size_thresholds",
           "industry VARCHAR, size_class VARCHAR, class_rank INTEGER, measure VARCHAR, threshold DOUBLE",
           standard.threshold_rows())
    _write(con, "ref.size_industries",
           "industry VARCHAR, position INTEGER, article VARCHAR, source VARCHAR, measures VARCHAR, catch_all BOOLEAN",
           standard.industry_rows())
    _write(con, "ref.size_words", "vocabulary VARCHAR, word VARCHAR, value VARCHAR, label VARCHAR", _words(standard))
    _write(con, "ref.size_sections", "section VARCHAR, low INTEGER, high INTEGER", standard.section_rows())
    _write(con, "ref.size_classes", "size_class VARCHAR, class_rank INTEGER, label VARCHAR",
           [(c, CLASS_RANK.get(c), standard.class_labels[c]) for c in (*MEASURED_SIZE_CLASSES, "unknown")])
    _write(con, "ref.size_evidence", "evidence VARCHAR, position INTEGER, label VARCHAR",
           [(e.kind, n, e.label) for n, e in enumerate(standard.evidence, start=1)])
    return {"size_industries": len(standard.industries), "size_thresholds": len(standard.threshold_rows())}


def _list_entries(item: EnterpriseList, folder: Path) -> tuple[list[tuple[str, str | None, str | None, tuple]], str]:
    """(name, code, uscc, prefixes) of one list, and its status."""
    if item.entries:
        return [(e.name, e.code, e.uscc, e.prefixes) for e in item.entries], "loaded"
    path = folder / str(item.file)
    if not path.is_file():
        log.warning("large-enterprise list %s: %s not found; the list gives no entries", item.id, path)
        return [], "missing_file"
    columns = item.columns
    assert columns is not None  # the model requires columns with a file
    spec = FeedSpec(item.id, item.title, (
        FeedColumn("name", columns.name, "name", True), FeedColumn("code", columns.code or ("证券代码",), "text", False),
        FeedColumn("uscc", columns.uscc or ("统一社会信用代码",), "uscc", False)))
    headers, rows = read_feed_file(path)
    found, missing = match_headers(spec, headers)
    if missing:
        log.warning("large-enterprise list %s: %s has no column %s", item.id, path, columns.name[0])
        return [], "wrong_columns"

    def cell(row: list, column: str) -> str | None:
        index = found.get(column)
        value = cell_text(row[index]) if index is not None and index < len(row) else ""
        return value.strip() or None

    return [(name, cell(row, "code"), cell(row, "uscc"), ()) for row in rows if (name := cell(row, "name"))], "loaded"


def group_stem(match_key: str, group_word: str, min_chars: int) -> str | None:
    """The name up to and including its first group word, when enough precedes it: 中国XX集团有限公司 →
    中国XX集团; 中国集团… → None (too short to name one group)."""
    at = match_key.find(group_word, min_chars)
    return match_key[: at + len(group_word)] if at >= min_chars else None


def write_large_enterprises(con: duckdb.DuckDBPyConnection, config: LargeEnterprisesConfig, folder: Path) -> dict:
    from warehouse.resolve.name_parts import parse_company_name

    rule = config.subsidiary_rule
    lists, entries = [], []
    for item in config.lists:
        rows, status = _list_entries(item, folder)
        for name, code, uscc, prefixes in rows:
            key = parse_company_name(name).match_key
            code_clean = clean_code(uscc or "")
            stem = group_stem(key, rule.group_word, rule.min_stem_chars) if item.kind in rule.kinds else None
            entries.append((item.id, item.kind, item.label, item.title, item.url, name.strip(), key,
                            code_clean if is_valid_uscc(code_clean) else None, code, stem,
                            [parse_company_name(p).match_key for p in prefixes]))
        lists.append((item.id, item.kind, item.label, item.title, item.publisher, item.url, item.as_of,
                      item.file, len(rows), status))
    _write(con, "ref.large_enterprise_lists",
           "list_id VARCHAR, kind VARCHAR, label VARCHAR, title VARCHAR, publisher VARCHAR, url VARCHAR, "
           "as_of DATE, source_file VARCHAR, rows INTEGER, status VARCHAR", lists)
    _write(con, "ref.large_enterprises",
           "list_id VARCHAR, list_kind VARCHAR, list_label VARCHAR, list_title VARCHAR, url VARCHAR, name VARCHAR, "
           "match_key VARCHAR, uscc VARCHAR, code VARCHAR, group_stem VARCHAR, prefixes VARCHAR[]", entries)
    return {"large_enterprise_lists": len(lists), "large_enterprises": len(entries),
            "missing_lists": [row[0] for row in lists if row[-1] != "loaded"]}


def write_size_reference(con: duckdb.DuckDBPyConnection,
                         standard: Path | str | Mapping | SizeStandard | None = None,
                         large: Path | str | Mapping | LargeEnterprisesConfig | None = None) -> dict:
    """ref.size_* from the size standard and ref.large_enterprise* from the lists (see the module doc)."""
    ensure_schemas(con)
    standard_cfg = load_size_standard(standard)
    large_cfg, folder = load_large_enterprises(large)
    summary = write_size_standard(con, standard_cfg)
    summary.update(write_large_enterprises(con, large_cfg, folder))
    rule = large_cfg.subsidiary_rule
    individual = standard_cfg.individual_business
    cite = standard_cfg.standard
    _write(con, "ref.size_settings",
           "standard_title VARCHAR, standard_document VARCHAR, individual_default_class VARCHAR, "
           "individual_default_note VARCHAR, pos_months_per_year DOUBLE, group_word VARCHAR, min_stem_chars INTEGER, "
           "referral VARCHAR, no_evidence_text VARCHAR",
           [(cite.title, cite.document, individual.default_class, individual.default_note,
             standard_cfg.bank_records.pos_months_per_year, rule.group_word, rule.min_stem_chars, large_cfg.referral,
             standard_cfg.no_evidence_text)])
    return summary
