"""Users of `tuoke serve` and what each may see, from configs/users.yaml.

Passwords are stored only as argon2 or bcrypt hashes made by a library; the scope of a user is
enforced by the server's queries: a branch user sees the branch, a regional head the branches of
the region (a province or city as written in configs/territories.yaml), head office and admins all.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from kernel.config import ConfigModel, load_config, validate_config
from kernel.paths import configs_dir

Role = Literal["admin", "head_office", "regional_head", "branch", "rm"]
_HASH_PREFIXES = ("$argon2id$", "$argon2i$", "$argon2d$", "$2a$", "$2b$", "$2y$")


class User(ConfigModel):
    username: str = Field(pattern=r"^[A-Za-z0-9_.@-]{2,64}$")
    display_name: str | None = None
    role: Role
    password_hash: str | None = Field(default=None, description="argon2/bcrypt; absent: SSO header only")
    branch: str | None = None
    region: str | None = None
    weekly_capacity: int | None = Field(default=None, ge=0, description="prospects an RM can contact a week")

    @field_validator("password_hash")
    @classmethod
    def _a_hash_not_a_password(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(_HASH_PREFIXES):
            raise ValueError("must be an argon2 or bcrypt hash ($argon2id$… or $2b$…), never a plain password")
        return value

    @model_validator(mode="after")
    def _scope_fits_the_role(self) -> User:
        if self.role in ("branch", "rm") and not self.branch:
            raise ValueError(f"role {self.role} needs a branch")
        if self.role == "regional_head" and not self.region:
            raise ValueError("role regional_head needs a region (a province or city of territories.yaml)")
        if self.role in ("admin", "head_office") and (self.branch or self.region):
            raise ValueError(f"role {self.role} sees everything: drop branch/region")
        return self


class UsersConfig(ConfigModel):
    users: tuple[User, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_usernames(self) -> UsersConfig:
        seen: set[str] = set()
        for index, user in enumerate(self.users):
            if user.username in seen:
                raise ValueError(f"users[{index}]: username {user.username!r} appears twice")
            seen.add(user.username)
        return self

    def get(self, username: str) -> User | None:
        return next((u for u in self.users if u.username == username), None)


def load_users_config(users: Path | str | Mapping | None = None) -> UsersConfig:
    if users is None or isinstance(users, (str, Path)):
        return load_config(UsersConfig, Path(users or configs_dir() / "users.yaml"))
    return validate_config(UsersConfig, dict(users), "users config")
