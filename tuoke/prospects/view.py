"""`ProspectView`: everything behind one company's place on the list — its row, the 五好 scores
with their labels, every signal with the points it gave, derived points, exclusions and
suppressions (with the end of a cooling-off), what the bank already has, public relations, fellow
members of its lists and the match evidence. `tuoke explain` and the prospect page read it.

A page is a handful of lookups on indexed columns of the published copy (warehouse/serving.py),
each a query on one table whose whole WHERE is the key: DuckDB answers that from the ART index in
well under a millisecond, but a second condition beside the key (the scope, a role), a join or a
filtered Top-N makes it scan the table instead (a million rows: ~30 ms), so any further condition
is applied to the looked-up rows in a MATERIALIZED CTE (`_lookup`). Joins, sorting and limits of a
few dozen rows are done here in Python; the signal rows come with their reasons rendered at
publish (serving.prospect_signals).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kernel.link_features import decode_link_features
from tuoke.prospects.catalog import Catalog, Dimension, Rule
from tuoke.prospects.columns import with_derived
from tuoke.prospects.lists import records
from tuoke.prospects.scope import Scope
from tuoke.prospects.where import Where
from warehouse.serving import PROSPECT_SIGNAL_COLUMNS, reason_text_sql

BANK_SIGNALS = ("payroll_employer", "pos_merchant", "counterparty_of_customers", "credit_customer", "credit_overdue")
RELATION_ROLES = ("winner", "candidate", "bidder", "supplier")
LIST_ROLES = ("member", "tenant", "listed")
MAX_RELATIONS = 30
MAX_FELLOWS = 20
MAX_EVIDENCE = 100
PLACE_COLUMNS = ("province", "city", "district", "industry", "first_seen", "last_seen")
COMPANY_SIZE_COLUMNS = ("registration_kind", "established_on")  # core.companies, from the registry (newer builds)
MENTION_COLUMNS = "role, purchaser_name, project_name, amount_yuan, published_at, url, source_id, tier, list_name"


@dataclass(frozen=True)
class DimensionScore:
    dimension: Dimension
    value: float

    @property
    def key(self) -> str:
        return self.dimension.key

    @property
    def label(self) -> str:
        return self.dimension.label


@dataclass(frozen=True)
class ProspectView:
    company: dict  # the marts.prospects_ranked row and core.companies' place and dates
    dimensions: list[DimensionScore]
    product_fit: list[tuple[str, int]]  # best fit first
    signals: list[dict]  # every signal row, newest first, with its points
    derived: list[dict]  # points from derived signals (无负面清单记录)
    flags: list[dict]  # exclusions and suppressions, active first, with `expires`
    relations: list[dict]  # purchasers and projects, newest first
    fellows: list[dict]  # companies on the same lists (`linkable`: in the user's scope)
    evidence: list[dict]  # the records linked into this company, with rule and agreed fields

    @property
    def public_signals(self) -> list[dict]:
        return [s for s in self.signals if s["signal"] not in BANK_SIGNALS]

    @property
    def bank_signals(self) -> list[dict]:
        return [s for s in self.signals if s["signal"] in BANK_SIGNALS]


def _plain(value: Any) -> Any:
    return None if isinstance(value, float) and math.isnan(value) else value


def _lookup(cur, table: str, key: str, value, columns: str = "*", where: Where | None = None) -> list[dict]:
    """Rows of `table` whose `key` is `value` (an index lookup), kept when they meet `where`
    (conditions on `p`), as dicts."""
    sql = f"SELECT {columns} FROM {table} WHERE {key} = ?"
    if where is not None and where.parts:
        sql = f"WITH p AS MATERIALIZED ({sql}) SELECT * FROM p WHERE {where.sql}"
    return records(cur.execute(sql, [value, *(where.params if where is not None else [])]))


def read_company(cur, catalog: Catalog, scope: Scope, company_id: str, with_key: bool = True) -> dict | None:
    """The list row of one company with its place, dates and registration, its size label and the
    label of its size evidence, or None (not listed, not in scope). `company_key` is the scoring
    marts' surrogate key, read from marts.company_segments (never recomputed here: how the key is
    made is the SQL models' business)."""
    where = Where()
    if scope.branches is not None:
        where.add_condition(scope.condition("p.branch"))
    rows = _lookup(cur, "marts.prospects_ranked", "company_id", company_id, where=where)
    if not rows:
        return None
    wanted = [*PLACE_COLUMNS, *(c for c in COMPANY_SIZE_COLUMNS if catalog.has_column("core.companies", c))]
    place = _lookup(cur, "core.companies", "company_id", company_id, ", ".join(wanted)) or [dict.fromkeys(wanted)]
    key = (_lookup(cur, "marts.company_segments", "company_id", company_id, "company_key") if with_key else None) \
        or [{"company_key": None}]
    company = {k: _plain(v) for k, v in {**rows[0], **place[0], **key[0]}.items()}
    with_derived(catalog, [company])
    evidence = company.get("size_evidence")
    company["size_evidence_label"] = catalog.size_evidence_labels.get(evidence, evidence) if evidence else None
    return company


def _signal_rows(cur, catalog: Catalog, company_id: str) -> list[dict]:
    """The company's signal rows with their readable reason, newest first: from
    serving.prospect_signals (reasons rendered at publish), else rendered here."""
    if catalog.has("serving.prospect_signals"):
        rows = _lookup(cur, "serving.prospect_signals", "company_id", company_id,
                       ", ".join((*PROSPECT_SIGNAL_COLUMNS, "reason_text")))
    else:
        reason = reason_text_sql() if catalog.has_fill_reason else \
            "ref.signal_reason(s.signal, s.value, s.amount, s.observed_at, s.detail, s.list_name, s.source_id)"
        rows = records(cur.execute(
            f"WITH s AS MATERIALIZED (SELECT * FROM core.company_signals WHERE company_id = ?) "
            f"SELECT {', '.join('s.' + c for c in PROSPECT_SIGNAL_COLUMNS)}, {reason} AS reason_text "
            f"FROM s LEFT JOIN ref.scoring_signals AS r ON r.signal = s.signal", [company_id]))
    return _newest_first(rows, "observed_at", then="signal_id")


def _served_signals(cur, catalog: Catalog, company_id: str) -> tuple[list[dict], list[dict]]:
    """Signal rows with their points, and derived points, from the one lookup of
    serving.prospect_signals (points summed per row at publish)."""
    columns = (*PROSPECT_SIGNAL_COLUMNS, "reason_text", "points", "points_by_dimension", "dimension")
    rows = _lookup(cur, "serving.prospect_signals", "company_id", company_id, ", ".join(columns))
    signals = [r for r in rows if r["signal_id"] >= 0]
    for row in signals:
        del row["dimension"]
        row["label"] = catalog.signal_label(row["signal"])
        row["kind"] = catalog.signal_kind(row["signal"])
    derived = [{"dimension": r["dimension"], "signal": r["signal"], "points": r["points"], "reason_text": r["reason_text"]}
               for r in rows if r["signal_id"] < 0]
    return _newest_first(signals, "observed_at", then="signal_id"), sorted(derived, key=lambda r: r["dimension"])


def _newest_first(rows: list[dict], column: str, then: str | None = None) -> list[dict]:
    """`rows` by `column` descending, missing values last (SQL's DESC NULLS LAST), ties by `then`."""
    if then:
        rows.sort(key=lambda r: r[then])
    present = sorted((r for r in rows if r[column] is not None), key=lambda r: r[column], reverse=True)
    return present + [r for r in rows if r[column] is None]


def _points(cur, catalog: Catalog, company_key) -> dict[int, list[tuple[Rule, Any]]]:
    """The company's points rows (marts.signal_points_rows) by signal_id, each with its rule, by
    dimension; a derived rule's row has a negative signal_id."""
    by_signal: dict[int, list[tuple[Rule, Any]]] = {}
    for row in _lookup(cur, "marts.signal_points_rows", "company_key", company_key, "signal_id, rule_id, points"):
        rule = catalog.rules.get(int(row["rule_id"]))
        if rule is not None:
            by_signal.setdefault(row["signal_id"], []).append((rule, row["points"]))
    for given in by_signal.values():
        given.sort(key=lambda rp: rp[0].dimension)
    return by_signal


def _signals(catalog: Catalog, rows: list[dict], points: dict[int, list[tuple[Rule, Any]]]) -> list[dict]:
    """Each signal row with its label, kind, points and points per dimension ("business 3.50, …")."""
    for row in rows:
        given = points.get(row["signal_id"], [])
        row["label"] = catalog.signal_label(row["signal"])
        row["kind"] = catalog.signal_kind(row["signal"])
        row["points"] = sum(p for _, p in given) if given else Decimal(0)
        row["points_by_dimension"] = ", ".join(f"{rule.dimension} {_points_text(p)}" for rule, p in given)
    return rows


def _derived(catalog: Catalog, points: dict[int, list[tuple[Rule, Any]]]) -> list[dict]:
    """Points of derived rules (无负面清单记录), by dimension."""
    rows = [{"dimension": rule.dimension, "signal": rule.signal, "points": p, "reason_text": catalog.signal_label(rule.signal)}
            for signal_id, given in points.items() if signal_id < 0 for rule, p in given]
    return sorted(rows, key=lambda r: r["dimension"])


def _points_text(points) -> str:
    """Points as the page prints them: DECIMAL(12,2) with its two places (3.50), a double rounded to two."""
    return str(points) if isinstance(points, Decimal) else repr(round(float(points), 2))


def _flags(cur, catalog: Catalog, company_id: str) -> list[dict]:
    """Exclusions and suppressions, active first, then by kind, newest first, with the end of a cooling-off."""
    flags = _lookup(cur, "marts.company_flags", "company_id", company_id,
                    "kind, signal, label, reason_text, list_name, source_id, url, observed_at, active")
    flags = _newest_first(flags, "observed_at")
    flags.sort(key=lambda f: (not f["active"], f["kind"] or ""))
    for flag in flags:
        days = catalog.cooling_off_days.get(flag.get("signal"))
        flag["expires"] = flag["observed_at"] + dt.timedelta(days=days) if days and flag.get("observed_at") else None
    return flags


def _mentions(cur, company_id: str) -> list[dict]:
    """The company's mentions in a relation role or on a list, newest first."""
    rows = _lookup(cur, "core.company_mentions", "company_id", company_id, MENTION_COLUMNS)
    return _newest_first([r for r in rows if r["role"] in RELATION_ROLES or r["role"] in LIST_ROLES], "published_at")


def _relations(mentions: list[dict]) -> list[dict]:
    """Purchasers and projects: the newest MAX_RELATIONS mentions as winner, candidate, bidder or supplier."""
    return [m for m in mentions if m["role"] in RELATION_ROLES][:MAX_RELATIONS]


def _fellows(cur, scope: Scope, company_id: str, mentions: list[dict]) -> list[dict]:
    """Companies on the same lists (source and list name or tier) as this one, by name; `linkable`
    when they are on the list and in the scope."""
    lists = sorted({(m["source_id"], m["list_name"] or m["tier"] or "") for m in mentions if m["role"] in LIST_ROLES})
    if not lists:
        return []
    fellows = records(cur.execute(
        """
        WITH mine AS (SELECT unnest(?::VARCHAR[]) AS source_id, unnest(?::VARCHAR[]) AS grouping)
        SELECT f.company_id, any_value(f.name) AS name, any_value(f.source_id) AS source_id,
               any_value(coalesce(f.list_name, f.tier)) AS grouping
        FROM core.company_mentions AS f JOIN mine USING (source_id)
        WHERE f.company_id <> ? AND list_contains(?, f.role) AND coalesce(f.list_name, f.tier, '') = mine.grouping
        GROUP BY f.company_id ORDER BY name LIMIT ?
        """, [[s for s, _ in lists], [g for _, g in lists], company_id, list(LIST_ROLES), MAX_FELLOWS]))
    visible: set[str] = set()
    if fellows:  # on the list and in scope: the ids looked up in the index, then the scope applied
        where = Where().add_condition(scope.condition("p.branch"))
        visible = {r[0] for r in cur.execute(
            "WITH p AS MATERIALIZED (SELECT company_id, branch FROM marts.prospects_ranked "
            f"WHERE list_contains(?::VARCHAR[], company_id)) SELECT p.company_id FROM p WHERE {where.sql}",
            [[f["company_id"] for f in fellows], *where.params]).fetchall()}
    for fellow in fellows:
        fellow["linkable"] = fellow["company_id"] in visible
    return fellows


def _evidence(cur, company_id: str) -> list[dict]:
    """The records linked into the company (rule, score, agreed fields) with their name and source,
    by rule, source and record, the first MAX_EVIDENCE."""
    names = {r["record_id"]: r for r in _lookup(cur, "core.entity_records", "company_id", company_id,
                                                  "record_id, display_name, source_id, uscc")}
    rows = []
    for link in _lookup(cur, "core.entity_links", "company_id", company_id, "record_id, rule, score, features"):
        record = names.get(link["record_id"], {})
        rows.append({**link, **{k: record.get(k) for k in ("display_name", "source_id", "uscc")}})
    rows.sort(key=lambda r: (_last_if_none(r["rule"]), _last_if_none(r["source_id"]), _last_if_none(r["record_id"])))
    for row in rows[:MAX_EVIDENCE]:
        try:  # one reader of link features for everyone: the kernel's dataclass
            features = decode_link_features(row["features"])
        except (TypeError, ValueError):  # a malformed text costs its two cells, never the page
            features = None
        row["agreed"] = "、".join(features.agreed) if features is not None else ""
        row["similarity"] = features.similarity if features is not None else None
    return rows[:MAX_EVIDENCE]


def _last_if_none(value) -> tuple:
    """A sort key that puts a missing value last (SQL's ASC NULLS LAST)."""
    return (value is None, "" if value is None else value)


def read_prospect(cur, catalog: Catalog, scope: Scope, company_id: str) -> ProspectView | None:
    """One company, or None when it is not on the list or not in the scope (the same answer)."""
    company = read_company(cur, catalog, scope, company_id, with_key=not catalog.served_points)
    if company is None:
        return None
    fit = company.get("product_fit") or {}
    company_key = company.pop("company_key")
    if catalog.served_points:
        signals, derived = _served_signals(cur, catalog, company_id)
    else:
        points = _points(cur, catalog, company_key)
        signals, derived = _signals(catalog, _signal_rows(cur, catalog, company_id), points), _derived(catalog, points)
    mentions = _mentions(cur, company_id) if catalog.has("core.company_mentions") else []
    return ProspectView(
        company=company,
        dimensions=[DimensionScore(d, float(company.get(d.column) or 0)) for d in catalog.dimensions],
        product_fit=sorted(dict(fit).items(), key=lambda kv: -(kv[1] or 0)),
        signals=signals,
        derived=derived,
        flags=_flags(cur, catalog, company_id),
        relations=_relations(mentions),
        fellows=_fellows(cur, scope, company_id, mentions),
        evidence=_evidence(cur, company_id) if catalog.has("core.entity_records") else [],
    )
