"""configs/size_standard.yaml: who counts as 普惠 — the national size standard as data.

《中小企业划型标准规定》(工信部联企业〔2011〕300号) classes a firm per industry by 从业人员 (employees),
营业收入 (revenue) and, for some industries, 资产总额 (assets): a firm is of a class when it reaches
every threshold of that class for its industry (中型 / 小型), micro when it misses one of the 小型
thresholds, large when it reaches every large threshold. A revision of the standard is a change of
the YAML. The file also holds the vocabulary the size evidence is read with: the GB/T 4754 codes
and industry words that map a firm onto the standard's industries, the 中小企业声明函's class words,
the USCC kind digits (GB 32100-2015) and the forms of an individual business (个体工商户).

The model only describes and checks the file; `warehouse.sizing` writes it as ref.size_* tables
that dbt_like_sql/core/company_size_evidence.sql joins. A mistake is one line naming the file and
the key path (kernel.config).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, model_validator

from kernel.config import ConfigModel, load_config, validate_config
from kernel.contracts import MEASURED_SIZE_CLASSES, SIZE_EVIDENCE, SIZE_MEASURES, SizeClass, SizeEvidence
from kernel.errors import UserError
from kernel.paths import configs_dir

Text = Annotated[str, Field(min_length=1)]
NonNegative = Annotated[float, Field(ge=0)]
# the thresholds' classes, smallest first; `micro` is what misses the small thresholds
THRESHOLD_CLASSES = ("small", "medium", "large")
CLASS_RANK = {name: rank for rank, name in enumerate(MEASURED_SIZE_CLASSES)}


class SizeStandardError(UserError):
    """configs/size_standard.yaml is wrong: file, key path and problem."""


class Citation(ConfigModel):
    title: Text
    document: Text  # 文号
    issued_by: Text
    issued: Text  # when, as far as the sources say (2011)
    url: Text | None = None
    note: str | None = None


class Thresholds(ConfigModel):
    """What a firm must reach, every measure given, to be of a class (及以上)."""

    employees: NonNegative | None = None  # 从业人员, 人
    revenue_wan: NonNegative | None = None  # 营业收入, 万元
    assets_wan: NonNegative | None = None  # 资产总额, 万元

    @model_validator(mode="after")
    def _one_measure(self) -> Thresholds:
        if not self.measures():
            raise ValueError("names no measure (employees, revenue_wan, assets_wan)")
        return self

    def measures(self) -> dict[str, float]:
        """measure -> threshold in the unit the SQL compares (人, 元)."""
        out = {}
        if self.employees is not None:
            out["employees"] = float(self.employees)
        if self.revenue_wan is not None:
            out["revenue"] = float(self.revenue_wan) * 10_000
        if self.assets_wan is not None:
            out["assets"] = float(self.assets_wan) * 10_000
        return out


class Industry(ConfigModel):
    """One industry row of the standard (第四条), with where its text says it."""

    name: Text
    article: Text  # where the standard says it, e.g. 第四条（二）
    source: Text  # where the figures were read (a URL or document), for the row's citation
    gbt4754: tuple[Text, ...] = ()  # GB/T 4754-2017 code prefixes: a section letter (C), a division (F52) …
    catch_all: bool = False  # the row for a code no other row's prefixes cover (其他未列明行业)
    names: tuple[Text, ...] = ()  # industry words as pages and registries write them (contained)
    small: Thresholds
    medium: Thresholds
    large: Thresholds

    @model_validator(mode="after")
    def _classes_rise(self) -> Industry:
        rows = [getattr(self, c).measures() for c in THRESHOLD_CLASSES]
        if len({tuple(sorted(r)) for r in rows}) != 1:
            raise ValueError(f"{self.name}: small, medium and large must use the same measures")
        for lower, upper, (low_name, up_name) in zip(rows, rows[1:], zip(THRESHOLD_CLASSES, THRESHOLD_CLASSES[1:])):
            for measure, value in lower.items():
                if upper[measure] < value:
                    raise ValueError(f"{self.name}: {up_name}.{measure} is below {low_name}.{measure}")
        return self


class RegistrationKind(ConfigModel):
    """USCC positions 1–2 (GB 32100-2015): the registering authority and the kind of body."""

    prefix: Annotated[str, Field(pattern=r"^[0-9A-HJ-NP-RTUWXY]{2}$")]
    kind: Annotated[str, Field(pattern=r"^[a-z_]+$")]
    label: Text


class IndividualBusiness(ConfigModel):
    """How a 个体工商户 is recognised without its USCC, and the class it gets without figures."""

    default_class: SizeClass = "unknown"
    default_note: str | None = None
    enterprise_types: tuple[Text, ...] = ()  # a registry enterprise type containing one of these
    # The name endings are the resolver's own (warehouse/lookups/legal_forms.csv, class `individual`):
    # these are left out, as firms of other kinds end so too (XX机械厂 is often a collective enterprise)
    name_form_exceptions: tuple[Text, ...] = ()


class PolicyDeclaration(ConfigModel):
    """A declaration that policy treats as a size (残疾人福利性单位, 监狱企业 → small)."""

    size_class: SizeClass
    article: Text


class EvidenceKind(ConfigModel):
    kind: SizeEvidence
    label: Text


class BankRecords(ConfigModel):
    """The bank's own records as lower bounds: payroll headcount ≤ 从业人员, POS volume ≤ 营业收入."""

    pos_months_per_year: Annotated[float, Field(gt=0, le=12)] = 12


class SizeStandard(ConfigModel):
    standard: Citation
    class_labels: dict[SizeClass, Text]
    declared_classes: dict[Text, SizeClass]  # the 声明函's words: 中型企业 → medium …
    industries: tuple[Industry, ...] = Field(min_length=1)
    evidence: tuple[EvidenceKind, ...]
    registration_kinds: tuple[RegistrationKind, ...] = ()
    individual_business: IndividualBusiness = IndividualBusiness()
    policy_declarations: dict[Text, PolicyDeclaration] = {}
    large_enterprise_types: tuple[Text, ...] = ()  # a registry enterprise type naming a listed company
    large_enterprise_type_exceptions: tuple[Text, ...] = ()  # … unless it contains one of these (非上市)
    bank_records: BankRecords = BankRecords()
    no_evidence_text: Text = "无从业人员、营业收入信息"  # what 规模待核实（…） says when nothing is known
    # GB/T 4754 sections by their divisions ("C": [13, 43]): a code written without its letter (3311)
    gbt4754_sections: dict[Annotated[str, Field(pattern=r"^[A-T]$")], tuple[int, int]] = {}

    @model_validator(mode="after")
    def _complete(self) -> SizeStandard:
        names = [i.name for i in self.industries]
        if len(set(names)) != len(names):
            raise ValueError("industries: an industry is named twice")
        kinds = [e.kind for e in self.evidence]
        if sorted(kinds) != sorted(SIZE_EVIDENCE):
            raise ValueError(f"evidence: must list each of {', '.join(SIZE_EVIDENCE)} once, best first")
        missing = [c for c in (*MEASURED_SIZE_CLASSES, "unknown") if c not in self.class_labels]
        if missing:
            raise ValueError(f"class_labels: {missing[0]} has no label")
        if sum(i.catch_all for i in self.industries) > 1:
            raise ValueError("industries: only one industry can be the catch_all")
        prefixes = [k.prefix for k in self.registration_kinds]
        if len(set(prefixes)) != len(prefixes):
            raise ValueError("registration_kinds: a prefix is listed twice")
        return self

    def threshold_rows(self) -> list[tuple[str, str, int, str, float]]:
        """(industry, size_class, class_rank, measure, threshold) rows of ref.size_thresholds."""
        return [(i.name, c, CLASS_RANK[c], measure, value)
                for i in self.industries for c in THRESHOLD_CLASSES
                for measure, value in getattr(i, c).measures().items()]

    def code_rows(self) -> list[tuple[str, str]]:
        """(industry, code prefix) rows of ref.size_industry_codes; the longest prefix wins."""
        return [(i.name, code.upper()) for i in self.industries for code in i.gbt4754]

    def name_rows(self) -> list[tuple[str, str]]:
        """(industry, word) rows of ref.size_industry_names; the longest word found wins."""
        return [(i.name, word) for i in self.industries for word in (i.name, *i.names)]

    def section_rows(self) -> list[tuple[str, int, int]]:
        return [(section, low, high) for section, (low, high) in sorted(self.gbt4754_sections.items())]

    def industry_rows(self) -> list[tuple[str, int, str, str, str, bool]]:
        """(industry, position, article, source, measures, catch_all) rows of ref.size_industries."""
        return [(i.name, n, i.article, i.source, ",".join(m for m in SIZE_MEASURES if m in i.small.measures()),
                 i.catch_all) for n, i in enumerate(self.industries)]


def load_size_standard(standard: Path | str | Mapping | SizeStandard | None = None) -> SizeStandard:
    """configs/size_standard.yaml (or a mapping shaped like it), checked."""
    if isinstance(standard, SizeStandard):
        return standard
    if standard is None or isinstance(standard, (str, Path)):
        path = Path(standard) if standard is not None else configs_dir() / "size_standard.yaml"
        return load_config(SizeStandard, path, error=SizeStandardError)
    data: Any = dict(standard)
    return validate_config(SizeStandard, data, "size standard", error=SizeStandardError)
