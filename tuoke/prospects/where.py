"""A WHERE clause built from conditions with their parameters, in order (no string surgery)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Where:
    parts: list[str] = field(default_factory=list)
    params: list = field(default_factory=list)

    def add(self, sql: str, *params) -> Where:
        self.parts.append(sql)
        self.params.extend(params)
        return self

    def add_condition(self, condition: tuple[str, list]) -> Where:
        sql, params = condition
        return self.add(sql, *params)

    @property
    def sql(self) -> str:
        return " AND ".join(f"({p})" for p in self.parts) if self.parts else "TRUE"
