"""Fast tests (no browser) of the web app's own parts: the published-file reader follows a publish,
the ops store turns dispositions into bank-state feed files, territory scopes, CSRF wrapping."""

from __future__ import annotations

import csv
import os
import shutil
import sqlite3

import duckdb
import pytest

from kernel.paths import DataPaths
from kernel.territories import load_territories_config
from kernel.users import User
from tuoke.prospects import PublishedWarehouse, Scope, scope_for
from tuoke.web.ops import FEED_FILE_NAME, Disposition, OpsStore, write_disposition_feeds


def _copy_with_name(source, target, name: str) -> None:
    shutil.copyfile(source, target)
    con = duckdb.connect(str(target))
    con.execute("UPDATE marts.prospects_ranked SET name = ? WHERE company_id = 'uscc-91330100MA2B000001'", [name])
    con.close()


def test_the_reader_sees_a_newly_published_file_under_the_same_path(tmp_path, small_site):
    published = tmp_path / "tuoke.duckdb"
    _copy_with_name(small_site.published_db, published, "first build")
    warehouse = PublishedWarehouse(published)
    with warehouse.reading() as reader:
        assert reader.company(Scope.everything(), "uscc-91330100MA2B000001")["name"] == "first build"
    _copy_with_name(small_site.published_db, tmp_path / "next.duckdb", "second build")
    os.replace(tmp_path / "next.duckdb", published)  # what warehouse.publish does
    with warehouse.reading() as reader:
        assert reader.company(Scope.everything(), "uscc-91330100MA2B000001")["name"] == "second build"
    assert warehouse.opened == 2
    warehouse.close()


def _disposition(company_id: str, status: str, note: str = "") -> Disposition:
    return Disposition(company_id=company_id, company_name=f"{company_id}有限公司", uscc=None, branch="杭州分行",
                       status=status, note=note, product="政采贷", username="hz_rm", recorded_at="")


def test_the_latest_disposition_becomes_a_row_of_the_feed_with_its_meaning(tmp_path):
    paths = DataPaths(tmp_path)
    store = OpsStore.for_paths(paths)
    store.record(_disposition("甲", "applied"))
    store.record(_disposition("甲", "not_interested", "暂无需求"))  # the later one wins
    store.record(_disposition("乙", "do_not_contact"))
    store.record(_disposition("丙", "contacted"))
    counts = write_disposition_feeds(store, paths)
    assert counts == {"risk_declines": 1, "open_applications": 0, "credit_customers": 0, "do_not_contact": 1}
    with open(paths.inbox / "risk_declines" / FEED_FILE_NAME, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["客户名称"] for r in rows] == ["甲有限公司"] and "暂无需求" in rows[0]["拒绝原因"]
    assert not (paths.inbox / "open_applications" / FEED_FILE_NAME).exists()
    mtime = (paths.inbox / "do_not_contact" / FEED_FILE_NAME).stat().st_mtime_ns
    write_disposition_feeds(store, paths)  # unchanged: not rewritten (the inbox sensor stays quiet)
    assert (paths.inbox / "do_not_contact" / FEED_FILE_NAME).stat().st_mtime_ns == mtime
    assert len(store.history("甲")) == 2 and store.touched_company_ids() == {"甲", "乙", "丙"}
    backup = store.backup()
    assert store.backup_if_older_than(hours=1) is None  # a fresh one exists
    copy = sqlite3.connect(backup)
    assert copy.execute("SELECT count(*) FROM dispositions").fetchone()[0] == 4
    copy.close()
    with pytest.raises(ValueError):
        store.record(_disposition("丁", "maybe"))


def test_scopes_follow_role_and_territories():
    territories = load_territories_config()
    rm = scope_for(User(username="a1", role="rm", branch="慈溪支行"), territories)
    head = scope_for(User(username="a2", role="regional_head", region="宁波市"), territories)
    hq = scope_for(User(username="a3", role="head_office"), territories)
    assert rm.branches == ("慈溪支行",)
    assert set(head.branches) == {"宁波分行", "慈溪支行", "余姚支行"}
    assert hq.branches is None and hq.allows("任何支行") and not rm.allows("宁波分行")


def test_every_post_route_checks_the_csrf_token(tmp_path, monkeypatch):
    from starlette.routing import Route

    from tuoke.web.app import WebSettings, create_app

    monkeypatch.setenv("TUOKE_WEB_SECRET", "test-secret")
    app = create_app(WebSettings.from_configs(paths=DataPaths(tmp_path)))
    posts = [r for r in app.routes if isinstance(r, Route) and "POST" in (r.methods or ())]
    assert len(posts) >= 3 and all(getattr(r.endpoint, "csrf_protected", False) for r in posts)


def test_a_carriage_return_in_a_note_stays_in_its_feed_row(tmp_path):
    """An RM pastes a note from Excel (a cell's line break is a bare CR): the feed file the next
    build loads keeps it inside the row, read by the feeds' own reader."""
    from warehouse.feeds.read import read_feed_file

    paths = DataPaths(tmp_path)
    store = OpsStore.for_paths(paths)
    store.record(_disposition("甲", "not_interested", "老板不在\r下月再联系"))
    store.record(_disposition("乙", "not_interested", "无需求"))
    write_disposition_feeds(store, paths)
    feed = paths.inbox / "risk_declines" / FEED_FILE_NAME
    headers, rows = read_feed_file(feed)
    reasons = {r[0]: r[headers.index("拒绝原因")] for r in rows}
    assert len(rows) == 2 and "老板不在\r下月再联系" in reasons["甲有限公司"] and "无需求" in reasons["乙有限公司"]
    assert feed.read_bytes().endswith(b"\r\n")
    mtime = feed.stat().st_mtime_ns
    write_disposition_feeds(store, paths)  # the same bytes: not rewritten
    assert feed.stat().st_mtime_ns == mtime


def test_the_latest_dispositions_of_a_page_are_read_for_its_companies(tmp_path):
    store = OpsStore.for_paths(DataPaths(tmp_path))
    for company_id, status in (("甲", "contacted"), ("乙", "applied"), ("甲", "approved"), ("o'neil", "contacted")):
        store.record(_disposition(company_id, status))
    latest = store.latest(["甲", "o'neil", "不在"])
    assert {k: d.status for k, d in latest.items()} == {"甲": "approved", "o'neil": "contacted"}
    assert store.latest([]) == {} and set(store.latest()) == {"甲", "乙", "o'neil"}
