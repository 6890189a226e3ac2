"""The bank's internal feeds: exports in data/inbox/<feed>/ loaded into raw.feed_<feed>.

- `kernel.feeds`: configs/feeds.yaml, the contract of each feed (config);
- `columns`: what each column type means (SQL type and cell parser), one table;
- `read`: export files to headers and text cells, headers matched to columns;
- `load`: one file checked row by row and loaded atomically; every feed of the inbox.
"""

from kernel.feeds import (
    FeedColumn,
    FeedsConfigError,
    FeedSpec,
    feed_names,
    feed_tables,
    load_feeds_config,
)
from warehouse.feeds.load import (
    FeedContractError,
    FileOutcome,
    create_feed_tables,
    load_feed_file,
    load_feeds,
)

__all__ = [
    "FeedColumn", "FeedContractError", "FeedSpec", "FeedsConfigError", "FileOutcome", "create_feed_tables",
    "feed_names", "feed_tables", "load_feed_file", "load_feeds", "load_feeds_config",
]
