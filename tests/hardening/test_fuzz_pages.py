"""Property-based: any bytes as a detail page give a PageResult, never an exception (issue 22).

Bytes are drawn as noise, as markup built from the structures real notices use (tables in cells,
label/value lines, nesting), and in the encodings portals serve. The extractor must answer with
mentions or problems; a crash in a crawl would lose the page silently.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kernel.contracts import PAGE_KINDS
from scrapers.extract import extract_page

pytestmark = pytest.mark.fuzz

_TAGS = st.sampled_from(["div", "p", "table", "tr", "td", "th", "span", "font", "o:p", "ul", "li", "h1", "br", "a",
                         "script", "tbody"])
_TEXT = st.sampled_from(["中标供应商名称：", "供应商名称：", "采购人：", "中标金额：", "项目名称：", "杭州甲科技有限公司",
                         "1,000.00元", "-5元", "99999999999999999999万元", "宁波\ufffd有限公司", "第一中标候选人", "废标",
                         "\x00", "&nbsp;", "&#0;", "<!--", "]]>", "<?xml version='1.0'?>"])


@st.composite
def markup(draw, depth=0):
    parts = []
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        if depth < 6 and draw(st.booleans()):
            tag = draw(_TAGS)
            inner = draw(markup(depth + 1))
            closed = draw(st.booleans())
            parts.append(f"<{tag}>{inner}" + (f"</{tag}>" if closed else ""))
        else:
            parts.append(draw(st.one_of(_TEXT, st.text(max_size=12))))
    return "".join(parts)


_PAGES = st.one_of(
    st.binary(max_size=2000),
    st.tuples(markup(), st.sampled_from(["utf-8", "gb18030", "utf-16", "utf-16-le", "big5"])).map(
        lambda pair: f"<html><head><title>中标结果公告</title></head><body>{pair[0]}</body></html>".encode(
            pair[1], "replace")),
)


@given(_PAGES, st.sampled_from(sorted(PAGE_KINDS)))
def test_any_bytes_give_mentions_or_problems_never_an_exception(body, kind):
    result = extract_page(body, "http://127.0.0.1/p/fuzz.htm", kind=kind)
    assert isinstance(result.mentions, list) and isinstance(result.problems, list)
    for mention in result.mentions:
        assert mention.get("name")
