"""What a user may see: the branches of its territory. The queries put this list into their SQL,
so a guessed URL or a hand-made request reaches no row outside it (not only the menus)."""

from __future__ import annotations

from dataclasses import dataclass

from kernel.territories import TerritoriesConfig
from kernel.users import User


@dataclass(frozen=True)
class Scope:
    """`branches` None = every branch (head office, admin); else only these."""

    branches: tuple[str, ...] | None

    def allows(self, branch: str | None) -> bool:
        return self.branches is None or branch in self.branches

    @property
    def sql(self) -> str:
        """A condition on a `branch` column; bind `self.params` after the query's own parameters."""
        return "TRUE" if self.branches is None else "list_contains(?::VARCHAR[], branch)"

    @property
    def params(self) -> list:
        return [] if self.branches is None else [list(self.branches)]


def scope_for(user: User, territories: TerritoriesConfig) -> Scope:
    if user.role in ("admin", "head_office"):
        return Scope(None)
    if user.role in ("branch", "rm"):
        return Scope((user.branch,))
    region = user.region
    branches = sorted({t.branch for t in territories.territories if region in (t.province, t.city)})
    return Scope(tuple(branches))
