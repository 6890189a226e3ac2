"""configs/resolution.yaml: defaults, the shipped file, and mistakes named by their key path."""

from __future__ import annotations

from pathlib import Path

import pytest

from kernel.paths import REPO_ROOT
from kernel.resolution_config import ResolutionConfig, ResolutionConfigError, load_resolution_config


def test_the_shipped_file_is_the_defaults():
    assert load_resolution_config(REPO_ROOT / "configs" / "resolution.yaml") == ResolutionConfig()


def test_a_bank_tightens_one_threshold(tmp_path: Path):
    path = tmp_path / "resolution.yaml"
    path.write_text("comparison:\n  address_similarity: 95\n", encoding="utf-8")
    config = load_resolution_config(path)
    assert config.comparison.address_similarity == 95 and config.threshold("comparison.address_similarity") == 95
    assert config.blocking == ResolutionConfig().blocking


@pytest.mark.parametrize("text,message", [
    ("comparison:\n  adress_similarity: 90\n", "comparison.adress_similarity: unknown key"),
    ("comparison:\n  address_similarity: 120\n", "comparison.address_similarity"),
    ("blocking:\n  typo_min_length: 9\n  typo_max_length: 4\n", "typo_min_length must not exceed"),
    ("- a list\n", "must be a mapping"),
])
def test_mistakes_are_one_line_with_the_key_path(tmp_path: Path, text: str, message: str):
    path = tmp_path / "resolution.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ResolutionConfigError) as error:
        load_resolution_config(path)
    assert message in str(error.value) and str(path) in str(error.value) and "\n" not in str(error.value)
