"""Benchmarks write their findings the same way: a Markdown file under benchmarks/out/, echoed."""

from __future__ import annotations

from pathlib import Path


def write_report(out: Path, lines: list[str]) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    print(f"written {out}")
