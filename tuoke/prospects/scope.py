"""What a user may see: the branches of its territory, as a typed condition the read model puts
into every query on a branch column it names, so a guessed URL or a hand-made request reaches no
row outside it (not only the menus)."""

from __future__ import annotations

from dataclasses import dataclass

from kernel.territories import TerritoriesConfig
from kernel.users import User

HEAD_OFFICE_ROLES = ("admin", "head_office")
BRANCH_ROLES = ("branch", "rm")


@dataclass(frozen=True)
class Scope:
    """`branches` None = every branch (head office, admin, the CLI on the bank's own machine)."""

    branches: tuple[str, ...] | None

    @classmethod
    def everything(cls) -> Scope:
        return cls(None)

    def allows(self, branch: str | None) -> bool:
        return self.branches is None or branch in self.branches

    @property
    def single_branch(self) -> str | None:
        return self.branches[0] if self.branches is not None and len(self.branches) == 1 else None

    def condition(self, column: str) -> tuple[str, list]:
        """(SQL, parameters): rows whose `column` (a branch column the read model names) is in scope."""
        if self.branches is None:
            return "TRUE", []
        return f"list_contains(?::VARCHAR[], {column})", [list(self.branches)]


def scope_for(user: User, territories: TerritoriesConfig) -> Scope:
    if user.role in HEAD_OFFICE_ROLES:
        return Scope(None)
    if user.role in BRANCH_ROLES:
        return Scope((user.branch,))
    region = user.region
    branches = sorted({t.branch for t in territories.territories if region in (t.province, t.city)})
    return Scope(tuple(branches))
