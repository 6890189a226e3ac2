"""Loading YAML config into pydantic v2 models; a mistake becomes one line with the key path.

Every config model (sources, feeds, territories, users; scoring lives with the warehouse) derives from
`ConfigModel`, which forbids unknown keys so a typo is reported instead of silently ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from kernel.errors import UserError

M = TypeVar("M", bound=BaseModel)


_VALIDATOR_TAGS = ("function-", "tagged-union[", "literal[", "union[", "list[", "dict[", "tuple[", "nullable[",
                   "lax-or-strict[", "json-or-python[", "chain[", "constrained-", "is-instance[")
_UNION_MEMBERS = {"str", "int", "float", "bool", "none"}


class ConfigModel(BaseModel):
    """A block of YAML config: unknown keys are errors, values are not changed after loading."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def key_path(loc: tuple[Any, ...]) -> str:
    """pydantic's error location as the YAML key path a user would look for: `feeds.loans.columns[2].type`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part == "[key]" or str(part).startswith(_VALIDATOR_TAGS) or str(part) in _UNION_MEMBERS:
            continue  # pydantic's names for validators and union members, not keys in the file
        else:
            out += ("." if out else "") + str(part)
    return out


def describe_error(exc: ValidationError, where: str) -> str:
    """One line: file, key path and what is wrong with the first error (and how many more)."""
    # A misspelt key also makes its right spelling "missing": name the misspelling first.
    errors = sorted(exc.errors(include_url=False), key=lambda e: e["type"] != "extra_forbidden")
    first = errors[0]
    message = first["msg"].removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        message = "unknown key (check the spelling; see docs/CONTRACTS.md for the keys)"
    elif first["type"] == "string_pattern_mismatch":
        message = f"{first['input']!r} must match {first['ctx']['pattern']}"
    elif first["type"] == "missing":
        message = "required key is missing"
    elif first["type"].endswith("_type") and "input" in first:
        message = f"{message} (got {first['input']!r})"[:200]
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    path = key_path(first["loc"])
    return f"{where}: {path + ': ' if path else ''}{message}{more}"


def validate_config(model: type[M], data: Any, where: str, context: dict[str, Any] | None = None,
                    error: type[UserError] = UserError) -> M:
    """`model` from already parsed data; `error` naming `where` and the key path if it does not fit."""
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        raise error(describe_error(exc, where)) from None


def read_yaml(path: Path) -> Any:
    """Parsed YAML of `path`; a missing file or bad YAML is a UserError naming the file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise UserError(f"{path}: file not found") from exc
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark is not None else ""
        raise UserError(f"{path}: not valid YAML{at} ({exc.__class__.__name__})") from exc


def load_config(model: type[M], path: Path, context: dict[str, Any] | None = None,
                error: type[UserError] = UserError, empty_is_default: bool = False) -> M:
    """Read `path` (YAML) into `model`; every mistake (no file, bad YAML, not a mapping, a key that
    does not fit) is one `error` naming the file. `empty_is_default`: an empty file means the
    model's defaults."""
    try:
        data = read_yaml(path)
    except UserError as exc:
        raise error(str(exc)) from None
    if data is None and empty_is_default:
        data = {}
    if not isinstance(data, Mapping):
        raise error(f"{path}: (top level): must be a mapping")
    return validate_config(model, data, str(path), context, error)
