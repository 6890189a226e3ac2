"""The architecture page's walk of one winner names real files and real functions: every file path
it quotes exists, and every dotted name of ours it quotes (`kernel.parsing.decode_report`) imports."""

from __future__ import annotations

import importlib
import re

from kernel.paths import REPO_ROOT

PAGE = REPO_ROOT / "docs" / "architecture.md"
OUR_PACKAGES = ("kernel", "scrapers", "warehouse", "pipelines", "tuoke")


def _quoted() -> list[str]:
    return re.findall(r"`([^`\s]+)`", PAGE.read_text(encoding="utf-8"))


def _resolves(dotted: str) -> bool:
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attribute in parts[cut:]:
            if not hasattr(target, attribute):
                return False
            target = getattr(target, attribute)
        return True
    return False


def _exists(path: str) -> bool:
    """A path with a folder from the repository root; a bare file name anywhere in the tree."""
    if "/" in path:
        return (REPO_ROOT / path).exists()
    return any(p for p in REPO_ROOT.rglob(path) if ".venv" not in p.parts)


def test_every_quoted_file_exists():
    paths = [q for q in _quoted() if re.fullmatch(r"[\w./-]+\.(py|sql|yaml)", q) and "<" not in q]
    assert paths, "the walk quotes no file"
    assert [p for p in paths if not _exists(p)] == []


def test_every_quoted_dotted_name_imports():
    dotted = [q for q in _quoted() if re.fullmatch(r"[a-z_]+(\.\w+)+", q) and q.split(".")[0] in OUR_PACKAGES
              and not q.endswith((".py", ".sql", ".yaml"))]
    assert dotted, "the walk quotes no dotted name"
    assert [d for d in dotted if not _resolves(d)] == []
