"""The prospect page reads a company's link features through kernel.link_features, and a malformed
text costs its two cells, never the page."""

from __future__ import annotations

import duckdb

from kernel.link_features import LinkFeatures
from tuoke.prospects.view import _evidence


def test_link_features_are_read_through_the_kernel_dataclass():
    con = duckdb.connect()
    con.execute("CREATE SCHEMA core")
    con.execute("CREATE TABLE core.entity_links (record_id VARCHAR, company_id VARCHAR, rule VARCHAR, score DOUBLE, "
                "features JSON)")
    con.execute("CREATE TABLE core.entity_records (record_id VARCHAR, company_id VARCHAR, display_name VARCHAR, "
                "source_id VARCHAR, uscc VARCHAR)")
    good = LinkFeatures(rule="registry_name", strength="strong", similarity=0.95,
                        agreed=("match_key", "registry_uscc")).to_json()
    con.executemany("INSERT INTO core.entity_links VALUES (?, 'c1', ?, 1.0, ?)",
                    [("r1", "registry_name", good), ("r2", "test", '{"rule": "x", "strength": "sure"}')])
    con.executemany("INSERT INTO core.entity_records VALUES (?, 'c1', ?, 'src', NULL)",
                    [("r1", "江西中江地产股份有限公司"), ("r2", "中江地产")])
    rows = {r["record_id"]: r for r in _evidence(con.cursor(), "c1")}
    assert rows["r1"]["agreed"] == "match_key、registry_uscc" and rows["r1"]["similarity"] == 0.95
    assert rows["r2"]["agreed"] == "" and rows["r2"]["similarity"] is None
