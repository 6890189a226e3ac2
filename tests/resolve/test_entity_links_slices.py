"""The build step writes core.entity_links and core.entity_records a slice at a time, with the
side columns (industry, source, region hint) held as categories: written in slices of a few rows,
the tables are the tables written at once, and a category gives back the text it was made from."""

from __future__ import annotations

import pandas as pd

import warehouse.entity_links as entity_links
from tests.resolve.entity_world import built_entity_records

ROWS = [
    (f"r{i:03d}", src, "winner_list", name, uscc, addr, hint)
    for i, (src, name, uscc, addr, hint) in enumerate([
        ("gp_zj", "杭州宏达机械有限公司", "", "浙江省杭州市余杭区1号", "浙江省"),
        ("gp_zj", "杭州宏达机械有限公司", "", "", None),
        ("dir_cx", "宏达机械有限公司", "", "", "慈溪"),
        ("dir_cx", "宁波海天塑机有限公司", "91330200144070001X", "宁波市北仑区", "慈溪"),
        ("gp_js", "宏达机械有限公司杭州分公司", "", "", None),
        ("gp_js", "南京信源软件有限公司", "", "南京市玄武区2号", "江苏省"),
        ("gp_js", "南京信源软件有限公司", "", "南京市玄武区2号", None),
    ] * 3)
]


def _tables(folder, monkeypatch, write_rows: int) -> dict[str, list]:
    monkeypatch.setattr(entity_links, "WRITE_ROWS", write_rows)
    con = built_entity_records(folder, ROWS)
    try:
        return {table: con.execute(f"SELECT * FROM core.{table} ORDER BY record_id").fetchall()
                for table in ("entity_links", "entity_records")}
    finally:
        con.close()


def test_tables_written_in_slices_are_the_tables_written_at_once(tmp_path, monkeypatch):
    whole = _tables(tmp_path / "whole", monkeypatch, 10**6)
    sliced = _tables(tmp_path / "sliced", monkeypatch, 4)
    assert sliced == whole
    assert len(whole["entity_records"]) == len(ROWS)
    sources = {row[-1] for row in whole["entity_records"]}
    assert sources == {"gp_zj", "dir_cx", "gp_js"}


def test_side_columns_as_categories_give_back_their_texts():
    records = pd.DataFrame({"industry": pd.array([None, "制造业", None], dtype="str"),
                            "source": pd.array(["a", "b", "a"], dtype="str"),
                            "region_hint": pd.array([None, None, None], dtype="str"), "name": ["x", "y", "z"]})
    side = entity_links.side_columns(records)
    for column in entity_links.SIDE_COLUMNS:
        assert side[column].to_numpy(dtype=object, na_value=None).tolist() == \
            records[column].to_numpy(dtype=object, na_value=None).tolist()
