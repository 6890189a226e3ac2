"""Character-level normalisation of company names and addresses: one name at a time, or many at once.

- `display_name(raw)`: trimmed, NFKC (full-width brackets kept), traditional -> simplified, invisible
  characters removed, runs of whitespace made one space — the name as shown;
- `name_key(display)`: one bracket form "()", no spaces, ASCII letters upper case, punctuation
  removed — what the parser reads;
- `displays_and_keys(raws)`: both for a list of names, computed on the names joined into one text
  (one NFKC, one OpenCC and one regex pass instead of one per name), equal to the one-at-a-time
  functions (tests/resolve/test_name_text.py holds them to it).
"""

from __future__ import annotations

import re
import unicodedata

from kernel.chinese_script import AVAILABLE as _CONVERTS
from kernel.chinese_script import to_simplified as _simplified
from kernel.chinese_script import to_traditional

INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad\u180e\u2028\u2029]")
OPEN_BRACKETS = "（【〔［[{｛〖《<＜"
CLOSE_BRACKETS = "）】〕］]}｝〗》>＞"
_PUNCT = re.compile(r"[^\w()]|_")  # anything that is not a letter, digit, CJK or bracket
_PUNCT_LINES = re.compile(r"[^\w()\n]|_")
_BRACKETS = str.maketrans({**{c: "(" for c in OPEN_BRACKETS}, **{c: ")" for c in CLOSE_BRACKETS}, " ": None})
_BRACKET_OR_SPACE = re.compile("[ " + re.escape(OPEN_BRACKETS + CLOSE_BRACKETS) + "]")
_OPEN_RE = re.compile("[" + re.escape(OPEN_BRACKETS) + "]")  # str.translate is slow on long CJK text
_CLOSE_RE = re.compile("[" + re.escape(CLOSE_BRACKETS) + "]")
_ASCII_LOWER = re.compile(r"[a-z]+")
_INNER_SPACE = re.compile(r"[^\S\n]+")


def _upper_ascii(text: str) -> str:
    """ASCII letters upper case, nothing else (a name's Chinese and accented letters stay)."""
    return _ASCII_LOWER.sub(lambda m: m.group(0).upper(), text) if _ASCII_LOWER.search(text) else text


def to_text(raw: object) -> str:
    if raw is None or (isinstance(raw, float) and raw != raw):
        return ""
    return str(raw)


def _nfkc_keeping_brackets(text: str) -> str:
    if unicodedata.is_normalized("NFKC", text):
        return text
    protect = "（" in text or "）" in text
    if protect:
        text = text.replace("（", "\x01").replace("）", "\x02")
    text = unicodedata.normalize("NFKC", text)
    if protect:
        text = text.replace("\x01", "（").replace("\x02", "）")
    return text


def display_text(raw: str) -> str:
    text = INVISIBLE.sub("", raw) if INVISIBLE.search(raw) else raw
    return " ".join(_simplified(_nfkc_keeping_brackets(text)).split())


def display_name(raw: object) -> str:
    """The name as shown: trimmed, NFKC, simplified, invisible characters and runs of spaces removed."""
    return display_text(to_text(raw))


def name_key(display: str) -> str:
    text = display  # single spaces only (see display_text)
    if _BRACKET_OR_SPACE.search(text):
        text = text.translate(_BRACKETS)
    text = _upper_ascii(text)
    if _PUNCT.search(text):
        text = _PUNCT.sub("", text)
    return text


def displays_and_keys(raws: list[str], traditional: list | None = None) -> tuple[list[str], list[str]]:
    """display_text and name_key of every name, computed on the joined text. With a list given as
    `traditional`, it is filled with whether simplifying changed each name (script() == "traditional")."""
    if not raws:
        return [], []
    text = "\n".join(raws)
    if text.count("\n") != len(raws) - 1:  # a name with a line break: it is whitespace anyway
        text = "\n".join(r.replace("\n", " ") for r in raws)
    if INVISIBLE.search(text):
        text = INVISIBLE.sub("", text)
    if not unicodedata.is_normalized("NFKC", text):  # most names are: normalise only the others
        text = "\n".join(_nfkc_keeping_brackets(line) for line in text.split("\n"))
    simplified = _simplified(text)
    if traditional is not None:
        traditional[:] = ([a != b for a, b in zip(text.split("\n"), simplified.split("\n"))]
                          if simplified != text else [False] * len(raws))
    text = _INNER_SPACE.sub(" ", simplified)
    text = text.replace("\n ", "\n").replace(" \n", "\n").strip(" ")
    displays = text.split("\n")
    text = _CLOSE_RE.sub(")", _OPEN_RE.sub("(", text)).replace(" ", "")
    keys = _PUNCT_LINES.sub("", _upper_ascii(text)).split("\n")
    return displays, keys


def script(raw: object) -> str:
    """"traditional" (臺灣水泥: simplifying changes it), "simplified" (熊猫: only traditionalising
    changes it) or "both" (京鼎, 大江: either script writes it so)."""
    text = to_text(raw)
    if not _CONVERTS or text.isascii():
        return "both"
    if _simplified(text) != text:
        return "traditional"
    return "simplified" if to_traditional(text) != text else "both"
