"""Prepare the published copy for `tuoke serve`: indexes for one-company lookups and
`serving.prospect_signals`, the signal rows with their reasons (the prospect page), and
`serving.prospect_list`, the ranked list with its filters precomputed (the list page).

A prospect page asks a dozen tables for the rows of one company. Without an index DuckDB scans
every row (ten million signals: about half a second); its min/max zone maps cannot help, because
company ids share their first bytes (`uscc-913…`, `name-…`) and VARCHAR statistics keep only a
prefix. An ART index answers the same lookup in milliseconds.

The list page filters a million ranked companies by signal type, product and "new this build";
joined at request time against ten million signal rows that takes seconds. `serving.prospect_list`
holds the ranked rows (every column of marts.prospects_ranked, so a new column reaches the page
without a change here) with bit masks of the company's signal types and products
(`serving.signal_bits`, `serving.product_bits`: name, bit, mask), an is_new flag, and `pos`, its
place in the default order (score, then rank, then branch), stored in that order, and `fit_<bit>`,
the fit of each product, with `fit_order_<bit>`, its place in that product's fit order (sorting
by a product's fit is a top-N of one integer column, not of a map or a pair). A page
of the default order reads the first rows that pass the filter, a scan of narrow columns.
`serving.prospect_names(pos, branch, name, uscc, company_id, <n-gram masks>)`, stored
uncompressed, answers a name search: the read model keeps the names and masks of a file in memory
and tests only the names whose n-gram masks hold every n-gram of the search (tuoke/prospects/
name_search.py); a file without masks is searched with one scan of the names.

A prospect page lists every signal row of its company with the readable reason. Rendered per
request, the reason macro (ref.fill_reason) alone costs several milliseconds of CPU for a dozen
rows, and the rows of one company lie scattered over ten million. `serving.prospect_signals` holds
the columns the page shows with `reason_text` rendered once here and the points each row gave
(marts.signal_points_rows joined to its rules, summed per row; derived rules' points as rows of
their own), stored by company, so the page reads its signals and points in one short run of rows.

Both are made on the copy that is about to be published (`warehouse.publish.publish(...,
prepare=prepare_published_copy)`), never on the working warehouse: builds replace and rewrite
those tables, and an index there would only slow them down or block an ALTER.
"""

from __future__ import annotations

import time
from pathlib import Path

import duckdb

from warehouse.db import apply_engine_settings

# (table, column): the lookups a prospect page makes (its signal rows come from serving.prospect_signals)
LOOKUP_INDEXES = (
    ("core.companies", "company_id"),
    ("serving.prospect_signals", "company_id"),
    ("core.company_mentions", "company_id"),
    ("core.entity_links", "company_id"),
    ("core.entity_records", "company_id"),
    ("marts.company_flags", "company_id"),
    ("marts.prospects_ranked", "company_id"),
    ("marts.company_segments", "company_id"),
    ("marts.signal_points_rows", "company_key"),
)


def _is_table_with(con, table: str, column: str) -> bool:
    schema, name = table.split(".")
    return bool(con.execute(
        "SELECT count(*) FROM information_schema.columns AS c JOIN information_schema.tables AS t "
        "USING (table_catalog, table_schema, table_name) WHERE c.table_schema = ? AND c.table_name = ? "
        "AND c.column_name = ? AND t.table_type = 'BASE TABLE' AND c.table_catalog = current_database()",
        [schema, name, column]).fetchone()[0])


MAX_BITS = 64  # one UBIGINT mask per kind: at most 64 signal types and 64 products

# (table, what it numbers, the table and column that name them)
BIT_TABLES = (
    ("serving.signal_bits", "signal", "SELECT DISTINCT signal FROM core.company_signals"),
    ("serving.product_bits", "product", "SELECT DISTINCT product FROM ref.scoring_products"),
)

PROSPECT_LIST_SQL = """
CREATE OR REPLACE TABLE serving.prospect_list AS
SELECT *{fit_orders}
FROM (
WITH signal_masks AS (
    SELECT s.company_id, bit_or(b.mask) AS signal_mask
    FROM core.company_signals AS s JOIN serving.signal_bits AS b USING (signal)
    GROUP BY s.company_id
),
product_masks AS (
    SELECT p.company_id, bit_or(b.mask) AS product_mask
    FROM (SELECT company_id, unnest(products) AS product FROM marts.prospects_ranked WHERE rank IS NOT NULL) AS p
    JOIN serving.product_bits AS b USING (product)
    GROUP BY p.company_id
),
new_this_build AS (
    SELECT DISTINCT company_id FROM marts.new_signals
)
SELECT CAST(row_number() OVER (ORDER BY p.score DESC, p.rank, p.branch) AS INTEGER) AS pos, p.*,
       CAST(coalesce(s.signal_mask, 0) AS UBIGINT) AS signal_mask,
       CAST(coalesce(m.product_mask, 0) AS UBIGINT) AS product_mask,
       n.company_id IS NOT NULL AS is_new{fit_columns}
FROM marts.prospects_ranked AS p
LEFT JOIN signal_masks AS s USING (company_id)
LEFT JOIN product_masks AS m USING (company_id)
LEFT JOIN new_this_build AS n USING (company_id)
WHERE p.rank IS NOT NULL
)
ORDER BY pos
"""


def fit_order_column(bit: int) -> str:
    """The column whose ascending order is product `bit`'s fit order (fit first, NULL last, then
    pos): a page sorted by fit is a top-N of one integer (7.4 -> 4.0 ms at 1M rows, against the
    fit and pos pair). An order over all rows is the order of any filtered subset."""
    return f"fit_order_{int(bit)}"


FIT_LIMIT = 1 << 28  # |fit| is a score of a few hundred at most; clamped, it cannot reach the NULL band


def fit_order_sql(fit: str) -> str:
    """(fit descending, NULL last) in the high 32 bits, pos in the low ones, as one BIGINT: computed
    per row (a window sort per product cost 13 s at 1M rows). Placed after pos is computed."""
    return (f"CAST(((CASE WHEN {fit} IS NULL THEN {2 * (FIT_LIMIT << 1)} ELSE {FIT_LIMIT << 1} - "
            f"greatest(least({fit}, {FIT_LIMIT}), -{FIT_LIMIT}) END)::BIGINT << 32) + pos AS BIGINT)")


# (column, n, which 16-bit window of the hash picks the bit): two 64-bit masks of a name's bigrams
# (for a two-character search) and four of its trigrams (a longer one: each more nearly halves the
# names that pass by chance; a 1M-name test passed ~15 % with two, ~1 % with four)
GRAM_MASKS = (("bigram_mask_a", 2, 0), ("bigram_mask_b", 2, 2),
              ("trigram_mask_a", 3, 0), ("trigram_mask_b", 3, 1), ("trigram_mask_c", 3, 2), ("trigram_mask_d", 3, 3))


def gram_mask_sql(text: str, n: int, window: int) -> str:
    """SQL for a mask of `text`'s n-grams: each n-gram sets one of 64 bits, chosen by one 16-bit
    window of DuckDB's hash of it. A substring's n-grams are all n-grams of the string it is in, so
    its masks are subsets of that string's masks (a Bloom filter: no match is ever lost); a string
    shorter than n has none (mask 0, which every mask holds)."""
    return (f"CAST(list_reduce(list_transform(range(1, length({text}) - {n - 2}), lambda i: (1::UBIGINT << "
            f"((hash(substr({text}, i, {n})) >> {16 * window}) % 64)::INTEGER)), lambda a, b: a | b, 0::UBIGINT) "
            "AS UBIGINT)")


def gram_masks_sql(text: str) -> str:
    """Every mask of GRAM_MASKS of `text`, as columns named after them."""
    return ", ".join(f"{gram_mask_sql(text, n, window)} AS {column}" for column, n, window in GRAM_MASKS)


def gram_masks_of(con, texts: list[str]) -> list[tuple[int, ...]]:
    """GRAM_MASKS of each string of `texts`, the same as `gram_masks_sql` gives: DuckDB hashes the
    n-grams, the bits are chosen here (one flat query: `gram_masks_sql` of one search string costs
    about 2.4 ms of CPU to bind its six list lambdas, this about 0.3 ms)."""
    grams = sorted({text[i:i + n] for text in texts for _, n, _ in GRAM_MASKS for i in range(len(text) - n + 1)})
    hashes = dict(con.execute("SELECT g, hash(g) FROM unnest(?::VARCHAR[]) AS t(g)", [grams]).fetchall())
    masks = []
    for text in texts:
        row = []
        for _, n, window in GRAM_MASKS:
            mask = 0
            for i in range(len(text) - n + 1):
                mask |= 1 << ((hashes[text[i:i + n]] >> (16 * window)) % 64)
            row.append(mask)
        masks.append(tuple(row))
    return masks


def build_prospect_list(con: duckdb.DuckDBPyConnection) -> bool:
    """serving.signal_bits, serving.product_bits and serving.prospect_list (see module docstring);
    False when the warehouse lacks a table they need."""
    needed = (("marts.prospects_ranked", "rank"), ("core.company_signals", "signal"), ("marts.new_signals", "company_id"),
              ("ref.scoring_products", "product"))
    if not all(_is_table_with(con, t, c) for t, c in needed):
        return False
    con.execute("CREATE SCHEMA IF NOT EXISTS serving")
    for table, name, names in BIT_TABLES:
        con.execute(
            # DuckDB widens `UBIGINT << INTEGER` to HUGEINT: a 128-bit mask made every masked page scan
            # do 128-bit arithmetic (signal filter 5.2 -> 3.5 ms CPU at 1M rows once cast back)
            f"CREATE OR REPLACE TABLE {table} AS SELECT {name}, bit, CAST(CAST(1 AS UBIGINT) << bit AS UBIGINT) AS mask FROM ("
            f"SELECT {name}, CAST(row_number() OVER (ORDER BY {name}) - 1 AS INTEGER) AS bit FROM ({names}) "
            f"WHERE {name} IS NOT NULL) WHERE bit < {MAX_BITS} ORDER BY bit")
    bits = con.execute("SELECT product, bit FROM serving.product_bits ORDER BY bit").fetchall()
    fits = "".join(f",\n       p.product_fit[{_literal(product)}] AS fit_{bit}" for product, bit in bits)
    orders = "".join(f",\n       {fit_order_sql(f'fit_{bit}')} AS {fit_order_column(bit)}" for _, bit in bits)
    con.execute(PROSPECT_LIST_SQL.format(fit_columns=fits, fit_orders=orders))
    # contains() on FSST-compressed names decompresses every row; uncompressed it reads ~half the time
    con.execute("SET force_compression = 'uncompressed'")
    try:
        con.execute("CREATE OR REPLACE TABLE serving.prospect_names AS "
                    f"SELECT pos, branch, name, uscc, company_id, {gram_masks_sql('name')} "
                    "FROM serving.prospect_list ORDER BY pos")
    finally:
        con.execute("RESET force_compression")
    return True


# the columns of a signal row the prospect page shows (besides company_id and reason_text)
PROSPECT_SIGNAL_COLUMNS = ("signal_id", "signal", "observed_at", "value", "amount", "source_id", "url")


def reason_text_sql(s: str = "s", r: str = "r") -> str:
    """The readable reason of signal row `s` (ref.scoring_signals joined as `r`): its template filled
    by ref.fill_reason (dbt_like_sql/macros/signal_reason.sql); a signal without one reads as its name."""
    args = f"{s}.value, {s}.amount, {s}.observed_at, {s}.detail, {s}.list_name, {s}.source_id"
    return f"coalesce(ref.fill_reason({r}.reason_template, {r}.label, {args}), {s}.signal)"


def has_fill_reason(con) -> bool:
    return bool(con.execute("SELECT count(*) FROM duckdb_functions() WHERE schema_name = 'ref' "
                            "AND function_name = 'fill_reason'").fetchone()[0])


def build_prospect_signals(con: duckdb.DuckDBPyConnection) -> bool:
    """serving.prospect_signals (see module docstring): each signal row with its reason and the
    points it gave (`points`, `points_by_dimension`: "business 3.50, willingness 1.00"), and one row
    per derived rule's points (negative signal_id, `dimension` set, the label as reason), so a page
    reads its signals and points in one lookup. False when the warehouse lacks what it needs (an
    older build without ref.fill_reason is read from core.company_signals)."""
    if not (_is_table_with(con, "core.company_signals", "detail")
            and _is_table_with(con, "ref.scoring_signals", "reason_template") and has_fill_reason(con)
            and _is_table_with(con, "marts.signal_points_rows", "company_key")
            and _is_table_with(con, "marts.company_segments", "company_key")):
        return False
    con.execute("CREATE SCHEMA IF NOT EXISTS serving")
    columns = ", ".join(f"s.{c}" for c in PROSPECT_SIGNAL_COLUMNS)
    blanks = ", ".join(f"NULL AS {c}" for c in PROSPECT_SIGNAL_COLUMNS if c not in ("signal_id", "signal"))
    con.execute(f"""
        CREATE OR REPLACE TABLE serving.prospect_signals AS
        WITH points AS (
            SELECT k.company_id, p.signal_id, CASE WHEN p.signal_id < 0 THEN u.dimension END AS dimension,
                   any_value(u.signal) AS rule_signal, sum(p.points) AS points,
                   string_agg(u.dimension || ' ' || CAST(p.points AS VARCHAR), ', ' ORDER BY u.dimension, p.rule_id)
                       AS points_by_dimension
            FROM marts.signal_points_rows AS p
            JOIN ref.scoring_rules AS u USING (rule_id)
            JOIN marts.company_segments AS k USING (company_key)
            GROUP BY ALL
        )
        SELECT s.company_id, {columns}, {reason_text_sql()} AS reason_text,
               coalesce(x.points, 0) AS points, coalesce(x.points_by_dimension, '') AS points_by_dimension,
               NULL::VARCHAR AS dimension
        FROM core.company_signals AS s
        LEFT JOIN ref.scoring_signals AS r ON r.signal = s.signal
        LEFT JOIN points AS x ON x.company_id = s.company_id AND x.signal_id = s.signal_id
        UNION ALL BY NAME
        SELECT x.company_id, x.signal_id, x.rule_signal AS signal, {blanks},
               coalesce(g.label, x.rule_signal) AS reason_text, x.points, x.points_by_dimension, x.dimension
        FROM points AS x LEFT JOIN ref.scoring_signals AS g ON g.signal = x.rule_signal
        WHERE x.signal_id < 0
        ORDER BY company_id, signal_id
        """)
    return True


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def prepare_published_copy(path: Path | str) -> dict[str, float]:
    """Lookup indexes and the prospect list for the file at `path`; returns seconds per step."""
    seconds = {}
    con = duckdb.connect(str(path))
    try:
        # bounded like every build connection (configs/engine.yaml), spilling beside the copy: an
        # unbounded DuckDB took 3.7 GiB here at a million mentions
        apply_engine_settings(con, Path(path).parent)
        con.execute("SET enable_progress_bar = false")
        started = time.monotonic()
        if build_prospect_list(con):
            seconds["serving.prospect_list"] = round(time.monotonic() - started, 3)
        started = time.monotonic()
        if build_prospect_signals(con):
            seconds["serving.prospect_signals"] = round(time.monotonic() - started, 3)
        for table, column in LOOKUP_INDEXES:
            if not _is_table_with(con, table, column):
                continue
            started = time.monotonic()
            index = f"lookup_{table.replace('.', '_')}_{column}"
            con.execute(f"CREATE INDEX IF NOT EXISTS {index} ON {table} ({column})")
            seconds[f"index {table}.{column}"] = round(time.monotonic() - started, 3)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return seconds
