"""The read model of prospects: every face (`tuoke rank`, `tuoke explain`, `tuoke export`, the web
page) reads the published warehouse through it (docs/read-model.md).

    with open_published() as reader:                       # or PublishedWarehouse(path).reading()
        page = reader.page(scope, ProspectFilter(branch="杭州分行"))   # ProspectList
        frame = reader.frame(Scope.everything(), ProspectFilter(include_held=True))
        view = reader.prospect(scope, company_id)           # ProspectView | None
"""

from tuoke.prospects.catalog import Catalog, Dimension
from tuoke.prospects.columns import COLUMNS, PAGE_COLUMNS, Column, sheet_columns
from tuoke.prospects.filters import FilterError, ProspectFilter
from tuoke.prospects.lists import EXPORT_LIMIT, ProspectList
from tuoke.prospects.published import PublishedWarehouse, WarehouseMissing, open_published
from tuoke.prospects.reader import ProspectReader
from tuoke.prospects.scope import Scope, scope_for
from tuoke.prospects.view import ProspectView

__all__ = [
    "COLUMNS", "EXPORT_LIMIT", "PAGE_COLUMNS", "Catalog", "Column", "Dimension", "FilterError", "ProspectFilter",
    "ProspectList", "ProspectReader", "ProspectView", "PublishedWarehouse", "Scope", "WarehouseMissing",
    "open_published", "scope_for", "sheet_columns",
]
