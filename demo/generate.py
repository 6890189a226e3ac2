"""Seeded, deterministic generator of the demo web: a static copy of Chinese public sites.

    python -m demo.generate --out demo/site --seed 42 [--scale 1] [--notices 10000]

Same seed (and options) → byte-identical files. Writes `_truth.json` (gold company per written name,
facts of every notice), `_headers.json` (Content-Type per path, read by demo.server) and
`_manifest.json` (what each source holds, where it starts).
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from demo import src_award, src_lists, src_registers, src_tenders
from demo.companies import build_universe
from demo.internal import build_internal
from demo.sitekit import Site, Truth, allocate

DEFAULT_SITE_DIR = Path(__file__).resolve().parent / "site"
ROBOTS = """User-agent: *
Disallow: /admin/
Allow: /
"""


@dataclass
class SiteManifest:
    out_dir: str
    seed: int
    scale: int
    notices: int
    files: int
    companies: int
    companies_on_public_pages: int
    sources: dict[str, dict] = field(default_factory=dict)
    seconds: float = 0.0

    def to_json(self) -> dict:
        data = asdict(self)
        data.pop("seconds")  # keep _manifest.json byte-identical across runs (and across folders)
        data.pop("out_dir")
        return data


def generate_site(out_dir: Path | str = DEFAULT_SITE_DIR, *, seed: int = 42, scale: int = 1,
                  notices: int | None = None) -> SiteManifest:
    """Write the demo web into out_dir (emptied first). notices overrides the award-notice count."""
    started = time.monotonic()
    out_dir = Path(out_dir)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    scale = max(1, int(scale))
    n_notices = int(notices) if notices is not None else 90 * scale

    universe = build_universe(seed, scale)
    pools = allocate(universe, seed)
    truth = Truth(universe)
    site = Site(out_dir)
    internal = build_internal(universe, pools, seed)

    sources = {
        src_award.SOURCE: src_award.build(site, truth, pools, seed=seed, notices=n_notices, profiles=internal.profiles),
        src_tenders.GGZY: src_tenders.build_ggzy(site, truth, pools, seed=seed, scale=scale),
        src_tenders.TENDER: src_tenders.build_tender(site, truth, pools, seed=seed, scale=scale),
        src_tenders.GRID: src_tenders.build_grid(site, truth, pools, seed=seed, scale=scale),
        src_lists.SRDI: src_lists.build_srdi(site, truth, pools, seed=seed, scale=scale),
        src_lists.CHAMBER: src_lists.build_chamber(site, truth, pools, seed=seed, scale=scale),
        src_lists.PARK: src_lists.build_park(site, truth, pools, seed=seed, scale=scale),
        src_lists.NEG: src_lists.build_negative(site, truth, pools, seed=seed, scale=scale,
                                                customers=internal.credit_customers),
        src_registers.TAX: src_registers.build_tax_credit(site, truth, pools, seed=seed, scale=scale),
        src_registers.TECH: src_registers.build_high_tech(site, truth, pools, seed=seed, scale=scale),
        src_registers.MARKET: src_registers.build_market(site, truth, pools, seed=seed, scale=scale),
        src_registers.INSURANCE: src_registers.build_insurance(site, truth, pools, seed=seed, scale=scale),
    }
    public_ids = sorted(gid for gid, uses in truth.uses.items() if uses)
    for company, text, variant, feed, role in internal.uses:
        truth.use(company, text, variant, f"internal:{feed}", f"demo/internal/{feed}", role)

    site.write_bytes("robots.txt", ROBOTS.encode(), "text/plain; charset=utf-8")
    site.write_html("index.html", _home(sources))
    site.write_html("admin/index.html", "<html><body>管理后台</body></html>")
    truth_bytes = _json_lines(truth.to_json()).encode("utf-8")
    site.write_bytes("_truth.json", truth_bytes, "application/json")
    manifest = SiteManifest(out_dir=str(out_dir), seed=seed, scale=scale, notices=n_notices, files=0,
                            companies=len(universe), companies_on_public_pages=len(public_ids), sources=sources)
    manifest.files = site.files + 2  # + _manifest.json and _headers.json
    site.write_bytes("_manifest.json", json.dumps(manifest.to_json(), ensure_ascii=False, indent=1,
                                                  sort_keys=True).encode("utf-8"), "application/json")
    site.finish()
    manifest.seconds = round(time.monotonic() - started, 3)
    return manifest


def _json_lines(data: dict[str, list]) -> str:
    """JSON with one record per line: readable, diffable, and fast (the C encoder, no indent)."""
    parts = []
    for key in sorted(data):
        rows = ",\n".join(json.dumps(row, ensure_ascii=False, sort_keys=True) for row in data[key])
        parts.append(f"{json.dumps(key)}: [\n{rows}\n]")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def _home(sources: dict[str, dict]) -> str:
    links = "\n".join(f'<li><a href="{info.get("start", "#")}">{sid}</a></li>' for sid, info in sources.items())
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>tuoke demo web</title></head>
<body><h1>tuoke 演示站点（本地生成，非真实数据）</h1><ul>
{links}
</ul></body></html>"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Generate the tuoke demo web.")
    parser.add_argument("--out", default=str(DEFAULT_SITE_DIR))
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--notices", type=int, default=None)
    args = parser.parse_args(argv)
    manifest = generate_site(Path(args.out), seed=args.seed, scale=args.scale, notices=args.notices)
    print(f"{manifest.files} files, {manifest.companies} companies ({manifest.companies_on_public_pages} on public "
          f"pages), {manifest.notices} award notices → {manifest.out_dir} in {manifest.seconds:.1f} s")


if __name__ == "__main__":
    main()
