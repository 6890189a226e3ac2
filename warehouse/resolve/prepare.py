"""Per-record features for resolution: parsed names, codes and regions, then nodes.

A node is the set of records that look identical to the matcher (same core name, legal class,
branch status, name region, derived region and valid USCC); names are parsed once per distinct
string, codes and addresses once per distinct value.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from warehouse.codes import parse_code
from warehouse.names import parse_company_name
from warehouse.regions import Region, compatible, match_region_prefix, merge

INPUT_COLUMNS = ["record_id", "source", "name", "uscc", "address"]
# legal classes that can describe the same company in a mention (有限公司 for a 股份有限公司)
LEGAL_GROUP = {"company": "C", "joint_stock": "C", "group": "C", "": ""}


def clean_input(df: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in INPUT_COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"records lack columns: {', '.join(missing)}")
    out = df[INPUT_COLUMNS].copy()
    for column in INPUT_COLUMNS:
        out[column] = out[column].astype(object).where(out[column].notna(), "").astype(str)
    return out.reset_index(drop=True)


_UP_TO_DIGIT = re.compile(r"[0-9０-９]")


def _address_region(address: str) -> Region:
    """Region at the front of an address; only its first characters matter (cached per prefix)."""
    text = "".join(address[:24].split())
    text = _UP_TO_DIGIT.split(text, 1)[0][:14]
    if not text:
        return Region()
    return match_region_prefix(text, 0, False)[1]


def record_features(df: pd.DataFrame) -> pd.DataFrame:
    """One row per record with the parsed fields the matcher and the warehouse need."""
    name_codes, names = pd.factorize(df["name"], sort=False)
    parsed = [parse_company_name(n) for n in names]
    code_idx, codes = pd.factorize(df["uscc"], sort=False)
    code_info = [parse_code(c) for c in codes]
    addr_idx, addresses = pd.factorize(df["address"], sort=False)
    addr_regions = [_address_region(a) for a in addresses]

    def take(values, idx):
        array = np.empty(len(values), dtype=object)
        array[:] = values if not values or not isinstance(values[0], tuple) else [None] * len(values)
        if values and isinstance(values[0], tuple):  # Region tuples stay whole objects
            for i, v in enumerate(values):
                array[i] = v
        return array[idx]

    out = pd.DataFrame({"record_id": df["record_id"].to_numpy(), "source": df["source"].to_numpy()})
    out["name_idx"] = name_codes
    for field in ("display", "match_key", "core", "trade_name", "industry", "legal_form", "legal_class",
                  "is_branch", "parent_key", "branch_label", "is_non_enterprise"):
        out[field] = take([getattr(p, field) for p in parsed], name_codes)
    name_region = take([Region(p.province, p.city, p.district) for p in parsed], name_codes)
    code_region = take([c.region for c in code_info], code_idx)
    addr_region = take(addr_regions, addr_idx)
    out["uscc"] = take([c.code for c in code_info], code_idx)
    out["uscc_kind"] = take([c.kind for c in code_info], code_idx)
    out["uscc_valid"] = take([c.valid for c in code_info], code_idx).astype(bool)
    out["uscc_key"] = np.where(out["uscc_valid"], out["uscc"], "")
    region = np.empty(len(out), dtype=object)
    region[:] = [_derive(n, a, c) for n, a, c in zip(name_region, addr_region, code_region)]
    out["region"] = pd.Series(region, dtype=object)
    out["name_region"] = pd.Series(name_region, dtype=object)
    out["legal_group"] = out["legal_class"].map(lambda c: LEGAL_GROUP.get(c, c))
    return out


def _derive(name: Region, address: Region, code: Region) -> Region:
    region = name
    for extra in (address, code):
        if not extra.empty and compatible(region, extra):
            region = merge(region, extra)
    return region


def region_tuple(region: Region) -> str:
    return f"{region.province or ''}|{region.city or ''}|{region.district or ''}"


def assign_nodes(features: pd.DataFrame, split_records: set | None = None) -> np.ndarray:
    """Node id per record: records identical for the matcher share one node."""
    key = (
        features["core"] + "\x1f" + features["legal_group"] + "\x1f" + features["is_branch"].astype(str)
        + "\x1f" + features["name_region"].map(region_tuple) + "\x1f" + features["region"].map(region_tuple)
        + "\x1f" + features["uscc_key"]
    )
    if split_records:
        mask = features["record_id"].isin(split_records)
        key = key.where(~mask, key + "\x1f" + features["record_id"].astype(str))
    node, _ = pd.factorize(key, sort=False)
    return node
