"""configs/size_standard.yaml is the standard's text as data: every threshold equals 第四条 as read
(tests/fixtures/sizing/standard_article4.txt), every row cites where it was read, and a wrong file
is one line naming the key path."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from kernel.size_standard import SizeStandardError, load_size_standard

REPO = Path(__file__).resolve().parents[2]
ARTICLE_4 = REPO / "tests" / "fixtures" / "sizing" / "standard_article4.txt"
SHIPPED = REPO / "configs" / "size_standard.yaml"
MEASURE = {"从业人员": "employees", "营业收入": "revenue_wan", "资产总额": "assets_wan"}


def _bounds(clause: str) -> dict[str, float]:
    """{measure: number} of one clause: "从业人员300人及以上，且营业收入2000万元及以上"."""
    return {MEASURE[word]: float(number) for word, number in re.findall(r"(从业人员|营业收入|资产总额)(\d+)(?:人|万元)", clause)}


def article_4() -> dict[str, dict[str, dict[str, float]]]:
    """industry -> {large, medium, small: {measure: threshold}} read from the standard's text."""
    rows = {}
    for line in ARTICLE_4.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^（[一二三四五六七八九十]+）(.+?)。(.+?)的为中小微型企业。其中，(.+?)的为中型企业[，；](.+?)的为小型企业", line)
        if match:
            industry, sme_bound, medium, small = match.groups()
            rows[industry] = {"large": _bounds(sme_bound), "medium": _bounds(medium), "small": _bounds(small)}
    return rows


def test_the_text_has_sixteen_industries():
    assert len(article_4()) == 16


def test_every_threshold_equals_the_standards_text():
    standard = load_size_standard(SHIPPED)
    text = article_4()
    assert [i.name for i in standard.industries] == list(text)
    for industry in standard.industries:
        for size_class in ("small", "medium", "large"):
            configured = {k: v for k, v in getattr(industry, size_class).model_dump().items() if v is not None}
            assert configured == text[industry.name][size_class], (industry.name, size_class)


def test_every_row_cites_its_source_and_article():
    for industry in load_size_standard(SHIPPED).industries:
        assert industry.article.startswith("第四条（") and len(industry.source) > 20, industry.name
        assert "PENDING" not in industry.source


def test_domain_md_rows_agree():
    # DOMAIN.md quotes 工业 (中型 300/2000, 小型 20/300, large 1000/40000) and 零售业 (中型 50/500, 小型 10/100)
    rows = {i.name: i for i in load_size_standard(SHIPPED).industries}
    assert rows["工业"].medium.measures() == {"employees": 300, "revenue": 20_000_000}
    assert rows["工业"].large.measures() == {"employees": 1000, "revenue": 400_000_000}
    assert rows["零售业"].small.measures() == {"employees": 10, "revenue": 1_000_000}


def _shipped() -> dict:
    return yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["industries"][1]["medium"].update(employees="many"), r"industries\[1\]\.medium\.employees"),
    (lambda d: d["industries"][1]["small"].update(employees=500), r"工业: medium\.employees is below small\.employees"),
    (lambda d: d["industries"][1]["large"].pop("employees"), r"工业: small, medium and large must use the same measures"),
    (lambda d: d["industries"][1].update(thresholds={}), r"industries\[1\]\.thresholds: unknown key"),
    (lambda d: d["evidence"].pop(), r"evidence: must list each of"),
    (lambda d: d["declared_classes"].update(巨型企业="huge"), r"declared_classes\.巨型企业"),
])
def test_a_wrong_standard_names_the_key_path(change, message):
    data = _shipped()
    change(data)
    with pytest.raises(SizeStandardError, match=message):
        load_size_standard(data)
