"""One concept, one definition: each contract below is defined in one place and imported; these
tests fail when a second definition appears in the code (kernel, scrapers, warehouse, pipelines,
tuoke)."""

from __future__ import annotations

import re

import yaml

from kernel.contracts import SEGMENT_LABELS
from kernel.paths import REPO_ROOT, configs_dir

PACKAGES = ("kernel", "scrapers", "warehouse", "pipelines", "tuoke")
# A definition still to be replaced by the import, by the helper who owns its folder; listed here
# so that the test is strict for everything else (remove the line when the import lands).
PENDING = {("name-length limit", "scrapers/extract/org_names.py")}


def sources(suffixes=(".py",)) -> dict[str, str]:
    return {str(p.relative_to(REPO_ROOT)): p.read_text(encoding="utf-8")
            for package in PACKAGES for p in sorted((REPO_ROOT / package).rglob("*"))
            if p.suffix in suffixes and "__pycache__" not in p.parts}


def defined_in(concept: str, pattern: str, suffixes=(".py",)) -> set[str]:
    found = {path for path, text in sources(suffixes).items() if re.search(pattern, text, re.MULTILINE)}
    return found - {path for c, path in PENDING if c == concept}


def test_the_name_length_limit_is_defined_once():
    assert defined_in("name-length limit", r"^\s*MAX_NAME\w*\s*=\s*\d+") == {"kernel/limits.py"}


def test_the_notice_keys_are_defined_once():
    assert defined_in("notice keys", r'\(\s*"notice_id",\s*"notice_title"') == {"kernel/contracts.py"}


def test_the_reference_tables_are_listed_once():
    assert defined_in("reference tables", r"^\s*\w*REFERENCE_TABLES\w*\s*[:=]") == {"kernel/contracts.py"}


def test_the_uscc_check_is_written_once():
    weights = r"1,\s*3,\s*9,\s*27,\s*19,\s*26,\s*16"
    assert defined_in("uscc", weights) == {"kernel/uscc.py"}
    assert defined_in("uscc", r"^\s*(import|from) stdnum") == set()  # stdnum is the tests' oracle


def test_one_opencc_converter_serves_every_reader_of_a_name():
    """Names are compared after t2s: the region index and the extractor must convert as they do."""
    assert defined_in("opencc", r"OpenCC\(") == {"kernel/chinese_script.py"}


def test_segment_labels_are_defined_once():
    for label in SEGMENT_LABELS.values():
        assert defined_in("segment labels", re.escape(f'"{label}"'), (".py", ".html")) == {"kernel/contracts.py"}


def test_dimension_labels_come_from_scoring_yaml():
    scoring = yaml.safe_load((configs_dir() / "scoring.yaml").read_text(encoding="utf-8"))
    labels = {d["label"] for d in scoring["dimensions"].values()} | {"经营", "企业主", "口碑", "风险缓释", "合作意愿"}
    for label in labels:
        assert defined_in("dimension labels", re.escape(f'"{label}"') + "|" + re.escape(f">{label}<"),
                          (".py", ".html")) == set(), label


def test_the_faces_never_compute_the_scoring_marts_keys():
    in_sql = r"\bhash\((\?|[\w.]*company_id)"
    assert {p for p in defined_in("company_key", in_sql, (".py", ".html")) if p.startswith("tuoke/")} == set()


def test_the_feeds_config_describes_personal_data_as_keyed_hashes():
    text = (configs_dir() / "feeds.yaml").read_text(encoding="utf-8")
    assert "salted" not in text and "HMAC" in text
