"""The build benchmark's data: N public mentions as landing JSONL, M internal feed rows as inbox CSV
files and, optionally, the registry feed, all naming the same generated companies
(benchmarks/resolve/generate.py) in the messy ways real sources do (`generate_data`)."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

from kernel.contracts import MENTION_KEYS

# public sources: (source_id, source_kind, role, share of mentions)
PUBLIC_MIX = [
    ("bench_award", "procurement_award", "winner", 0.40),
    ("bench_candidates", "candidate_notice", "candidate", 0.15),
    ("bench_tenders", "tender_notice", "bidder", 0.15),
    ("bench_srdi", "srdi_list", "listed", 0.06),
    ("bench_association", "directory", "member", 0.08),
    ("bench_park", "directory", "tenant", 0.06),
    ("bench_negative", "negative_list", "penalized", 0.10),
]
PENALTIES = ["经营异常", "行政处罚", "行政处罚", "经营异常", "失信被执行人", "限制高消费", "严重违法失信"]
# feed → (file name, header, share of feed rows)
FEED_MIX = {
    "payroll": ("payroll_employers.csv",
                ["代发单位名称", "统一社会信用代码", "开户网点", "代发人数", "月代发金额(元)", "代发月数"], 0.25),
    "pos": ("pos_merchants.csv", ["商户名称", "营业执照名称", "统一社会信用代码", "MCC", "月均交易额(元)", "终端数", "收单网点"], 0.25),
    "counterparties": ("counterparties.csv",
                       ["交易对手名称", "交易对手开户行", "流入金额(元)", "流出金额(元)", "我行交易客户数", "统计月份"], 0.35),
    "credit_customers": ("credit_customers.csv", ["客户名称", "统一社会信用代码", "贷款产品", "贷款余额(元)", "是否逾期"], 0.09),
    "open_applications": ("open_applications.csv", ["客户名称", "统一社会信用代码", "申请日期", "申请产品"], 0.03),
    "risk_declines": ("risk_declines.csv", ["客户名称", "统一社会信用代码", "拒绝日期", "拒绝原因"], 0.02),
    "do_not_contact": ("do_not_contact.csv", ["客户名称", "统一社会信用代码", "登记日期", "原因"], 0.01),
}
FILES_PER_SOURCE = 3
RUN_IDS = ["20261001T060000Z-a1b2c3", "20261015T060000Z-d4e5f6", "20261101T060000Z-0a1b2c"]


def _split(total: int, shares: list[float]) -> list[int]:
    counts = [int(total * s) for s in shares]
    counts[0] += total - sum(counts)
    return counts


def write_landing(root: Path, records) -> int:
    """records: (name, uscc, address) tuples, written as mentions of the PUBLIC_MIX sources."""
    written = 0
    counts = _split(len(records), [s for *_, s in PUBLIC_MIX])
    start = 0
    for (source_id, kind, role, _), count in zip(PUBLIC_MIX, counts):
        chunk = records[start:start + count]
        start += count
        folder = root / "landing" / source_id
        folder.mkdir(parents=True, exist_ok=True)
        per_file = -(-len(chunk) // FILES_PER_SOURCE) if chunk else 0
        for f, run_id in enumerate(RUN_IDS[:FILES_PER_SOURCE]):
            rows = chunk[f * per_file:(f + 1) * per_file]
            day = f"2026-{10 + (f + 1) // 2:02d}-{1 + 14 * (f % 2):02d}"
            with (folder / f"{run_id}.jsonl").open("w", encoding="utf-8") as out:
                for i, (name, uscc, address) in enumerate(rows):
                    n = f * per_file + i
                    notice = n // 4  # about four companies per notice / list page
                    url = f"https://bench.example.gov.cn/{source_id}/{notice}.html"
                    mention = dict.fromkeys(MENTION_KEYS)
                    mention.update(
                        source_id=source_id, source_kind=kind, run_id=run_id, url=url,
                        fetched_at=f"{day}T06:00:00Z", content_hash=hashlib.sha1(url.encode()).hexdigest(),
                        notice_id=f"{source_id}-{notice}", notice_title=f"某单位项目{notice}公告",
                        published_at=f"2026-{1 + notice % 10:02d}-{1 + notice % 28:02d}", is_correction=False,
                        role=role, name=name, uscc=uscc or None, address=address or None,
                        region="浙江省", status="active", extra={},
                    )
                    if role in ("winner", "candidate", "bidder"):
                        mention.update(project_name=f"某单位采购项目{notice}", project_code=f"ZJ-{source_id}-{notice}",
                                       rank=1 + n % 4 if role != "winner" else None, lot=str(n % 4 + 1))
                        if role != "bidder":
                            mention["amount_yuan"] = float(50_000 + (n * 7919) % 5_000_000)
                    elif role == "listed":
                        mention.update(list_name="2026年浙江省专精特新中小企业名单", tier="省级" if n % 10 else "国家级")
                    elif role in ("member", "tenant"):
                        mention.update(list_name="浙江省某商会会员名录" if role == "member" else "某某科技园入驻企业",
                                       tier=["会员单位", "理事单位", "副会长单位"][n % 3] if role == "member" else None)
                    else:
                        penalty = PENALTIES[n % len(PENALTIES)]
                        mention.update(penalty_type=penalty, list_name=penalty + "名单", authority="某市场监督管理局",
                                       reason="未按规定公示年报" if penalty == "经营异常" else None,
                                       amount_yuan=float(1000 + n % 50_000) if penalty == "行政处罚" else None,
                                       status="lifted" if n % 5 == 0 else "active")
                    raw = f"{source_id}|{url}|{role}|{name}|{mention['lot'] or ''}|{mention['rank'] or ''}"
                    mention["mention_id"] = hashlib.sha1(raw.encode("utf-8")).hexdigest()
                    out.write(json.dumps(mention, ensure_ascii=False) + "\n")
                    written += 1
            stats = {"source_id": source_id, "run_id": run_id, "started_at": f"{day}T06:00:00Z",
                     "finished_at": f"{day}T06:30:00Z", "finish_reason": "finished", "pages": len(rows) // 4,
                     "list_pages": 10, "detail_pages": len(rows) // 4, "attachments": 0, "items": len(rows),
                     "quarantined": 0, "blocked": 0, "http_errors": 0, "unused_labels": {}, "quarantine_reasons": {}}
            (folder / f"{run_id}.stats.json").write_text(json.dumps(stats), encoding="utf-8")
    return written


def _feed_row(feed: str, n: int, name: str, uscc: str) -> list:
    h = (n * 2654435761) % 1_000_003
    if feed == "payroll":
        return [name, uscc, "杭州分行", 5 + h % 300, 20_000 + h % 2_000_000, 1 + h % 36]
    if feed == "pos":
        return [name, "", uscc, "5411", 10_000 + h % 1_000_000, 1 + h % 6, "宁波分行"]
    if feed == "counterparties":
        return [name, "某银行", 10_000 + h % 8_000_000, h % 3_000_000, 1 + h % 12, f"2026-{1 + h % 10:02d}"]
    if feed == "credit_customers":
        return [name, uscc, "经营快贷", 100_000 + h % 3_000_000, "是" if h % 97 == 0 else "否"]
    if feed == "open_applications":
        return [name, uscc, f"2026-10-{1 + h % 28:02d}", "经营快贷"]
    if feed == "risk_declines":
        return [name, uscc, f"2026-{1 + h % 10:02d}-{1 + h % 28:02d}", "负债率高"]
    return [name, uscc, f"2026-{1 + h % 10:02d}-01", "客户要求"]


def write_inbox(root: Path, records) -> int:
    counts = _split(len(records), [share for *_, share in FEED_MIX.values()])
    start = 0
    for (feed, (filename, header, _)), count in zip(FEED_MIX.items(), counts):
        folder = root / "inbox" / feed
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / filename).open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(header)
            for n, (name, uscc, _address) in enumerate(records[start:start + count]):
                writer.writerow(_feed_row(feed, n, name, uscc))
        start += count
    return len(records)


REGISTRY_HEADER = ["企业名称", "统一社会信用代码", "曾用名", "登记状态", "成立日期", "注册资本", "企业类型", "行业代码",
                   "年报年份", "从业人数", "营业收入", "资产总额"]
STATUSES = ["存续（在营、开业、在册）"] * 90 + ["在业"] * 6 + ["吊销，未注销", "注销", "迁出", "停业"]
GBT_CODES = ["C3499", "I6513", "F5199", "E4790", "L7299", "F5211", "H6210", "K7020", "M7450", "G5430"]


def _registry_row(rng, name: str, uscc: str) -> list:
    former = f"{name[:2]}新{name[2:]}" if rng.random() < 0.10 else ""
    published = rng.random() < 0.7
    return [name, uscc, former, rng.choice(STATUSES), f"{rng.randint(1995, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            f"{rng.choice([50, 100, 500, 1000])}万人民币", "有限责任公司(自然人投资或控股)", rng.choice(GBT_CODES),
            "2025" if published else "", rng.randint(1, 400) if published else "企业选择不公示",
            f"{rng.uniform(10, 20000):.2f}万" if published and rng.random() < 0.4 else "企业选择不公示", ""]


def write_registry(root: Path, frame, rows: int, seed: int = 11) -> int:
    """The registry extract: each company the other records name (its most frequent written name and
    its USCC, a synthetic valid one where no record carries it), then firms nobody else names."""
    import random

    from benchmarks.resolve.generate import FORMS, INDUSTRIES, TRADE_CHARS, _Places, _short, _uscc

    rng = random.Random(seed)
    folder = root / "inbox" / "registry"
    folder.mkdir(parents=True, exist_ok=True)
    # the registered name: the name as written with its city in front (南京嘉远机械设备有限公司), else
    # the first written form; the USCC any record carries
    clean = frame.assign(rank=(~frame["variant"].isin(["city", "city+with_uscc"])).astype(int))
    clean = clean.sort_values(["gold", "rank"], kind="stable")
    named = clean.groupby("gold", sort=True).agg(
        name=("name", "first"), uscc=("uscc", lambda codes: next((c for c in codes if c), "")))
    places = _Places()
    written = 0
    with (folder / "registry.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(REGISTRY_HEADER)
        for name, uscc in zip(named["name"].str.strip(), named["uscc"]):
            if written >= rows:
                break
            writer.writerow(_registry_row(rng, name, uscc or _uscc(rng, "330100")))
            written += 1
        while written < rows:
            city = places.pick_city(rng)
            trade = "".join(rng.choices(TRADE_CHARS, k=3))
            name = f"{_short(places.city_name(city))}{trade}{rng.choice(INDUSTRIES)}{rng.choice(FORMS)}"
            writer.writerow(_registry_row(rng, name, _uscc(rng, city)))
            written += 1
    return written


def generate_data(root: Path, mentions: int, feed_rows: int, seed: int = 7, registry_rows: int = 0) -> dict:
    from benchmarks.resolve.generate import generate

    frame = generate(mentions + feed_rows, seed=seed)
    frame = frame.sample(frac=1.0, random_state=seed)  # mentions and feed rows over the same companies
    records = list(zip(frame["name"], frame["uscc"].fillna(""), frame["address"].fillna("")))
    return {
        "mentions": write_landing(root, records[:mentions]),
        "feed_rows": write_inbox(root, records[mentions:mentions + feed_rows]),
        "registry_rows": write_registry(root, frame, registry_rows) if registry_rows else 0,
        "companies_meant": int(frame["gold"].nunique()),
    }
