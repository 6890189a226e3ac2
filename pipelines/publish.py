"""The publish asset: the last step of every build, downstream of every warehouse table.

It runs only when every blocking check upstream passed (Dagster skips it otherwise), and swaps the
working DuckDB file onto the published path atomically (`warehouse.publish`), so readers always see
the last complete, checked build.
"""


from collections.abc import Iterable

import dagster as dg

from pipelines.resources import DUCKDB_WRITE_OP_TAGS, DUCKDB_WRITE_POOL, TuokeWarehouse
from warehouse.build_history import record_rank_history
from warehouse.db import connect
from warehouse.publish import publish
from warehouse.serving import prepare_published_copy

PUBLISH_KEY = dg.AssetKey(["published", "warehouse"])


def build_publish_asset(upstream: Iterable[dg.AssetKey]) -> dg.AssetsDefinition:
    @dg.asset(
        key=PUBLISH_KEY,
        deps=sorted(set(upstream), key=lambda k: k.to_user_string()),
        description="data/tuoke.duckdb: the working warehouse, copied and swapped in atomically once "
        "every blocking check passed. Readers (tuoke query, BI tools) open this file read-only.",
        group_name="publish",
        pool=DUCKDB_WRITE_POOL,
        op_tags=DUCKDB_WRITE_OP_TAGS,
        kinds={"duckdb"},
    )
    def published_warehouse(context: dg.AssetExecutionContext, warehouse: TuokeWarehouse) -> dg.MaterializeResult:
        paths = warehouse.paths()
        # the dashboard's movers diff builds: keep this build's ranks before the copy is published
        con = connect(paths.working_db)
        try:
            history = record_rank_history(con)
        finally:
            con.close()
        context.log.info(f"rank history: {history}")
        # the published copy (only) gets what tuoke serve reads fast: lookup indexes, the prospect list
        result = publish(paths.working_db, paths.published_db, prepare=prepare_published_copy)
        context.log.info(f"published {len(result.tables)} tables to {result.published} ({result.copied} copy)")
        if result.copied == "rewrite":
            context.log.warning("publish rewrote the warehouse because the working file's storage format is not "
                                "the published one (made by an older tuoke, or TUOKE_PUBLISH_STORAGE_VERSION changed since); "
                                "`tuoke build --fresh` starts a working file that publish copies byte for byte")
        return dg.MaterializeResult(
            metadata={
                "path": dg.MetadataValue.path(str(result.published)),
                "bytes": dg.MetadataValue.int(result.bytes),
                "tables": dg.MetadataValue.json(list(result.tables)),
                "seconds": dg.MetadataValue.float(result.seconds),
                # "rewrite": the working file is not at the published format (27 s more at 1M mentions)
                "copied": dg.MetadataValue.text(result.copied),
            }
        )

    return published_warehouse
