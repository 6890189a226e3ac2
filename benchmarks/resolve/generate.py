"""Labelled synthetic mentions for the resolution benchmark (gold entity per record).

Companies are region + 字号 + industry + legal form, with a USCC (60 %) whose division is their
district, and one registered address. Many different companies are hard to tell apart on purpose:
- the same 字号 + industry in other cities (泰来县新华书店 / 七台河市新华书店);
- **sound-alike and look-alike 字号** (华信/华兴/华鑫/华新, 天成/天辰/天晟/天盛/天诚/天宸): about a
  third of the companies are such a sibling of another, half of them in the same city, half of
  those in the same industry too. They are different companies and must stay apart;
- branches (分公司) in other cities, their own entities;
- 个体工商户 (individual businesses) named 字号 + industry + 经营部 / 商行 / 门市部 / 店, with USCCs
  starting 92;
- look-alike siblings in the same district and industry at their own street (会云 / 汇云医疗科技),
  which a mention without evidence must not bridge.

Every mention is drawn from a source profile, the way tuoke's inputs arrive:
- `procurement`: clean full names, USCC on about half, the address on most;
- `directory`: names with the region in brackets or none, district tags, partial addresses;
- `payroll`: full names with sloppy whitespace (ideographic spaces, tabs, trailing blanks), USCC often;
- `pos`: merchant names: abbreviations (字号+公司, legal form dropped, industry dropped), typos,
  traditional characters, partial or no address, USCC rarely.

and varies the name in the classes entity resolution must survive (the `variant` column names the
class of each mention): the region written every way (city 昆明市X / 昆明X, province 云南X /
云南省X, district 呈贡区X, province+city, X（昆明）有限公司, （昆明）X有限公司, X昆明有限公司, none),
traditional characters across name and address, abbreviations, a one-character 形近/音近 typo in
the 字号 (most with an agreeing USCC or address; some without: those are honest misses), whitespace,
有限责任公司/有限公司, half-width brackets, zero-width characters, and USCCs with a bad check
character; and the split classes of issue 19: a branch written with or without its parent's region
(prefixed 鞍山市 / 鞍山, bracketed （南京）, the province 江苏省) and legal form (branch_parent_*); an
individual business named by its bare 字号 + industry (individual_bare: 晗达贸易 for
成都市晗达贸易经营部); a legal form dropped together with a bracketed region (form_and_bracket_dropped:
美金陶瓷 for 美金陶瓷（西安）有限责任公司). The gold is what the generator meant, not what the
resolver can do.
"""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
from stdnum.cn import uscc as uscc_mod

from warehouse.lookups import read_rows

TRADE_CHARS = (
    "宏达华信鑫源泰恒瑞隆盛兴昌海天中新金科创博远通成丰永安正利德明晨光辉嘉祥美康健福润和顺佳豪锦"
    "龙凤亿万鼎立伟业腾飞东方南北江山川云星月阳春秋诚义仁智卓越精工联合力宇航宝石玉晶汇聚荣耀"
    "凯旋骏驰振鹏程景铭百致富民众国际环球大唐汉奥斯尔特克普森林木青蓝紫红白"
)
# real near-homophone / look-alike families of 字号 characters (华信/华兴/华鑫, 天成/天辰/天晟…)
ALIKE_GROUPS = (
    "信兴鑫新欣馨心星芯", "成辰晟盛诚宸城承程", "达大", "源元园远原圆", "泰太", "恒衡", "瑞锐睿",
    "隆龙", "丰峰锋", "利力立丽", "德得", "明铭鸣名", "华化", "金锦进", "宏鸿弘洪红虹", "昌畅", "海凯",
    "永勇", "安岸", "佳嘉家", "福富", "辉晖", "祥翔", "创川", "通同", "博柏", "伟维", "正政", "润闰",
    "天夫", "未末", "日曰", "己已", "土士", "王玉",
)
INDUSTRIES = [
    "机械设备", "科技", "贸易", "电子科技", "信息技术", "建筑工程", "建材", "装饰工程", "物流", "供应链管理",
    "医疗器械", "生物科技", "食品", "农业发展", "化工", "纺织", "服装", "印刷", "包装材料", "塑料制品", "五金",
    "家具", "光电科技", "环保科技", "新能源科技", "汽车服务", "房地产开发", "物业管理", "餐饮管理", "文化传媒",
    "广告", "教育咨询", "劳务派遣", "电力工程", "市政工程", "园林绿化", "精密机械", "智能科技", "软件",
    "网络科技", "通信技术", "仪器仪表", "电气", "自动化设备", "模具", "阀门", "线缆", "照明", "茶业", "酒业",
    "水产", "苗木", "检测技术", "商贸", "矿业", "书店", "药业", "酒店管理",
]
FORMS = ["有限公司"] * 8 + ["股份有限公司", "有限责任公司"]
INDIVIDUAL_FORMS = ("经营部", "商行", "门市部", "店")  # 个体工商户
INDIVIDUAL_INDUSTRIES = ("贸易", "五金", "建材", "日用品", "家电", "服装", "食品", "茶叶", "电器", "水产")
INDIVIDUAL_SHARE = 0.06
CITY_WEIGHT_TOP = ["杭州市", "宁波市", "温州市", "苏州市", "南京市", "广州市", "深圳市", "上海市", "北京市", "成都市",
                   "昆明市", "佛山市"]
ROADS = "人民解放建设中山和平新华胜利朝阳文化长江黄河东风光明幸福滨江工业科技创业学府"
PROFILES = (("procurement", 0.35), ("directory", 0.15), ("payroll", 0.25), ("pos", 0.25))
SPACES = ("\u3000", "\t", " ", "  ")


class _Places:
    """Provinces, cities (municipalities too) and their districts from the adcode table."""

    def __init__(self) -> None:
        names = {r["adcode"]: r["name"] for r in read_rows("adcodes.csv")}
        self.names = names
        cities = [c for c in names if c.endswith("00") and not c.endswith("0000")]
        cities += [c[:2] + "0100" for c in names if c[:2] in ("11", "12", "31", "50") and c.endswith("0000")]
        self.cities = sorted(set(cities))
        self.districts: dict[str, list[str]] = {}
        for code in sorted(names):
            if not code.endswith("00"):
                self.districts.setdefault(code[:4], []).append(code)
        weights = np.array([40.0 if self.city_name(c) in CITY_WEIGHT_TOP else 1.0 for c in self.cities])
        self.cum_weights = np.cumsum(weights / weights.sum()).tolist()

    def city_name(self, city: str) -> str:
        return self.names.get(city) or self.names.get(city[:2] + "0000", "")

    def province_name(self, city: str) -> str:
        return self.names.get(city[:2] + "0000", "")

    def pick_city(self, rng: random.Random) -> str:
        return rng.choices(self.cities, cum_weights=self.cum_weights)[0]


AUTONOMOUS_REGIONS = {"新疆维吾尔自治区": "新疆", "西藏自治区": "西藏", "宁夏回族自治区": "宁夏",
                      "广西壮族自治区": "广西", "内蒙古自治区": "内蒙古"}


def _short(name: str) -> str:
    """昆明市 -> 昆明, 云南省 -> 云南, 新疆维吾尔自治区 -> 新疆, 和田地区 -> 和田, 呈贡区 -> 呈贡 (not for
    two-character names: 沙县 stays). An autonomous prefecture keeps its full name: the short forms
    people use (巴州, 西双版纳) are not the name minus its suffix."""
    if name in AUTONOMOUS_REGIONS:
        return AUTONOMOUS_REGIONS[name]
    for suffix in ("特别行政区", "地区", "省", "市", "区", "县"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _alike_index() -> dict[str, str]:
    """character -> the other characters of its sound-/look-alike family."""
    out: dict[str, str] = {}
    for group in ALIKE_GROUPS:
        for ch in group:
            out[ch] = out.get(ch, "") + group.replace(ch, "")
    for row in read_rows("confusable_chars.csv"):
        out[row["a"]] = out.get(row["a"], "") + row["b"]
        out[row["b"]] = out.get(row["b"], "") + row["a"]
    return out


def _uscc(rng: random.Random, division: str, kind: str = "91") -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = kind + division + "".join(rng.choices(alphabet, k=9))
    return body + uscc_mod.calc_check_digit(body)


def _alike_trade(rng: random.Random, trade: str, alike: dict[str, str]) -> str | None:
    spots = [i for i, ch in enumerate(trade) if alike.get(ch)]
    if not spots:
        return None
    i = rng.choice(spots)
    return trade[:i] + rng.choice(alike[trade[i]]) + trade[i + 1:]


def _companies(n: int, rng: random.Random, places: _Places, alike: dict[str, str]) -> list[dict]:
    trade_pool = TRADE_CHARS + "".join(ALIKE_GROUPS)
    seen: set = set()
    out: list[dict] = []
    while len(out) < n:
        sibling_of = out[rng.randrange(len(out))] if out and rng.random() < 0.33 else None
        if sibling_of is not None:  # a different company whose 字号 sounds or looks like another's
            trade = _alike_trade(rng, sibling_of["trade"], alike)
            if trade is None:
                continue
            city = sibling_of["city"] if rng.random() < 0.5 else places.pick_city(rng)
            industry = sibling_of["industry"] if rng.random() < 0.5 else rng.choice(INDUSTRIES)
        else:
            city = places.pick_city(rng)
            trade = "".join(rng.choices(trade_pool, k=2 if rng.random() < 0.75 else 3))
            industry = rng.choice(INDUSTRIES)
        individual = sibling_of is None and rng.random() < INDIVIDUAL_SHARE
        if individual:
            industry = rng.choice(INDIVIDUAL_INDUSTRIES)
        if (city, trade, industry) in seen:
            continue
        seen.add((city, trade, industry))
        form = rng.choice(INDIVIDUAL_FORMS) if individual else rng.choice(FORMS)
        if not individual and rng.random() < 0.03:
            form, industry = "合伙企业（有限合伙）", "投资"
        district = rng.choice(places.districts.get(city[:4]) or [city])
        if sibling_of is not None and city == sibling_of["city"] and industry == sibling_of["industry"] and rng.random() < 0.5:
            district = sibling_of["district"]  # 会云 / 汇云医疗科技 in one district, each at its own street
        dname = places.names.get(district, "") if district != city else ""
        code = _uscc(rng, district if district in places.names else city, "92" if individual else "91") \
            if rng.random() < 0.6 else ""
        street = f"{rng.choice(ROADS)}{rng.choice(ROADS)}路{rng.randrange(1, 999)}号"
        company = {"city": city, "trade": trade, "industry": industry, "form": form, "district": district,
                   "dname": dname, "uscc": code, "street": street, "branch": "", "sibling": sibling_of is not None,
                   "individual": individual}
        out.append(company)
        if not individual and rng.random() < 0.04:  # a branch in another city: its own entity
            bcity = places.pick_city(rng)
            if bcity != city:
                out.append({**company, "branch": _short(places.city_name(bcity)), "uscc": "", "sibling": False})
    return out


def generate(n_records: int, seed: int = 7) -> pd.DataFrame:
    """n_records mentions: record_id, name, uscc, address, source, gold, variant (the class of variation)."""
    import opencc

    rng = random.Random(seed)
    s2t = opencc.OpenCC("s2t.json").convert
    places = _Places()
    alike = _alike_index()
    companies = _companies(max(10, n_records // 5), rng, places, alike)
    counts = np.random.default_rng(seed).geometric(0.2, len(companies))
    counts = np.maximum(1, np.round(counts * (n_records / counts.sum()))).astype(int)
    profiles = [p for p, _ in PROFILES]
    cum = np.cumsum([w for _, w in PROFILES]).tolist()
    rows = []
    for gold, (company, count) in enumerate(zip(companies, counts.tolist())):
        for _ in range(count):
            profile = rng.choices(profiles, cum_weights=cum)[0]
            rows.append(_mention(rng, company, places, s2t, alike, profile) + (f"e{gold}",))
            if len(rows) >= n_records:
                break
        if len(rows) >= n_records:
            break
    frame = pd.DataFrame(rows, columns=["name", "uscc", "address", "source", "variant", "gold"])
    frame.insert(0, "record_id", [f"r{i}" for i in range(len(frame))])
    return frame


def _region_prefix(rng: random.Random, c: dict, places: _Places, profile: str) -> tuple[str, str, str]:
    """(prefix, bracket, style): how this mention writes the company's region."""
    city_name = places.city_name(c["city"])
    province = places.province_name(c["city"])
    city_short = _short(city_name)
    r = rng.random()
    if profile == "directory":
        r = 0.55 + 0.45 * r  # directories favour brackets, districts and no region
    if r < 0.32:
        return city_short, "", "city"
    if r < 0.44:
        return city_name, "", "city_full"
    if r < 0.50 and province != city_name:
        return (_short(province) if rng.random() < 0.5 else province), "", "province"
    if r < 0.55:
        return (province if province != city_name else "") + city_name, "", "province_city"
    if r < 0.64 and c["dname"]:
        return c["dname"], "", "district"
    if r < 0.72:
        return "", f"（{city_short}）", "bracket"
    if r < 0.76:
        return f"（{city_short}）", "", "bracket_front"
    if r < 0.80:
        return "", city_short, "before_form"
    return "", "", "no_region"


def _address(rng: random.Random, c: dict, places: _Places, profile: str) -> str:
    want = {"procurement": 0.75, "directory": 0.5, "payroll": 0.3, "pos": 0.35}[profile]
    if rng.random() >= want:
        return ""
    city_name = places.city_name(c["city"])
    province = places.province_name(c["city"])
    r = rng.random()
    if r < 0.55 or profile == "procurement":
        return f"{province if province != city_name else ''}{city_name}{c['dname']}{c['street']}"
    if r < 0.8:
        return f"{c['dname'] or city_name}{c['street']}\x00"  # partial: the district only
    return c["street"] + "\x00"  # partial: the street only (\x00 marks it for the variant tag)


def _branch_name(rng: random.Random, c: dict, places: _Places, trade: str) -> tuple[str, str]:
    """A branch written with its parent's region prefixed, full, bracketed, as the province, or
    not at all, and with or without the parent's legal form (鞍山市X股份有限公司济南分公司 /
    X（南京）有限公司惠州分公司 / 江苏省X有限公司惠州分公司 / X济南分公司)."""
    city = places.city_name(c["city"])
    province = places.province_name(c["city"])
    core, form, label = f"{trade}{c['industry']}", c["form"], f"{c['branch']}分公司"
    r = rng.random()
    if r < 0.35:
        return f"{_short(city)}{core}{form}{label}", "branch"
    if r < 0.5:
        return f"{city}{core}{form}{label}", "branch_parent_full_region"
    if r < 0.62 and form.endswith("公司"):
        return f"{core}（{_short(city)}）{form}{label}", "branch_parent_bracket"
    if r < 0.72 and province != city:
        return f"{province}{core}{form}{label}", "branch_parent_province"
    if r < 0.86:
        return f"{core}{form}{label}", "branch_parent_no_region"
    return f"{rng.choice((_short(city), ''))}{core}{label}", "branch_parent_no_form"


def _mention(rng: random.Random, c: dict, places: _Places, s2t, alike: dict[str, str], profile: str):
    variant = []
    trade = c["trade"]
    code = ""
    if c["uscc"] and rng.random() < {"procurement": 0.5, "directory": 0.3, "payroll": 0.7, "pos": 0.1}[profile]:
        code = c["uscc"]
        if rng.random() < 0.03:
            code = code[:-1] + ("0" if code[-1] != "0" else "1")  # bad check character
            variant.append("bad_uscc")
    address = _address(rng, c, places, profile)
    if address.endswith("\x00"):
        address = address[:-1]
        variant.append("partial_address")
    typo_rate = {"procurement": 0.02, "directory": 0.03, "payroll": 0.03, "pos": 0.06}[profile]
    if rng.random() < (typo_rate if code or address else typo_rate / 4):  # one 形近/音近 character in the 字号
        typo = _alike_trade(rng, trade, alike)
        if typo:
            trade = typo
            variant.append("typo" if code or address else "typo_no_evidence")
    form = c["form"]
    industry = c["industry"]
    if form == "有限公司" and rng.random() < 0.1:
        form = "有限责任公司"
    prefix, bracket, style = _region_prefix(rng, c, places, profile)
    if c["individual"] and style in ("bracket", "bracket_front", "before_form"):
        prefix, bracket, style = _short(places.city_name(c["city"])), "", "city"  # 个体工商户 write the place in front
    if profile == "pos" and not c["branch"] and not c["individual"] and rng.random() < 0.35:  # abbreviations
        r = rng.random()
        if r < 0.35:
            industry, form = "", "公司"
            variant.append("abbr_trade_company")  # 佛山市东华公司
        elif r < 0.75:
            form = ""
            variant.append("abbr_no_form")  # 赫利苗木
        else:
            industry = ""
            variant.append("abbr_no_industry")  # 昆明华信有限公司
        if bracket:  # an abbreviation drops the bracketed region with the rest
            bracket, style = "", ("no_region" if not prefix else style)
    if bracket and style == "bracket":
        name = f"{prefix}{trade}{bracket}{industry}{form}" if rng.random() < 0.5 else f"{trade}{industry}{bracket}{form}"
    elif style == "before_form":
        name = f"{trade}{industry}{bracket}{form}"
    else:
        name = f"{prefix}{trade}{industry}{form}"
    if c["individual"] and rng.random() < 0.3:
        name, style = f"{trade}{industry}", "individual_bare"  # 晗达贸易 for 成都市晗达贸易经营部
    elif c["individual"]:
        variant.append("individual")
    if style == "bracket" and not c["branch"] and not c["individual"] and not industry == "" and rng.random() < 0.12:
        name = f"{trade}{industry}"  # 美金陶瓷 for 美金陶瓷（西安）有限责任公司
        variant.append("form_and_bracket_dropped")
    if c["branch"]:
        name, style = _branch_name(rng, c, places, trade)
    variant.append(style)
    if profile == "payroll" and rng.random() < 0.5 or rng.random() < 0.05:  # whitespace between parts
        parts = [p for p in (prefix, trade, industry, form) if p]
        sep = rng.choice(SPACES)
        name = sep.join(parts) if len(parts) > 1 and style != "bracket" and not c["branch"] else name
        name = name + rng.choice(("", " ", "\t", "\u3000"))
        variant.append("whitespace")
    t = rng.random()
    if t < (0.12 if profile == "pos" else 0.05):
        name, address = s2t(name), s2t(address)
        variant.append("traditional")
    elif t < 0.13:
        name = name.replace("（", "(").replace("）", ")")
    elif t < 0.15:
        name = name[:2] + "\u200b" + name[2:]
    if code:
        variant.append("with_uscc")
    source = f"{profile}{rng.randrange(3)}"
    return (name, code, address, source, "+".join(variant))
