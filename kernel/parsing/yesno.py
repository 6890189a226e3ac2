"""Yes/no cells as bank exports write them: 是/否, Y/N, true/false, 1/0, 逾期/正常."""

from __future__ import annotations

_TRUE = frozenset({"是", "y", "yes", "true", "1", "逾期", "t"})
_FALSE = frozenset({"否", "n", "no", "false", "0", "正常", "f", "未逾期"})


def parse_yes_no(text: str) -> bool:
    key = text.strip().lower()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError(f"{text!r} is not 是/否")
