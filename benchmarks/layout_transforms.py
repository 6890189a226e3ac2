"""Layout transforms of real pages: the same names, amounts and roles, laid out the way other portals do.

Each transform rewrites an lxml tree in place and returns how many places it changed (0 = it does
not apply to the page, which is then left out of that transform's score). None of them adds, drops
or edits a company name, an amount or a role word of the page: they move text between `<p>` lines
and table cells, change the width of colons and brackets, space out labels, swap a label for a
synonym of the same meaning (SOURCES.md), renumber or drop section headings, add Word-export markup,
split tables and wrap the page in another portal's chrome. benchmarks/eval_layouts.py checks after
each transform that every gold name still occurs in the page text, and scores the result.
"""

from __future__ import annotations

import random
import re

from lxml import etree

from benchmarks.layout_tables import (
    four_to_two_columns,
    grid_to_lines,
    lines_to_table,
    split_tables,
    table_to_lines,
    two_to_four_columns,
)
from benchmarks.layout_tree import (
    CN,
    HEADING_NUMBER,
    Transform,
    edit_labels,
    edit_text,
    line_units,
    new_element,
    replace,
    squeeze,
    text_nodes,
)

__all__ = ["TRANSFORMS", "WORD_MARK", "Transform"]


def spaced_labels(root) -> int:
    """Labels spaced out one character at a time ("项 目 名 称"), in lines and in label cells."""
    return edit_labels(root, lambda label: " ".join(label) if len(label) <= 8 else label)


_WIDTH = str.maketrans({"（": "(", "）": ")", "(": "（", ")": "）"})


def colons_and_brackets(root) -> int:
    """Full-width colons made half-width and the other way round, brackets in labels swapped likewise."""
    changed = edit_labels(root, lambda label: label.translate(_WIDTH))
    return changed + edit_text(root, lambda text: re.sub(r"(?<=[\u4e00-\u9fff）)])\s*([:：])",
                                                         lambda m: ":" if m.group(1) == "：" else "：", text))


# Synonyms of the same meaning (SOURCES.md "Label synonyms seen"); each is swapped for the next one.
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("项目名称", "采购项目名称", "工程名称"),
    ("项目编号", "采购项目编号", "招标编号", "采购编号"),
    ("采购单位", "采购人", "采购人名称", "招标人"),
    ("中标供应商名称", "成交供应商名称"),
    ("中标供应商", "成交供应商", "中标人"),
    ("总中标金额", "总成交金额"),
    ("中标金额", "成交金额", "中标（成交）金额", "中标价格"),
    ("公告时间", "发布日期"),
)
_NEXT = {word: group[(i + 1) % len(group)] for group in SYNONYMS for i, word in enumerate(group)}


def label_synonyms(root) -> int:
    """Each label of a synonym group swapped for the next synonym of the same meaning."""
    def swap(label: str) -> str:
        key = squeeze(label)
        if key in _NEXT:
            return _NEXT[key]
        unit = re.match(r"^(.+?)([(（][^()（）]{1,6}[)）])$", key)  # "中标金额（万元）"
        return _NEXT[unit.group(1)] + unit.group(2) if unit and unit.group(1) in _NEXT else label
    return edit_labels(root, swap)


def _renumber(match: re.Match) -> str:
    number, _ = match.group(1), match.group(2)
    if number.isdigit():
        value = int(number)
        cn = CN[value - 1] if value <= 10 else "十" + CN[value - 11] if value < 20 else number
        return f"（{cn}）"
    value = CN.index(number) + 1 if len(number) == 1 else (10 + (CN.index(number[1]) + 1 if len(number) == 2 else 0))
    return f"{value}."


def headings_renumbered(root) -> int:
    """Numbered lines renumbered: 一、→ 1.  and  1. → （一）."""
    return _numbered_blocks(root, lambda unit: _set_first_text(unit, lambda t: HEADING_NUMBER.sub(_renumber, t, count=1)))


def heading_numbers_dropped(root) -> int:
    """The numbering of numbered lines dropped ("三、采购代理机构信息" → "采购代理机构信息")."""
    return _numbered_blocks(root, lambda unit: _set_first_text(unit, lambda t: HEADING_NUMBER.sub("", t, count=1)))


def headings_dropped(root) -> int:
    """Section heading lines (a short numbered line with no value, "四、成交信息") removed."""
    changed = 0
    for unit in line_units(root):
        text = squeeze("".join(unit.itertext()))
        if HEADING_NUMBER.match(text) and len(text) <= 20 and not re.search(r"[:：].", text):
            replace(unit, [new_element("span")])
            changed += 1
    return changed


def _numbered_blocks(root, edit) -> int:
    changed = 0
    for unit in line_units(root):
        if HEADING_NUMBER.match("".join(unit.itertext())):
            changed += edit(unit)
    return changed


def _set_first_text(unit, edit) -> int:
    for node in unit.iter():
        if isinstance(node.tag, str) and node.text and node.text.strip():
            new = edit(node.text)
            if new != node.text:
                node.text = new
                return 1
            return 0
    return 0


WORD_MARK = "tuoke-o-p"  # serialised as <o:p></o:p> (lxml cannot name a tag with a prefix)


def word_noise(root) -> int:
    """Word-export markup: every text run split at random inside nested <span><font>, <o:p> at the
    end of each paragraph and cell."""
    rng = random.Random(18)
    changed = 0
    for element, where in list(text_nodes(root)):
        text = getattr(element, where)
        if len(text.strip()) < 2 or element.tag in ("option", "textarea"):
            continue
        cut = rng.randint(1, len(text) - 1)
        span = new_element("span", style="font-family:宋体;font-size:10.5pt")
        font = etree.SubElement(span, "font", face="宋体")
        font.text = text[:cut]
        inner = etree.SubElement(span, "span", lang="EN-US")
        inner.text = text[cut:]
        if where == "text":
            element.text = None
            element.insert(0, span)
        else:
            parent = element.getparent()
            element.tail = None
            parent.insert(parent.index(element) + 1, span)
        changed += 1
    for block in list(root.iter("p", "td")):
        etree.SubElement(block, WORD_MARK)
    return changed


_CHROME_TOP = """<div class="ewb-top"><div class="ewb-logo">宁波市公共资源交易网</div><ul class="ewb-nav-list">
<li><a href="/">首页</a></li><li><a href="/jyxx/">交易信息</a></li><li><a href="/zbgg/">招标公告</a></li>
<li><a href="/zbgs/">中标候选人公示</a></li><li><a href="/zbjg/">中标公告</a></li><li><a href="/cjgg/">成交公告</a></li>
<li><a href="/gzgg/">更正公告</a></li><li><a href="/fbgg/">废标公告</a></li><li><a href="/zcfg/">政策法规</a></li></ul></div>
<div class="ewb-location">当前位置：<a href="/">首页</a> &gt; <a href="/jyxx/">交易信息</a> &gt; <a href="/zbjg/">中标公告</a> &gt; 正文</div>"""
_CHROME_SIDE = """<div class="ewb-right"><h4>相关公告</h4><ul><li><a href="/a1.html">关于采购项目的中标公告</a></li>
<li><a href="/a2.html">关于采购项目的成交公告</a></li><li><a href="/a3.html">中标候选人公示</a></li></ul></div>"""
_CHROME_FOOT = """<div class="ewb-bottom"><p>主办单位：宁波市公共资源交易中心 地址：宁波市宁穿路1901号 电话：0574-87187999</p>
<p>技术支持：国泰新点软件股份有限公司 版权所有 浙ICP备05034226号</p></div>"""


def portal_chrome(root) -> int:
    """The page wrapped in another portal's chrome: a nav menu and breadcrumb of kind words, a side
    list of notice links, a footer naming the host centre and its software vendor."""
    body = root.find(".//body")
    if body is None:
        return 0
    article = new_element("div", **{"class": "ewb-article"})
    article.text, body.text = body.text, None
    for child in list(body):
        article.append(child)
    for fragment in (_CHROME_TOP, None, _CHROME_SIDE, _CHROME_FOOT):
        if fragment is None:
            body.append(article)
            continue
        for node in etree.fromstring(f"<div>{fragment}</div>", etree.HTMLParser()).find(".//body/div"):
            body.append(node)
    return 1


def combined(root) -> int:
    """An unseen portal differs in several ways at once: chrome, Word markup, spaced labels,
    synonyms, colon widths and 2 <-> 4 columns together."""
    return sum(step(root) for step in (label_synonyms, colons_and_brackets, spaced_labels, two_to_four_columns,
                                       word_noise, portal_chrome))


def _what(function) -> str:
    """A transform's docstring as one line (its first sentence)."""
    return " ".join((function.__doc__ or "").split()).split(". ")[0].rstrip(".")


TRANSFORMS: tuple[Transform, ...] = tuple(Transform(f.__name__, _what(f), f) for f in (
    table_to_lines, lines_to_table, grid_to_lines, two_to_four_columns, four_to_two_columns, spaced_labels,
    colons_and_brackets, label_synonyms, headings_renumbered, heading_numbers_dropped, headings_dropped, word_noise,
    split_tables, portal_chrome, combined,
))

