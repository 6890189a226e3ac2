"""Entity resolution: every mention of a company lands on one stable company_id.

    resolve_records(df[record_id, source, name, uscc, address], judgements=path|list|None, progress=None,
                    previous=df[record_id, company_id]|None, workers=None, config=None)
        -> df[record_id, company_id, rule, score, features, matched_record, parent_company_id]
    describe_records(df) -> df[record_id, display_name, match_key, core_name, legal_form, province,
        city, district, is_branch, parent_match_key, is_non_enterprise, uscc, uscc_valid, street_key,
        registry_uscc]
    resolve_and_describe(df, ...) -> (links, described)   # both, parsing every name once
    resolve_batches(df, ..., batch_records=0) -> iterator of Batch(rows, resolution)
        # the same links, resolved a batch of whole components at a time (batches.py): the build's path

The steps are warehouse/resolve/run.py; the comparison levels warehouse/resolve/pair_rules.py; the
thresholds configs/resolution.yaml (kernel.resolution_config); a link's features
kernel.link_features.LinkFeatures. `progress(step, done, total)` is called between steps.
docs/resolution.md describes the whole.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd

from kernel.resolution_config import ResolutionConfig, load_resolution_config
from warehouse.resolve.authority import registry_codes
from warehouse.resolve.batches import Batch, resolve_in_batches
from warehouse.resolve.describe import describe
from warehouse.resolve.judgements import Judgement, read_judgements
from warehouse.resolve.prepare import record_features
from warehouse.resolve.records import read_records
from warehouse.resolve.run import STEPS, no_cyclic_gc, resolve

__all__ = ["LAST_STATS", "STEPS", "describe_records", "merge_stats", "resolve_and_describe", "resolve_batches",
           "resolve_records"]

LAST_STATS: dict = {}  # statistics of the last run (blocking, levels, seconds and CPU per step) for logs and benchmarks
Judgements = str | Path | list[Judgement] | None


def _run(df, judgements: Judgements, progress, previous, workers, config, with_description: bool):
    rules = judgements if isinstance(judgements, list) else read_judgements(judgements)
    result = resolve(df, rules, load_resolution_config(config), previous, workers, progress, with_description)
    LAST_STATS.clear()
    LAST_STATS.update(result.stats)
    return result


def resolve_records(df: pd.DataFrame, judgements: Judgements = None, progress: Callable[[str, int, int], None] | None = None,
                    previous: pd.DataFrame | None = None, workers: int | None = None,
                    config: ResolutionConfig | None = None) -> pd.DataFrame:
    """Company id per record; `previous` (record_id, company_id of an earlier run) keeps ids stable."""
    return _run(df, judgements, progress, previous, workers, config, False).links


def resolve_and_describe(df: pd.DataFrame, judgements: Judgements = None,
                         progress: Callable[[str, int, int], None] | None = None, previous: pd.DataFrame | None = None,
                         workers: int | None = None, config: ResolutionConfig | None = None
                         ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """resolve_records and describe_records in one pass (names are parsed once)."""
    result = _run(df, judgements, progress, previous, workers, config, True)
    return result.links, describe(result.features, result.lent)


def describe_records(df: pd.DataFrame, workers: int | None = None, config: ResolutionConfig | None = None) -> pd.DataFrame:
    """Parsed name fields and evidence per record for core.entity_records."""
    with no_cyclic_gc():
        features = record_features(read_records(df), workers, with_display=True)
        return describe(features, registry_codes(features, load_resolution_config(config).authority.sources))


def resolve_batches(df: pd.DataFrame, judgements: Judgements = None, previous: pd.DataFrame | None = None,
                    workers: int | None = None, config: ResolutionConfig | None = None,
                    batch_records: int = 0, describe: bool = True) -> Iterator[Batch]:
    """resolve_and_describe one batch of whole components at a time: `batch.resolution.links` and
    `describe(batch.resolution.features, batch.resolution.lent)` are the rows of the records at
    `batch.rows`. LAST_STATS sums the batches so far."""
    rules = judgements if isinstance(judgements, list) else read_judgements(judgements)
    LAST_STATS.clear()
    batches = resolve_in_batches(df, rules, load_resolution_config(config), previous, workers, batch_records,
                                 describe=describe)
    del df, previous  # the batches read them first: nothing here keeps them alive after that
    for batch in batches:
        merged = merge_stats(dict(LAST_STATS), batch.resolution.stats)
        LAST_STATS.clear()
        LAST_STATS.update(merged)
        yield batch


_LAST_VALUE = ("batch", "batches", "largest_component", "shared_seconds", "shared_cpu_seconds", "shared_peak_rss_mb",
               "spans", "shared_spans")


def merge_stats(total: dict, batch: dict, maximum: bool = False) -> dict:
    """Statistics of several batches as of one run: counts and seconds add up, largest and peak
    values (peak_rss_mb per step) are the maximum."""
    out = dict(total)
    for key, value in batch.items():
        highest = maximum or key == "largest" or "peak" in str(key)
        if key in _LAST_VALUE or key not in out:
            out[key] = value
        elif isinstance(value, dict):
            out[key] = merge_stats(out[key], value, highest)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            out[key] = max(out[key], value) if highest else out[key] + value
        else:
            out[key] = value
    return out
