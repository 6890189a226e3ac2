"""Extraction speed: pages per second on one core (median of 5 runs) and peak RSS.

Two loads: `--corpus` reads the real pages of ../shared/real-pages (both batches, 56 pages) the way
`tuoke extract` does without --kind (scrapers.extract.extract_auto: page kind, extraction, names
first); the default is 600 generated award pages of four layouts wrapped in portal chrome.
Times are process CPU time (time.process_time), so other load on the machine does not skew them.

Run: .venv/bin/python -m benchmarks.bench_extract [--corpus]   (target >= 300 real pages/s per core)
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import time

from scrapers.extract import extract_page

N_PAGES = 600
RUNS = 5


def _national(i: int, rng: random.Random) -> str:
    bidders = "".join(f"<tr><td>1</td><td>宁波第{i}{j}号科技有限公司</td><td>{rng.randint(10**5, 10**7):,}.00</td></tr>" for j in range(rng.randint(3, 8)))
    return f"""<html><head><meta charset="gb2312"><title>项目{i}中标（成交）结果公告</title><script>var a={i};</script></head><body>
<h2>某某单位第{i}号采购项目中标（成交）结果公告</h2><table><tr><td class=title>采购项目名称</td><td colspan=3>第{i}号采购项目</td></tr>
<tr><td class=title>采购单位</td><td>某某局{i}</td><td class=title>行政区域</td><td>宁波市</td></tr>
<tr><td class=title>公告时间</td><td>2025年05月27日 20:20</td><td class=title>总中标金额</td><td>￥{rng.randint(1, 900)}.79 万元（人民币）</td></tr></table>
<p>一、项目编号：NB-{i}</p><table><tr><th>包组</th><th>投标供应商</th><th>报价（元）</th></tr>{bidders}</table>
<p>供应商名称：宁波第{i}0号科技有限公司</p><p>供应商地址：宁波市鄞州区{i}号</p><p>中标（成交）金额：{rng.randint(10**5, 10**7)}.0元</p>
{'<p>评审说明：本项目按综合评分法评审，评审过程合法合规。</p>' * rng.randint(5, 30)}</body></html>"""


def _old(i: int, rng: random.Random) -> str:
    return f"""<html><head><title>成交公告{i}</title></head><body><h3>某某镇第{i}号服务采购成交公告</h3>
<p>一、项目信息</p><p>采购项目编号：NH-{i}</p><p>采购项目名称：第{i}号服务</p><p>采购人名称：某某镇{i}卫生院</p>
<p>成交供应商：见公告原文</p><p>公告时间：2026年10月27日 20:20</p>
<p>1.成交供应商名称：宁海县第{i}物业服务有限公司<br>2.成交供应商地址：宁海县{i}号<br>3.成交金额：人民币玖万玖仟伍佰伍拾元整，￥:99，550.00元</p>
{'<p>　　本项目经评审委员会评审，现将结果公告如下，公告期限为一个工作日。</p>' * rng.randint(5, 30)}</body></html>"""


def _lots(i: int, rng: random.Random) -> str:
    rows = "".join(
        f"<tr><td>{j}</td><td>{'废标' if rng.random() < 0.15 else f'第{i}-{j}号贸易有限公司'}</td><td>{rng.randint(1, 500)}.{rng.randint(0, 99)}</td></tr>"
        for j in range(1, rng.randint(2, 12))
    )
    return f"""<html><head><meta charset="utf-8"><title>结果公告{i}</title></head><body><h1 class="title">第{i}号项目结果公告</h1>
<p>项目编号：MJ-{i}</p><p>采购人：某某县{i}局</p><table><tr><td>包号</td><td>中标供应商</td><td>中标金额(万元)</td></tr>{rows}</table>
<p>发布日期：2026/10/27</p></body></html>"""


def _candidate(i: int, rng: random.Random) -> str:
    rows = "".join(f"<tr><td><p><span>第{n}中标候选人<o:p></o:p></span></p></td><td><p><span>第{i}{n}建设有限公司</span></p></td>"
                   f"<td><p><span>中标金额（万元）</span></p></td><td><p><span>{rng.randint(100, 999)} . {rng.randint(0, 999)}</span></p></td></tr>"
                   for n in ("一", "二", "三"))
    return f"""<html><head><title>中标结果公示</title></head><body><table><tr><td>项 目 名 称</td><td colspan=3>第{i}号工程</td></tr>
<tr><td>建 设 单 位</td><td colspan=3>某某{i}局</td></tr>{rows}</table><p>发布日期：2017 年 1 月 9 日</p></body></html>"""


_CHROME_HEAD = "<div class=header><ul class=nav>" + "".join(f"<li><a href='/c{k}/index.htm'>栏目{k}</a></li>" for k in range(30)) + "</ul></div>"
_PARAGRAPH = "<p style='text-indent:2em'><span style='font-family:宋体'>评审委员会按照招标文件规定的评标方法和标准，对各投标人的投标文件进行了认真评审，" * 3 + "</span></p>"


def _realistic(make):
    """Wrap a layout in portal chrome and pasted prose so pages weigh 15-30 KB like real ones."""
    def page(i: int, rng: random.Random) -> str:
        html = make(i, rng)
        prose = _PARAGRAPH * rng.randint(15, 35)
        return html.replace("<body>", "<body>" + _CHROME_HEAD, 1).replace("</body>", prose + "</body>", 1)
    return page


LAYOUTS = {name: _realistic(make) for name, make in
           {"national": _national, "old_gbk": _old, "lot_table": _lots, "word_table": _candidate}.items()}


def build_pages() -> list[tuple[str, bytes]]:
    rng = random.Random(7)
    pages = []
    for i in range(N_PAGES):
        name = list(LAYOUTS)[i % len(LAYOUTS)]
        html = LAYOUTS[name](i, rng)
        pages.append((name, html.encode("gbk" if name == "old_gbk" else "utf-8")))
    return pages


def corpus_pages() -> list[tuple[str, bytes, str]]:
    """(batch, page bytes as unwrap.py writes them, url) of every real page in both batches."""
    from benchmarks.eval_pages import batches, corpus_dir, page_html

    corpus = corpus_dir()
    if corpus is None:
        raise SystemExit("bench_extract --corpus: real-pages corpus not found (set TUOKE_REAL_PAGES)")
    pages = []
    for name, folder in batches(corpus):
        for number, path in enumerate(sorted((folder / "pages").iterdir()), 1):
            body, url = page_html(path)
            pages.append((name, body, url or f"file:///real-pages/{name}/page-{number:03d}.html"))
    return pages


def corpus_main() -> None:
    from scrapers.extract import extract_auto

    pages = corpus_pages()
    extract_auto(pages[0][1], pages[0][2])  # warm lookups
    repeat = 10  # 56 pages are too few for a stable time: each run reads the corpus 10 times
    times, mentions = [], 0
    for _ in range(RUNS):
        start = time.process_time()
        mentions = sum(len(extract_auto(body, url)[0].mentions) for _ in range(repeat) for _, body, url in pages)
        times.append(time.process_time() - start)
    median = statistics.median(times)
    size_kb = sum(len(b) for _, b, _ in pages) / len(pages) / 1024
    print(f"{'measure':<34}{'value':>12}")
    print(f"{'real pages per run':<34}{len(pages) * repeat:>12}")
    print(f"{'mean page size (KB)':<34}{size_kb:>12.1f}")
    print(f"{'median run CPU (s), 5 runs':<34}{median:>12.3f}")
    print(f"{'real pages/s (one core, CPU time)':<34}{len(pages) * repeat / median:>12.0f}")
    print(f"{'mentions per run':<34}{mentions:>12}")
    print(f"{'peak RSS (MB)':<34}{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:>12.1f}")
    print(f"{'target (pages/s)':<34}{300:>12}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", action="store_true", help="time the real pages, kind not given")
    if parser.parse_args().corpus:
        corpus_main()
        return
    pages = build_pages()
    extract_page(pages[0][1], "http://bench/0.htm", kind="procurement_award")  # warm lookups
    times, mentions = [], 0
    for _ in range(RUNS):
        start = time.process_time()
        mentions = 0
        for index, (_, body) in enumerate(pages):
            mentions += len(extract_page(body, f"http://bench/{index}.htm", kind="procurement_award").mentions)
        times.append(time.process_time() - start)
    per_layout = {}
    for name in LAYOUTS:
        subset = [b for n, b in pages if n == name]
        start = time.process_time()
        for body in subset:
            extract_page(body, "http://bench/x.htm", kind="procurement_award")
        per_layout[name] = len(subset) / (time.process_time() - start)
    median = statistics.median(times)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size_kb = sum(len(b) for _, b in pages) / len(pages) / 1024
    print(f"{'measure':<28}{'value':>14}")
    print(f"{'pages per run':<28}{len(pages):>14}")
    print(f"{'mean page size (KB)':<28}{size_kb:>14.1f}")
    print(f"{'median run (s), 5 runs':<28}{median:>14.3f}")
    print(f"{'pages/s (one core)':<28}{len(pages) / median:>14.0f}")
    for name, rate in per_layout.items():
        print(f"{'  pages/s ' + name:<28}{rate:>14.0f}")
    print(f"{'mentions per run':<28}{mentions:>14}")
    print(f"{'peak RSS (MB)':<28}{peak_mb:>14.1f}")
    print(f"{'target (pages/s)':<28}{300:>14}")


if __name__ == "__main__":
    main()
