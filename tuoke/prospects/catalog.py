"""What the build says about its own vocabulary, read once per published file: the 五好 dimensions
with the labels of scoring.yaml (ref.scoring_dimensions), signal types with labels and kinds
(ref.scoring_signals), the scoring rules' dimension and signal (ref.scoring_rules: a points row
names its rule), products (ref.scoring_products), cooling-off days of suppressions
(ref.scoring_flags), the branches, the segment labels (kernel.contracts), and which serving tables
the publish step prepared (warehouse/serving.py)."""

from __future__ import annotations

from dataclasses import dataclass

from kernel.contracts import SEGMENT_LABELS
from warehouse.serving import has_fill_reason

RISK = "risk"


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

    @property
    def segments(self) -> dict[str, str]:
        return SEGMENT_LABELS

    @property
    def serving(self) -> bool:
        """The publish step's list tables with positions, masks and names (warehouse/serving.py)."""
        return {"serving.prospect_list", "serving.product_bits", "serving.prospect_names"} <= self.tables

    def has(self, table: str) -> bool:
        return table in self.tables

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
        return cls(dimensions=dimensions, signals=signals, rules=rules, products=products, cooling_off_days=cooling,
                   branches=branches, tables=tables, has_fill_reason=fill,
                   signal_masks={s: 1 << b for s, b in bits["signal"].items()}, product_bits=bits["product"],
                   latest_build=build)
