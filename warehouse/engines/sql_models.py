"""dbt_like_sql: each `<layer>/<name>.sql` file is one model (pipelines/sql_models.py makes it a
Dagster asset `[layer, name]`; warehouse/engines/spark.py runs it on Spark).

Upstream tables are read from the SQL with sqlglot (every `schema.table` it reads, CTE names
ignored), the header comment becomes the description. Adding a model is adding a file. A file is either `CREATE OR REPLACE TABLE|VIEW <layer>.<name> ...`
(any number of statements, one of which creates the target) or a single SELECT/WITH query, which is
materialized as `CREATE OR REPLACE TABLE <layer>.<name> AS <query>`.
"""


import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import sqlglot
from sqlglot import exp

from kernel.errors import UserError

LAYERS = ("staging", "core", "marts")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class ModelError(UserError):
    """A SQL model file is malformed or reads a table no asset produces; the message names the file."""


@dataclass(frozen=True)
class SqlModel:
    path: Path
    layer: str
    name: str
    sql: str  # what runs: the file, or the file's query wrapped in CREATE OR REPLACE TABLE
    description: str
    upstream: tuple[tuple[str, str], ...]  # (schema, table) read by the model, sorted
    is_view: bool = False  # the file creates a VIEW, not a table

    @property
    def table(self) -> str:
        return f"{self.layer}.{self.name}"

    @property
    def code_version(self) -> str:
        return hashlib.sha1(self.sql.encode("utf-8")).hexdigest()[:12]


def header_comment(text: str) -> str:
    """The comment lines (`--` or one `/* */` block) before the first statement."""
    stripped = text.lstrip()
    if stripped.startswith("/*"):
        end = stripped.find("*/")
        if end > 0:
            body = stripped[2:end]
            return "\n".join(line.strip(" *\t") for line in body.strip().splitlines()).strip()
    lines = []
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("--"):
            lines.append(s[2:].strip())
        elif s == "" and not lines:
            continue
        else:
            break
    return "\n".join(lines).strip()


def _table_name(table: exp.Table) -> tuple[str, str] | None:
    if not isinstance(table.this, exp.Identifier):
        return None  # table functions: range(), read_json(), generate_series() …
    return (table.db.lower(), table.name.lower())


def parse_model(path: Path, layer: str | None = None) -> SqlModel:
    path = Path(path)
    layer = layer or path.parent.name
    name = path.stem
    where = str(path)
    if not _NAME.match(name) or not _NAME.match(layer):
        raise ModelError(f"{where}: model and folder names must be lower_snake_case")
    text = path.read_text(encoding="utf-8")
    try:
        statements = [s for s in sqlglot.parse(text, read="duckdb") if s is not None]
    except sqlglot.errors.ParseError as exc:
        first = str(exc).splitlines()[0]
        raise ModelError(f"{where}: sqlglot cannot parse it: {first}") from exc
    if not statements:
        raise ModelError(f"{where}: the file holds no SQL statement")

    target = (layer, name)
    creates: dict[tuple[str, str], exp.Create] = {}
    for statement in statements:
        if isinstance(statement, exp.Create):
            node = statement.this.this if isinstance(statement.this, exp.Schema) else statement.this
            created = _table_name(node) if isinstance(node, exp.Table) else None
            if created:
                creates[created] = statement

    if creates:
        if target not in creates:
            made = ", ".join(".".join(t) for t in creates) or "nothing"
            raise ModelError(f"{where}: must CREATE OR REPLACE {layer}.{name} (it creates {made})")
        sql = text
    elif len(statements) == 1 and isinstance(statements[0], exp.Query):
        query = text.strip().rstrip(";").strip()
        sql = f"CREATE OR REPLACE TABLE {layer}.{name} AS\n{query}\n"
    else:
        raise ModelError(f"{where}: expected CREATE OR REPLACE {layer}.{name} or a single SELECT query")

    cte_names = {cte.alias_or_name.lower() for s in statements for cte in s.find_all(exp.CTE)}
    temp_names = {t for t in creates if t != target}
    upstream: set[tuple[str, str]] = set()
    for statement in statements:
        for table in statement.find_all(exp.Table):
            ref = _table_name(table)
            if ref is None:
                continue
            schema, table_name = ref
            if not schema:
                if table_name in cte_names or ("", table_name) in temp_names:
                    continue
                raise ModelError(
                    f"{where}: table {table_name!r} has no schema; write schema.table (e.g. core.{table_name})"
                )
            if ref == target or ref in temp_names or schema in ("information_schema", "pg_catalog"):
                continue
            upstream.add(ref)
    return SqlModel(
        path=path,
        layer=layer,
        name=name,
        sql=sql,
        description=header_comment(text) or f"{layer}.{name}",
        upstream=tuple(sorted(upstream)),
        is_view=target in creates and creates[target].args.get("kind", "").upper() == "VIEW",
    )


def discover_models(models_dir: Path, layers: Sequence[str] = LAYERS) -> list[SqlModel]:
    """Every `<layer>/<name>.sql` under models_dir, in layer order then name."""
    models_dir = Path(models_dir)
    if not models_dir.is_dir():
        raise ModelError(f"SQL model folder {models_dir} does not exist")
    models = []
    for layer in layers:
        for path in sorted((models_dir / layer).glob("*.sql")):
            models.append(parse_model(path, layer))
    return models
