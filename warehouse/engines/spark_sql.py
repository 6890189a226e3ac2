"""The dbt_like_sql models' DuckDB SQL as Spark SQL: sqlglot's transpilation plus the rewrites a
construct needs beyond it, each one function below, listed in `REWRITES` (docs: scale-out), and
the dbt_like_sql macros expanded inline. warehouse/engines/spark.py runs the result.
"""

from __future__ import annotations

from pathlib import Path

import sqlglot
from sqlglot import exp, transforms
from sqlglot.dialects.spark import Spark

from warehouse.engines.sql_models import SqlModel

REWRITES = {
    "arg_max/arg_min with n": "DuckDB's arg_max(x, key, n) returns the top-n list; Spark's max_by has no n. "
    "Rewritten to transform(slice(sort_array(collect_list(struct(key, x)), asc), 1, n), s -> s.x).",
    "QUALIFY": "sqlglot's Spark target rewrites QUALIFY into a subquery with a `_w` column, which collides "
    "when two such CTEs are stacked (SELECT * carries the first `_w`). Spark >= 3.5 runs QUALIFY itself, "
    "so the `spark35` dialect below keeps it.",
    "GROUP BY … QUALIFY <aggregate>": "Spark rejects an aggregate inside QUALIFY's window (MISSING_GROUP_BY). "
    "The grouped query computes the QUALIFY predicate as a column `_qualify` and an outer query keeps "
    "the rows where it holds, projecting the original columns.",
    "from_json(x, '[\"VARCHAR\"]')": "DuckDB's JSON structure strings become Spark DDL types "
    "('[\"VARCHAR\"]' -> 'array<string>', {\"k\": \"BIGINT\"} -> 'struct<k:bigint>').",
    "list_has_any(a, b) / a && b": "arrays_overlap(a, b).",
    "list(x ORDER BY k …)": "sqlglot drops the ORDER BY (Spark's collect_list has none), so the order would "
    "be Spark's: collected as structs of the sort keys and x, sorted by a comparator that keeps each "
    "key's direction and DuckDB's NULLS LAST, then mapped back to x.",
    "hash(…)": "xxhash64(…). Both are 64-bit hashes used only as surrogate join keys (company_key, key_hash); "
    "their values differ between engines, so the comparison leaves those columns out.",
    "CREATE TABLE IF NOT EXISTS … + INSERT (history models)": "run as written; the session creates Parquet "
    "tables by default (spark.sql.legacy.createHiveTableByDefault=false). Their state starts empty in a fresh "
    "Spark run, as it did in DuckDB's first build.",
    "UBIGINT, UINTEGER": "BIGINT (Spark has no unsigned types).",
    "CREATE MACRO (dbt_like_sql/macros)": "expanded inline at each call, arguments substituted for the "
    "parameters, nested macros too: a DuckDB macro is an expression template, and Spark's SQL functions "
    "would need declared parameter types.",
    "date - to_days(n)": "date_sub(date, n) (date_add for +).",
    "SET / RESET / PRAGMA": "DuckDB session settings (insertion order, memory) are left out on Spark.",
    "strftime(x, fmt)": "date_format(x, pattern) with literal text in fmt quoted (sqlglot copies the T "
    "and Z of '%Y%m%dT%H%M%S%fZ' unquoted, which Spark rejects).",
    "MAP {} / MAP {k: v}": "map() / map(k, v): sqlglot writes DuckDB's map literal as MAP STRUCT(…).",
    "CREATE OR REPLACE TABLE": "Spark's session catalog cannot replace a Parquet table; "
    "each model runs as DROP TABLE IF EXISTS + CREATE TABLE … USING parquet AS <query>.",
    "lambda x, i: … (list_filter, list_transform)": "DuckDB counts the index i from 1, Spark from 0: "
    "i becomes (i + 1) in the body.",
    "list[a:b]": "slice(list, a, b - a + 1) (DuckDB slices are 1-based with both ends in).",
    "list_position(l, x)": "array_position(l, x).",
    "agg(…) FILTER (WHERE c) of a rewritten top-n/ordered list": "the FILTER goes onto the collect_list "
    "inside (Spark rejects FILTER on transform).",
    "string_agg(DISTINCT x, sep ORDER BY x)": "nullif(array_join(array_sort(collect_set(x)), sep), ''): "
    "Spark's LISTAGG with DISTINCT, WITHIN GROUP and FILTER fails in its planner (ClassCastException).",
    "printf(fmt, x)": "if(x IS NULL, NULL, format_string(fmt, x)): Spark formats NULL as 'null'.",
    "list index past the end": "NULL in both: the session runs with spark.sql.ansi.enabled=false "
    "(Spark 4 raises otherwise).",
}


class SparkModelError(RuntimeError):
    """A model's transpiled SQL failed on Spark; the message names the file and holds the SQL."""


class Spark35(Spark):
    """Spark SQL as Spark >= 3.5 runs it: QUALIFY kept, the other Select rewrites as sqlglot's Spark."""

    class Generator(Spark.Generator):
        TRANSFORMS = {
            **Spark.Generator.TRANSFORMS,
            exp.Select: transforms.preprocess([
                transforms.eliminate_distinct_on,
                transforms.unnest_to_explode,
                transforms.any_to_exists,
            ]),
        }


def _topn_struct_list(agg: exp.Expression, descending: bool) -> exp.Expression:
    value, key, n = agg.this, agg.expression, agg.args["count"]
    pairs = exp.Anonymous(this="collect_list", expressions=[
        exp.Anonymous(this="struct", expressions=[exp.alias_(key, "k"), exp.alias_(value, "v")])])
    ordered = exp.Anonymous(this="sort_array", expressions=[pairs, exp.false() if descending else exp.true()])
    first_n = exp.Anonymous(this="slice", expressions=[ordered, exp.Literal.number(1), n])
    return sqlglot.parse_one(f"transform({first_n.sql(Spark35)}, s -> s.v)", read=Spark35)


_SPARK_TYPES = {"VARCHAR": "string", "TEXT": "string", "BIGINT": "bigint", "INTEGER": "int", "DOUBLE": "double",
                "BOOLEAN": "boolean", "DATE": "date", "TIMESTAMP": "timestamp", "FLOAT": "float"}


def _spark_ddl(structure: object) -> str:
    """A DuckDB from_json structure (parsed JSON) as a Spark DDL type string."""
    if isinstance(structure, list):
        return f"array<{_spark_ddl(structure[0])}>"
    if isinstance(structure, dict):
        return "struct<" + ",".join(f"{k}:{_spark_ddl(v)}" for k, v in structure.items()) + ">"
    return _SPARK_TYPES.get(str(structure).upper(), str(structure).lower())


def _from_json_structure(node: exp.FromJson) -> exp.Expression:
    import json

    structure = node.expression
    if not (isinstance(structure, exp.Literal) and structure.is_string):
        return node
    ddl = _spark_ddl(json.loads(structure.this))
    return exp.Anonymous(this="from_json", expressions=[node.this, exp.Literal.string(ddl)])


# Spark has no unsigned integers; the only UBIGINT columns hold xxhash64's signed values.
_UNSIGNED = {exp.DataType.Type.UBIGINT: "BIGINT", exp.DataType.Type.UINT: "BIGINT",
             exp.DataType.Type.USMALLINT: "INT", exp.DataType.Type.UTINYINT: "SMALLINT"}


# strftime directive → Spark pattern letters: sqlglot's own table for the Spark dialect
_STRFTIME = {k[1:]: v for k, v in Spark.INVERSE_TIME_MAPPING.items() if len(k) == 2 and k[0] == "%"}


def spark_datetime_pattern(strftime: str) -> str:
    """A strftime format as a Spark datetime pattern, with literal text quoted ('T', 'Z', 年 …)."""
    out, literal, i = [], "", 0
    while i < len(strftime):
        if strftime[i] == "%" and i + 1 < len(strftime) and strftime[i + 1] in _STRFTIME:
            if literal:
                out.append("'" + literal.replace("'", "''") + "'")
                literal = ""
            out.append(_STRFTIME[strftime[i + 1]])
            i += 2
        else:
            literal += strftime[i]
            i += 1
    if literal:
        out.append("'" + literal.replace("'", "''") + "'")
    return "".join(out)


def _key_comparison(keys: list[exp.Ordered], i: int) -> str:
    """Spark SQL comparing l.k{i} and r.k{i} (then the next keys): -1, 0 or 1, DuckDB's NULLS LAST default."""
    if i == len(keys):
        return "0"
    key = keys[i]
    direction = 1 if key.args.get("desc") else -1  # l < r gives -1 ascending
    nulls_first = bool(key.args.get("nulls_first"))
    null_side = -1 if nulls_first else 1
    k = f"k{i}"
    return (f"CASE WHEN l.{k} IS NULL AND r.{k} IS NULL THEN {_key_comparison(keys, i + 1)} "
            f"WHEN l.{k} IS NULL THEN {null_side} WHEN r.{k} IS NULL THEN {-null_side} "
            f"WHEN l.{k} < r.{k} THEN {direction} WHEN l.{k} > r.{k} THEN {-direction} "
            f"ELSE {_key_comparison(keys, i + 1)} END")


def _ordered_collect(node: exp.ArrayAgg) -> exp.Expression:
    order = node.this
    value, keys = order.this, list(order.expressions)
    fields = ", ".join([f"{k.this.sql(Spark35)} AS k{i}" for i, k in enumerate(keys)] + [f"{value.sql(Spark35)} AS v"])
    sql = (f"transform(array_sort(collect_list(struct({fields})), (l, r) -> {_key_comparison(keys, 0)}), "
           f"s -> s.v)")
    return sqlglot.parse_one(sql, read=Spark35)


def _map_literal(node: exp.ToMap) -> exp.Expression:
    pairs = node.this.expressions if isinstance(node.this, exp.Struct) else []
    args = [part for pair in pairs for part in (pair.this, pair.expression)]
    return exp.Anonymous(this="map", expressions=args)


def _grouped_qualify_as_subquery(select: exp.Select) -> exp.Expression:
    predicate = select.args["qualify"].this
    inner = select.copy()
    inner.set("qualify", None)
    inner.select(exp.alias_(predicate.copy(), "_qualify"), copy=False)
    names = [e.alias_or_name for e in select.expressions]
    return exp.select(*[exp.column(n) for n in names]).from_(inner.subquery("_grouped")).where(exp.column("_qualify"))


def _one_based_index_lambda(node: exp.ArrayFilter | exp.Transform) -> exp.Expression:
    """DuckDB's `lambda x, i:` counts i from 1, Spark's `(x, i) ->` from 0."""
    fn = node.expression
    if not isinstance(fn, exp.Lambda) or len(fn.expressions) != 2:
        return node
    index = fn.expressions[1].name
    body = fn.this.transform(
        lambda n: exp.paren(exp.Add(this=n.copy(), expression=exp.Literal.number(1)), copy=False)
        if isinstance(n, exp.Identifier) and n.name == index and not isinstance(n.parent, exp.Column | exp.Lambda)
        else n)
    return type(node)(this=node.this, expression=exp.Lambda(this=body, expressions=fn.expressions))


def _list_slice(node: exp.Bracket) -> exp.Expression:
    """DuckDB's `list[a:b]` (1-based, both ends in) as Spark's slice(list, a, length)."""
    part = node.expressions[0]
    start, end = part.this, part.expression
    if not (isinstance(start, exp.Literal) and isinstance(end, exp.Literal)):
        raise SparkModelError(f"only literal list slices are translated: {node.sql(dialect='duckdb')}")
    length = int(end.this) - int(start.this) + 1
    return exp.Anonymous(this="slice", expressions=[node.this, start.copy(), exp.Literal.number(length)])


def _distinct_sorted_join(node: exp.GroupConcat) -> exp.Expression:
    """string_agg(DISTINCT x, sep ORDER BY x) as the sorted set joined (Spark's LISTAGG with
    DISTINCT, WITHIN GROUP and FILTER fails in its planner); no rows gives NULL, as in DuckDB."""
    order = node.this if isinstance(node.this, exp.Order) else None
    distinct = order.this if order else node.this
    if not isinstance(distinct, exp.Distinct) or len(distinct.expressions) != 1:
        return node
    value = distinct.expressions[0]
    if order and [o.this for o in order.expressions] != [value]:
        return node
    separator = node.args.get("separator") or exp.Literal.string(",")
    collected = exp.Anonymous(this="collect_set", expressions=[value.copy()])
    joined = exp.Anonymous(this="array_join", expressions=[
        exp.Anonymous(this="array_sort", expressions=[collected]), separator.copy()])
    return exp.Nullif(this=joined, expression=exp.Literal.string(""))


def _filter_into_collect(node: exp.Filter) -> exp.Expression:
    """`agg(...) FILTER (WHERE c)` where agg became transform(… collect_list(…) …): the FILTER goes
    on the collect_list (or collect_set), the only aggregate left inside."""
    if isinstance(node.this, exp.AggFunc):
        return node
    collected = next((n for n in node.this.find_all(exp.ArrayAgg, exp.Anonymous)
                      if isinstance(n, exp.ArrayAgg) or n.name.lower() in ("collect_list", "collect_set")), None)
    if collected is None:
        return node
    collected.replace(exp.Filter(this=collected.copy(), expression=node.expression.copy()))
    return node.this


def rewrite_for_spark(tree: exp.Expression) -> exp.Expression:
    """DuckDB constructs sqlglot cannot express in Spark, rewritten to equivalent Spark SQL."""

    def _rewrite(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.ArgMax | exp.ArgMin) and node.args.get("count") is not None:
            return _topn_struct_list(node, descending=isinstance(node, exp.ArgMax))
        if isinstance(node, exp.ArrayAgg) and isinstance(node.this, exp.Order):
            return _ordered_collect(node)
        if isinstance(node, exp.Anonymous) and node.name.lower() == "hash":
            return exp.Anonymous(this="xxhash64", expressions=list(node.expressions))
        if isinstance(node, exp.DataType) and node.this in _UNSIGNED:
            return exp.DataType.build(_UNSIGNED[node.this])
        if isinstance(node, exp.Sub | exp.Add) and isinstance(node.expression, exp.ToDays):
            fn = "date_sub" if isinstance(node, exp.Sub) else "date_add"
            return exp.Anonymous(this=fn, expressions=[node.this, node.expression.this])
        if isinstance(node, exp.TimeToStr) and isinstance(node.args.get("format"), exp.Literal):
            pattern = spark_datetime_pattern(node.args["format"].this)
            return exp.Anonymous(this="date_format", expressions=[node.this, exp.Literal.string(pattern)])
        if isinstance(node, exp.ToMap):
            return _map_literal(node)
        if isinstance(node, exp.FromJson):
            return _from_json_structure(node)
        if isinstance(node, exp.GroupConcat):
            return _distinct_sorted_join(node)
        if isinstance(node, exp.Filter):
            return _filter_into_collect(node)
        if isinstance(node, exp.ArrayFilter | exp.Transform):
            return _one_based_index_lambda(node)
        if isinstance(node, exp.Bracket) and len(node.expressions) == 1 and isinstance(node.expressions[0], exp.Slice):
            return _list_slice(node)
        if isinstance(node, exp.Anonymous) and node.name.lower() == "printf" and len(node.expressions) > 1:
            # Spark formats a NULL argument as 'null'; DuckDB's printf gives NULL
            missing = exp.or_(*[exp.Is(this=a.copy(), expression=exp.Null()) for a in node.expressions[1:]])
            formatted = exp.Anonymous(this="format_string", expressions=list(node.expressions))
            return exp.If(this=missing, true=exp.Null(), false=formatted)
        if isinstance(node, exp.Anonymous) and node.name.lower() == "list_position":
            return exp.Anonymous(this="array_position", expressions=list(node.expressions))
        if isinstance(node, exp.ArrayOverlaps):
            return exp.Anonymous(this="arrays_overlap", expressions=[node.this, node.expression])
        if isinstance(node, exp.Select) and node.args.get("qualify") and node.args.get("group"):
            return _grouped_qualify_as_subquery(node)
        return node

    def _bottom_up(node: exp.Expression) -> exp.Expression:
        # children first, so a rewrite that builds a new node around them (hash → xxhash64)
        # still has its arguments rewritten, and no node is rewritten twice
        for child in list(node.iter_expressions()):
            rewritten = _bottom_up(child)
            if rewritten is not child:
                child.replace(rewritten)
        return _rewrite(node)

    return _bottom_up(tree.copy())


Macros = dict[str, tuple[list[str], exp.Expression]]


def load_macros(folder: Path) -> Macros:
    """`schema.name` -> (parameters, body) of every `CREATE MACRO` in the folder's .sql files."""
    macros: Macros = {}
    for path in sorted(Path(folder).glob("*.sql")) if Path(folder).is_dir() else []:
        for statement in sqlglot.parse(path.read_text(encoding="utf-8"), read="duckdb"):
            if isinstance(statement, exp.Create) and str(statement.args.get("kind", "")).upper() == "MACRO":
                signature = statement.this
                name = f"{signature.this.db}.{signature.this.name}" if signature.this.db else signature.this.name
                macros[name] = ([p.name for p in signature.expressions], statement.expression)
    return macros


def expand_macros(tree: exp.Expression, macros: Macros) -> exp.Expression:
    """Every call of a macro replaced by its body with the call's arguments for its parameters."""
    if not macros:
        return tree

    def _call(node: exp.Expression) -> tuple[str, list[exp.Expression]] | None:
        if isinstance(node, exp.Dot) and isinstance(node.expression, exp.Anonymous):
            name = f"{node.this.name}.{node.expression.name}"
            return (name, list(node.expression.expressions)) if name in macros else None
        if isinstance(node, exp.Anonymous) and node.name in macros:
            return node.name, list(node.expressions)
        return None

    def _expand(node: exp.Expression) -> exp.Expression:
        call = _call(node)
        if call is None:
            return node
        name, args = call
        params, body = macros[name]
        bound = dict(zip(params, args))
        filled = body.copy().transform(
            lambda n: bound[n.name].copy() if isinstance(n, exp.Column) and not n.table and n.name in bound else n)
        return expand_macros(exp.paren(filled, copy=False), macros)

    return tree.transform(_expand)


def spark_statements(model: SqlModel, macros: Macros | None = None) -> list[tuple[str | None, str]]:
    """(table created or None, Spark SQL) for each statement of the model, in order."""
    out: list[tuple[str | None, str]] = []
    for statement in sqlglot.parse(model.sql, read="duckdb"):
        if statement is None:
            continue
        if isinstance(statement, exp.Set | exp.Pragma) or (
                isinstance(statement, exp.Command) and statement.name.upper() in ("RESET", "PRAGMA")):
            continue  # DuckDB session settings (memory, insertion order): nothing to say to Spark
        statement = expand_macros(statement, macros or {})
        is_ctas = isinstance(statement, exp.Create) and statement.expression is not None
        if is_ctas and statement.args.get("kind", "").upper() in ("TABLE", "VIEW"):
            target = statement.this.find(exp.Table)
            name = f"{target.db}.{target.name}" if target.db else target.name
            query = rewrite_for_spark(statement.expression)
            out.append((None, f"DROP TABLE IF EXISTS {name}"))
            out.append((name, f"CREATE TABLE {name} USING parquet AS {query.sql(dialect=Spark35)}"))
        else:
            target = statement.find(exp.Table) if isinstance(statement, exp.Create) else None
            created = (f"{target.db}.{target.name}" if target.db else target.name) if target is not None else None
            out.append((created, rewrite_for_spark(statement).sql(dialect=Spark35)))
    return out
