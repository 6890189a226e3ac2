"""中小企业声明函 on award pages → `declarant` mentions with the size each line declares.

Since 财库〔2020〕46号 an award to an SME publishes the winner's 中小企业声明函. Its annex (附1) has one
line per item (and per consortium member):

    1.XX设备（标的名称），属于工业（采购文件中明确的所属行业）行业；制造商为XX有限公司（企业名称），
    从业人员35人，营业收入为1200万元，资产总额为800万元，属于小型企业（中型企业、小型企业、微型企业）；

The firm it names is the manufacturer (货物), the contractor (工程) or the service provider (服务):
it may differ from the winner, so each line is a mention of its own (role `declarant`) with
`extra.size_declaration` = {declaration, declared, industry, employees, revenue_yuan, assets_yuan,
items}. The same firm declared on several lines of one page is one mention (its items listed).
The 残疾人福利性单位声明函 (财库〔2017〕141号) and a 监狱企业 statement are declarations too: policy
treats both as small firms (46号 第十六条).

Only the form counts: the policy sentence an award notice carries ("中标、成交供应商为中小企业的，应
公告其《中小企业声明函》") and a blank template line ("承建企业为/（企业名称）") declare nothing.
Vocabulary lives in lookups/sme_declaration.yaml. Pure function of the page text; never raises.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from scrapers.extract.amounts import parse_amount
from scrapers.extract.lookups import _load
from scrapers.extract.result import PageResult

KINDS_WITH_DECLARATIONS = ("procurement_award", "candidate_notice")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


@functools.cache
def _vocabulary() -> dict:
    data = _load("sme_declaration")
    fold = lambda words: tuple(sorted({_fold(w) for w in words}, key=len, reverse=True))  # noqa: E731
    return {
        "headings": fold(data["headings"]), "end_markers": fold(data["end_markers"]), "max_chars": int(data["max_chars"]),
        "hints": fold(data["hints"]), "firm_roles": fold(data["firm_roles"]), "classes": fold(data["classes"]),
        "policy": tuple((p["declaration"], _fold(p["phrase"]), fold(p.get("signers") or ())) for p in data["policy"]),
        "name_prefixes": fold(data.get("name_prefixes") or ()),
    }


def _fold(text: str) -> str:
    """NFKC without whitespace: how the vocabulary and the page text are compared."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


@functools.cache
def _line_pattern() -> re.Pattern:
    v = _vocabulary()
    roles = "|".join(re.escape(r) for r in v["firm_roles"])
    classes = "|".join(re.escape(c) for c in v["classes"])
    return re.compile(
        r"(?:属于(?P<industry>[^;；,，。()]{1,30}?)(?:行业)?[;；,，])?"
        rf"(?:{roles})(?P<name>[^;；,，。]{{1,80}}?)[,，;；]"
        r"从业人员(?P<employees>[^;；,，。]{0,20}?)人[,，]"
        r"营业收入(?:为)?(?P<revenue>[^;；,，。]{0,30}?)[,，]"
        r"资产总额(?:为)?(?P<assets>[^;；,，。]{0,30}?)[,，]"
        rf"属于(?P<declared>{classes})"
    )


def _without_hints(text: str) -> str:
    for hint in _vocabulary()["hints"]:
        text = text.replace(f"({hint})", "")
    return text


def declaration_blocks(text: str) -> list[str]:
    """The text of each 中小企业声明函 on the page (folded, hints removed): from its heading to its
    signature block. A heading inside 《》 is a reference to the form, not the form."""
    v = _vocabulary()
    blocks = []
    for heading in v["headings"]:
        for match in re.finditer(re.escape(heading), text):
            before, after = text[max(0, match.start() - 1):match.start()], text[match.end():match.end() + 1]
            if before == "《" or after == "》":
                continue
            block = text[match.end():match.end() + v["max_chars"]]
            ends = [block.find(marker) for marker in v["end_markers"] if marker in block]
            blocks.append(_without_hints(block[: min(ends)] if ends else block))
    return blocks


def _whole_number(text: str) -> int | None:
    match = _NUMBER.fullmatch(text.strip())
    return int(float(match.group(0).replace(",", ""))) if match else None


def _yuan(text: str) -> float | None:
    """营业收入 / 资产总额 as written (1200万元, 12,000,000元); a masked or blank figure is None."""
    if not text or not _NUMBER.search(text):
        return None
    return parse_amount(text).yuan


def _firm_lines(block: str, result: PageResult) -> list[dict]:
    lines = []
    for match in _line_pattern().finditer(block):
        name = result.accept_org(match.group("name").strip("：:"), "declared firm")
        if not name:
            continue
        item = block[max(0, match.start() - 60):match.start()]
        item = re.split(r"[;；。:：]|[\d*]+[.、]", item)[-1].strip(",，") or None
        lines.append({"name": name, "declaration": "中小企业声明函", "declared": match.group("declared"),
                      "industry": (match.group("industry") or "").strip() or None,
                      "employees": _whole_number(match.group("employees")), "revenue_yuan": _yuan(match.group("revenue")),
                      "assets_yuan": _yuan(match.group("assets")), "item": item})
    return lines


def _policy_lines(text: str, result: PageResult) -> list[dict]:
    """残疾人福利性单位 / 监狱企业: the declaring unit is its signer, or the name right before the phrase."""
    lines = []
    for declaration, phrase, signers in _vocabulary()["policy"]:
        for match in re.finditer(re.escape(phrase), text):
            raw = None
            if signers:
                tail = text[match.end():match.end() + 1500]
                found = [(tail.find(s), s) for s in signers if s in tail]
                if found:
                    at, signer = min(found)
                    raw = re.split(r"[;；,，。]|日期|法定代表人", tail[at + len(signer):])[0]
            else:
                raw = re.split(r"[;；,，。:：]", text[max(0, match.start() - 80):match.start()])[-1]
                for prefix in _vocabulary()["name_prefixes"]:
                    raw = raw.removeprefix(prefix)
            name = result.accept_org(raw, "declared firm") if raw else None
            if name:
                lines.append({"name": name, "declaration": declaration, "declared": None, "industry": None,
                              "employees": None, "revenue_yuan": None, "assets_yuan": None, "item": None})
    return lines


def find_declarations(text: str, result: PageResult | None = None) -> list[dict]:
    """Every declared firm of the page text, one dict per firm and declaration (items merged)."""
    result = result if result is not None else PageResult()
    folded = _fold(text)
    lines = [line for block in declaration_blocks(folded) for line in _firm_lines(block, result)]
    lines += _policy_lines(folded, result)
    merged: dict[tuple, dict] = {}
    for line in lines:
        key = (line["name"], line["declaration"], line["declared"], line["employees"], line["revenue_yuan"])
        item = line.pop("item")
        entry = merged.setdefault(key, {**line, "items": []})
        if item and item not in entry["items"]:
            entry["items"].append(item)
    return list(merged.values())


def add_sme_declarations(page, url: str | None, result: PageResult, kind: str) -> None:
    """The extraction hook (scrapers/extract/page.py): declarant mentions of an award page's 声明函."""
    if kind not in KINDS_WITH_DECLARATIONS or page.root is None:
        return
    text = "\n".join(page.root.itertext())
    for declaration in find_declarations(text, result):
        result.add(url, None, role="declarant", name=declaration["name"], industry=declaration["industry"],
                   size_declaration={k: v for k, v in declaration.items() if k != "name" and v not in (None, [])})
