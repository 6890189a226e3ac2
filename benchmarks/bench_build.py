"""Full-scale build benchmark: N public mentions (landing JSONL) and M internal feed rows (inbox CSV
files), generated into a temporary data dir, then the whole `tuoke build` (the Dagster `build`
job: load, resolve, score, marts, checks, publish) exactly as the CLI runs it.

    .venv/bin/python -m benchmarks.bench_build [--mentions 1000000] [--feed-rows 1000000]
                                               [--registry-rows 1000000] [--out FILE]

Reports wall time, peak RSS (this process and its children, sampled every 50 ms), the per-step
breakdown from the run's Dagster step events (STEP_START → STEP_SUCCESS/FAILURE) and the load
average (the machine may be shared). Names, codes and addresses come from the resolution
benchmark's generator (benchmarks/resolve/generate.py), so mentions and feed rows name the same
companies in the messy ways real sources do. `--registry-rows` adds the registry feed (工商登记, the
licensed extract; docs/sizing.md): one row per company the mentions and feeds name, under a clean
name and its USCC, then firms no other record names up to that many rows, 10% with a former name,
most with annual-report figures. Target (issue 23): per million mentions (+ as many feed rows)
<= 120 s and <= 2 GiB on 2 cores. The report gives wall, CPU and peak RSS per step, and the DuckDB
memory settings in force (configs/engine.yaml).
Writes benchmarks/out/build.md (or --out).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import tempfile
import threading
import time
from pathlib import Path

import psutil

from kernel.contracts import MENTION_KEYS

OUT = Path(__file__).resolve().parent / "out" / "build.md"

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


def _loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "n/a"


class PeakRss(threading.Thread):
    """Resident memory and CPU of this process plus its children (resolution forks workers), sampled
    every 50 ms with the wall clock, so each Dagster step gets its own peak and CPU seconds; and the
    size of DuckDB's spill folder (every 20th sample)."""

    def __init__(self, spill: Path | None = None) -> None:
        super().__init__(daemon=True)
        self.stop_event = threading.Event()
        self.peak = 0
        self.spill, self.peak_spill = spill, 0
        self.samples: list[tuple[float, int, float]] = []  # (time.time(), rss bytes, CPU seconds so far)

    def _sample(self, me: psutil.Process) -> tuple[int, float]:
        rss, cpu = me.memory_info().rss, sum(me.cpu_times()[:2])
        for child in me.children(recursive=True):
            try:
                rss += child.memory_info().rss
                cpu += sum(child.cpu_times()[:2])
            except psutil.Error:
                continue
        times = me.cpu_times()  # reaped children (the resolver's parse workers) count too
        return rss, cpu + times.children_user + times.children_system

    def _spill_bytes(self) -> int:
        if self.spill is None or not self.spill.exists():
            return 0
        return sum(f.stat().st_size for f in self.spill.rglob("*") if f.is_file())

    def run(self) -> None:
        me = psutil.Process(os.getpid())
        n = 0
        while not self.stop_event.is_set():
            try:
                rss, cpu = self._sample(me)
            except psutil.Error:
                rss, cpu = 0, self.samples[-1][2] if self.samples else 0.0
            self.peak = max(self.peak, rss)
            self.samples.append((time.time(), rss, cpu))
            if n % 20 == 0:
                self.peak_spill = max(self.peak_spill, self._spill_bytes())
            n += 1
            time.sleep(0.05)

    def stop(self) -> int:
        self.stop_event.set()
        self.join()
        return self.peak

    def window(self, start: float, end: float) -> tuple[int, float]:
        """(peak RSS, CPU seconds) between two wall-clock times."""
        inside = [s for s in self.samples if start <= s[0] <= end]
        before = [s for s in self.samples if s[0] <= start][-1:] or self.samples[:1]
        after = [s for s in self.samples if s[0] >= end][:1] or self.samples[-1:]
        peak = max((s[1] for s in inside + before + after), default=0)
        return peak, (after[0][2] - before[0][2]) if before and after else 0.0


def step_times(run_id: str) -> list[tuple[str, float, float, str]]:
    """(step key, start, end, outcome) from the run's Dagster event log (wall-clock times), in start order."""
    from dagster import DagsterInstance

    started, rows = {}, []
    for record in DagsterInstance.get().all_logs(run_id):
        event = record.dagster_event
        if event is None or not event.step_key:
            continue
        kind = event.event_type_value
        if kind == "STEP_START":
            started[event.step_key] = record.timestamp
        elif kind in ("STEP_SUCCESS", "STEP_FAILURE") and event.step_key in started:
            rows.append((started[event.step_key], event.step_key, record.timestamp,
                         "ok" if kind == "STEP_SUCCESS" else "FAILED"))
    return [(key, start, end, outcome) for start, key, end, outcome in sorted(rows)]


def _counts(published: Path) -> dict:
    counts = {}
    try:
        import duckdb

        with duckdb.connect(str(published), read_only=True) as con:
            for table in ("raw.mentions", "raw.feed_registry", "core.companies", "core.company_signals",
                          "marts.prospects_ranked"):
                counts[table] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            counts["ranked"] = con.execute("SELECT count(rank) FROM marts.prospects_ranked").fetchone()[0]
    except Exception as exc:  # noqa: BLE001 — a failed build publishes nothing; the report says so
        counts["error"] = str(exc).splitlines()[0]
    return counts


GIB_PER_MILLION = 2.0  # issue 23: the whole build within 2 GiB per million mentions (+ as many feed rows)
SECONDS_PER_MILLION = 120.0


def report_lines(args, generated: dict, result: dict, outcome, steps, watcher: PeakRss, counts: dict) -> list[str]:
    wall, peak, engine = result["wall"], result["peak"], result["engine"]
    millions = max(generated["mentions"], 1) / 1e6
    verdict = ("meets" if wall <= SECONDS_PER_MILLION * millions and peak <= GIB_PER_MILLION * millions * 2**30
               else "MISSES")
    failed = [f"{k}: {outcome.failures.get(k, '')}" for k in outcome.failed_steps]
    lines = [
        f"# Build benchmark{' — ' + args.label if args.label else ''}",
        "",
        f"- data: {generated['mentions']:,} public mentions (landing JSONL, {len(PUBLIC_MIX)} sources × "
        f"{FILES_PER_SOURCE} runs) + {generated['feed_rows']:,} internal feed rows ({len(FEED_MIX)} inbox CSVs) + "
        f"{generated['registry_rows']:,} registry rows, "
        f"{generated['companies_meant']:,} companies meant; generated in {result['generate_seconds']:.1f} s (not timed)",
        f"- machine: {os.cpu_count()} CPUs, shared; load average (1/5/15) before | after: {' | '.join(result['loads'])}",
        f"- DuckDB (configs/engine.yaml): memory_limit {engine.memory_limit}, temp_directory {engine.temp_directory} "
        f"(under the data root), max_temp_directory_size {engine.max_temp_directory_size}, threads "
        f"{engine.threads or 'one per core'}; largest spill seen {result['spill'] / 2**20:,.0f} MiB",
        f"- **`tuoke build` wall {wall:.1f} s, peak RSS {peak / 2**30:.2f} GiB** (process + children; "
        f"main-process CPU {result['cpu']:.1f} s, children {result['child_cpu']:.1f} s) — {verdict} the target "
        f"({SECONDS_PER_MILLION:.0f} s and {GIB_PER_MILLION:.0f} GiB per million mentions); success: {outcome.success}",
        f"- result: {', '.join(f'{k} {v:,}' if isinstance(v, int) else f'{k}: {v}' for k, v in counts.items())}",
    ]
    if failed:
        lines.append(f"- failed steps: {'; '.join(failed)}")
    lines += ["", "| step | seconds | CPU s | peak RSS GiB | outcome |", "|---|---:|---:|---:|---|"]
    for key, start, end, outcome_word in steps:
        step_peak, step_cpu = watcher.window(start, end)
        lines.append(f"| {key} | {end - start:.2f} | {step_cpu:.1f} | {step_peak / 2**30:.2f} | {outcome_word} |")
    lines += ["", f"Sum of step times: {sum(end - start for _, start, end, _ in steps):.1f} s (steps run one at a "
              "time in process; the rest of the wall time is Dagster's own overhead). Peak RSS and CPU per step: "
              "this process and its children, sampled every 50 ms between the step's start and end events.", ""]
    return lines


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=1_000_000)
    parser.add_argument("--feed-rows", type=int, default=1_000_000)
    parser.add_argument("--registry-rows", type=int, default=0, help="rows of the registry feed (工商登记) to add")
    parser.add_argument("--label", default="", help="a word for the report title, e.g. before / after")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--keep", action="store_true", help="keep the temporary data dir (path printed)")
    return parser.parse_args()


def _isolated_data_dir() -> tuple[Path, Path]:
    """(temporary dir, data root) with this process's environment pointed at them."""
    tmp = Path(tempfile.mkdtemp(prefix="bench_build_"))
    (tmp / "dagster_home").mkdir()
    (tmp / "dagster_home" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    # feed rows carry no person data here, but the feed loader refuses to start without a PII key
    os.environ.setdefault("TUOKE_PII_KEY", "bench-build-not-a-secret-" + "x" * 16)
    os.environ["TUOKE_DATA_DIR"] = str(tmp / "data")
    os.environ["DAGSTER_HOME"] = str(tmp / "dagster_home")  # a persistent instance: step events readable after
    return tmp, tmp / "data"


def measured_build(data: Path) -> tuple[object, PeakRss, dict]:
    """`tuoke build` over `data`, watched: (outcome, the RSS watcher, wall/CPU/peak/loads/engine)."""
    import gc

    from kernel.engine_config import load_engine_config
    from pipelines.runner import run_build
    from warehouse.resolve.records import release_heap

    gc.collect()
    release_heap()  # what generating the data left in this process's heap is not the build's
    engine = load_engine_config().duckdb
    loads = [_loadavg()]
    watcher = PeakRss(spill=engine.temp_path(data))
    watcher.start()
    t1, c1 = time.monotonic(), time.process_time()
    outcome = run_build()
    wall, cpu = time.monotonic() - t1, time.process_time() - c1
    children = psutil.Process(os.getpid()).cpu_times()
    peak = watcher.stop()
    loads.append(_loadavg())
    result = {"wall": wall, "cpu": cpu, "child_cpu": children.children_user + children.children_system, "peak": peak,
              "loads": loads, "engine": engine, "spill": watcher.peak_spill}
    return outcome, watcher, result


def main() -> None:
    args = _parse_args()
    tmp, data = _isolated_data_dir()
    t0 = time.monotonic()
    generated = generate_data(data, args.mentions, args.feed_rows, registry_rows=args.registry_rows)
    generate_seconds = time.monotonic() - t0
    print(f"generated {generated['mentions']:,} mentions, {generated['feed_rows']:,} feed rows and "
          f"{generated['registry_rows']:,} registry rows "
          f"({generated['companies_meant']:,} companies meant) in {generate_seconds:.1f} s under {data}")
    outcome, watcher, result = measured_build(data)
    result["generate_seconds"] = generate_seconds
    lines = report_lines(args, generated, result, outcome, step_times(outcome.run_id), watcher,
                         _counts(outcome.published or data / "tuoke.duckdb"))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    print(f"written {args.out}")
    if args.keep:
        print(f"kept {tmp}")
    else:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
