"""The seeded company universe behind the demo web and the bank's sample exports.

Every page and CSV of the demo names companies from this universe, so `_truth.json` can say which
gold company each written name stands for. Same seed → same universe, byte for byte.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field

from stdnum.cn import uscc as uscc_check

PROVINCE = "浙江省"
PROVINCE_CODE = "330000"

# Real administrative-division codes (GB/T 2260) of Zhejiang cities and their districts.
DIVISIONS: dict[str, tuple[str, dict[str, str]]] = {
    "杭州市": ("330100", {
        "上城区": "330102", "拱墅区": "330105", "西湖区": "330106", "滨江区": "330108",
        "萧山区": "330109", "余杭区": "330110", "富阳区": "330111", "临安区": "330112",
        "临平区": "330113", "钱塘区": "330114", "桐庐县": "330122", "建德市": "330182",
    }),
    "宁波市": ("330200", {
        "海曙区": "330203", "江北区": "330205", "北仑区": "330206", "镇海区": "330211",
        "鄞州区": "330212", "奉化区": "330213", "象山县": "330225", "宁海县": "330226",
        "余姚市": "330281", "慈溪市": "330282",
    }),
    "温州市": ("330300", {
        "鹿城区": "330302", "龙湾区": "330303", "瓯海区": "330304", "永嘉县": "330324",
        "平阳县": "330326", "苍南县": "330327", "瑞安市": "330381", "乐清市": "330382",
    }),
    "嘉兴市": ("330400", {
        "南湖区": "330402", "秀洲区": "330411", "嘉善县": "330421", "海盐县": "330424",
        "海宁市": "330481", "平湖市": "330482", "桐乡市": "330483",
    }),
    "湖州市": ("330500", {
        "吴兴区": "330502", "南浔区": "330503", "德清县": "330521", "长兴县": "330522",
        "安吉县": "330523",
    }),
    "绍兴市": ("330600", {
        "越城区": "330602", "柯桥区": "330603", "上虞区": "330604", "新昌县": "330624",
        "诸暨市": "330681", "嵊州市": "330683",
    }),
    "金华市": ("330700", {
        "婺城区": "330702", "金东区": "330703", "武义县": "330723", "浦江县": "330726",
        "兰溪市": "330781", "义乌市": "330782", "东阳市": "330783", "永康市": "330784",
    }),
    "台州市": ("331000", {
        "椒江区": "331002", "黄岩区": "331003", "路桥区": "331004", "天台县": "331023",
        "温岭市": "331081", "临海市": "331082", "玉环市": "331083",
    }),
}
# How often each city hosts a company (Hangzhou and Ningbo dominate, as in real lists).
CITY_WEIGHTS = {"杭州市": 30, "宁波市": 24, "温州市": 12, "嘉兴市": 8, "湖州市": 5, "绍兴市": 9,
                "金华市": 7, "台州市": 5}

TRADE_CHARS = ["恒达", "鑫源", "华瑞", "中科", "天成", "东方", "宏远", "金盛", "博远", "君安", "联创", "新锐", "卓越", "明辉", "嘉诚", "宇航", "德润", "瑞丰", "海纳", "兴业", "汇通", "正泰", "永信", "安泰", "凯盛", "志成", "精工", "天翼", "云帆", "星辰", "智诚", "合力", "众鑫", "华耀", "长兴", "益达", "康宁", "远景", "佳禾", "利民", "绿源", "蓝海", "启明", "翔宇", "润泽", "方圆", "顺和", "锦程", "恒信", "立诚", "银河", "海川", "聚能", "朗润", "同创", "万象", "弘毅", "泽安", "沃土", "禾丰", "普惠", "金桥", "慧谷", "灵犀", "青禾", "森源", "景泰", "鼎盛", "九州", "麦田", "奥晟", "澳妆", "格林", "艾迪", "凯伦", "维康", "迅捷", "优品", "尚德", "乐家", "柏林", "诺亚", "天衡", "宏达", "信诚", "汇丰源", "博瑞", "之江", "钱塘", "甬达", "瓯越", "越秀", "婺商", "天台山", "南湖", "太湖", "雁荡", "四明", "龙泉", "会稽", "东海", "西子", "良渚"]

# (industry phrase in the name, 所属行业, MCC for the POS export, procurement 品目)
INDUSTRIES = [
    ("信息科技", "软件和信息技术服务业", "7372", "服务/信息技术服务"),
    ("网络科技", "软件和信息技术服务业", "7372", "服务/信息技术服务/运行维护服务"),
    ("软件开发", "软件和信息技术服务业", "7372", "服务/信息技术服务/软件开发服务"),
    ("电子科技", "计算机、通信和其他电子设备制造业", "5045", "货物/设备/信息化设备"),
    ("智能装备", "专用设备制造业", "5046", "货物/设备/专用设备"),
    ("机械制造", "通用设备制造业", "5046", "货物/设备/通用设备"),
    ("新材料科技", "化学原料和化学制品制造业", "5169", "货物/材料/化学原料"),
    ("环保科技", "生态保护和环境治理业", "7349", "服务/环境服务"),
    ("医疗器械", "专用设备制造业", "5047", "货物/设备/医疗设备"),
    ("生物科技", "医药制造业", "5122", "货物/药品"),
    ("建设工程", "房屋建筑业", "1520", "工程/建筑工程"),
    ("建筑装饰工程", "建筑装饰、装修和其他建筑业", "1799", "工程/装修工程"),
    ("园林绿化工程", "土木工程建筑业", "0780", "工程/园林绿化工程"),
    ("市政工程", "土木工程建筑业", "1771", "工程/市政工程"),
    ("物业管理", "房地产业", "7349", "服务/物业管理服务"),
    ("保洁服务", "居民服务业", "7349", "服务/保洁服务"),
    ("餐饮管理", "餐饮业", "5812", "服务/餐饮服务"),
    ("食品", "农副食品加工业", "5411", "货物/食品"),
    ("办公用品", "批发业", "5111", "货物/办公消耗用品"),
    ("文化传媒", "文化艺术业", "7311", "服务/广告服务"),
    ("教育科技", "教育", "8299", "服务/培训服务"),
    ("检测技术", "专业技术服务业", "8734", "服务/检测服务"),
    ("电气", "电气机械和器材制造业", "5065", "货物/设备/电气设备"),
    ("五金制品", "金属制品业", "5072", "货物/材料/五金"),
    ("塑料制品", "橡胶和塑料制品业", "5199", "货物/材料/塑料制品"),
    ("纺织", "纺织业", "5131", "货物/纺织品"),
    ("汽车零部件", "汽车制造业", "5533", "货物/车辆配件"),
    ("印刷", "印刷和记录媒介复制业", "2741", "服务/印刷服务"),
    ("家具", "家具制造业", "5712", "货物/家具用具"),
    ("贸易", "批发业", "5999", "货物/其他货物"),
    ("国际贸易", "批发业", "5999", "货物/其他货物"),
    ("安防科技", "安全保护服务", "7393", "货物/设备/安防设备"),
]

ROADS = ["文一西路", "学院路", "江南大道", "古墩路", "建设路", "中山路", "解放路", "人民路", "新城大道", "开发区大道", "科技路", "创业路", "环城北路", "长江路", "滨海大道", "工业园路", "兴业路", "振兴路", "东海路", "世纪大道"]
SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭"]
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "秀英", "华", "建国", "晓东", "海燕", "志强", "国平", "雪梅"]

# Public purchasers (non-enterprises): name templates and the USCC kind they carry.
PURCHASER_TEMPLATES = [
    ("{city}第一人民医院", "12"), ("{city}中医院", "12"), ("{district}人民医院", "12"),
    ("{district}妇幼保健院", "12"), ("{city}职业技术学院", "12"), ("{district}实验小学", "12"),
    ("{district}第二中学", "12"), ("{city}教育局", "11"), ("{district}住房和城乡建设局", "11"),
    ("{district}农业农村局", "11"), ("{city}公安局{district}分局", "11"),
    ("{city}市场监督管理局", "11"), ("{district}综合行政执法局", "11"),
    ("{city}食品药品检验中心", "12"), ("{district}疾病预防控制中心", "12"),
    ("{city}水务集团有限公司", "91"), ("{district}城市建设投资集团有限公司", "91"),
]
AGENT_NAMES = [
    "浙江求是工程咨询监理有限公司", "浙江省成套招标代理有限公司", "浙江建院建设计划投资管理有限公司",
    "浙江中诚工程管理科技有限公司", "宁波国际招标有限公司", "温州市公共资源招标代理有限公司",
    "浙江华东工程咨询有限公司", "杭州信达投资咨询估价监理有限公司",
    "浙江省成套招标代理有限公司宁波分公司", "浙江求是工程咨询监理有限公司温州分公司",
]
# Public bodies every demo universe has (the chamber lists one; purchasers need a few hospitals).
FIXED_PURCHASERS = [
    ("宁波市食品药品检验中心", "宁波市", "海曙区", "12"),
    ("杭州市第一人民医院", "杭州市", "上城区", "12"),
    ("宁波市鄞州区人民医院", "宁波市", "鄞州区", "12"),
    ("浙江省水利水电技术咨询中心", "杭州市", "西湖区", "12"),
]

_ORG_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def short_city(city: str) -> str:
    return city.removesuffix("市")


def short_district(district: str) -> str:
    # 慈溪市 → 慈溪, 西湖区 → 西湖, 桐庐县 → 桐庐 (two-char district names keep their suffix).
    return district[:-1] if len(district) > 2 else district


def org_code(rng: random.Random) -> str:
    """A 9-character organisation code (GB 11714): 8 characters + check character."""
    body = "".join(rng.choice("0123456789") for _ in range(2)) + "".join(
        rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(6)
    )
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(_ORG_ALPHABET.index(c) * w for c, w in zip(body, weights))
    check = 11 - total % 11
    check_char = {10: "X", 11: "0"}.get(check, str(check))
    return body + check_char


def make_uscc(rng: random.Random, kind: str, division: str) -> str:
    """A USCC valid per GB 32100-2015: authority+kind, division code, org code, check character."""
    first17 = kind + division + org_code(rng)
    code = first17 + uscc_check.calc_check_digit(first17)
    assert uscc_check.is_valid(code), code
    return code


def corrupt_uscc(code: str) -> str:
    """The same code with a wrong check character (a typo as bank exports have them)."""
    good = code[-1]
    for c in "0123456789ABCDEFGH":
        if c != good:
            return code[:-1] + c
    raise AssertionError


@dataclass
class Company:
    gold_id: str
    name: str                      # the registered (canonical) name
    uscc: str | None
    province: str
    city: str
    district: str
    address: str
    industry: str                  # 所属行业
    industry_word: str             # the industry phrase inside the name
    trade_name: str
    legal_form: str
    name_style: str                # prefix_city | prefix_district | prefix_province | bracket | none
    is_non_enterprise: bool = False
    is_branch: bool = False
    parent_id: str | None = None
    kind: str = "enterprise"       # enterprise | purchaser | agent | branch
    mcc: str = "5999"
    pinmu: str = "货物/其他货物"
    registered_capital_wan: int = 100
    legal_rep: str = ""
    tags: list[str] = field(default_factory=list)
    former_names: list[str] = field(default_factory=list)  # 曾用名, newest first (the registry extract holds them)

    def truth(self) -> dict:
        data = asdict(self)
        data.pop("tags")
        return data


def _canonical_name(style: str, trade: str, ind: str, form: str, city: str, district: str) -> str:
    if style == "prefix_city":
        return f"{short_city(city)}{trade}{ind}{form}"
    if style == "prefix_district":
        return f"{short_district(district)}{trade}{ind}{form}"
    if style == "prefix_province":
        return f"浙江{trade}{ind}{form}"
    if style == "bracket":
        return f"{trade}（{short_city(city)}）{ind}{form}"
    return f"{trade}{ind}{form}"


def build_universe(seed: int = 42, scale: int = 1) -> list[Company]:
    """~300×scale companies plus the purchasers and procurement agents that pages name."""
    rng = random.Random(f"{seed}:universe")
    companies: list[Company] = []
    used_names: set[str] = set()
    cities = list(CITY_WEIGHTS)
    weights = [CITY_WEIGHTS[c] for c in cities]
    n_enterprises = 262 * scale

    def place() -> tuple[str, str, str]:
        city = rng.choices(cities, weights)[0]
        district, code = rng.choice(sorted(DIVISIONS[city][1].items()))
        return city, district, code

    def address(city: str, district: str) -> str:
        return f"{PROVINCE}{city}{district}{rng.choice(ROADS)}{rng.randint(1, 999)}号"

    def person() -> str:
        return rng.choice(SURNAMES) + rng.choice(GIVEN)

    def new_enterprise(trade: str, ind_row: tuple, city: str, district: str, code: str,
                       style: str | None = None) -> Company | None:
        ind, industry, mcc, pinmu = ind_row
        style = style or rng.choices(
            ["prefix_city", "prefix_district", "prefix_province", "bracket", "none"], [45, 20, 15, 8, 12]
        )[0]
        form = rng.choices(["有限公司", "有限责任公司", "股份有限公司"], [80, 15, 5])[0]
        name = _canonical_name(style, trade, ind, form, city, district)
        if name in used_names:
            return None
        used_names.add(name)
        kind_code = rng.choices(["91", "92"], [97, 3])[0] if form != "股份有限公司" else "91"
        company = Company(
            gold_id=f"G{len(companies) + 1:05d}", name=name, uscc=make_uscc(rng, kind_code, code),
            province=PROVINCE, city=city, district=district, address=address(city, district),
            industry=industry, industry_word=ind, trade_name=trade, legal_form=form, name_style=style,
            mcc=mcc, pinmu=pinmu, registered_capital_wan=rng.choice([50, 100, 200, 300, 500, 1000, 2000]),
            legal_rep=person(),
        )
        companies.append(company)
        return company

    # Hard case first: the same 字号 + industry in different cities = different companies.
    for trade in ("恒达", "华瑞", "鑫源", "天成", "宏远", "金盛", "正泰", "永信"):
        ind_row = rng.choice(INDUSTRIES)
        chosen_cities = rng.sample(cities[:6], rng.choice([2, 2, 3]))
        for city in chosen_cities:
            district, code = rng.choice(sorted(DIVISIONS[city][1].items()))
            c = new_enterprise(trade, ind_row, city, district, code, style="prefix_city")
            if c:
                c.tags.append("shared_trade_name")
    # The 澳妆（上海）style: region in brackets after the 字号.
    for trade in ("澳妆", "格林", "诺亚"):
        city, district, code = place()
        new_enterprise(trade, ("国际贸易", "批发业", "5999", "货物/其他货物"), city, district, code, style="bracket")

    attempts = 0
    while len(companies) < n_enterprises and attempts < n_enterprises * 50:
        attempts += 1
        city, district, code = place()
        trade = rng.choice(TRADE_CHARS)
        new_enterprise(trade, rng.choice(INDUSTRIES), city, district, code)

    # Branches (分公司) of some enterprises: separate companies with their own USCC.
    parents = rng.sample([c for c in companies if c.legal_form != "股份有限公司"], 14 * scale)
    for parent in parents:
        city = rng.choice([c for c in cities if c != parent.city])
        district, code = rng.choice(sorted(DIVISIONS[city][1].items()))
        name = f"{parent.name}{short_city(city)}分公司"
        if name in used_names:
            continue
        used_names.add(name)
        companies.append(Company(
            gold_id=f"G{len(companies) + 1:05d}", name=name, uscc=make_uscc(rng, "91", code),
            province=PROVINCE, city=city, district=district, address=address(city, district),
            industry=parent.industry, industry_word=parent.industry_word, trade_name=parent.trade_name,
            legal_form="分公司", name_style=parent.name_style, is_branch=True, parent_id=parent.gold_id,
            kind="branch", mcc=parent.mcc, pinmu=parent.pinmu, legal_rep=person(),
        ))

    # Procurement agents (招标代理), a few as branches of a provincial firm.
    for agent in AGENT_NAMES:
        tail = agent.split("有限公司")[-1]  # a branch sits in the city its name says
        where = tail or agent[:2]
        city = "宁波市" if where.startswith("宁波") else "温州市" if where.startswith("温州") else "杭州市"
        district, code = rng.choice(sorted(DIVISIONS[city][1].items()))
        companies.append(Company(
            gold_id=f"G{len(companies) + 1:05d}", name=agent, uscc=make_uscc(rng, "91", code),
            province=PROVINCE, city=city, district=district, address=address(city, district),
            industry="商务服务业", industry_word="工程咨询", trade_name=agent[2:4],
            legal_form="分公司" if agent.endswith("分公司") else "有限公司", name_style="prefix_province",
            kind="agent", is_branch=agent.endswith("分公司"), legal_rep=person(),
        ))
        used_names.add(agent)

    # Purchasers: hospitals, schools, bureaus, inspection centres, city-owned groups.
    for name, city, district, kind_code in FIXED_PURCHASERS:
        code = DIVISIONS[city][1][district]
        used_names.add(name)
        companies.append(Company(
            gold_id=f"G{len(companies) + 1:05d}", name=name, uscc=make_uscc(rng, kind_code, code),
            province=PROVINCE, city=city, district=district, address=address(city, district),
            industry="公共管理", industry_word="", trade_name="", legal_form="", name_style="none",
            is_non_enterprise=True, kind="purchaser", legal_rep=person(),
        ))
    n_purchasers = 30 * scale
    tries = 0
    while sum(c.kind == "purchaser" for c in companies) < n_purchasers and tries < 1000:
        tries += 1
        template, kind_code = rng.choice(PURCHASER_TEMPLATES)
        city, district, code = place()
        name = template.format(city=city, district=f"{city}{district}" if "{city}" not in template else district)
        if name in used_names:
            continue
        used_names.add(name)
        # A few public bodies are written without any code on pages and the bank has none either.
        code_value = make_uscc(rng, kind_code, code) if rng.random() > 0.15 else None
        companies.append(Company(
            gold_id=f"G{len(companies) + 1:05d}", name=name, uscc=code_value, province=PROVINCE,
            city=city, district=district, address=address(city, district), industry="公共管理",
            industry_word="", trade_name="", legal_form="", name_style="none",
            is_non_enterprise=kind_code != "91", kind="purchaser", legal_rep=person(),
        ))
    # Later additions draw from rngs of their own, so everything above stays as it was.
    _rename_some(companies, used_names, seed)
    companies.extend(large_firms(len(companies), seed))
    return companies


def _rename_some(companies: list[Company], used_names: set[str], seed: int) -> None:
    """About one firm in fourteen was renamed (曾用名): a new 字号, or a 有限公司 turned 股份有限公司."""
    rng = random.Random(f"{seed}:renames")
    hard_cases = {"恒达", "华瑞", "鑫源", "天成", "宏远", "金盛", "正泰", "永信"}  # the shared 字号 of other cities
    for company in companies:
        if company.kind != "enterprise" or "shared_trade_name" in company.tags or rng.random() >= 0.07:
            continue
        if company.legal_form == "股份有限公司" and rng.random() < 0.5:
            former = company.name[: -len("股份有限公司")] + "有限公司"  # 改制: the limited company became a joint-stock one
        else:
            trade = rng.choice([t for t in TRADE_CHARS if t not in hard_cases])
            former = _canonical_name(company.name_style, trade, company.industry_word, company.legal_form,
                                     company.city, company.district)
        if former in used_names or former == company.name:
            continue
        used_names.add(former)
        company.former_names.append(former)


# Large firms of the demo (invented, on the demo's large-enterprise lists: configs/demo/large_enterprises.yaml):
# (name, city, district, 所属行业, industry word, legal form, kind of large evidence the lists give)
LARGE_FIRMS = [
    ("浙江钱潮智能装备股份有限公司", "杭州市", "滨江区", "专用设备制造业", "智能装备", "股份有限公司", "listed"),
    ("浙江钱潮智能装备股份有限公司宁波分公司", "宁波市", "鄞州区", "专用设备制造业", "智能装备", "分公司", "listed_branch"),
    ("中国恒通信息集团浙江有限公司", "杭州市", "西湖区", "电信、广播电视和卫星传输服务", "信息", "有限公司", "central_soe_subsidiary"),
    ("之江交建第二工程有限公司", "杭州市", "萧山区", "土木工程建筑业", "工程", "有限公司", "provincial_soe_subsidiary"),
]


def large_firms(first_index: int, seed: int) -> list[Company]:
    """The demo's large firms (kind `large`): never in the pools the sources draw their SMEs from."""
    rng = random.Random(f"{seed}:large_firms")
    firms: list[Company] = []
    for n, (name, city, district, industry, word, form, evidence) in enumerate(LARGE_FIRMS):
        code = DIVISIONS[city][1][district]
        parent = firms[0].gold_id if form == "分公司" else None
        firms.append(Company(
            gold_id=f"G{first_index + n + 1:05d}", name=name, uscc=make_uscc(rng, "91", code), province=PROVINCE,
            city=city, district=district, address=f"{PROVINCE}{city}{district}{rng.choice(ROADS)}{rng.randint(1, 999)}号",
            industry=industry, industry_word=word, trade_name=name[2:4], legal_form=form, name_style="none",
            is_branch=form == "分公司", parent_id=parent, kind="large", registered_capital_wan=rng.choice([50000, 120000]),
            legal_rep=rng.choice(SURNAMES) + rng.choice(GIVEN), tags=[evidence],
        ))
    return firms


# ---------------------------------------------------------------------------------------------
# Name variants as real lists write them.

_HALF = str.maketrans({"（": "(", "）": ")"})
_s2t = None


def to_traditional(text: str) -> str:
    global _s2t
    if _s2t is None:
        import opencc

        _s2t = opencc.OpenCC("s2t.json")
    return _s2t.convert(text)


VARIANT_STYLES = ("canonical", "legal_form_swap", "no_region", "half_width", "full_width_bracket_region",
                  "traditional", "inner_space", "trailing_space", "fullwidth_space")


def name_variant(company: Company, rng: random.Random, *, messy: float = 0.35) -> tuple[str, str]:
    """One way a page or export writes this company's name: (text, variant style)."""
    name = company.name
    if rng.random() >= messy:
        return name, "canonical"
    options = ["inner_space", "trailing_space", "traditional", "fullwidth_space"]
    if company.legal_form in ("有限公司", "有限责任公司"):
        options += ["legal_form_swap", "legal_form_swap"]
    if company.name_style in ("prefix_city", "prefix_district", "prefix_province") and not company.is_branch \
            and "shared_trade_name" not in company.tags:
        options.append("no_region")
    if "（" in name:
        options += ["half_width", "half_width"]
    if company.name_style == "prefix_city" and not company.is_branch and company.kind == "enterprise":
        options.append("full_width_bracket_region")
    style = rng.choice(options)
    if style == "legal_form_swap":
        if name.endswith("有限责任公司"):
            return name[: -len("有限责任公司")] + "有限公司", style
        return name[: -len("有限公司")] + "有限责任公司", style
    if style == "no_region":
        region = {"prefix_city": short_city(company.city), "prefix_district": short_district(company.district),
                  "prefix_province": "浙江"}[company.name_style]
        return name[len(region):], style
    if style == "half_width":
        return name.translate(_HALF), style
    if style == "full_width_bracket_region":
        region = short_city(company.city)
        rest = name[len(region):]
        core = rest[: -len(company.legal_form)]
        return f"{core}（{region}）{company.legal_form}", style
    if style == "traditional":
        return to_traditional(name), style
    if style == "inner_space":
        cut = max(2, len(company.trade_name) + 2) if company.name_style != "none" else len(company.trade_name)
        cut = min(cut, len(name) - 2)
        return name[:cut] + " " + name[cut:], style
    if style == "trailing_space":
        return name + rng.choice([" ", "  ", "\u3000"]), style
    if style == "fullwidth_space":
        return "\u3000" + name, style
    return name, "canonical"
