"""configs/scoring.yaml as pydantic v2 models. Unknown keys are errors, and every mistake is one
sentence naming the file, the key path and what is wrong, e.g. `configs/scoring.yaml:
dimensions.business.signals.procurement_win.half_life_days: must be a number (got 'soon')`.

The models only describe and check the file; `warehouse.scoring` turns them into the ref.scoring_*
tables the SQL models in dbt_like_sql/marts/ join. No SQL is written here or there.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from kernel.config import ConfigModel, key_path, read_yaml
from kernel.contracts import (
    DIMENSIONS,
    SIGNALS,
    SIZE_SEGMENTS,
    SUPPRESSION_SIGNALS,
    Dimension,
    Signal,
    SignalKind,
    SizeSegment,
)
from kernel.errors import UserError
from kernel.paths import configs_dir

RISK = "risk"
PLACEHOLDERS = ("month", "date", "value", "detail", "list_name", "amount_wan", "amount_yuan", "label", "source_id")
Positive = Annotated[float, Field(gt=0)]
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


class ScoringConfigError(UserError):
    """scoring.yaml is wrong; the message names file, key path and problem."""


class SignalInfo(ConfigModel):
    label: str = Field(min_length=1)
    kind: SignalKind = "opportunity"
    reason: str = Field(min_length=1)

    @field_validator("reason")
    @classmethod
    def _known_placeholders(cls, reason: str) -> str:
        for placeholder in _PLACEHOLDER.findall(reason):
            if placeholder not in PLACEHOLDERS:
                raise ValueError(f"unknown placeholder {{{placeholder}}} (known: {', '.join(PLACEHOLDERS)})")
        if reason.count("[") != reason.count("]"):
            raise ValueError("unbalanced [ ] (an optional part)")
        return reason


class AmountTerm(ConfigModel):
    unit_yuan: Positive
    points: float
    scale: Literal["linear", "log"] = "linear"
    max: float | None = None


class When(ConfigModel):
    value_in: list[str] | None = Field(default=None, min_length=1)
    value_not_in: list[str] | None = Field(default=None, min_length=1)


class Rule(ConfigModel):
    """Points of one signal in one dimension (see the header of configs/scoring.yaml)."""

    points: float
    points_by_value: dict[str, float] = {}
    amount: AmountTerm | None = None
    half_life_days: Positive | None = None
    cap: Positive | None = None
    when: When | None = None

    @field_validator("points")
    @classmethod
    def _adds(cls, points: float) -> float:
        if points < 0:
            raise ValueError(f"must be >= 0 in a 五好 dimension; put penalties under risks (got {points:g})")
        return points


class RiskRule(Rule):
    @field_validator("points")
    @classmethod
    def _adds(cls, points: float) -> float:
        if points > 0:
            raise ValueError(f"a risk signal subtracts: must be <= 0 (got {points:g})")
        return points


class DimensionConfig(ConfigModel):
    label: str | None = None
    weight: Annotated[float, Field(ge=0)] = 1.0
    cap: Positive | None = None
    signals: dict[Signal, Rule] = {}

    @field_validator("signals", mode="before")
    @classmethod
    def _none_is_empty(cls, value: Any) -> Any:
        return {} if value is None else value


class Risks(ConfigModel):
    label: str = "风险信号"
    cap: Positive | None = None
    signals: dict[Signal, RiskRule] = {}


class ExclusionLabel(ConfigModel):
    label: str | None = None


class RestrictedIndustry(ConfigModel):
    label: str = Field(min_length=1)
    keywords: list[str] = Field(min_length=1)
    match_on: list[Literal["industry", "name"]] = Field(default=["industry", "name"], min_length=1)


class Exclusions(ConfigModel):
    signals: dict[Signal, ExclusionLabel | None] = {}
    restricted_industries: list[RestrictedIndustry] = []


class Suppression(ConfigModel):
    label: str | None = None
    cooling_off_days: Annotated[int, Field(gt=0)] | None = None


class Segments(ConfigModel):
    existing_signals: list[Signal] = Field(min_length=1)
    credit_signals: list[Signal] = Field(min_length=1)


class ProductSignal(ConfigModel):
    weight: Annotated[float, Field(gt=0, le=1)] = 1.0
    half_life_days: Positive | None = None


class Product(ConfigModel):
    label: str | None = None
    signals: dict[Signal, ProductSignal] = Field(min_length=1)
    min_fit: Annotated[float, Field(ge=0)] = 0
    # not offered to a company with any of these signals (收单 to a merchant already on our POS)
    unless: list[Signal] = []
    # offered only to companies of these size segments (个体工商户 → 个体经营贷, micro → 小微快贷 …)
    sizes: list[SizeSegment] = list(SIZE_SEGMENTS)
    # 持续经营满N年: not offered to a company the registry shows founded less than this long ago
    min_years_in_business: Annotated[float, Field(gt=0)] | None = None


class Sizing(ConfigModel):
    """Who counts as 普惠 (docs/sizing.md): what happens to medium and large firms, the 普惠 credit
    ceiling, and the registry rules."""

    medium: Literal["rank", "exclude"] = "rank"  # medium firms rank in their own segment, or leave the list
    medium_label: str = "中型企业——非普惠型小微企业口径"  # the exclusion's words when medium is excluded
    # the segments whose loans count as 普惠型小微企业贷款; the credit ceiling applies to them
    puhui_segments: list[SizeSegment] = ["individual_business", "micro", "small", "unknown"]
    # 普惠型小微企业贷款: 单户授信总额 1000 万元（含）以下; our current balance counts against it
    max_credit_per_borrower_yuan: Annotated[float, Field(gt=0)] = 10_000_000
    # registry status words that close a company (不得受理), contained in the status as written
    closed_statuses: list[str] = Field(default=["吊销", "注销"], min_length=1)
    newly_established_days: Annotated[int, Field(gt=0)] = 365


class Alerts(ConfigModel):
    signals: list[Signal] = []


class ScoringConfig(ConfigModel):
    as_of: dt.date | None = None
    signals: dict[Signal, SignalInfo]
    dimensions: dict[Dimension, DimensionConfig]
    risks: Risks = Risks()
    exclusions: Exclusions = Exclusions()
    suppressions: dict[Signal, Suppression] = {}
    segments: Segments
    products: dict[str, Product]
    alerts: Alerts = Alerts()
    sizing: Sizing = Sizing()

    @model_validator(mode="after")
    def _all_five_dimensions(self) -> ScoringConfig:
        missing = [d for d in DIMENSIONS if d not in self.dimensions]
        if missing:
            raise ValueError(f"dimensions.{missing[0]}: missing (all five 五好 dimensions must be configured, "
                             "even with no signals)")
        for name in self.suppressions:
            if name not in SUPPRESSION_SIGNALS:
                raise ValueError(f"suppressions.{name}: not a bank-state signal (one of {', '.join(SUPPRESSION_SIGNALS)})")
        for where, name in self.signal_uses():
            if name not in self.signals:
                raise ValueError(f"{where}: signal {name!r} has no entry under `signals:` (label and reason)")
        return self

    def signal_uses(self) -> list[tuple[str, str]]:
        """(key path, signal) for every place a signal is named outside the catalogue."""
        uses = [(f"dimensions.{d}.signals.{s}", s) for d, body in self.dimensions.items() for s in body.signals]
        uses += [(f"risks.signals.{s}", s) for s in self.risks.signals]
        uses += [(f"exclusions.signals.{s}", s) for s in self.exclusions.signals]
        uses += [(f"suppressions.{s}", s) for s in self.suppressions]
        uses += [(f"segments.existing_signals[{i}]", s) for i, s in enumerate(self.segments.existing_signals)]
        uses += [(f"segments.credit_signals[{i}]", s) for i, s in enumerate(self.segments.credit_signals)]
        uses += [(f"products.{p}.signals.{s}", s) for p, body in self.products.items() for s in body.signals]
        uses += [(f"products.{p}.unless[{i}]", s) for p, body in self.products.items() for i, s in enumerate(body.unless)]
        uses += [(f"alerts.signals[{i}]", s) for i, s in enumerate(self.alerts.signals)]
        return uses

    def scored_dimensions(self) -> list[tuple[str, str, float, float | None, dict[str, Rule]]]:
        """(name, label, weight, cap, rules) of the five dimensions then risk, in that order."""
        rows = [(name, self.dimensions[name].label or name, self.dimensions[name].weight, self.dimensions[name].cap,
                 self.dimensions[name].signals) for name in DIMENSIONS]
        rows.append((RISK, self.risks.label, 1.0, self.risks.cap, self.risks.signals))
        return rows

    def exclusion_labels(self) -> dict[str, str]:
        return {s: (body.label if body and body.label else self.signals[s].label)
                for s, body in self.exclusions.signals.items()}


def _message(error: dict) -> str:
    """pydantic's wording made to read like the rest of tuoke's config errors."""
    kind, got = error["type"], error.get("input")
    ctx = error.get("ctx") or {}
    loc = error["loc"]
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "missing":
        return "missing"
    if kind == "literal_error" and "[key]" in loc:
        parent = loc[loc.index("[key]") - 2] if loc.index("[key]") >= 2 else loc[0]
        if parent == "dimensions":
            return f"unknown dimension (the five goods are: {', '.join(DIMENSIONS)})"
        return f"unknown signal {got!r} (known: {', '.join(SIGNALS)})"
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type", "int_from_float"):
        return f"must be a number (got {got!r})"
    if kind == "greater_than":
        return f"must be a number > {ctx.get('gt')} (got {got!r})"
    if kind == "greater_than_equal":
        return f"must not be below {ctx.get('ge')} (got {got!r})"
    if kind == "less_than_equal":
        low = " (0, 1]" if ctx.get("le") == 1 else f" <= {ctx.get('le')}"
        return f"must be in{low} (got {got!r})"
    if kind in ("date_from_datetime_parsing", "date_parsing", "date_type"):
        return f"must be a date YYYY-MM-DD (got {got!r})"
    return error["msg"].removeprefix("Value error, ")


def describe(exc: ValidationError, origin: str) -> str:
    errors = sorted(exc.errors(include_url=False), key=lambda e: e["type"] != "extra_forbidden")
    first = errors[0]
    path = key_path(first["loc"])
    message = _message(first)
    if first["type"] == "value_error" and not path and ": " in message:
        path, message = message.split(": ", 1)  # a whole-file rule names its own key path
    return f"{origin}: {path or '(top level)'}: {message}"


def load_scoring_config(scoring: Path | str | Mapping | ScoringConfig | None = None) -> ScoringConfig:
    """Read scoring.yaml (default configs/scoring.yaml), or check an already-parsed mapping."""
    if isinstance(scoring, ScoringConfig):
        return scoring
    if scoring is None or isinstance(scoring, (str, Path)):
        path = Path(scoring) if scoring is not None else configs_dir() / "scoring.yaml"
        try:
            data = read_yaml(path)
        except UserError as exc:
            raise ScoringConfigError(str(exc)) from None
        origin = str(path)
    else:
        data, origin = dict(scoring), "scoring config"
    if not isinstance(data, Mapping):
        raise ScoringConfigError(f"{origin}: (top level): must be a mapping")
    try:
        return ScoringConfig.model_validate(data)
    except ValidationError as exc:
        raise ScoringConfigError(describe(exc, origin)) from None
