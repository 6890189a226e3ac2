"""Name normalisation and codes: the hard shapes of Chinese company names."""

import time

from warehouse.codes import parse_code
from warehouse.regions import match_region_prefix, resolve_region_hint
from warehouse.resolve.name_parts import parse_company_name as parse

VALID = "91110108551385082Q"  # check character correct
BAD = "91110108551385082X"  # same code, wrong check character


def test_traditional_width_and_spaces():
    a, b = parse("杭州宏達機械設備有限責任公司"), parse(" 杭州宏达机械设备\u200b有限公司 ")
    assert a.match_key == b.match_key == "杭州宏达机械设备有限公司"
    assert a.core == b.core == "宏达机械设备"
    assert parse("ＡＢＣ　科技有限公司").core == "ABC科技"


def test_legal_forms_longest_first():
    assert parse("某某股份有限公司").legal_form == "股份有限公司"
    assert parse("某某有限责任公司").legal_class == "company"
    p = parse("深圳市前海某某投资合伙企业（有限合伙）")
    assert p.legal_form == "合伙企业(有限合伙)" and p.core == "前海某某投资" and p.city == "4403"
    assert parse("鑫源五金经营部").legal_class == "individual"
    assert parse("某某（集团）有限公司").core == "某某"


def test_region_front_bracket_and_before_legal_form():
    p = parse("澳妆（上海）国际贸易有限公司")
    assert (p.core, p.province, p.display) == ("澳妆国际贸易", "31", "澳妆（上海）国际贸易有限公司")
    assert parse("宏达机械技术上海有限公司").core == "宏达机械技术"
    p = parse("浙江省杭州市余杭区鑫源五金有限公司")
    assert (p.province, p.city, p.district, p.core) == ("33", "3301", "330110", "鑫源五金")
    assert parse("杭州余杭鑫源五金有限公司").district == "330110"
    assert parse("阿里巴巴（中国）网络技术有限公司").core == "阿里巴巴网络技术"


def test_region_library_does_not_eat_trade_names():
    for name, core in [("光明乳业股份有限公司", "光明乳业"), ("东方电气股份有限公司", "东方电气"),
                       ("阿里巴巴网络技术有限公司", "阿里巴巴网络技术"), ("华为技术有限公司", "华为技术")]:
        assert parse(name).core == core


def test_branches_and_non_enterprises():
    p = parse("宏达机械有限公司杭州分公司")
    assert p.is_branch and p.parent_key == "宏达机械有限公司" and p.city == "3301"
    assert p.core != parse("宏达机械有限公司").core
    bank = parse("中国工商银行股份有限公司杭州西湖支行")
    assert bank.is_branch and bank.parent_key == "中国工商银行股份有限公司" and bank.district == "330106"
    assert parse("招商银行杭州分行").parent_key == "招商银行"
    assert parse("杭州市第一人民医院").is_non_enterprise
    assert parse("西湖区北山街道办事处").is_non_enterprise and not parse("西湖区北山街道办事处").is_branch
    assert not parse("某某医院管理有限公司").is_non_enterprise


def test_codes():
    good, bad = parse_code(VALID), parse_code(BAD)
    assert good.valid and good.key == VALID and good.region.district == "110108"
    assert bad.kind == "uscc" and not bad.valid and bad.key is None
    assert parse_code("330100000012345").kind == "regno15"
    assert parse_code("74901211-8").kind == "orgcode"
    assert parse_code("749012118").code == "74901211-8"
    assert parse_code("").kind == "empty"


def test_regions():
    assert match_region_prefix("北京朝阳华夏科技", 2)[1].district == "110105"
    assert resolve_region_hint("慈溪") == {"province": "浙江省", "city": "宁波市", "district": "慈溪市"}


def test_parse_speed_distinct_names():
    names = [f"杭州{chr(0x4E00 + i % 9000)}{chr(0x4E00 + i // 9000 + 100)}机械设备有限公司" for i in range(20000)]
    start = time.process_time()
    for name in names:
        parse(name)
    per_name = (time.process_time() - start) / len(names)
    assert per_name < 100e-6  # generous: real figure ~20-30 µs on one core


def test_fast_uscc_check_agrees_with_python_stdnum_on_random_codes():
    """warehouse.codes re-implements the check for speed; python-stdnum stays the reference."""
    import random

    from stdnum.cn import uscc as stdnum_uscc

    from warehouse.codes import is_valid_uscc

    rng = random.Random(5)
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    for _ in range(3000):
        body = rng.choice("9159") + rng.choice("1123") + "".join(rng.choice("0123456789") for _ in range(6))
        body += "".join(rng.choice(alphabet) for _ in range(9))
        good = body + stdnum_uscc.calc_check_digit(body)
        bad = body + rng.choice([c for c in alphabet if c != good[-1]])
        assert is_valid_uscc(good) == stdnum_uscc.is_valid(good) is True
        assert is_valid_uscc(bad) == stdnum_uscc.is_valid(bad) is False
