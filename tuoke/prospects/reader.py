"""`ProspectReader`: the read model every face goes through — one open published file (a cursor
and its catalog), asked for a list page, a frame, one prospect, the dashboard, or a company by
what a user typed."""

from __future__ import annotations

import pandas as pd

from tuoke.prospects.alerts import read_new_signals
from tuoke.prospects.catalog import Catalog
from tuoke.prospects.counts import ListCounts
from tuoke.prospects.dashboard import read_dashboard
from tuoke.prospects.filters import ProspectFilter
from tuoke.prospects.find import find_company
from tuoke.prospects.lists import ProspectList, read_branch_summary, read_frame, read_page
from tuoke.prospects.name_search import LazyNameIndex
from tuoke.prospects.scope import Scope
from tuoke.prospects.view import ProspectView, read_company, read_prospect


class ProspectReader:
    def __init__(self, cursor, catalog: Catalog, names: LazyNameIndex | None = None,
                 counts: ListCounts | None = None):
        self.cursor = cursor
        self.catalog = catalog
        # what PublishedWarehouse keeps of the open file: its name index and the totals of its filters
        self.names = names
        self.counts = counts

    def checked(self, f: ProspectFilter) -> ProspectFilter:
        """`f`, after refusing a product or signal type this build does not know (FilterError)."""
        f.check_known(self.catalog.products, tuple(self.catalog.signals))
        return f

    def page(self, scope: Scope, f: ProspectFilter, limit: int | None = None, offset: int | None = None
             ) -> ProspectList:
        return read_page(self.cursor, self.catalog, scope, self.checked(f), limit, offset, self.names,
                         self.counts)

    def frame(self, scope: Scope, f: ProspectFilter, limit: int | None = None) -> pd.DataFrame:
        return read_frame(self.cursor, self.catalog, scope, self.checked(f), limit)

    def branch_summary(self, scope: Scope, branch: str | None = None) -> pd.DataFrame | None:
        return read_branch_summary(self.cursor, self.catalog, scope, branch)

    def prospect(self, scope: Scope, company_id: str) -> ProspectView | None:
        return read_prospect(self.cursor, self.catalog, scope, company_id)

    def company(self, scope: Scope, company_id: str) -> dict | None:
        """The list row of one company (no signals), or None when not on the list or not in scope."""
        return read_company(self.cursor, self.catalog, scope, company_id)

    def dashboard(self, scope: Scope, branch: str | None) -> dict:
        return read_dashboard(self.cursor, self.catalog, scope, branch)

    def find(self, scope: Scope, query: str) -> str:
        return find_company(self.cursor, scope, query)

    def branches(self, scope: Scope) -> list[str]:
        return [b for b in self.catalog.branches if scope.allows(b)]

    def latest_build(self) -> dict | None:
        """The build log row of this file (marts.scoring_builds), read with the catalog."""
        return self.catalog.latest_build

    def new_signals(self, scope: Scope, branch: str | None = None, since=None) -> pd.DataFrame:
        """`tuoke alerts`: signals new in the latest build, or first seen on or after `since`."""
        return read_new_signals(self.cursor, scope, branch, since)
