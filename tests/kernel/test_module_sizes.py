"""Small modules, short functions: no module over 400 lines and no function over 80 lines in the
kernel, the scrapers, the faces (tuoke/), the orchestration (pipelines/) and the warehouse outside
resolve/ and feeds/ (their helpers are reworking them)."""

from __future__ import annotations

import ast

from kernel.paths import REPO_ROOT

MAX_MODULE_LINES, MAX_FUNCTION_LINES = 400, 80
CHECKED = ("kernel", "scrapers", "tuoke", "pipelines", "warehouse")
NOT_YET = ("warehouse/resolve", "warehouse/feeds")


def _modules():
    for package in CHECKED:
        for path in sorted((REPO_ROOT / package).rglob("*.py")):
            shown = path.relative_to(REPO_ROOT).as_posix()
            if not shown.startswith(NOT_YET):
                yield shown, path.read_text(encoding="utf-8")


def test_no_module_is_over_400_lines():
    assert [(p, n) for p, text in _modules() if (n := len(text.splitlines())) > MAX_MODULE_LINES] == []


def test_no_function_is_over_80_lines():
    long = [(p, node.name, node.end_lineno - node.lineno + 1) for p, text in _modules()
            for node in ast.walk(ast.parse(text)) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]
    assert long == []
