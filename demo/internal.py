"""The bank's own sample exports (payroll, POS, counterparties, credit, applications, declines, DNC).

Deterministic from the same company universe as the demo web (seed 42 → the committed CSVs in
demo/internal/). They overlap the public lists only partly, use messy names as bank systems hold
them, and carry a few deliberately bad rows (empty name, amount "abc", bad check digits, blank
codes, a personal ID number in the payroll contact column) for the feed loader to deal with.

    python -m demo.internal            # rewrite demo/internal/*.csv (seed 42)
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field
from pathlib import Path

from demo.companies import (
    GIVEN,
    SURNAMES,
    Company,
    build_universe,
    corrupt_uscc,
    name_variant,
    short_city,
    short_district,
)
from demo.sitekit import Pools, allocate
from demo.sizes import REGISTRY_HEADER, registry_rows, size_profiles

INTERNAL_DIR = Path(__file__).resolve().parent / "internal"

BANKS = ["中国工商银行", "中国农业银行", "中国建设银行", "中国银行", "交通银行", "招商银行", "杭州银行",
         "宁波银行", "浙商银行", "浙江农商银行"]
PRODUCTS = ["政采贷", "科创贷", "专精特新贷", "商户贷", "税易贷", "信用贷", "抵押经营贷"]
DECLINE_REASONS = ["征信查询次数过多", "企业主个人征信逾期", "经营流水不足", "涉诉信息较多", "行业准入限制",
                   "担保条件不足"]
DNC_REASONS = ["客户要求不再联系", "投诉记录", "关联企业风险", "已被他行包装贷款"]
SHOP_WORDS = ["便利店", "餐厅", "五金店", "汽配城店", "建材商行", "茶叶店", "服装店", "超市"]


def bank_branch(company: Company) -> str:
    """The sub-branch (支行) that holds a company's account, named as the bank's systems do."""
    return f"{short_city(company.city)}{short_district(company.district)}支行"


def personal_id(rng: random.Random, division: str) -> str:
    """A synthetic 18-digit 居民身份证号码 with a valid GB 11643 check character."""
    body = f"{division}{rng.randint(1965, 1995)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(100, 999)}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]
    return body + check


@dataclass
class Table:
    filename: str
    feed: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    encoding: str = "utf-8"


@dataclass
class InternalData:
    tables: list[Table]
    uses: list[tuple[Company, str, str, str, str]]   # company, text, variant, feed, role
    credit_customers: list[Company]
    profiles: dict = field(default_factory=dict)    # gold_id -> demo.sizes.SizeProfile


def _division(company: Company) -> str:
    return company.uscc[2:8] if company.uscc else "330100"


# The core enterprises (核心企业) configs/territories.yaml ships for the demo; the demo stands alone
# (imports nothing of tuoke), so a test checks the two lists agree.
DEMO_CORE_ENTERPRISES = ["杭州恒川电气集团有限公司", "宁波东港汽车零部件集团有限公司"]


def _name_customers(rows: list[list[str]], pools: Pools, seed: int) -> None:
    """Fill the counterparties' customer column (我行客户名称), with an rng of its own so the other
    tables stay as they were: a third of the counterparties supply one of the configured core
    enterprises (its outflow, some over two months), a few buy from one (its inflow), most trade with
    ordinary customers, and some rows leave the column empty, as older aggregated exports do."""
    rng = random.Random(f"{seed}:supply_chain")
    cores = DEMO_CORE_ENTERPRISES
    ordinary = [c.name for c in pools.chamber + pools.park]
    extra: list[list[str]] = []
    for row in rows:
        roll = rng.random()
        if cores and roll < 0.33:
            row[6] = rng.choice(cores) if rng.random() > 0.15 else " " + rng.choice(cores)   # a stray space
            row[2], row[3] = "0.00", f"{rng.uniform(80_000, 2_400_000):.2f}"                 # it is paid: supplier
            if rng.random() < 0.4:                                                          # and the month before
                extra.append([*row[:3], f"{rng.uniform(80_000, 2_400_000):.2f}", row[4], "2026-08", row[6]])
        elif cores and roll < 0.40:
            row[6] = rng.choice(cores)
            row[2], row[3] = f"{rng.uniform(50_000, 1_500_000):.2f}", "0.00"                 # it pays: a buyer
        elif roll < 0.80:
            row[6] = rng.choice(ordinary)
        else:
            row[6] = ""
    rows.extend(extra)


def build_internal(universe: list[Company], pools: Pools, seed: int = 42) -> InternalData:
    rng = random.Random(f"{seed}:internal")
    uses: list[tuple[Company, str, str, str, str]] = []

    def name(company: Company, feed: str, role: str, messy: float = 0.3) -> str:
        text, variant = name_variant(company, rng, messy=messy)
        uses.append((company, text, variant, feed, role))
        return text

    def code(company: Company, p_bad: float = 0.05, p_blank: float = 0.06) -> str:
        roll = rng.random()
        if roll < p_blank or not company.uscc:
            return ""
        if roll < p_blank + p_bad:
            return corrupt_uscc(company.uscc)
        return company.uscc if rng.random() > 0.1 else company.uscc.lower() if rng.random() < 0.3 else f" {company.uscc}"

    def pick(pool: list[Company], k: int) -> list[Company]:
        return rng.sample(pool, min(k, len(pool)))

    io_ = pools.internal_only
    aw = pools.award_winners
    # Payroll employers: some public winners, chamber and park members, and firms no public list names.
    payroll_cos = pick(aw, 24) + pick(pools.chamber, 8) + pick(pools.park, 6) + io_[:12]
    payroll = Table("payroll_employers.csv", "payroll",
                    ["代发单位名称", "统一社会信用代码", "开户网点", "代发人数", "月代发金额(元)", "代发月数",
                     "联系人", "联系人身份证号"], encoding="gbk")
    heads_of: dict[str, int] = {}
    for c in payroll_cos:
        heads = rng.randint(3, 180)
        heads_of[c.gold_id] = max(heads, heads_of.get(c.gold_id, 0))
        payroll.rows.append([name(c, "payroll", "employer"), code(c), bank_branch(c), str(heads),
                             f"{heads * rng.uniform(4800, 9800):.2f}", str(rng.randint(1, 36)),
                             rng.choice(SURNAMES) + rng.choice(GIVEN), personal_id(rng, _division(c))])
    payroll.rows.insert(7, ["", "", "杭州西湖支行", "12", "86000.00", "6", "", ""])          # empty name
    payroll.rows[15][4] = "abc"                                                              # bad amount
    payroll.rows[21][7] = ""                                                                  # no contact ID
    # One export where the contact ID was pasted into the code column (PII in the wrong place).
    payroll.rows[30][1] = payroll.rows[30][7]

    pos_cos = pick(aw[30:], 16) + pick(pools.srdi, 6) + pick(pools.chamber, 10) + io_[6:18]
    pos = Table("pos_merchants.csv", "pos", ["商户名称", "营业执照名称", "统一社会信用代码", "MCC", "月均交易额(元)",
                                             "终端数", "收单网点"])
    for c in pos_cos:
        shop = f"{c.trade_name or c.name[:2]}{rng.choice(SHOP_WORDS)}（{c.district}店）"
        pos.rows.append([shop, name(c, "pos", "merchant"), code(c), c.mcc, f"{rng.uniform(8_000, 900_000):.2f}",
                         str(rng.randint(1, 6)), bank_branch(c)])
    pos.rows.insert(11, ["某某小吃", "", "", "5812", "12000.00", "1", "宁波慈溪支行"])           # no license name
    pos.rows[20][4] = "1,2O0.00"                                                             # letter O in amount

    cp_cos = pick(pools.grid, 12) + pick(aw, 14) + pick(pools.award_bidders, 10) + io_[:6] + pick(pools.ggzy, 6)
    counterparties = Table("counterparties.csv", "counterparties",
                           ["交易对手名称", "交易对手开户行", "流入金额(元)", "流出金额(元)", "我行交易客户数", "统计月份",
                            "我行客户名称"],
                           encoding="utf-8-sig")
    for c in cp_cos:
        counterparties.rows.append([
            name(c, "counterparties", "counterparty", messy=0.45),
            f"{rng.choice(BANKS)}{short_city(c.city)}{short_district(c.district)}支行",
            f"{rng.uniform(0, 2_000_000):.2f}", f"{rng.uniform(10_000, 3_000_000):.2f}", str(rng.randint(1, 9)),
            rng.choice(["2026-09", "2026-10", "2026-11"]), ""])
    _name_customers(counterparties.rows, pools, seed)
    counterparties.rows.insert(5, ["", "中国银行杭州分行", "100.00", "0.00", "1", "2026-10", ""])

    credit_cos = pick(aw[:40], 12) + pick(pools.srdi, 8) + pick(pools.chamber, 6) + io_[10:18] + pick(pools.park, 4)
    credit = Table("credit_customers.csv", "credit_customers",
                   ["客户名称", "统一社会信用代码", "贷款产品", "贷款余额(元)", "是否逾期"])
    for c in credit_cos:
        credit.rows.append([name(c, "credit_customers", "customer", messy=0.15), code(c, 0.03, 0.03),
                            rng.choice(PRODUCTS), f"{rng.randint(10, 300) * 10_000:.2f}",
                            "是" if rng.random() < 0.08 else "否"])
    credit.rows[9][3] = "abc"

    def small(filename: str, feed: str, columns: list[str], cos: list[Company], extra) -> Table:
        table = Table(filename, feed, columns)
        for c in cos:
            table.rows.append([name(c, feed, "customer", messy=0.2), code(c, 0.03, 0.05)] + extra(c))
        return table

    def day(lo: str = "2026-08-01") -> str:
        m = rng.randint(int(lo[5:7]), 11)
        return f"2026-{m:02d}-{rng.randint(1, 28):02d}"

    apps = small("open_applications.csv", "open_applications", ["客户名称", "统一社会信用代码", "申请日期", "申请产品"],
                 pick(aw, 8) + pick(pools.srdi, 4), lambda c: [day(), rng.choice(PRODUCTS)])
    declines = small("risk_declines.csv", "risk_declines", ["客户名称", "统一社会信用代码", "拒绝日期", "拒绝原因"],
                     pick(aw, 6) + pick(pools.negative_only, 3) + io_[:2],
                     lambda c: [f"2026/{rng.randint(1, 11)}/{rng.randint(1, 28)}", rng.choice(DECLINE_REASONS)])
    dnc = small("do_not_contact.csv", "do_not_contact", ["客户名称", "统一社会信用代码", "登记日期", "原因"],
                pick(aw, 4) + pick(pools.chamber, 3) + io_[-1:],
                lambda c: [day("2026-01-01"), rng.choice(DNC_REASONS)])
    dnc.rows.append(["", "", "2026-05-06", "客户要求不再联系"])

    # 银税互动: the tax bureau's 2025 纳税信用A级 list as the bank receives it (USCC, or the old
    # 15-digit tax id for a few), the way the provincial bureaus publish it.
    tax = Table("tax_credit.csv", "tax_credit", ["纳税人识别号", "纳税人名称", "评价年度", "税务机关"], encoding="gbk")
    for c in pick(aw, 30) + pick(pools.srdi, 12) + pick(pools.chamber, 10) + pick(pools.park, 6):
        tax_id = c.uscc if c.uscc and rng.random() > 0.1 else (c.uscc[2:17] if c.uscc else "")
        tax.rows.append([tax_id, name(c, "tax_credit", "taxpayer", messy=0.1), "2025",
                         f"国家税务总局{short_city(c.city)}市{short_district(c.district)}税务局"])
    tax.rows.insert(4, ["", "某某贸易有限公司", "2025", "国家税务总局杭州市税务局"])          # no taxpayer id
    tax.rows[12][2] = "二〇二五"                                                              # year not a number

    # 企业主: the owner's relationship with the bank (private banking tier, mortgage, card,
    # delinquency); ID number and name are hashed by the feed loader.
    owners = Table("owners.csv", "owners", ["企业名称", "统一社会信用代码", "企业主姓名", "企业主身份证号",
                                            "私行资产等级", "我行按揭", "我行信用卡", "个人贷款逾期"])
    for c in pick(aw, 34) + pick(pools.srdi, 12) + pick(pools.chamber, 12) + pick(pools.park, 8) + io_[:6]:
        tier = rng.choice(["", "", "", "金卡", "白金", "钻石", "私行"])
        owners.rows.append([name(c, "owners", "owner_company", messy=0.2), code(c),
                            rng.choice(SURNAMES) + rng.choice(GIVEN), personal_id(rng, _division(c)), tier,
                            rng.choice(["是", "否"]), rng.choice(["是", "否", "否"]),
                            "是" if rng.random() < 0.06 else "否"])
    owners.rows[8][3] = ""                                                                    # no owner ID

    # 银担合作 / 银保合作: referrals of a government financing-guarantee company and of insurers
    # (贷款保证保险, 科技保险), each valid until a date; a few have expired.
    referrals = Table("partner_referrals.csv", "partner_referrals",
                      ["企业名称", "统一社会信用代码", "合作类型", "合作机构", "推荐日期", "有效期至"])
    partners = [("融资担保", "浙江省融资担保有限公司"), ("融资担保", "杭州市融资担保集团有限公司"),
                ("保证保险", "中国人民财产保险股份有限公司浙江省分公司"), ("科技保险", "太平科技保险股份有限公司")]
    for c in pick(aw, 24) + pick(pools.srdi, 10) + pick(pools.chamber, 8) + pick(pools.park, 8):
        kind, partner = rng.choice(partners)
        expiry = "2025-12-31" if rng.random() < 0.1 else f"2027-{rng.randint(1, 12):02d}-28"
        referrals.rows.append([name(c, "partner_referrals", "referred", messy=0.2), code(c), kind, partner,
                               day("2026-01-01"), expiry])
    referrals.rows[6][5] = "明年"                                                             # bad expiry date

    # 工商登记: the registry extract the bank licenses (demo/sizes.py: who each firm is), GBK as vendors
    # ship it; the current name, and every former name (曾用名), written as registered.
    profiles = size_profiles(universe, heads_of, seed)
    registry = Table("registry.csv", "registry", list(REGISTRY_HEADER), registry_rows(profiles, seed), encoding="gbk")
    by_name = {c.name: c for c in universe}
    for row in registry.rows:
        company = by_name[row[0]]
        uses.append((company, row[0], "canonical", "registry", "registered"))
        uses.extend((company, former, "former_name", "registry:former", "former_name") for former in company.former_names)
    registry.rows[9][9] = "约三十人"                                                           # 从业人数 not a number
    return InternalData([payroll, pos, counterparties, credit, apps, declines, dnc, tax, owners, referrals, registry],
                        uses, credit_cos, profiles)


def table_bytes(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.columns)
    writer.writerows(table.rows)
    return buffer.getvalue().encode(table.encoding, "replace")


def write_internal(out_dir: Path = INTERNAL_DIR, seed: int = 42, scale: int = 1) -> list[Path]:
    universe = build_universe(seed, scale)
    data = build_internal(universe, allocate(universe, seed), seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for table in data.tables:
        path = out_dir / table.filename
        path.write_bytes(table_bytes(table))
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in write_internal():
        print(f"{written_path}  {written_path.stat().st_size} bytes")
