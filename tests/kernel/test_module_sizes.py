"""Small modules, short functions: no module over 400 lines and no function over 80 lines in the
kernel, the scrapers, the warehouse, the orchestration (pipelines/) and the faces (tuoke/)."""

from __future__ import annotations

import ast

from kernel.paths import REPO_ROOT

MAX_MODULE_LINES, MAX_FUNCTION_LINES = 400, 80
CHECKED = ("kernel", "scrapers", "tuoke", "pipelines", "warehouse")


def _modules():
    for package in CHECKED:
        for path in sorted((REPO_ROOT / package).rglob("*.py")):
            yield path.relative_to(REPO_ROOT).as_posix(), path.read_text(encoding="utf-8")


def test_no_module_is_over_400_lines():
    assert [(p, n) for p, text in _modules() if (n := len(text.splitlines())) > MAX_MODULE_LINES] == []


def test_no_function_is_over_80_lines():
    long = [(p, node.name, node.end_lineno - node.lineno + 1) for p, text in _modules()
            for node in ast.walk(ast.parse(text)) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]
    assert long == []
