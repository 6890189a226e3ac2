"""What the build says about its own vocabulary, read once per published file: the 五好 dimensions
with the labels of scoring.yaml (ref.scoring_dimensions), signal types with labels and kinds
(ref.scoring_signals), the scoring rules' dimension and signal (ref.scoring_rules: a points row
names its rule), products (ref.scoring_products), cooling-off days of suppressions
(ref.scoring_flags), the branches, the segment labels (kernel.contracts), the size labels
(ref.size_classes, and ref.size_words for 个体工商户: configs/size_standard.yaml), which columns the
list and company tables have (a build before the size work has none of theirs), and which serving
tables the publish step prepared (warehouse/serving.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from kernel.contracts import SEGMENT_LABELS
from warehouse.serving import has_fill_reason

RISK = "risk"
# the tables whose columns the read model asks for by name (the list row, the company's place)
COLUMN_TABLES = ("marts.prospects_ranked", "core.companies", "serving.prospect_list", "serving.prospect_signals",
                 "serving.prospect_names")


@dataclass(frozen=True)
class Dimension:
    key: str  # business … willingness, then risk
    label: str  # scoring.yaml's label (自身经营好 …)

    @property
    def column(self) -> str:
        """Its column in marts.prospects_ranked."""
        return f"score_{self.key}"


@dataclass(frozen=True)
class SignalType:
    signal: str
    label: str
    kind: str


@dataclass(frozen=True)
class Rule:
    dimension: str
    signal: str


@dataclass(frozen=True)
class Catalog:
    dimensions: tuple[Dimension, ...]
    signals: dict[str, SignalType]
    rules: dict[int, Rule]  # rule_id -> its dimension and signal
    products: tuple[str, ...]
    cooling_off_days: dict[str, int]
    branches: tuple[str, ...]
    tables: frozenset[str]  # schema.table of what this file holds
    has_fill_reason: bool  # ref.fill_reason (newer builds); else ref.signal_reason
    signal_masks: dict[str, int]  # serving.signal_bits: signal -> its bit in signal_mask
    product_bits: dict[str, int]  # serving.product_bits: product -> its bit (product_mask, fit_<bit>)
    latest_build: dict | None = None  # the newest row of marts.scoring_builds (the build of this file)
    size_labels: dict[str, str] = field(default_factory=dict)  # size_segment -> 小型企业, 个体工商户, 规模待核实 …
    size_evidence_labels: dict[str, str] = field(default_factory=dict)  # size_evidence -> 中小企业声明函 …
    columns: dict[str, frozenset[str]] = field(default_factory=dict)  # COLUMN_TABLES -> their columns

    @property
    def segments(self) -> dict[str, str]:
        return SEGMENT_LABELS

    @property
    def serving(self) -> bool:
        """The publish step's list tables with positions, masks and names (warehouse/serving.py)."""
        return {"serving.prospect_list", "serving.product_bits", "serving.prospect_names"} <= self.tables

    def has(self, table: str) -> bool:
        return table in self.tables

    @property
    def served_points(self) -> bool:
        """serving.prospect_signals carries each row's points (newer publishes; warehouse/serving.py)."""
        return self.has_column("serving.prospect_signals", "points")

    def has_column(self, table: str, column: str) -> bool:
        return column in self.columns.get(table, ())

    def size_label(self, segment: str | None) -> str | None:
        """The Chinese label of a size segment (None: a build without sizes)."""
        return None if segment is None else self.size_labels.get(segment, segment)

    def signal_label(self, signal: str) -> str:
        info = self.signals.get(signal)
        return info.label if info and info.label is not None else signal

    def signal_kind(self, signal: str) -> str:
        info = self.signals.get(signal)
        return info.kind if info and info.kind is not None else "opportunity"

    def filter_signals(self) -> list[tuple[str, str]]:
        """(signal, label) a list may be filtered by: every type but risks, by label."""
        return sorted(((s.signal, s.label) for s in self.signals.values() if s.kind != "risk"), key=lambda x: x[1])

    @classmethod
    def read(cls, cur) -> Catalog:
        tables = frozenset(r[0] for r in cur.execute(
            "SELECT table_schema || '.' || table_name FROM information_schema.tables "
            "WHERE table_catalog = current_database()").fetchall())
        dimensions = tuple(Dimension(key, label) for key, label in cur.execute(
            "SELECT dimension, label FROM ref.scoring_dimensions ORDER BY position").fetchall())
        signals = {s: SignalType(s, label, kind) for s, label, kind in cur.execute(
            "SELECT signal, label, kind FROM ref.scoring_signals ORDER BY signal").fetchall()}
        rules = {int(rule_id): Rule(dimension, signal) for rule_id, dimension, signal in cur.execute(
            "SELECT rule_id, dimension, signal FROM ref.scoring_rules").fetchall()}
        products = tuple(r[0] for r in cur.execute(
            "SELECT DISTINCT product FROM ref.scoring_products ORDER BY 1").fetchall())
        cooling = {s: int(d) for s, d in cur.execute(
            "SELECT signal, cooling_off_days FROM ref.scoring_flags WHERE cooling_off_days IS NOT NULL").fetchall()}
        branch_table = "marts.branch_summary" if "marts.branch_summary" in tables else "marts.prospects_ranked"
        branches = tuple(r[0] for r in cur.execute(
            f"SELECT DISTINCT branch FROM {branch_table} WHERE branch IS NOT NULL ORDER BY 1").fetchall())
        fill = has_fill_reason(cur)
        bits = {"signal": {}, "product": {}}
        if {"serving.signal_bits", "serving.product_bits"} <= tables:
            for kind in bits:
                bits[kind] = dict(cur.execute(f"SELECT {kind}, bit FROM serving.{kind}_bits").fetchall())
        build = None
        if "marts.scoring_builds" in tables:
            cursor = cur.execute("SELECT * FROM marts.scoring_builds ORDER BY built_at DESC LIMIT 1")
            names = [d[0] for d in cursor.description]
            build = next((dict(zip(names, row)) for row in cursor.fetchall()), None)
        sizes, evidence = _size_vocabulary(cur, tables)
        columns: dict[str, set[str]] = {t: set() for t in COLUMN_TABLES}
        for table, column in cur.execute(
                "SELECT schema_name || '.' || table_name, column_name FROM duckdb_columns() "
                "WHERE database_name = current_database() AND list_contains(?, schema_name || '.' || table_name)",
                [list(COLUMN_TABLES)]).fetchall():
            columns[table].add(column)
        return cls(dimensions=dimensions, signals=signals, rules=rules, products=products, cooling_off_days=cooling,
                   branches=branches, tables=tables, has_fill_reason=fill,
                   signal_masks={s: 1 << b for s, b in bits["signal"].items()}, product_bits=bits["product"],
                   latest_build=build, size_labels=sizes, size_evidence_labels=evidence,
                   columns={t: frozenset(c) for t, c in columns.items()})


def _size_vocabulary(cur, tables: frozenset[str]) -> tuple[dict[str, str], dict[str, str]]:
    """size_segment -> label (the classes, and 个体工商户 from the registration kinds) and
    size_evidence -> label; empty on a build without the size reference tables."""
    if not {"ref.size_classes", "ref.size_words", "ref.size_evidence"} <= tables:
        return {}, {}
    labels = dict(cur.execute("SELECT size_class, label FROM ref.size_classes").fetchall())
    labels.update(cur.execute("SELECT value, label FROM ref.size_words WHERE vocabulary = 'registration_kind' "
                              "AND value = 'individual_business'").fetchall())
    evidence = dict(cur.execute("SELECT evidence, label FROM ref.size_evidence").fetchall())
    return labels, evidence
