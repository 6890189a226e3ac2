"""The totals of the list's filters are counted once per published file (tuoke/prospects/counts.py):
the same filter, page after page and sort after sort, is counted once, every answer is the
count of the file being read, and a newly published file is counted afresh."""

from __future__ import annotations

import os
import shutil

import duckdb

from tuoke.prospects import ProspectFilter, PublishedWarehouse, Scope
from tuoke.prospects.counts import ListCounts

HANGZHOU = "杭州分行"


def _counted(path, branch: str) -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM marts.prospects_ranked WHERE branch = ? AND rank IS NOT NULL",
                           [branch]).fetchone()[0]
    finally:
        con.close()


def _drop_half_of(source, target, branch: str) -> None:
    """A copy of `source` whose next build lists only the better half of `branch`."""
    shutil.copyfile(source, target)
    con = duckdb.connect(str(target))
    worst = "SELECT company_id FROM marts.prospects_ranked WHERE branch = ? AND rank > (SELECT max(rank) / 2 " \
            "FROM marts.prospects_ranked WHERE branch = ?)"
    for table in ("serving.prospect_list", "serving.prospect_names", "marts.prospects_ranked"):
        con.execute(f"DELETE FROM {table} WHERE company_id IN ({worst})", [branch, branch])
    con.close()


def test_a_republished_file_is_counted_afresh(tmp_path, small_site):
    published = tmp_path / "tuoke.duckdb"
    shutil.copyfile(small_site.published_db, published)
    warehouse = PublishedWarehouse(published)
    f = ProspectFilter(branch=HANGZHOU)
    try:
        with warehouse.reading() as reader:
            before = reader.page(Scope.everything(), f).total
        assert before == _counted(published, HANGZHOU) > 2
        _drop_half_of(small_site.published_db, tmp_path / "next.duckdb", HANGZHOU)
        os.replace(tmp_path / "next.duckdb", published)  # what warehouse.publish does
        with warehouse.reading() as reader:
            after = reader.page(Scope.everything(), f)
        assert after.total == _counted(published, HANGZHOU) < before
        assert len(after.rows) == after.total  # the rows and the count come from the same file
    finally:
        warehouse.close()


def test_a_filter_is_counted_once_whatever_its_page_and_sort(small_site):
    warehouse = PublishedWarehouse(small_site.published_db)
    working = PublishedWarehouse(small_site.root.parent / "work.duckdb")  # no serving tables: counted by SQL
    try:
        for source in (warehouse, working):
            with source.reading() as reader:
                counts = reader.counts
                f = ProspectFilter(branch=HANGZHOU, page_size=25)
                totals = {reader.page(Scope.everything(), g).total for g in (
                    f, ProspectFilter(branch=HANGZHOU, page=2, page_size=25), ProspectFilter(branch=HANGZHOU, sort="name"),
                    ProspectFilter(branch=HANGZHOU, sort="score", page_size=100))}
                assert totals == {_counted(small_site.published_db, HANGZHOU)} and counts.computed == 1
                scoped = reader.page(Scope((HANGZHOU,)), f).total  # another scope is another count …
                other = reader.page(Scope.everything(), ProspectFilter(branch=HANGZHOU, segment="new_to_bank")).total
                assert counts.computed == 3 and scoped == totals.pop() and other <= scoped
                reader.page(Scope((HANGZHOU,)), f)  # … remembered as well
                assert counts.computed == 3
    finally:
        warehouse.close()
        working.close()


def test_a_search_is_counted_once_and_paged_from_its_first_hits(small_site):
    warehouse = PublishedWarehouse(small_site.published_db)
    try:
        with warehouse.reading() as reader:
            names = [r[0] for r in reader.cursor.execute(
                "SELECT name FROM serving.prospect_names ORDER BY pos").fetchall()]
            word = "测试"  # the small site's 杭州测试39贸易有限公司 …: more than a page of them
            matching = [n for n in names if word in n]
            assert len(matching) > 25
            first = reader.page(Scope.everything(), ProspectFilter(q=word, page_size=25))
            second = reader.page(Scope.everything(), ProspectFilter(q=word, page_size=25, page=2))
            assert first.total == second.total == len(matching) and reader.counts.computed == 1
            assert [r["name"] for r in first.rows + second.rows] == matching[:50]
    finally:
        warehouse.close()


def test_the_least_recently_used_count_goes_first():
    counts = ListCounts(capacity=2)
    scope = Scope.everything()
    filters = [ProspectFilter(branch=b) for b in ("a", "b", "c")]
    for n, f in enumerate(filters[:2]):
        assert counts.total(scope, f, lambda n=n: n) == n
    counts.total(scope, filters[0], lambda: 99)  # remembered: a stays, b is now the oldest
    counts.total(scope, filters[2], lambda: 2)
    assert counts.total(scope, filters[0], lambda: 99) == 0
    assert counts.total(scope, filters[1], lambda: 7) == 7 and counts.computed == 4
