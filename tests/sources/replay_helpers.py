"""Replay helpers: the production YAMLs pointed at the replay server (tests/sources/replay_server.py)."""

from __future__ import annotations

from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
MANIFEST = REPO / "tests" / "fixtures" / "replay" / "manifest.json"
PRODUCTION_SOURCES = REPO / "configs" / "sources"


def _rewrite(value, bases: dict[str, str]):
    if isinstance(value, str):
        for real, local in bases.items():
            value = value.replace(real, local)
        return value
    if isinstance(value, list):
        return [_rewrite(v, bases) for v in value]
    if isinstance(value, dict):
        return {k: _rewrite(v, bases) for k, v in value.items()}
    return value


def _urls(value) -> list[str]:
    if isinstance(value, str):
        return [value] if "://" in value else []
    if isinstance(value, list):
        return [u for v in value for u in _urls(v)]
    if isinstance(value, dict):
        return [u for v in value.values() for u in _urls(v)]
    return []


def replay_source_dir(source_id: str, bases: dict[str, str], folder: Path, page_size: int | None = None) -> Path:
    """The production YAML of `source_id` with its real origins pointed at the replay server.

    Only URLs and politeness change (no delay: the server is local); every selector, template,
    API body and path is the shipped one. Fails if any URL would still leave the machine.
    """
    config = yaml.safe_load((PRODUCTION_SOURCES / f"{source_id}.yaml").read_text(encoding="utf-8"))
    config = _rewrite(config, bases)
    config["politeness"] = {"download_delay": 0.0, "concurrency": 2, "autothrottle": False, "retry_times": 0}
    if page_size:  # the recorded API pages are shorter than a live page
        api = config["list"]["api"]
        api["body"][api.get("size_param") or "size"] = page_size
    leaking = [u for u in _urls(config) if not u.startswith("http://127.0.0.1:")]
    assert not leaking, f"{source_id}: URLs not served by the replay server: {leaking}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{source_id}.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return folder
