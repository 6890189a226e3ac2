"""Per-source asset check on extraction health (issue 18): a template change shows the morning after.

Reads the latest run stats of a source (award pages without a winner, winners without an amount,
pages of unknown kind, names without a role; scrapers.extract.health) and warns, never blocks:
a share over its limit is a page layout to look at, not a reason to stop the build.
"""

import dagster as dg

from kernel.sources import SourceConfig
from pipelines.crawl_assets import crawl_key
from pipelines.resources import TuokeWarehouse
from scrapers.extract.health import HEALTH_SHARE_MAX, health_shares, health_warnings


def evaluate_extraction_health(stats: dict | None) -> tuple[bool, str, dict]:
    """(passed, description, metadata) of one run's stats."""
    if not stats:
        return False, "no run stats found for the latest crawl", {}
    warnings = health_warnings(stats)
    metadata = {key: float(share) for key, _, _, _, share in health_shares(stats) if share is not None}
    metadata["run_id"] = str(stats.get("run_id") or "")
    if warnings:
        return False, "; ".join(warnings), metadata
    shares = ", ".join(f"{what} {count}/{of}" for _, what, count, of, _ in health_shares(stats))
    return True, f"within limits: {shares}", metadata


def extraction_health_check(source: SourceConfig) -> dg.AssetChecksDefinition:
    limits = ", ".join(f"{key} <= {limit:.0%}" for key, limit in HEALTH_SHARE_MAX.items())

    @dg.asset_check(asset=crawl_key(source.id), name="extraction_health", blocking=False,
                    description=f"Shares of silent misses in the latest crawl within limits ({limits}).")
    def extraction_health(warehouse: TuokeWarehouse) -> dg.AssetCheckResult:
        from pipelines.checks import run_stats_files

        runs = run_stats_files(warehouse.paths().source_landing(source.id))
        passed, text, metadata = evaluate_extraction_health(runs[-1] if runs else None)
        return dg.AssetCheckResult(passed=passed, severity=dg.AssetCheckSeverity.WARN, description=text,
                                   metadata=metadata)

    return extraction_health
