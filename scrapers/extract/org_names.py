"""Company-name clean-up and the 'obviously not a company' test."""

from __future__ import annotations

import functools
import re

from kernel.chinese_script import to_simplified
from scrapers.extract import orgspans
from scrapers.extract.codes import find_usccs
from scrapers.extract.labels import field_for
from scrapers.extract.lookups import words
from scrapers.extract.text import has_cjk, strip_markup

# Spaces trimmed at both ends (inner spaces stay as written: the warehouse normalises them).
_SPACES = " \t\r\n\f\v\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u202f\u205f\u3000\ufeff"
_BREAKS = re.compile(r"[ \t\u00a0\u3000]*[\r\n\t\f\v]+[ \t\u00a0\u3000]*")  # a name wrapped inside its cell
_TRIM = ":：;；,，。、|/\\-—_*·" + _SPACES
_TRAILERS = re.compile(r"[(（]\s*(?:盖章|签章|公章|联合体牵头人|牵头人|主办方|成员方|联合体成员|联合体|不变|以下简称[^()（）]{0,12})\s*[)）]\s*$")
_USCC_IN_NAME = re.compile(r"[(（\[]?\s*(?:统一社会信用代码|信用代码)?\s*[:：]?\s*[0-9A-Z]{18}\s*[)）\]]?")
_LEADING_LABEL = re.compile(r"^([^:：]{2,16})[:：]\s*(?=\S)")
_TRAILING_NOTE = re.compile(r"\s*[(（][^()（）]{1,12}[)）]\s*$")
_LATIN_ORG = re.compile(r"\b(?:co|ltd|limited|inc|corp|corporation|company|gmbh|llc|plc|ag|sa|group)\b\.?\s*$", re.IGNORECASE)
MAX_NAME = 60


def clean_name(raw: str | None) -> str:
    """Trimmed name as written: markup, script bodies, '(盖章)' and a glued USCC removed."""
    if not raw:
        return ""
    text = strip_markup(raw)
    text = _BREAKS.sub(" ", text).strip(_TRIM)
    label = _LEADING_LABEL.match(text)
    if label and field_for(label.group(1))[0]:  # "单位名称： 某某公司": the label came along with the value
        text = text[label.end():].strip(_TRIM)
    if find_usccs(text):
        text = _USCC_IN_NAME.sub("", text).strip(_TRIM)
    text = _TRAILERS.sub("", text).strip(_TRIM)
    # "浙江省河海测绘院/浙江": a province or city tag after a slash is not part of the name.
    text = re.sub(r"\s*/\s*[\u4e00-\u9fff]{1,4}$", "", text)
    # A trailing district tag or note in square brackets is not part of the name.
    text = re.sub(r"\s*[\[［【][^\]］】]{1,10}[\]］】]\s*$", "", text).strip(_SPACES)
    return text


@functools.cache
def _placeholders() -> frozenset[str]:
    return frozenset(words("not_names"))


@functools.cache
def _long_placeholders() -> re.Pattern:
    """Placeholders long enough to mean "no name" wherever they stand (见公告原文 inside a cell)."""
    return re.compile("|".join(re.escape(w) for w in words("not_names") if len(w) > 2) or "(?!)")


def name_problem(name: str) -> str | None:
    """Why `name` is not a company name, or None when it may be one."""
    if not name:
        return "empty"
    if len(name) > MAX_NAME:
        return f"too long ({len(name)} characters)"
    if name in _placeholders():
        return f"placeholder text {name!r}"
    inside = _long_placeholders().search(name)
    if inside:
        return f"placeholder text {inside.group(0)!r}"
    if not has_cjk(name) and not re.search(r"[A-Za-z]{3}", name):
        return "no letters"
    if re.fullmatch(r"[\d\s.,%元万¥$￥()（）-]+", name):
        return "digits only"
    return None


def looks_like_org(name: str) -> bool:
    """Ends like an organisation (公司, 中心, 局, 医院 …), a trailing bracketed note aside."""
    bare = name
    while True:
        shorter = _TRAILING_NOTE.sub("", bare)
        if shorter == bare or not shorter:
            break
        bare = shorter
    if _LATIN_ORG.search(bare):
        return True
    endings = _endings()
    return bare.endswith(endings) or _simplified(bare[-6:]).endswith(endings)  # 第二中學, 醫院, 集團


@functools.cache
def _endings() -> tuple[str, ...]:
    """What a labelled value may end with: the recogniser's endings, and the short ones only a label makes safe."""
    return tuple(dict.fromkeys((*orgspans.endings(), *words("org_suffixes"), *words("org_endings"))))


@functools.lru_cache(maxsize=8192)
def _simplified(text: str) -> str:
    return to_simplified(text)
