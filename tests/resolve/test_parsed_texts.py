"""The texts only core.entity_records reads (display name, match key, parent key) are kept as Arrow
strings (warehouse/resolve/parse_bulk.py): read back per name, cut to a subset or parsed in several
chunks, they are the texts the name parser gives."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from warehouse.resolve import parse_bulk
from warehouse.resolve.name_parts import parse_company_name

NAMES = np.array([f"杭州{a}{b}机械设备有限公司" for a in "宏鸿华信" for b in "达逹远盛"] * 2
                 + ["宏达机械有限公司杭州分公司", "上海澳妆国际贸易有限公司", "澳妆（上海）國際貿易有限公司", ""], dtype=object)
NONE = np.array([], dtype=object)


def _parse(monkeypatch, chunk: int):
    monkeypatch.setitem(parse_bulk.CHUNK, "names", chunk)
    names, _addresses, _codes = parse_bulk.parse_distinct(NAMES, NONE, NONE, workers=1, with_display=True)
    return names


def test_describe_only_texts_are_arrow_and_read_back_as_the_parser_gives_them(monkeypatch):
    names = _parse(monkeypatch, 16_000)
    assert isinstance(names.display, pa.Array) and isinstance(names.keys["match_key"], pa.Array)
    parsed = [parse_company_name(n) for n in NAMES]
    assert names.column("match_key").tolist() == [p.match_key for p in parsed]
    assert names.display_at(np.arange(len(NAMES))).tolist() == [p.display for p in parsed]
    assert names.column("parent_key")[-4] is not None  # the branch names its parent
    assert names.text_at("core", np.arange(len(NAMES))).tolist() == names.column("core").tolist()


def test_chunks_and_subsets_of_arrow_texts_are_the_whole(monkeypatch):
    whole = _parse(monkeypatch, 16_000)
    chunked = _parse(monkeypatch, 5)
    everyone = np.arange(len(NAMES))
    for field in ("match_key", "parent_key", "core", "legal_form"):
        assert chunked.column(field).tolist() == whole.column(field).tolist(), field
    assert chunked.display_at(everyone).tolist() == whole.display_at(everyone).tolist()
    used = np.array([1, 4, 5, 32, 33, len(NAMES) - 1])
    part = whole.subset(used)
    for field in ("match_key", "parent_key", "core"):
        assert part.column(field).tolist() == whole.column(field)[used].tolist(), field
    assert part.display_at(np.arange(len(used))).tolist() == whole.display_at(used).tolist()


def test_the_parsers_caches_are_empty_once_everything_is_parsed(monkeypatch):
    names = _parse(monkeypatch, 16_000)
    assert len(names) == len(NAMES)
    assert all(cached.cache_info().currsize == 0 for cached in parse_bulk.PARSE_CACHES)
    again = _parse(monkeypatch, 16_000)  # parsing again without the caches gives the same
    assert again.column("match_key").tolist() == names.column("match_key").tolist()
