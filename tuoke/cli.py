"""The `tuoke` command line: a thin front on the same code the Dagster pipeline runs.

Each module in `tuoke.commands` registers its own command(s) through `register(app)`, so adding a
command is adding a module. A `UserError` anywhere becomes one red line and exit code 2.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import typer
from rich.console import Console

from kernel.errors import UserError

app = typer.Typer(
    name="tuoke",
    help="拓客 — finds and ranks lending prospects from public lists and the bank's own clusters.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """拓客 — finds and ranks lending prospects from public lists and the bank's own clusters."""


def _register_commands() -> None:
    import tuoke.commands as commands_pkg

    for module_info in sorted(pkgutil.iter_modules(commands_pkg.__path__), key=lambda m: m.name):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"tuoke.commands.{module_info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(app)


_register_commands()


def main() -> None:
    try:
        result = app(standalone_mode=False)
        if isinstance(result, int) and result:
            sys.exit(result)
    except UserError as exc:
        Console(stderr=True).print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
        sys.exit(2)
    except (typer.Abort, KeyboardInterrupt):
        Console(stderr=True).print("[yellow]aborted[/yellow]")
        sys.exit(130)
    except Exception as exc:
        # With standalone_mode=False, usage errors and exits arrive as exceptions of typer's
        # vendored click; recognise them by shape so this works across typer versions.
        if hasattr(exc, "format_message") and hasattr(exc, "exit_code"):
            Console(stderr=True).print(f"[red]error:[/red] {exc.format_message()}", highlight=False)
            sys.exit(exc.exit_code)
        if type(exc).__name__ == "Exit" and hasattr(exc, "exit_code"):
            sys.exit(exc.exit_code)
        raise
