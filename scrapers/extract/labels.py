"""Maps a label as written on a page to a field name, or says it is unknown / ignored."""

from __future__ import annotations

import re

from scrapers.extract.lookups import label_table
from scrapers.extract.text import has_cjk, label_key

IGNORED = "_ignored"
_QUALIFIER = re.compile(r"\([^()]{1,8}\)$")
_INNER_NOTE = re.compile(r"\([^()]{1,4}\)")  # "中标（选）候选人", "（采购）代理机构": a short note inside a label
# A label ending in one of these is that kind of field whatever its head says ("成交供应商联系地址").
_DATE_TAILS = ("日期", "时间", "期限", "日")
_CONTACT_TAILS = ("联系人", "联系电话", "电话", "联系方式", "传真", "邮编", "邮箱", "经办人", "手机")
_ROLE_ADDRESS = (("代理", "agent_address"), ("采购人", "purchaser_address"), ("采购单位", "purchaser_address"),
                 ("招标人", "purchaser_address"), ("建设单位", "purchaser_address"))
_LABELISH = re.compile(r"^[\u4e00-\u9fffA-Za-z()（）/、_]{2,16}$")


def field_for(label: str) -> tuple[str | None, str | None]:
    """(field | IGNORED | None, unit hint) for one label or column header."""
    key, unit = label_key(label)
    if not key:
        return None, unit
    exact, ignore, contains = label_table()
    field = exact.get(key)
    if field:
        return field, unit
    if key in ignore:
        return IGNORED, unit
    qualified = _QUALIFIER.search(key)
    if qualified:  # "采购人（甲方）", "供应商名称（盖章）": the label without its bracketed note
        base = key[: qualified.start()]
        if base in exact:
            return exact[base], unit
        if base in ignore:
            return IGNORED, unit
    head = re.split(r"[、及]", key, maxsplit=1)[0]
    if head != key and len(head) >= 2:  # "成交供应商名称、地址及成交金额": the list is headed by its first field
        return field_for(head)[0], unit
    inner = _INNER_NOTE.sub("", key)
    if inner != key and inner:
        return field_for(inner)[0], unit
    if key.endswith(_CONTACT_TAILS):
        return IGNORED, unit
    if key.endswith(("地址", "住所")) and len(key) > 2:
        return next((target for needle, target in _ROLE_ADDRESS if needle in key), "address"), unit
    dated = key.endswith(_DATE_TAILS)  # "本中标候选人公示截止日期" names a date, not a candidate
    for needle, target in contains:
        if needle in key and not (dated and target.endswith("_name")):
            return target, unit
    return None, unit


def looks_like_label(text: str) -> bool:
    """A short run of CJK with no digits: what a label cell or a `key：` prefix looks like."""
    key, _ = label_key(text)
    return bool(key) and has_cjk(key) and bool(_LABELISH.match(key))


def split_known_suffix(label: str) -> tuple[str, str] | None:
    """'某某公司 联系人' -> ('某某公司', '联系人') when the tail is a known label."""
    parts = label.rsplit(" ", 1)
    if len(parts) == 2 and field_for(parts[1])[0]:
        return parts[0], parts[1]
    return None
