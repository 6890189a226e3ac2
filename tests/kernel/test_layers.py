"""The layer contract of .importlinter holds (kernel <- scrapers | warehouse <- pipelines <- CLI), and
import-linter does catch a break of that shape (checked on a throw-away tree)."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LINT_IMPORTS = str(Path(sys.executable).parent / "lint-imports")


def _lint(cwd: Path, env_path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(env_path)}
    return subprocess.run([LINT_IMPORTS, "--no-cache"], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120)


def test_the_repository_keeps_its_layers():
    result = _lint(REPO, REPO)
    assert result.returncode == 0, result.stdout[-2000:]
    assert "BROKEN" not in result.stdout and "KEPT" in result.stdout


def test_a_kernel_importing_a_station_is_caught(tmp_path):
    for package, body in {"kern": "", "station": "import kern\n"}.items():
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text(body, encoding="utf-8")
    (tmp_path / "kern" / "paths.py").write_text("def f():\n    import station  # hidden in a function\n",
                                                encoding="utf-8")
    (tmp_path / ".importlinter").write_text(textwrap.dedent("""\
        [importlinter]
        root_packages =
            kern
            station
        [importlinter:contract:layers]
        name = kernel below stations
        type = layers
        layers =
            station
            kern
        """), encoding="utf-8")
    result = _lint(tmp_path, tmp_path)
    assert result.returncode != 0 and "kern.paths -> station" in result.stdout, result.stdout[-2000:]
