"""serving.prospect_list's fit order key sorts exactly as (fit DESC NULLS LAST, pos)."""

from __future__ import annotations

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from warehouse.serving import FIT_LIMIT, fit_order_sql

fits = st.one_of(st.none(), st.integers(-FIT_LIMIT, FIT_LIMIT), st.integers(-1000, 1000))


@settings(max_examples=60, deadline=None)
@given(st.lists(fits, min_size=1, max_size=40))
def test_the_key_orders_rows_as_fit_then_position(values):
    con = duckdb.connect()
    con.execute("CREATE TABLE t (pos INTEGER, fit INTEGER)")
    con.executemany("INSERT INTO t VALUES (?, ?)", list(enumerate(values)))
    by_key = [r[0] for r in con.execute(f"SELECT pos FROM t ORDER BY {fit_order_sql('fit')}").fetchall()]
    by_pair = [r[0] for r in con.execute("SELECT pos FROM t ORDER BY fit DESC NULLS LAST, pos").fetchall()]
    assert by_key == by_pair
    con.close()
