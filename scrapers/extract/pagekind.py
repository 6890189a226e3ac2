"""Page kind from the page's own headline (issue #9): which notice is this page?

Real portals put 招标公告 / 中标公告 / 更正公告 in every page's navigation menu, so words anywhere
on the page say nothing. The page names itself in a few places, read in this order:

1. its headlines: `<title>`, `<h1>`-`<h3>`, and for bare fragments without them the first short
   line that ends like a notice heading (… 中标公告, 成 交 公 示, 中标公示信息（施工）) or a bold /
   centred line near the top — never text inside nav / menu / header / footer / list blocks;
2. URL patterns of known portals (ccgp.gov.cn's /cjgg/ = 成交公告, …);
3. an opening sentence of the notice ("现将中标结果公告如下", "欢迎…参加投标").

Each text is matched against one vocabulary ordered by specificity (更正 before 废标 before 候选人
before 中标/成交/结果 before 招标/采购公告), so 中标候选人公示 is a candidate notice and
招标结果公告 an award. Two facts of the body then refine an award headline, because real pages
use the words loosely:
- ranked candidates (第一中标候选人 / 第一名 / 推荐第一成交候选人) and no named winner
  (中标人 / 拟中标人 / 成交供应商 / 中标结果 …) → `candidate_notice` (titles say 中标公告 for a
  publicity of candidates; ranks 2 and 3 must not become winners);
- a failure statement (无供应商报价 / 流标 / 废标 …) and no organisation named as winner → `failed`.

`classify_page()` returns the kind with its evidence; `page_kind()` just the kind. Kinds are the
source kinds plus `failed` and `correction`, which the extractor reads as `extract_as` says.
Pure: text in, kind out; no Scrapy import.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from lxml import etree

# Ordered by specificity: the first kind whose words occur in a headline wins.
HEADLINE_VOCABULARY: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("correction", ("更正", "变更公告", "澄清", "补充公告", "修改公告", "补遗", "答疑")),
    ("failed", ("废标", "流标", "终止公告", "终止公示", "采购失败", "失败公告", "招标失败", "废止公告",
                "不成交公告")),
    ("candidate_notice", ("候选人", "评标结果公示", "评审结果公示", "候选单位公示", "候选供应商公示")),
    ("procurement_award", ("中标", "成交", "结果公告", "结果公示", "结果公布", "定标", "中选", "入围公告",
                           "入围结果", "拟签约", "采购结果", "合同公告", "合同公示")),
    ("tender_notice", ("招标公告", "采购公告", "磋商公告", "询价公告", "谈判公告", "竞价公告", "比选公告",
                       "遴选公告", "单一来源", "资格预审", "招标邀请", "投标邀请", "邀请书", "招租公告",
                       "征集公告", "竞争性磋商", "竞争性谈判", "公开招标", "邀请招标", "询价采购",
                       "采购意向", "意向公开")),
    ("negative_list", ("失信被执行人", "限制高消费", "经营异常", "行政处罚", "严重违法失信", "黑名单")),
    ("srdi_list", ("专精特新",)),
    ("directory", ("会员单位", "会长单位", "理事单位", "入驻企业", "会员名录", "企业名录")),
)

# The extractor knows the source kinds; a failed award is still read as an award (its surviving
# lots keep their winners), a correction as the notice kind it corrects (else a tender notice).
# `unknown` is extracted as `unknown`: scrapers.extract.auto runs the extractors that can read such a
# page and keeps the one whose mentions have evidence (never a silent award).
EXTRACT_AS = {"failed": "procurement_award", "correction": "tender_notice"}
# A page no headline, URL or sentence names: this many whole organisation names in link texts, link
# titles, list items or table cells, and no winner or candidate named, make it a directory.
DIRECTORY_MIN_NAMES = 8

# ccgp.gov.cn and look-alike CMS paths: the list a detail page sits in names its kind.
URL_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("correction", re.compile(r"/(gzgg|bggg|gengzheng)/", re.I)),
    ("failed", re.compile(r"/(fbgg|zzgg|lbgg|feibiao)/", re.I)),
    ("candidate_notice", re.compile(r"/(zbhxr\w*|hxrgs|pbjggs)/|zbhxrgs", re.I)),
    ("procurement_award", re.compile(r"ccgp\.gov\.cn/cggg/\w+/(cjgg|zbgg)/|/(zbjg\w*|cjgg|jggg|zbjggs)/|BidResult",
                                     re.I)),
    ("tender_notice", re.compile(r"ccgp\.gov\.cn/cggg/\w+/(gkzb|yqzb|jzxtp|jzxcs|xjgg|dylygg|zgysgg)/", re.I)),
)

# Opening sentences that say what the notice announces (for fragments without any headline).
OPENING_SENTENCES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("procurement_award", re.compile(r"(中标|成交|采购|评标|评审)结果(如下|公告如下|公布如下|公示如下)|"
                                     r"现将(中标|成交)|(中标|成交)(结果|人名单|供应商名单)(公告|公示|公布)")),
    ("tender_notice", re.compile(r"欢迎.{0,20}(参加|参与).{0,6}(投标|报价|磋商|谈判)|投标截止时间|响应文件(递交|提交)截止")),
)

# Several ranks: a second-ranked candidate (a lone 第一成交候选供应商 per lot is that lot's winner).
RANKED_CANDIDATES = re.compile(r"第[二2](中标|成交)?(候选人|候选单位|候选供应商|排序单位)|第[二2]名(?!单)|推荐第[二2]|排名第[二2]")
# A winner stated as such: a winner field (label then a colon or a cell break), or a sentence that
# makes someone the winner — not "中标候选人", not "中标结果如下", not boilerplate about the future
# ("公示期满后将确定第一中标候选人为中标人").
WINNER_FIELD = re.compile(
    r"(拟中标人|中标人|拟中标单位|中标单位|拟成交人|成交人|中标供应商|成交供应商|中标（成交）供应商|中标\(成交\)供应商|"
    r"成交单位|中标机构|中选单位|中选人|中标结果)(名称)?[ \t]*([:：]|\n)")
WINNER_SENTENCE = re.compile(r"为(中标人|中标单位|成交人|成交供应商|中标供应商|成交单位)")
_AWARD_WORDS = re.compile(r"中标|成交")
FUTURE = re.compile(r"将|拟|应|如|若|后|须|待")
FAILURE_STATEMENT = re.compile(r"无供应商报价|无人报价|流标|废标|采购失败|终止采购|项目终止|不足三家|招标失败")
ORGANISATION = re.compile(r"[\u4e00-\u9fff（）()]{2,40}(有限公司|有限责任公司|股份公司|集团|公司|厂|研究院|设计院|事务所|合作社)")
# Organisations named in purchaser / agent roles do not make a winner.
NON_WINNER_LABEL = re.compile(r"(采购人|采购单位|采购执行方|招标人|建设单位|代理机构|集中采购机构|采购代理|受)[^。；;\n]{0,50}")

# Blocks that hold site chrome, not the page's own heading.
_CHROME = re.compile(r"(^|[\s_-])(\w*nav\w*|\w*menu\w*|header|footer|\w*crumbs?|banner|sidebar|side|topbar|toolbar)"
                     r"($|[\s_-])", re.I)
_CHROME_TAGS = ("nav", "header", "footer", "ul", "ol", "menu", "select", "script", "style", "noscript", "aside")
_HEADING_END = re.compile(r"(公告|公示|公示表|公示信息|结果|通知|公布|名单)([（(][^）)]{0,12}[）)])?$")
_NOTICE_WORD = re.compile(r"公告|公示")
# Numbered section labels ("八．中标/成交结果") are parts of the notice, not its heading.
_SECTION_NUMBER = re.compile(r"^([一二三四五六七八九十]+|\d+)[、.．:：]")
_SPACES = re.compile(r"[\s\u3000\xa0]+")
_PARSER = etree.HTMLParser(recover=True, remove_comments=True, remove_pis=True, huge_tree=True)
_XML_DECL = re.compile(r"^<\?xml[^>]*\?>")
_TAIL_TAG = re.compile(r"\s*[\[［【(（][^\]］】)）]{1,10}[\]］】)）]\s*$")  # "某某公司[慈溪]": a district tag
_TITLE_SEPARATORS = re.compile(r"\s+[-_|｜—]+\s+|[|｜_]|--|——")
_BLOCKS = ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "tr", "li", "br", "section", "table",
           "center", "strong", "b")


@dataclass(frozen=True)
class PageKind:
    """A page's kind, the kind the extractor reads it as, and what decided it."""

    kind: str
    extract_as: str
    evidence: str


def classify_page(page: bytes | str, url: str | None = None, headers: Mapping | None = None) -> PageKind:
    """Kind of a notice page from its headline, its URL and its opening sentence."""
    text = page if isinstance(page, str) else _decode(page, headers)
    root = _parse(text)
    lines = _lines(root) if root is not None else []
    body_text = "\n".join(lines) if root is not None else _SPACES.sub("", text)
    for where, headline in _headlines(root, lines):
        kind = kind_of_headline(headline)
        if kind == "correction":
            return PageKind(kind, corrected_kind(headline), f"{where}: {headline[:60]}")
        if kind == "failed" and _AWARD_WORDS.search(_SPACES.sub("", headline)) and _winner_organisation(body_text):
            # "第1包中标、第2包废标公告": the surviving lots have winners
            return _refine("procurement_award", f"{where}: {headline[:60]}; some lots failed", body_text)
        if kind:
            return _refine(kind, f"{where}: {headline[:60]}", body_text)
    for kind, pattern in URL_PATTERNS:
        if url and pattern.search(url):
            return _refine(kind, f"url: {url}", body_text)
    opening = body_text[:1500]
    for kind, pattern in OPENING_SENTENCES:
        match = pattern.search(opening)
        if match:
            return _refine(kind, f"opening: {match.group(0)}", body_text)
    return _structure_kind(root, body_text)


def page_kind(page: bytes | str, url: str | None = None, headers: Mapping | None = None) -> str:
    """The kind alone (`unknown` when nothing on the page says it: never silently an award)."""
    return classify_page(page, url, headers).kind


def kind_of_headline(headline: str) -> str | None:
    """The most specific kind whose words occur in one headline, or None."""
    squeezed = _SPACES.sub("", headline)
    for kind, words in HEADLINE_VOCABULARY:
        if any(word in squeezed for word in words):
            return kind
    return None


def corrected_kind(headline: str) -> str:
    """The extractor kind of the notice a correction corrects (关于…中标公告的更正公告 → award)."""
    squeezed = _SPACES.sub("", headline)
    for word in HEADLINE_VOCABULARY[0][1]:
        squeezed = squeezed.replace(word, "")
    kind = kind_of_headline(squeezed)
    return kind if kind in ("procurement_award", "candidate_notice") else EXTRACT_AS["correction"]


def _refine(kind: str, evidence: str, body_text: str) -> PageKind:
    if kind in ("procurement_award", "unknown"):
        ranked = RANKED_CANDIDATES.search(body_text)
        if ranked and not _winner_declared(body_text):
            return PageKind("candidate_notice", "candidate_notice", f"{evidence}; ranked candidates, no winner named")
        if FAILURE_STATEMENT.search(body_text) and not _winner_organisation(body_text):
            return PageKind("failed", EXTRACT_AS["failed"], f"{evidence}; failure stated, no winner named")
    return PageKind(kind, EXTRACT_AS.get(kind, kind), evidence)


def _structure_kind(root, body_text: str) -> PageKind:
    """The kind of a page its words do not name, from its structure (issue 18: never "award" by default)."""
    if _winner_declared(body_text):
        return _refine("procurement_award", "structure: a winner is named", body_text)
    if RANKED_CANDIDATES.search(body_text):
        return PageKind("candidate_notice", "candidate_notice", "structure: ranked candidates")
    names = _listed_names(root) if root is not None else 0
    if names >= DIRECTORY_MIN_NAMES:
        return PageKind("directory", "directory", f"structure: {names} organisation names listed one per link or cell")
    return PageKind("unknown", "unknown", "no headline, url, opening sentence or structure names the kind")


def _listed_names(root) -> int:
    """Distinct link texts / titles, list items and table cells that are one organisation's name each."""
    from scrapers.extract.orgspans import find_orgs

    names: set[str] = set()
    for element in root.iter("a", "li", "td"):
        if _is_chrome(element):
            continue
        for text in (element.get("title") or "", _squeeze(element)):
            text = _TAIL_TAG.sub("", text)
            spans = find_orgs(text) if 4 <= len(text) <= 60 else []
            if len(spans) == 1 and spans[0].start == 0 and spans[0].end == len(text):
                names.add(text)
    return len(names)


def _winner_declared(body_text: str) -> bool:
    if WINNER_FIELD.search(body_text):
        return True
    for match in WINNER_SENTENCE.finditer(body_text):
        clause = re.split(r"[，,。；;\n]", body_text[max(0, match.start() - 30):match.start()])[-1]
        if not FUTURE.search(clause):
            return True
    return False


def _winner_organisation(body_text: str) -> bool:
    """Whether an organisation is named outside purchaser / agent phrases."""
    return bool(ORGANISATION.search(NON_WINNER_LABEL.sub(" ", body_text)))


# -- reading the page ---------------------------------------------------------------------------
def _decode(body: bytes, headers: Mapping | None) -> str:
    from scrapers.extract.decode import decode_body

    return decode_body(body, headers)


def _parse(text: str):
    if not text.strip():
        return None
    try:  # plain etree, not lxml.html: no per-element class lookup (a third of the walk)
        return etree.fromstring(_XML_DECL.sub("", text.strip(), count=1), parser=_PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None


def _is_chrome(element) -> bool:
    for node in element.iterancestors():
        if node.tag in _CHROME_TAGS[:6]:
            return True
        if _CHROME.search(f"{node.get('class') or ''} {node.get('id') or ''}"):
            return True
    return False


def _squeeze(element) -> str:
    return _SPACES.sub("", "".join(element.itertext()))


def _headlines(root, lines: list[str]) -> list[tuple[str, str]]:
    """(where, text) of the page's own headings, most authoritative first."""
    if root is None:
        return []
    found: list[tuple[str, str]] = []
    column_names: list[tuple[str, str]] = []
    for title in root.iter("title"):
        # "招标公告 - 某某市公共资源交易网": some CMSs title every page with its column's name; a bare
        # kind word there is weaker evidence than the notice's own heading
        for segment in _TITLE_SEPARATORS.split("".join(title.itertext())):
            text = _SPACES.sub("", segment)
            if text:
                (column_names if len(text) <= 6 else found).append(("title", text))
    for tag in ("h1", "h2", "h3"):
        for heading in root.iter(tag):
            text = _squeeze(heading)
            if text and len(text) <= 120 and not _is_chrome(heading):
                found.append((tag, text))
    found.extend(("heading line", line) for line in _prominent_lines(root, lines))
    return found + column_names


def _prominent_lines(root, lines: list[str]) -> list[str]:
    """Short lines near the top that end like a notice heading, or are bold / centred."""
    candidates = list(lines[:12])
    for element in root.iter("strong", "b", "center", "font", "p", "div"):
        centred = (element.get("align") or "").lower() == "center" or "center" in (element.get("style") or "")
        if element.tag in ("p", "div") and not centred:
            continue
        if not _is_chrome(element):
            candidates.append(_squeeze(element))
    return [line for line in candidates
            if 4 <= len(line) <= 80 and _HEADING_END.search(line) and not _SECTION_NUMBER.match(line)
            and len(_NOTICE_WORD.findall(line)) < 3]  # 首页招标公告中标公告更正公告: a menu run together


def _lines(root) -> list[str]:
    """The visible text as lines split at block elements, chrome left out."""
    pieces: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        line = _SPACES.sub("", "".join(buffer))
        if line:
            pieces.append(line)
        buffer.clear()

    def walk(element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in _CHROME_TAGS or (tag and _CHROME.search(f"{element.get('class') or ''} {element.get('id') or ''}")):
            if element.tail:
                buffer.append(element.tail)
            return
        block = tag in _BLOCKS
        if block:
            flush()
        if tag and element.text:
            buffer.append(element.text)
        for child in element:
            walk(child)
        if block:
            flush()
        if element.tail:
            buffer.append(element.tail)

    body = root.find("body") if root.tag == "html" else root
    walk(body if body is not None else root)
    flush()
    return pieces
