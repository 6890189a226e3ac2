"""Reads and checks configs/scoring.yaml. Every mistake is one sentence naming the file, the key
path and what is wrong, e.g. `configs/scoring.yaml: dimensions.business.signals.procurement_win.
half_life_days: must be a number > 0 (got 'soon')`."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tuoke.core.errors import UserError
from tuoke.core.paths import configs_dir

DIMENSIONS = ("business", "owner", "reputation", "mitigation", "willingness")
SIGNAL_KINDS = ("opportunity", "relationship", "risk", "bank_state", "derived")
PLACEHOLDERS = ("month", "date", "value", "detail", "list_name", "amount_wan", "amount_yuan", "label", "source_id")
# Signals the SQL model core.company_signals can produce (+ derived ones scoring makes itself).
KNOWN_SIGNALS = (
    "procurement_win", "tender_candidate", "procurement_bid", "srdi_listed", "association_member", "park_tenant",
    "guarantee_partner", "owner_good_customer", "no_negative_record", "payroll_employer", "pos_merchant",
    "counterparty_of_customers", "credit_customer", "credit_overdue", "dishonest_debtor", "consumption_restricted",
    "serious_violation", "abnormal_operation", "administrative_penalty", "open_application", "risk_decline",
    "do_not_contact",
)
DERIVED_SIGNALS = ("no_negative_record",)
SUPPRESSION_SIGNALS = ("open_application", "risk_decline", "do_not_contact")


class ScoringConfigError(UserError):
    """scoring.yaml is wrong; the message names file, key path and problem."""


@dataclass(frozen=True)
class AmountRule:
    unit_yuan: float
    points: float
    scale: str  # linear | log
    max: float | None


@dataclass(frozen=True)
class SignalRule:
    dimension: str  # a 五好 dimension or "risk"
    signal: str
    points: float
    points_by_value: tuple[tuple[str, float], ...] = ()
    amount: AmountRule | None = None
    half_life_days: float | None = None
    cap: float | None = None
    value_in: tuple[str, ...] | None = None
    value_not_in: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Dimension:
    name: str
    label: str
    weight: float
    cap: float | None
    rules: tuple[SignalRule, ...]


@dataclass(frozen=True)
class SignalInfo:
    signal: str
    label: str
    kind: str
    reason: str


@dataclass(frozen=True)
class RestrictedIndustry:
    label: str
    keywords: tuple[str, ...]
    match_on: tuple[str, ...]


@dataclass(frozen=True)
class Suppression:
    signal: str
    label: str
    cooling_off_days: int | None


@dataclass(frozen=True)
class ProductRule:
    product: str
    signals: tuple[tuple[str, float, float | None], ...]  # (signal, weight, half_life_days)
    min_fit: float


@dataclass(frozen=True)
class ScoringConfig:
    source: str
    as_of: dt.date | None
    signals: dict[str, SignalInfo]
    dimensions: tuple[Dimension, ...]
    risk_label: str
    risk_cap: float | None
    risk_rules: tuple[SignalRule, ...]
    exclusion_signals: dict[str, str]  # signal → label
    restricted_industries: tuple[RestrictedIndustry, ...]
    suppressions: tuple[Suppression, ...]
    existing_signals: tuple[str, ...]
    credit_signals: tuple[str, ...]
    products: tuple[ProductRule, ...]
    alert_signals: tuple[str, ...]
    raw: dict = field(default_factory=dict, repr=False, compare=False)

    def all_rules(self) -> tuple[SignalRule, ...]:
        return tuple(r for d in self.dimensions for r in d.rules) + self.risk_rules

    def with_changes(self, **changes: Any) -> ScoringConfig:
        from dataclasses import replace

        return replace(self, **changes)


class _Checker:
    def __init__(self, origin: str):
        self.origin = origin

    def fail(self, key: str, problem: str) -> None:
        raise ScoringConfigError(f"{self.origin}: {key}: {problem}")

    def mapping(self, value: Any, key: str, required: bool = True) -> Mapping:
        if value is None and not required:
            return {}
        if not isinstance(value, Mapping):
            self.fail(key, f"must be a mapping (got {type(value).__name__})" if value is not None else "missing")
        return value

    def number(self, value: Any, key: str, *, positive: bool = False, negative_ok: bool = True) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(key, f"must be a number (got {value!r})")
        if positive and value <= 0:
            self.fail(key, f"must be a number > 0 (got {value!r})")
        if not negative_ok and value < 0:
            self.fail(key, f"must not be negative (got {value!r})")
        return float(value)

    def text(self, value: Any, key: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(key, f"must be a non-empty text (got {value!r})")
        return value

    def text_list(self, value: Any, key: str) -> tuple[str, ...]:
        if isinstance(value, str) or not isinstance(value, (list, tuple)) or not value:
            self.fail(key, f"must be a non-empty list (got {value!r})")
        return tuple(self.text(v, f"{key}[{i}]") for i, v in enumerate(value))

    def known_keys(self, body: Mapping, allowed: tuple[str, ...], key: str) -> None:
        for name in body:
            if name not in allowed:
                self.fail(f"{key}.{name}", f"unknown key (allowed: {', '.join(allowed)})")

    def signal(self, name: Any, key: str, catalogue: Mapping) -> str:
        if name not in KNOWN_SIGNALS:
            self.fail(key, f"unknown signal {name!r} (known: {', '.join(KNOWN_SIGNALS)})")
        if catalogue and name not in catalogue:
            self.fail(key, f"signal {name!r} has no entry under `signals:` (label and reason)")
        return name


RULE_KEYS = ("points", "points_by_value", "amount", "half_life_days", "cap", "when")


def _rule(c: _Checker, dimension: str, signal: str, body: Any, key: str, negative: bool) -> SignalRule:
    body = c.mapping(body, key)
    c.known_keys(body, RULE_KEYS, key)
    if "points" not in body:
        c.fail(f"{key}.points", "missing")
    points = c.number(body["points"], f"{key}.points")
    if negative and points > 0:
        c.fail(f"{key}.points", f"a risk signal subtracts: must be <= 0 (got {points:g})")
    if not negative and points < 0:
        c.fail(f"{key}.points", f"must be >= 0 in a 五好 dimension; put penalties under risks (got {points:g})")
    by_value = tuple(
        (c.text(k, f"{key}.points_by_value"), c.number(v, f"{key}.points_by_value.{k}"))
        for k, v in c.mapping(body.get("points_by_value"), f"{key}.points_by_value", required=False).items()
    )
    amount = None
    if body.get("amount") is not None:
        akey = f"{key}.amount"
        a = c.mapping(body["amount"], akey)
        c.known_keys(a, ("unit_yuan", "points", "scale", "max"), akey)
        scale = a.get("scale", "linear")
        if scale not in ("linear", "log"):
            c.fail(f"{akey}.scale", f"must be linear or log (got {scale!r})")
        amount = AmountRule(
            unit_yuan=c.number(a.get("unit_yuan"), f"{akey}.unit_yuan", positive=True),
            points=c.number(a.get("points"), f"{akey}.points"),
            scale=scale,
            max=c.number(a["max"], f"{akey}.max") if a.get("max") is not None else None,
        )
    half_life = body.get("half_life_days")
    if half_life is not None:
        half_life = c.number(half_life, f"{key}.half_life_days", positive=True)
    cap = body.get("cap")
    if cap is not None:
        cap = c.number(cap, f"{key}.cap", positive=True)
    value_in = value_not_in = None
    if body.get("when") is not None:
        wkey = f"{key}.when"
        when = c.mapping(body["when"], wkey)
        c.known_keys(when, ("value_in", "value_not_in"), wkey)
        if "value_in" in when:
            value_in = tuple(str(v) for v in c.text_list(when["value_in"], f"{wkey}.value_in"))
        if "value_not_in" in when:
            value_not_in = tuple(str(v) for v in c.text_list(when["value_not_in"], f"{wkey}.value_not_in"))
    return SignalRule(dimension, signal, points, by_value, amount, half_life, cap, value_in, value_not_in)


_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def load_scoring_config(scoring: Path | str | Mapping | ScoringConfig | None = None) -> ScoringConfig:
    """Read scoring.yaml (default configs/scoring.yaml), or check an already-parsed mapping."""
    if isinstance(scoring, ScoringConfig):
        return scoring
    if scoring is None or isinstance(scoring, (str, Path)):
        path = Path(scoring) if scoring is not None else configs_dir() / "scoring.yaml"
        if not path.exists():
            raise ScoringConfigError(f"{path}: scoring config not found")
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ScoringConfigError(f"{path}: not valid YAML ({exc})") from None
        origin = str(path)
    else:
        data, origin = dict(scoring), "scoring config"
    c = _Checker(origin)
    c.mapping(data, "(top level)")
    c.known_keys(data, ("as_of", "signals", "dimensions", "risks", "exclusions", "suppressions", "segments",
                        "products", "alerts"), "(top level)")

    as_of = data.get("as_of")
    if as_of is not None:
        if isinstance(as_of, str):
            try:
                as_of = dt.date.fromisoformat(as_of)
            except ValueError:
                c.fail("as_of", f"must be a date YYYY-MM-DD (got {as_of!r})")
        elif isinstance(as_of, dt.datetime):
            as_of = as_of.date()
        elif not isinstance(as_of, dt.date):
            c.fail("as_of", f"must be a date YYYY-MM-DD (got {as_of!r})")

    catalogue: dict[str, SignalInfo] = {}
    for name, body in c.mapping(data.get("signals"), "signals").items():
        key = f"signals.{name}"
        c.signal(name, key, {})
        body = c.mapping(body, key)
        c.known_keys(body, ("label", "kind", "reason"), key)
        kind = body.get("kind", "opportunity")
        if kind not in SIGNAL_KINDS:
            c.fail(f"{key}.kind", f"must be one of {', '.join(SIGNAL_KINDS)} (got {kind!r})")
        reason = c.text(body.get("reason"), f"{key}.reason")
        for placeholder in _PLACEHOLDER.findall(reason):
            if placeholder not in PLACEHOLDERS:
                c.fail(f"{key}.reason", f"unknown placeholder {{{placeholder}}} (known: {', '.join(PLACEHOLDERS)})")
        if reason.count("[") != reason.count("]"):
            c.fail(f"{key}.reason", "unbalanced [ ] (an optional part)")
        catalogue[name] = SignalInfo(name, c.text(body.get("label"), f"{key}.label"), kind, reason)

    dims_body = c.mapping(data.get("dimensions"), "dimensions")
    for name in dims_body:
        if name not in DIMENSIONS:
            c.fail(f"dimensions.{name}", f"unknown dimension (the five goods are: {', '.join(DIMENSIONS)})")
    dimensions = []
    for name in DIMENSIONS:
        key = f"dimensions.{name}"
        if name not in dims_body:
            c.fail(key, "missing (all five 五好 dimensions must be configured, even with no signals)")
        body = c.mapping(dims_body[name], key)
        c.known_keys(body, ("label", "weight", "cap", "signals"), key)
        weight = c.number(body.get("weight", 1.0), f"{key}.weight", negative_ok=False)
        cap = c.number(body["cap"], f"{key}.cap", positive=True) if body.get("cap") is not None else None
        rules = tuple(
            _rule(c, name, c.signal(s, f"{key}.signals.{s}", catalogue), b, f"{key}.signals.{s}", negative=False)
            for s, b in c.mapping(body.get("signals"), f"{key}.signals", required=False).items()
        )
        dimensions.append(Dimension(name, str(body.get("label") or name), weight, cap, rules))

    risks = c.mapping(data.get("risks"), "risks", required=False)
    c.known_keys(risks, ("label", "cap", "signals"), "risks")
    risk_cap = c.number(risks["cap"], "risks.cap", positive=True) if risks.get("cap") is not None else None
    risk_rules = tuple(
        _rule(c, "risk", c.signal(s, f"risks.signals.{s}", catalogue), b, f"risks.signals.{s}", negative=True)
        for s, b in c.mapping(risks.get("signals"), "risks.signals", required=False).items()
    )

    exclusions = c.mapping(data.get("exclusions"), "exclusions", required=False)
    c.known_keys(exclusions, ("signals", "restricted_industries"), "exclusions")
    exclusion_signals = {}
    for s, b in c.mapping(exclusions.get("signals"), "exclusions.signals", required=False).items():
        key = f"exclusions.signals.{s}"
        c.signal(s, key, catalogue)
        b = c.mapping(b or {"label": catalogue[s].label}, key)
        c.known_keys(b, ("label",), key)
        exclusion_signals[s] = str(b.get("label") or catalogue[s].label)
    industries = []
    raw_industries = exclusions.get("restricted_industries") or []
    if not isinstance(raw_industries, list):
        c.fail("exclusions.restricted_industries", "must be a list of {label, keywords, match_on}")
    for i, b in enumerate(raw_industries):
        key = f"exclusions.restricted_industries[{i}]"
        b = c.mapping(b, key)
        c.known_keys(b, ("label", "keywords", "match_on"), key)
        match_on = c.text_list(b.get("match_on", ["industry", "name"]), f"{key}.match_on")
        for field_name in match_on:
            if field_name not in ("industry", "name"):
                c.fail(f"{key}.match_on", f"must list industry and/or name (got {field_name!r})")
        industries.append(RestrictedIndustry(c.text(b.get("label"), f"{key}.label"),
                                             c.text_list(b.get("keywords"), f"{key}.keywords"), match_on))

    suppressions = []
    for s, b in c.mapping(data.get("suppressions"), "suppressions", required=False).items():
        key = f"suppressions.{s}"
        if s not in SUPPRESSION_SIGNALS:
            c.fail(key, f"not a bank-state signal (one of {', '.join(SUPPRESSION_SIGNALS)})")
        c.signal(s, key, catalogue)
        b = c.mapping(b, key)
        c.known_keys(b, ("label", "cooling_off_days"), key)
        days = b.get("cooling_off_days")
        if days is not None:
            days = int(c.number(days, f"{key}.cooling_off_days", positive=True))
        suppressions.append(Suppression(s, str(b.get("label") or catalogue[s].label), days))

    segments = c.mapping(data.get("segments"), "segments")
    c.known_keys(segments, ("existing_signals", "credit_signals"), "segments")
    existing = tuple(c.signal(s, f"segments.existing_signals[{i}]", catalogue)
                     for i, s in enumerate(c.text_list(segments.get("existing_signals"), "segments.existing_signals")))
    credit = tuple(c.signal(s, f"segments.credit_signals[{i}]", catalogue)
                   for i, s in enumerate(c.text_list(segments.get("credit_signals"), "segments.credit_signals")))

    products = []
    for p, b in c.mapping(data.get("products"), "products").items():
        key = f"products.{p}"
        b = c.mapping(b, key)
        c.known_keys(b, ("signals", "min_fit", "label"), key)
        rules = []
        for s, sb in c.mapping(b.get("signals"), f"{key}.signals").items():
            skey = f"{key}.signals.{s}"
            c.signal(s, skey, catalogue)
            sb = c.mapping(sb, skey)
            c.known_keys(sb, ("weight", "half_life_days"), skey)
            weight = c.number(sb.get("weight", 1.0), f"{skey}.weight", positive=True)
            if weight > 1:
                c.fail(f"{skey}.weight", f"must be in (0, 1] (got {weight:g})")
            hl = sb.get("half_life_days")
            rules.append((s, weight, c.number(hl, f"{skey}.half_life_days", positive=True) if hl is not None else None))
        min_fit = c.number(b.get("min_fit", 0), f"{key}.min_fit", negative_ok=False)
        products.append(ProductRule(str(p), tuple(rules), min_fit))

    alerts = c.mapping(data.get("alerts"), "alerts", required=False)
    c.known_keys(alerts, ("signals",), "alerts")
    alert_signals = tuple(c.signal(s, f"alerts.signals[{i}]", catalogue)
                          for i, s in enumerate(alerts.get("signals") or []))

    return ScoringConfig(
        source=origin, as_of=as_of, signals=catalogue, dimensions=tuple(dimensions),
        risk_label=str(risks.get("label") or "风险信号"), risk_cap=risk_cap, risk_rules=risk_rules,
        exclusion_signals=exclusion_signals, restricted_industries=tuple(industries),
        suppressions=tuple(suppressions), existing_signals=existing, credit_signals=credit,
        products=tuple(products), alert_signals=alert_signals, raw=dict(data),
    )
