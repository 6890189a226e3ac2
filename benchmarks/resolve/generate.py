"""Labelled synthetic mentions for the resolution benchmark (gold entity per record).

Companies: region + 字号 + industry + legal form, drawn so that many different companies share a
字号 across cities and industries (the hard case); some have branches (their own entities) and
partnerships. Mentions of one company vary the way public lists do: traditional characters,
full-width letters and spaces, invisible characters, 有限责任公司/有限公司, the region in brackets
or before the legal form, province+city prefixes, the region dropped (often with an address or a
USCC to go by), similar-looking / similar-sounding typos, and USCCs with a bad check character.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from stdnum.cn import uscc as uscc_mod

from warehouse.lookups import read_rows

TRADE_CHARS = (
    "宏达华信鑫源泰恒瑞隆盛兴昌海天中新金科创博远通成丰永安正利德明晨光辉嘉祥美康健福润和顺佳豪锦"
    "龙凤亿万鼎立伟业腾飞东方南北江山川云星月阳春秋诚信义仁智卓越精工联合力宇航宝石玉晶汇聚荣耀"
    "凯旋骏驰振鹏程远景铭德百川致富民众国际环球大唐汉唐奥斯尔特克普森林木青蓝紫红白"
)
INDUSTRIES = ["机械设备", "科技", "贸易", "电子科技", "信息技术", "建筑工程", "建材", "装饰工程", "物流", "供应链管理", "医疗器械", "生物科技", "食品", "农业发展", "化工", "纺织", "服装", "印刷", "包装材料", "塑料制品", "五金", "家具", "光电科技", "环保科技", "新能源科技", "汽车服务", "房地产开发", "物业管理", "餐饮管理", "文化传媒", "广告", "教育咨询", "劳务派遣", "电力工程", "市政工程", "园林绿化", "精密机械", "智能科技", "软件", "网络科技", "通信技术", "仪器仪表", "电气", "自动化设备", "模具", "阀门", "线缆", "照明", "茶业", "酒业", "水产"]
FORMS = ["有限公司"] * 8 + ["股份有限公司", "有限责任公司"]
CITY_WEIGHT_TOP = ["杭州市", "宁波市", "温州市", "苏州市", "南京市", "广州市", "深圳市", "上海市", "北京市", "成都市"]


def _cities():
    rows = read_rows("adcodes.csv")
    names = {r["adcode"]: r["name"] for r in rows}
    out = []
    for code, name in names.items():
        if code.endswith("00") and not code.endswith("0000"):
            out.append((code, name))
    for code, name in names.items():  # municipalities
        if code[:2] in ("11", "12", "31", "50") and code.endswith("0000"):
            out.append((code[:2] + "0100", name))
    districts: dict[str, list] = {}
    for code, name in names.items():
        if not code.endswith("00"):
            districts.setdefault(code[:4], []).append((code, name))
    return out, names, districts


def _sound_alikes():
    try:
        from pypinyin import lazy_pinyin
    except ImportError:
        return {}
    groups: dict[str, list] = {}
    pool = set(TRADE_CHARS) | set("弘洪鸿红虹泓宁凝兴星杏信新心欣馨辛芯锌恩嗯")
    for ch in sorted(pool):  # sorted: set order changes with PYTHONHASHSEED, the data must not
        groups.setdefault(lazy_pinyin(ch)[0], []).append(ch)
    return {ch: [o for o in g if o != ch] for g in groups.values() for ch in g if len(g) > 1}


def _shape_alikes():
    out: dict[str, list] = {}
    for row in read_rows("confusable_chars.csv"):
        out.setdefault(row["a"], []).append(row["b"])
        out.setdefault(row["b"], []).append(row["a"])
    return out


def _uscc(rng, division: str) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "91" + division + "".join(alphabet[i] for i in rng.integers(0, len(alphabet), 9))
    return body + uscc_mod.calc_check_digit(body)


def generate(n_records: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    import opencc

    s2t = opencc.OpenCC("s2t.json").convert
    cities, names, districts = _cities()
    city_codes = [c for c, _ in cities]
    weights = np.array([40.0 if n in CITY_WEIGHT_TOP else 1.0 for _, n in cities])
    weights /= weights.sum()
    sound, shape = _sound_alikes(), _shape_alikes()
    chars = np.array(list(TRADE_CHARS))
    n_companies = max(10, n_records // 5)
    seen = set()
    companies = []
    while len(companies) < n_companies:
        city = city_codes[rng.choice(len(cities), p=weights)]
        k = 2 if rng.random() < 0.75 else 3
        trade = "".join(rng.choice(chars, k))
        industry = INDUSTRIES[rng.integers(len(INDUSTRIES))]
        if (city, trade, industry) in seen:
            continue
        seen.add((city, trade, industry))
        form = FORMS[rng.integers(len(FORMS))]
        if rng.random() < 0.03:
            form = "合伙企业（有限合伙）"
            industry = "投资"
        dist = districts.get(city[:4]) or [(city[:4] + "02", "")]
        dcode, dname = dist[rng.integers(len(dist))]
        code = _uscc(rng, dcode if dcode in names else city) if rng.random() < 0.6 else ""
        companies.append({"city": city, "trade": trade, "industry": industry, "form": form, "dcode": dcode,
                          "dname": dname, "uscc": code, "branch": ""})
        if rng.random() < 0.04:  # a branch in another city: its own entity
            bcity = city_codes[rng.choice(len(cities), p=weights)]
            if bcity != city:
                companies.append({**companies[-1], "branch": _short(names.get(bcity, names.get(bcity[:2] + "0000", ""))), "uscc": ""})
    rows = []
    gold = 0
    counts = rng.geometric(0.2, len(companies))
    scale = n_records / counts.sum()
    counts = np.maximum(1, np.round(counts * scale)).astype(int)
    for gold, (company, count) in enumerate(zip(companies, counts)):
        for _ in range(count):
            rows.append(_mention(rng, company, names, s2t, sound, shape) + (f"e{gold}",))
            if len(rows) >= n_records:
                break
        if len(rows) >= n_records:
            break
    frame = pd.DataFrame(rows, columns=["name", "uscc", "address", "source", "gold"])
    frame.insert(0, "record_id", [f"r{i}" for i in range(len(frame))])
    return frame


def _short(name: str) -> str:
    for suffix in ("市", "省"):
        if name.endswith(suffix) and len(name) > 2:
            return name[: -len(suffix)]
    return name


def _mention(rng, c, names, s2t, sound, shape):
    city_name = names.get(c["city"], names.get(c["city"][:2] + "0000", ""))
    province = names.get(c["city"][:2] + "0000", "")
    trade = c["trade"]
    r = rng.random()
    if r < 0.04:  # typo in the trade name (形近字 / 音近字)
        i = rng.integers(len(trade))
        alts = (shape.get(trade[i], []) + sound.get(trade[i], []))
        if alts:
            trade = trade[:i] + alts[rng.integers(len(alts))] + trade[i + 1:]
    form = c["form"]
    if form == "有限公司" and rng.random() < 0.1:
        form = "有限责任公司"
    region_style = rng.random()
    city_short = _short(city_name)
    address = ""
    dropped = False
    if region_style < 0.55:
        name = f"{city_short}{trade}{c['industry']}{form}"
    elif region_style < 0.7:
        name = f"{city_name}{trade}{c['industry']}{form}"
    elif region_style < 0.78:
        name = f"{trade}（{city_short}）{c['industry']}{form}"
    elif region_style < 0.84:
        prov = "" if province == city_name else province
        name = f"{prov}{city_name}{trade}{c['industry']}{form}"
    elif region_style < 0.88:
        name = f"{trade}{c['industry']}{city_short}{form}"
    else:
        name = f"{trade}{c['industry']}{form}"
        dropped = True
    if c["branch"]:
        name = f"{city_short}{trade}{c['industry']}{form}{c['branch']}分公司"
    if rng.random() < 0.5 or dropped and rng.random() < 0.6:
        address = f"{province if province != city_name else ''}{city_name}{c['dname']}{rng.integers(1, 999)}号"
    t = rng.random()
    if t < 0.08:
        name = s2t(name)
    elif t < 0.11:
        name = name.replace("（", "(").replace("）", ")") + " "
    elif t < 0.13:
        name = name[:2] + "\u200b" + name[2:]
    elif t < 0.15:
        name = " " + name.replace("有限", "有 限")
    code = ""
    if c["uscc"] and rng.random() < 0.45:
        code = c["uscc"]
        if rng.random() < 0.04:
            code = code[:-1] + ("0" if code[-1] != "0" else "1")  # bad check character
    source = f"src{rng.integers(12)}"
    return (name, code, address, source)
