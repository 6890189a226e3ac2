"""The in-memory name search (tuoke/prospects/name_search.py) answers exactly what the scan of the
names answers: every name holding the search, in scope and branch, in the default order — for any
substring of any listed name, for strings no name holds, and for names the masks could trip on
(one character, none, characters outside the BMP, combining marks, no branch) — and the first
hits of a search are the first of all its hits; a search string's masks are those publish stores."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tuoke.prospects import ProspectFilter, PublishedWarehouse, Scope, name_search
from tuoke.prospects.name_search import MAX_CANDIDATE_SHARE, NAMES_TABLE, NameIndex
from warehouse.serving import gram_masks_of, gram_masks_sql

# real names' shapes (../shared/real-names) and the awkward ones
NAMES = [
    "杭州海康威视数字技术股份有限公司", "海康威视", "浙江大华技术股份有限公司", "宁波舟山港股份有限公司", "舟山港",
    "温州市鹿城区恒通五金商行", "恒通五金", "恒", "", None, "𠀋𠀌科技有限公司", "é̃lan 贸易（上海）有限公司",
    "中国农业发展银行", "中国银行股份有限公司", "北京科技园建设（集团）股份有限公司", "科技园",
]
BRANCHES = ["杭州分行", "宁波分行", None, "温州分行"]


@pytest.fixture(scope="module")
def names_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("names") / "names.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA serving")
    rows = [(i + 1, BRANCHES[i % len(BRANCHES)], name) for i, name in enumerate(NAMES * 3)]
    con.execute("CREATE TABLE raw(pos INTEGER, branch VARCHAR, name VARCHAR)")
    con.executemany("INSERT INTO raw VALUES (?, ?, ?)", rows)
    con.execute(f"CREATE TABLE {NAMES_TABLE} AS SELECT pos, branch, name, NULL::VARCHAR AS uscc, "
                f"'c' || pos AS company_id, {gram_masks_sql('name')} FROM raw ORDER BY pos")
    con.close()
    con = duckdb.connect(str(path), read_only=True)
    yield con
    con.close()


def _scan(cur, q: str, branches: set[str] | None) -> list[int]:
    return [r[0] for r in cur.execute(
        f"SELECT pos FROM {NAMES_TABLE} WHERE contains(name, ?) AND (? OR list_contains(?::VARCHAR[], branch)) "
        "ORDER BY pos", [q, branches is None, sorted(branches or ())]).fetchall()]


def _agrees(cur, index: NameIndex, q: str, branches: set[str] | None) -> bool:
    found = index.search(cur, q, branches)
    return found is None or found == _scan(cur, q, branches)


def test_every_substring_of_every_name_is_found_exactly(names_db):
    index = NameIndex.load(names_db)
    assert index is not None
    answered = 0
    for name in filter(None, NAMES):
        for i in range(len(name)):
            for j in range(i + 2, len(name) + 1):
                q = name[i:j]
                for branches in (None, {"杭州分行"}, {"宁波分行", "温州分行"}, set()):
                    assert _agrees(names_db, index, q, branches), (q, branches)
                    answered += index.search(names_db, q, branches) is not None
    assert answered > 1000  # the index answered, not only the scan


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(alphabet=st.sampled_from(list("海康威视科技园有限公司恒通中国银行发展𠀋é̃ ()（）")), min_size=2, max_size=8))
def test_strings_no_name_holds_are_not_found(names_db, q):
    index = NameIndex.load(names_db)
    assert _agrees(names_db, index, q, None)


def test_a_common_word_is_left_to_the_scan(names_db):
    index = NameIndex.load(names_db)
    share = sum(1 for n in NAMES if n and "有限公司" in n) / len(NAMES)
    assert share > MAX_CANDIDATE_SHARE
    assert index.search(names_db, "有限公司", None) is None
    assert index.search(names_db, "恒", None) is None  # one character
    assert index.search(names_db, "c12", None) is None  # may be a company id


def test_the_published_file_searches_through_the_index(small_site):
    warehouse = PublishedWarehouse(small_site.published_db)
    try:
        with warehouse.reading() as reader:
            index = reader.names.get(reader.cursor)
            assert index is not None
            names = [r[0] for r in reader.cursor.execute(f"SELECT name FROM {NAMES_TABLE} ORDER BY pos").fetchall()]
            word = names[0][2:6]
            assert index.search(reader.cursor, word, None) == _scan(reader.cursor, word, None)
            page = reader.page(Scope.everything(), ProspectFilter(q=word))
            assert page.total == len(_scan(reader.cursor, word, None)) and all(word in r["name"] for r in page.rows)
    finally:
        warehouse.close()


REAL_SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "real_names_sample.csv"  # from ../shared/real-names


def _real_names() -> list[str]:
    with REAL_SAMPLE.open(encoding="utf-8") as handle:
        return [row["name"] for row in csv.DictReader(handle)]


def test_a_search_strings_masks_are_the_ones_publish_stores(names_db):
    texts = _real_names() + [n for n in NAMES if n is not None]
    assert len(texts) > 400
    stored = [tuple(int(m) for m in row) for row in names_db.execute(
        f"SELECT {gram_masks_sql('t.name')} FROM unnest(?::VARCHAR[]) WITH ORDINALITY AS t(name, i) ORDER BY i",
        [texts]).fetchall()]
    assert gram_masks_of(names_db, texts) == stored


@pytest.fixture(scope="module")
def real_names_db(tmp_path_factory):
    """Six thousand real names (the sample, repeated) over three branches: enough that a rarer word
    is searched through the index, and many chunks of names when a chunk is one word."""
    path = tmp_path_factory.mktemp("real-names") / "names.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA serving")
    names = _real_names() * 15
    con.execute(f"CREATE TABLE {NAMES_TABLE} AS SELECT CAST(i AS INTEGER) AS pos, "
                "(['杭州分行', '宁波分行', '温州分行'])[i % 3 + 1] AS branch, name, NULL::VARCHAR AS uscc, "
                f"'c' || i AS company_id, {gram_masks_sql('name')} "
                "FROM unnest(?::VARCHAR[]) WITH ORDINALITY AS t(name, i) ORDER BY i", [names])
    con.close()
    con = duckdb.connect(str(path), read_only=True)
    yield con
    con.close()


@pytest.mark.parametrize("q", ["技术股份", "信息技术", "中国", "浙江", "电子"])
def test_the_first_hits_of_a_search_are_the_first_of_all_its_hits(real_names_db, monkeypatch, q):
    monkeypatch.setattr(name_search, "CHUNK_WORDS", 1)  # 64 names per step: many steps to stop between
    index = NameIndex.load(real_names_db)
    for branches in (None, {"宁波分行"}):
        every = _scan(real_names_db, q, branches)
        assert index.search(real_names_db, q, branches) == every  # answered by the index, not the scan
        assert every[0] // 64 < every[-1] // 64  # hits in more than one step
        for first in (1, 7, 50, len(every), len(every) + 5):
            assert index.search(real_names_db, q, branches, first) == every[:first]
