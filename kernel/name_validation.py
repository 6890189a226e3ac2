"""Does a string look like the name of an organisation (企业/机构名称)? The one check at the border.

Scraped names come from pages written by strangers and feed names from files anyone can edit, so
landing (`scrapers/landing.py`), the feeds loader and the typo rule of resolution all ask here
before a string may become a company. A name that fails is quarantined with the reason, never
cleaned into something else: a wrong company in front of a loan officer is worse than a missing one.

Refused, each with its own reason:
- `missing_name`: empty or only spaces;
- `control_characters`: a control or invisible format character (NUL, BEL, zero-width, bidi);
- `damaged_text`: U+FFFD, the replacement character a bad decode or a lost byte leaves behind (宁波�空
  字节有限公司): the real characters are gone, so the name cannot be matched or shown;
- `formula_prefix`: starts with = + - @ (after spaces) or with a tab / CR (spreadsheet formulas);
- `markup`: HTML/XML tags, entities or script URLs (`<script>`, `&lt;`, `javascript:`);
- `bad_characters`: characters no registered name carries (; " ` \\ | { } < > $ ^ ~ and the like);
- `sql_fragment`: a SQL statement (`DROP TABLE`, `UNION SELECT`, `DELETE FROM`, ...);
- `not_a_name`: too short, too long, or without two letters or two Chinese characters.

Pure: no I/O; of ours it imports only kernel.limits.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from kernel.limits import MAX_NAME_LENGTH

REPLACEMENT_CHARACTER = "\ufffd"
FORMULA_STARTS = ("=", "+", "-", "@")
# Punctuation that real registered names use (checked against 42k real names: full- and half-width
# brackets, the middle dot of transliterations, &, hyphens and dashes, dots, commas, 、, slashes).
_ALLOWED_PUNCTUATION = set("()（）[]【】〔〕［］《》.．·•・&＆-－—–_,，、/／:：'’* ")
_MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!?]|&(#\d+|#x[0-9a-f]+|[a-z]{2,8});|javascript\s*:|data\s*:\s*text/html",
                     re.IGNORECASE)
_CJK = re.compile(r"[\u3400-\u9fff\U00020000-\U0003134f\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-zÀ-ÿ]")
# Most names hold only these: nothing in them can be a control character, markup, a formula start,
# SQL or a character no name carries, and NFKC changes neither their length nor what they count as
_PLAIN_NAME = re.compile(r"[\u4e00-\u9fff0-9()（）]+")
# SQL comment / statement fragments that no name contains, even where every character is allowed.
_SQL_FRAGMENT = re.compile(r"--|/\*|\*/|;")
_SQL_STATEMENT = re.compile(
    r"\b(drop|truncate|alter|create)\s+(table|database|schema|view|index)\b|\bdelete\s+from\b|\binsert\s+into\b"
    r"|\bunion\s+(all\s+)?select\b|\bselect\b.+\bfrom\b|\bupdate\s+\w+\s+set\b|\bexec(ute)?\s*\(",
    re.IGNORECASE)


@dataclass(frozen=True)
class NameProblem:
    reason: str  # a short machine word (quarantine `reason`)
    detail: str  # a sentence for a person


def _shown(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")


def org_name_problem(raw: object) -> NameProblem | None:
    """Why `raw` is not an organisation name, or None when it may be one."""
    if raw is None:
        return NameProblem("missing_name", "the name is empty")
    text = str(raw)
    if not text.strip():
        return NameProblem("missing_name", "the name is empty")
    if _PLAIN_NAME.fullmatch(text):  # Chinese characters, digits, brackets: only the length checks can fail
        return _length_problem(text, text)
    return every_check(text)


def every_check(text: str) -> NameProblem | None:
    """org_name_problem without its shortcut for plain names (tests hold the two equal)."""
    controls = sorted({f"U+{ord(ch):04X}" for ch in text
                       if unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs") and ch not in " "})
    starts_hidden = text[:1] in ("\t", "\r")
    if starts_hidden:
        return NameProblem("formula_prefix", f"name {_shown(text)} starts with a tab or CR (a spreadsheet formula trick)")
    if controls:
        return NameProblem("control_characters", f"name {_shown(text)} contains control characters {', '.join(controls)}")
    if REPLACEMENT_CHARACTER in text:
        return NameProblem("damaged_text", f"name {_shown(text)} holds U+FFFD where characters were lost "
                                           "(a bad decode or a NUL byte)")
    stripped = unicodedata.normalize("NFKC", text).strip()
    if stripped.startswith(FORMULA_STARTS):
        return NameProblem("formula_prefix", f"name {_shown(text)} starts with {stripped[0]!r} (a spreadsheet formula)")
    if _MARKUP.search(stripped):
        return NameProblem("markup", f"name {_shown(text)} contains markup or a script URL")
    # any Unicode space (an export's full-width 　 or a no-break space) is harmless: names are trimmed
    bad = sorted({ch for ch in text
                  if not (ch.isalnum() or ch.isspace() or ch in _ALLOWED_PUNCTUATION or _CJK.match(ch))})
    if bad:
        return NameProblem("bad_characters",
                           f"name {_shown(text)} contains {' '.join(bad)}, which no registered name carries")
    if _SQL_FRAGMENT.search(stripped):
        return NameProblem("bad_characters", f"name {_shown(text)} contains a SQL comment or statement separator")
    if _SQL_STATEMENT.search(stripped):
        return NameProblem("sql_fragment", f"name {_shown(text)} contains a SQL statement")
    return _length_problem(text, stripped)


def _length_problem(text: str, stripped: str) -> NameProblem | None:
    if len(stripped) > MAX_NAME_LENGTH:
        return NameProblem("not_a_name", f"name is {len(stripped)} characters long (at most {MAX_NAME_LENGTH})")
    if len(_CJK.findall(stripped)) < 2 and len(_LATIN.findall(stripped)) < 2:
        return NameProblem("not_a_name", f"name {_shown(text)} has neither two Chinese characters nor two letters")
    return None


def is_org_name(raw: object) -> bool:
    return org_name_problem(raw) is None
