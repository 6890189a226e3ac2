"""Recall rules of issue 19 found on the 1M benchmark, each pinned on its own (real names from
../shared/real-names where the corpus has the shape)."""

from __future__ import annotations

from warehouse.regions import match_region_prefix
from warehouse.resolve.name_parts import parse_company_name

from .test_name_rules import companies
from .test_real_name_pairs import _feature_of


# ---------------------------------------------------------------- places the names are read with
def test_a_prefecture_is_written_by_its_short_form():
    # real names: NEEQ-837527 和田维吾尔药业股份有限公司, NEEQ-871122 喀什银行, TAX 大兴安岭泰华医药连锁有限公司
    for name, city in (("和田维吾尔药业股份有限公司", "6532"), ("喀什银行", "6531"),
                       ("大兴安岭泰华医药连锁有限公司", "2327")):
        assert parse_company_name(name).city == city, name
    assert parse_company_name("喀什银行").core == "6531:银行"  # an industry word alone keeps its place


def test_a_prefecture_short_form_that_is_a_trade_word_is_no_place():
    assert parse_company_name("阿里巴巴网络技术有限公司").province is None  # 阿里地区's short form
    assert parse_company_name("和田玉珠宝有限公司").core == "和田玉珠宝"  # jade, sold everywhere
    assert parse_company_name("深圳和田玉珠宝有限公司").city == "4403"


def test_a_branch_label_may_be_a_prefecture():
    # the parent without its legal form ends where the branch's own place starts
    parsed = parse_company_name("温州博卓科技塔城分公司")
    assert (parsed.core, parsed.city, parsed.parent_city) == ("博卓科技#分公司", "6542", "3303")
    assert companies(["温州博卓科技塔城分公司", "温州博卓科技有限公司塔城分公司"]) == [0, 0]


def test_place_names_are_read_in_the_spelling_names_get_after_simplification():
    # OpenCC t2s writes 乾 as 干: 乾安县 must still be a county of 松原 (and 乾县 one of 咸阳)
    assert match_region_prefix("干安县芯瑞龙信息技术", 2)[1].district == "220723"
    assert parse_company_name("乾安县芯瑞龙信息技术有限公司").district == "220723"
    assert parse_company_name("乾县宏达建材有限公司").district == "610424"
    assert parse_company_name("乾安县芯瑞龙信息技术有限公司").core == "芯瑞龙信息技术"


# ---------------------------------------------------------------- two registries, unless the record says where
def test_a_traditional_name_with_a_mainland_address_is_no_other_registry():
    # TWSE-2301 光寶科技股份有限公司 against NEEQ-870027's 光宝科技: two registries on the names alone
    assert _feature_of("光寶科技股份有限公司", "光宝科技", "other_script_registry")
    assert companies(["光寶科技股份有限公司", "光宝科技"]) == [0, 1]
    # written in traditional script at a mainland address, the name is a mainland company's
    got = companies(["豐東信息技術有限公司", "黄冈丰东信息技术有限公司"],
                    address=["湖北省黄冈市黄州区东门路12号", "湖北省黄冈市黄州区东门路12号"])
    assert got == [0, 0]
    got = companies(["豐東信息技術有限公司", "黄冈丰东信息技术有限公司"], address=["湖北省黄冈市", ""])
    assert got == [0, 0]
    assert companies(["豐東信息技術有限公司", "黄冈丰东信息技术有限公司"]) == [0, 1]


def test_a_traditional_name_with_a_mainland_only_legal_form_is_no_other_registry():
    # 有限責任公司, 門市部: Taiwan's Company Act, Hong Kong and Macau give none of them
    assert not _feature_of("月信恆軟件有限責任公司", "深圳市月信恒软件有限责任公司", "other_script_registry")
    assert companies(["月信恆軟件有限責任公司", "深圳市月信恒软件有限责任公司"]) == [0, 0]
    assert companies(["麗海星茶葉門市部", "昆明市丽海星茶叶门市部"]) == [0, 0]
    # a form other registries give too (Taiwan's and Hong Kong's 有限公司, 股份有限公司) still says nothing
    assert _feature_of("豐東信息技術有限公司", "黄冈丰东信息技术有限公司", "other_script_registry")


# ---------------------------------------------------------------- a typo needs evidence of its own
def test_one_district_and_industry_is_no_evidence_for_a_look_alike_trade_name():
    # issue 19's shape: 会云 and 汇云医疗科技 are two companies of one district, each at its own street.
    # A mention that names the district, without USCC or address, belongs to neither by its typo;
    # it joins the company whose 字号 it spells (the exact core outranks the look-alike).
    names = ["北京会云医疗科技有限公司", "海淀区汇云医疗科技有限公司", "汇云医疗科技有限公司"]
    got = companies(names, uscc=["", "", "91110108MA01A1B2C3"],
                    address=["北京市海淀区中关村大街1号", "", "北京市海淀区学院路9号"])
    assert got[0] != got[1] and got[1] == got[2]


# ---------------------------------------------------------------- a 字号 alone is not a whole name
def test_two_names_without_industry_words_share_only_a_trade_name():
    # 业锋有限公司 and 温州市业锋有限公司 both dropped their industry: their equal cores are the 字号 alone,
    # which 业锋塑料制品 of 温州 and 业锋医疗器械 of 苏州 both hold. The placeless one has three candidates
    # and stays alone; the 温州 one has one compatible company, and joins it.
    names = ["温州业锋塑料制品有限公司", "苏州业锋医疗器械有限公司", "业锋有限公司", "温州市业锋有限公司"]
    address = ["浙江省温州市平阳县黄技路47号", "江苏省苏州市吴中区工胜路825号", "", ""]
    got = companies(names, address=address)
    assert got[3] == got[0] and got[2] not in (got[0], got[1]) and got[0] != got[1]


# ---------------------------------------------------------------- the code names the registering authority
def test_a_code_issued_in_the_place_another_name_names_is_that_company():
    # a province-named name with a code of 郾城区 (4111 03) against the name of 郾城区: the authority that
    # registered 普克物流 there registers that 字号 and industry once
    names = ["河南省普克物流有限公司", "郾城区普克物流有限公司"]
    assert companies(names, uscc=["91411103MA9GX4P17A", ""]) == [0, 0]
    # without the code the names alone are two registrations (黑龙江九州通医药 / 哈尔滨九州通医药, real names)
    assert companies(names) == [0, 1]
    assert companies(["黑龙江九州通医药有限公司", "哈尔滨九州通医药有限公司"]) == [0, 1]
    # a code of the province's own authority (2300 00) says nothing about the city's name
    got = companies(["黑龙江九州通医药有限公司", "哈尔滨九州通医药有限公司"], uscc=["91230000MA1BX0N177", ""])
    assert got == [0, 1]


# ---------------------------------------------------------------- a county's short form at the front
def test_a_registered_name_may_start_with_its_countys_short_form():
    # real names: NEEQ 张家港汉龙新能源科技股份有限公司 / 汉龙科技, 昆山三景科技股份有限公司 / 三景科技
    parsed = parse_company_name("张家港汉龙新能源科技股份有限公司")
    assert (parsed.district, parsed.core) == ("320582", "汉龙新能源科技")
    assert companies(["张家港汉龙新能源科技股份有限公司", "汉龙科技"]) == [0, 0]
    assert companies(["昆山三景科技股份有限公司", "三景科技"]) == [0, 0]
    # the same small firm with and without its county's suffix (TAX 大余县京桥混凝土有限公司)
    assert companies(["大余县京桥混凝土有限公司", "大余京桥混凝土有限公司"]) == [0, 0]


def test_a_countys_characters_that_leave_no_trade_name_are_the_trade_name():
    # 东方市, 兴业县, 方正县 are counties; SSE 东方电气 / 兴业银行 / 方正证券 are their own 字号
    for full, short in (("东方电气股份有限公司", "东方电气"), ("兴业银行股份有限公司", "兴业银行"),
                        ("方正证券股份有限公司", "方正证券")):
        assert parse_company_name(full).province is None, full
        assert companies([full, short]) == [0, 0], full


def test_a_short_name_reads_a_countys_characters_as_its_trade_name():
    # 证券简称 and merchant names keep the 字号 whole: 安达物流 (天津安达物流股份有限公司), 神木药业
    for short in ("安达物流", "神木药业", "固安信通", "东方金钰"):
        assert parse_company_name(short).province is None, short
    # the registered name written without its legal form keeps its industry words, and its place
    assert parse_company_name("大余京桥混凝土").district == "360723"


def test_a_traditional_script_name_reads_no_countys_short_form():
    # TWSE 德昌營造股份有限公司 is no company of 德昌县 (四川), and stays apart from SSE 德昌股份
    assert parse_company_name("德昌營造股份有限公司").province is None
    assert parse_company_name("德昌营造股份有限公司").district == "513424"  # the mainland spelling would be
    assert companies(["德昌營造股份有限公司", "德昌股份"]) == [0, 1]
