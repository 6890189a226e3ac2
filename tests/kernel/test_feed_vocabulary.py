"""The feed vocabulary is configs/feeds.yaml: the loader's tables and the demo's drop folders follow it."""

from kernel.feeds import feed_names, feed_tables
from tuoke.commands.demo import DEMO_INTERNAL_DIR, demo_feed_of


def test_feed_tables_follow_feeds_yaml():
    names = feed_names()
    assert len(names) == len(set(names)) >= 7
    assert feed_tables() == (*(f"raw.feed_{n}" for n in names), "raw.feed_files")
    custom = {"feeds": {"leases": {"columns": {"lessee_name": {"from": "承租人", "type": "name"}}}}}
    assert feed_tables(custom) == ("raw.feed_leases", "raw.feed_files")


def test_every_demo_export_goes_to_one_feed_and_every_feed_gets_one():
    names = feed_names()
    mapped = {path.name: demo_feed_of(path.name, names) for path in DEMO_INTERNAL_DIR.glob("*.csv")}
    assert None not in mapped.values(), mapped
    assert sorted(mapped.values()) == sorted(names)
    assert demo_feed_of("pos_merchants.csv", ("pos", "pos_merchants")) == "pos_merchants"  # the longest wins
    assert demo_feed_of("possible.csv", ("pos",)) is None
