"""Per-record features for resolution: parsed names, codes and regions, then nodes.

Everything is columnar. Names, codes and addresses are parsed once per *distinct* value, in chunks
that the process and `workers - 1` forked children (Linux; `TUOKE_RESOLVE_WORKERS=1` turns them
off) take in turn; a record refers to its parsed name by index. Regions are three integer columns
(province 2 digits, city 4, district 6; 0 = unknown), so deriving a record's region from its
name, address and USCC division code is a few numpy operations.

A node is the set of records that look identical to the matcher (same core name, legal group,
branch status, name region, derived region and valid USCC). Node ids follow the sorted node key,
so they do not depend on the order of the input rows.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import multiprocessing
import os
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

import numpy as np
import pandas as pd

from warehouse.codes import parse_codes
from warehouse.regions import match_region_prefix
from warehouse.resolve.name_parts import FIELDS, parse_name_fields

log = logging.getLogger(__name__)

INPUT_COLUMNS = ["record_id", "source", "name", "uscc", "address"]
# legal classes that can describe the same company in a mention (有限公司 for a 股份有限公司)
LEGAL_GROUP = {"company": "C", "joint_stock": "C", "group": "C", "": ""}
PARALLEL_MIN = 40_000  # distinct names below which forking costs more than it saves
NAME_FIELDS = ("display", "match_key", "core", "trade_name", "industry", "legal_form", "legal_class",
               "parent_key", "branch_label")
_AT = {f: i for i, f in enumerate(FIELDS)}
HASH_FIELD = "raw_sha1"  # SHA-1 hex of the raw name: what company ids are made of
FLAG_FIELDS = ("is_branch", "is_non_enterprise")
ABBREVIATED_FORMS = ["", "公司", "股份"]  # endings of short forms (东华公司, 华信股份), not of registered names


def clean_input(df: pd.DataFrame) -> dict[str, np.ndarray]:
    """The input columns as object arrays of str (missing values become "")."""
    missing = [c for c in INPUT_COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"records lack columns: {', '.join(missing)}")
    out = {}
    for column in INPUT_COLUMNS:
        values = df[column]
        if values.isna().any():
            values = values.astype(object).where(values.notna(), "")
        array = values.to_numpy(dtype=object)
        if len(array) and pd.api.types.infer_dtype(array, skipna=False) != "string":
            array = np.array([str(v) for v in array], dtype=object)
        out[column] = array
    return out


def default_workers() -> int:
    """Processes for parsing: the CPUs this process may use, at most 4; 1 where fork is unsafe."""
    if not sys.platform.startswith("linux"):
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover
        cpus = os.cpu_count() or 1
    env = os.environ.get("TUOKE_RESOLVE_WORKERS")
    if env and env.isdigit():
        return max(1, int(env))
    return max(1, min(cpus, 4))


# ---------------------------------------------------------------- parsing distinct values
_UP_TO_DIGIT = re.compile(r"[0-9０-９]")


def _address_region(address: str) -> tuple[int, int, int]:
    """Region at the front of an address; only its first characters matter (cached per prefix)."""
    text = "".join(address[:24].split())
    text = _UP_TO_DIGIT.split(text, 1)[0][:14]
    if not text:
        return (0, 0, 0)
    region = match_region_prefix(text, 0, False)[1]
    return _ints(region.province, region.city, region.district)


def _ints(province, city, district) -> tuple[int, int, int]:
    return (int(province) if province else 0, int(city) if city else 0, int(district) if district else 0)


def _parse_names_chunk(names: list) -> dict:
    rows = [parse_name_fields(raw) for raw in names]  # each distinct name once: no cache
    columns = list(zip(*rows)) if rows else [()] * len(FIELDS)
    out = {f: list(columns[_AT[f]]) for f in NAME_FIELDS}
    for f in FLAG_FIELDS:
        out[f] = np.asarray(columns[_AT[f]], dtype=bool)
    province, city, district = (columns[_AT[f]] for f in ("province", "city", "district"))
    out["region"] = np.array([(int(p) if p else 0, int(c) if c else 0, int(d) if d else 0)
                              for p, c, d in zip(province, city, district)], dtype=np.int32).reshape(-1, 3)
    sha1 = hashlib.sha1
    out[HASH_FIELD] = [sha1(str(raw).encode("utf-8")).hexdigest() for raw in names]
    return out


def _parse_addresses_chunk(addresses: list) -> np.ndarray:
    return np.asarray([_address_region(a) for a in addresses], dtype=np.int32).reshape(-1, 3)


def _parse_codes_chunk(codes: list) -> dict:
    parsed = parse_codes(codes)  # vectorised check (warehouse.codes); stdnum is its oracle in tests
    return {"code": list(parsed.code), "valid": parsed.valid, "region": parsed.region}


_PARSERS = {"names": _parse_names_chunk, "addresses": _parse_addresses_chunk, "codes": _parse_codes_chunk}
_CHUNK = {"names": 16_000, "addresses": 40_000, "codes": 40_000}
_SHARED: dict = {}  # what forked children read (set just before the fork, so nothing is pickled in)


def _run_tasks() -> list[tuple[int, object]]:
    """Take chunks off the shared counter until none are left (parent and children alike)."""
    tasks, counter = _SHARED["tasks"], _SHARED["counter"]
    done = []
    while True:
        with counter.get_lock():
            i = counter.value
            counter.value = i + 1
        if i >= len(tasks):
            return done
        kind, lo, hi = tasks[i]
        done.append((i, _PARSERS[kind](_SHARED[kind][lo:hi])))


def _concat_columns(chunks: list[dict], objects: tuple, arrays: tuple) -> dict:
    out = {}
    for field in objects:
        values = np.empty(sum(len(c[field]) for c in chunks), dtype=object)
        pos = 0
        for c in chunks:
            values[pos:pos + len(c[field])] = c[field]
            pos += len(c[field])
        out[field] = values
    for field in arrays:
        out[field] = np.concatenate([c[field] for c in chunks])
    return out


def parse_distinct(names: np.ndarray, addresses: np.ndarray, codes: np.ndarray,
                   workers: int | None = None) -> tuple[dict, np.ndarray, dict]:
    """Parsed name columns (one entry per distinct name), address regions (n, 3) and code columns.

    The work is cut into chunks that the parent and `workers - 1` forked children take in turn
    (so a child that is slowed down by other load simply takes fewer); children read the values
    from memory inherited at the fork and send back only their results."""
    workers = default_workers() if workers is None else workers
    values = {"names": list(names), "addresses": list(addresses), "codes": list(codes)}
    tasks = [(kind, lo, min(lo + _CHUNK[kind], len(items)))
             for kind, items in values.items() for lo in range(0, len(items), _CHUNK[kind])]
    parallel = workers > 1 and len(values["names"]) + len(values["addresses"]) // 4 >= PARALLEL_MIN
    pool = None
    if parallel:
        try:
            context = multiprocessing.get_context("fork")
            counter = context.Value("q", 0)
            _SHARED.update(values, tasks=tasks, counter=counter)
            pool = ProcessPoolExecutor(workers - 1, mp_context=context)
        except (OSError, ImportError, ValueError) as exc:  # no fork or semaphores: parse here
            log.warning("resolve: parsing in one process (%s)", exc)
    if pool is None:
        _SHARED.update(values, tasks=tasks, counter=_LocalCounter())
    try:
        if pool is not None:
            with pool:
                try:
                    pending = [pool.submit(_run_tasks) for _ in range(workers - 1)]
                except (OSError, BrokenProcessPool) as exc:  # the fork itself failed (memory, process limit)
                    log.warning("resolve: parse workers could not start (%s)", exc)
                    pending = []
                results = _run_tasks()
                for future in pending:
                    try:
                        results.extend(future.result())
                    except BrokenProcessPool as exc:  # a worker died (e.g. killed): redo its chunks below
                        log.warning("resolve: a parse worker died (%s); parsing its chunks here", exc)
        else:
            results = _run_tasks()
        done = {i for i, _ in results}
        for i in range(len(tasks)):
            if i not in done:
                kind, lo, hi = tasks[i]
                results.append((i, _PARSERS[kind](values[kind][lo:hi])))
    finally:
        _SHARED.clear()
    results.sort(key=lambda r: r[0])
    by_kind: dict[str, list] = {kind: [] for kind in values}
    for i, result in results:
        by_kind[tasks[i][0]].append(result)
    empty_names = _parse_names_chunk([])
    parsed = _concat_columns(by_kind["names"] or [empty_names], (*NAME_FIELDS, HASH_FIELD), (*FLAG_FIELDS, "region"))
    regions = np.concatenate(by_kind["addresses"]) if by_kind["addresses"] else np.zeros((0, 3), np.int32)
    code_cols = _concat_columns(by_kind["codes"] or [_parse_codes_chunk([])], ("code",), ("valid", "region"))
    return parsed, regions, code_cols


class _LocalCounter:
    """The same interface as multiprocessing.Value for the one-process path."""

    def __init__(self) -> None:
        self.value = 0

    def get_lock(self):
        return contextlib.nullcontext()


# ---------------------------------------------------------------- features
@dataclass
class Features:
    """Columns per record (arrays of len(records)) and per distinct name (`names`, indexed by name_idx)."""

    record_id: np.ndarray
    source: np.ndarray
    raw_name: np.ndarray
    name_idx: np.ndarray  # record -> distinct name
    names: dict  # distinct-name columns (NAME_FIELDS, FLAG_FIELDS, region (n, 3))
    uscc: np.ndarray  # cleaned code as written (object)
    uscc_valid: np.ndarray  # bool
    uscc_id: np.ndarray  # int: valid code -> id in sorted order, -1 none
    uscc_codes: np.ndarray  # sorted valid codes (uscc_id indexes it)
    address: np.ndarray  # object
    address_id: np.ndarray  # int: non-empty address -> id in sorted order, -1 none
    addresses: np.ndarray  # sorted distinct non-empty addresses
    name_region: np.ndarray  # (n, 3) int32
    region: np.ndarray  # (n, 3) int32: name region completed by address and USCC division

    def name_column(self, field: str) -> np.ndarray:
        return self.names[field][self.name_idx]

    def __len__(self) -> int:
        return len(self.record_id)


def record_features(records: dict[str, np.ndarray], workers: int | None = None) -> Features:
    """One entry per record with the parsed fields the matcher and the warehouse need."""
    name_idx, distinct = pd.factorize(records["name"], sort=False)
    addr_codes, addr_distinct = pd.factorize(records["address"], sort=True)
    addr_distinct = np.asarray(addr_distinct, dtype=object)
    code_idx, codes = pd.factorize(records["uscc"], sort=False)
    names, addr_regions, code_info = parse_distinct(np.asarray(distinct, dtype=object), addr_distinct,
                                                    np.asarray(codes, dtype=object), workers)
    code_clean, code_valid, code_region = code_info["code"], code_info["valid"], code_info["region"]
    valid_codes = np.unique(code_clean[code_valid].astype(str)) if code_valid.any() else np.empty(0, dtype=str)
    code_id = np.full(len(codes), -1, dtype=np.int64)
    if len(valid_codes):
        code_id[code_valid] = np.searchsorted(valid_codes, code_clean[code_valid].astype(str))

    empty = addr_distinct == ""
    addr_id = addr_codes.astype(np.int64)
    if empty.any():  # the empty address sorts first; ids of the rest shift down by one
        blank = int(np.flatnonzero(empty)[0])
        addr_id = np.where(addr_codes == blank, -1, addr_codes - (addr_codes > blank))
        addresses = addr_distinct[~empty]
    else:
        addresses = addr_distinct

    name_region = names["region"][name_idx]
    region = derive_region(name_region, addr_regions[addr_codes], code_region[code_idx])
    return Features(
        record_id=records["record_id"], source=records["source"],
        raw_name=records["name"], name_idx=name_idx.astype(np.int64), names=names,
        uscc=code_clean[code_idx],
        uscc_valid=code_valid[code_idx], uscc_id=code_id[code_idx], uscc_codes=valid_codes,
        address=records["address"], address_id=addr_id, addresses=addresses,
        name_region=name_region, region=region,
    )


def compatible(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise: no level where both regions are known and differ ((n, 3) int arrays)."""
    return ((a == 0) | (b == 0) | (a == b)).all(axis=1)


def derive_region(name: np.ndarray, *extras: np.ndarray) -> np.ndarray:
    """The name's region, completed level by level by each extra region that does not contradict it."""
    region = name.copy()
    for extra in extras:
        take = (extra[:, 0] != 0) & compatible(region, extra)
        fill = take[:, None] & (region == 0)
        region = np.where(fill, extra, region)
    return region


def region_key(region: np.ndarray) -> np.ndarray:
    """One int64 per (province, city, district) triple; 0 = no region."""
    r = region.astype(np.int64)
    return (r[:, 0] * 10_000 + r[:, 1]) * 1_000_000 + r[:, 2]


def legal_groups(legal_class: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Legal group code per distinct name (0 = unknown) and the group labels."""
    group = np.array([LEGAL_GROUP.get(c, c) for c in legal_class], dtype=object)
    labels = np.array(sorted(set(group) - {""}), dtype=object)
    codes = np.zeros(len(group), dtype=np.int64)
    if len(labels):
        known = group != ""
        codes[known] = np.searchsorted(labels, group[known].astype(str)) + 1
    return codes, labels


# ---------------------------------------------------------------- nodes
@dataclass
class Nodes:
    """One entry per node (records that look identical to the matcher)."""

    core_id: np.ndarray  # into cores (sorted distinct cores)
    cores: np.ndarray
    trade_id: np.ndarray  # into trades
    trades: np.ndarray
    industry_id: np.ndarray  # into industries
    industries: np.ndarray
    legal: np.ndarray  # legal group code, 0 unknown
    branch: np.ndarray  # bool
    uscc: np.ndarray  # valid USCC id, -1 none
    name_region: np.ndarray  # (n, 3)
    name_key: np.ndarray  # region_key(name_region)
    region: np.ndarray  # (n, 3) derived
    address_id: np.ndarray  # -1 none (smallest non-empty address among the node's records)
    first_record: np.ndarray  # record position of the node's first record (input order)
    raw_name: np.ndarray | None = None  # the first record's name as written (checked by the typo rule)
    abbreviated: np.ndarray | None = None  # bool: no legal form, or a short form's (东华公司, 华信股份)
    form: np.ndarray | None = None  # int8: 0 no legal form, 1 股份 (a 证券简称), 2 joint-stock name, 3 other

    def __len__(self) -> int:
        return len(self.core_id)


def _group_ids(*keys: np.ndarray) -> np.ndarray:
    """Dense ids of equal key tuples, numbered in sorted key order (the last key sorts first)."""
    n = len(keys[0])
    if n == 0:
        return np.empty(0, dtype=np.int64)
    order = np.lexsort(keys)
    change = np.zeros(n, dtype=bool)
    change[0] = True
    for key in keys:
        k = key[order]
        change[1:] |= k[1:] != k[:-1]
    ids = np.empty(n, dtype=np.int64)
    ids[order] = np.cumsum(change) - 1
    return ids


NO_FORM, STOCK_SHORT, JOINT_STOCK, OTHER_FORM = 0, 1, 2, 3


def _forms(legal_form: np.ndarray, legal_class: np.ndarray) -> np.ndarray:
    form = np.full(len(legal_form), OTHER_FORM, dtype=np.int8)
    form[legal_class == "joint_stock"] = JOINT_STOCK
    form[legal_form == "股份"] = STOCK_SHORT
    form[legal_form == ""] = NO_FORM
    return form


def assign_nodes(features: Features, split_records: set | None = None) -> tuple[np.ndarray, Nodes]:
    """Node id per record and the node table. Records named in judgements get a node of their own."""
    names = features.names
    core_of_name, cores = pd.factorize(names["core"], sort=True)
    legal_of_name, labels = legal_groups(names["legal_class"])
    idx = features.name_idx
    # the node key as three int64 columns: (core, legal group, branch, USCC), name region, region
    core = core_of_name[idx].astype(np.int64)
    ident = ((core * (len(labels) + 1) + legal_of_name[idx]) * 2 + names["is_branch"][idx]) * (len(features.uscc_codes) + 1) + (
        features.uscc_id + 1)
    keys = [region_key(features.region), region_key(features.name_region), ident]
    if split_records:
        judged = np.flatnonzero(pd.Index(features.record_id).isin(list(split_records)))
        split = np.full(len(features), -1, dtype=np.int64)
        order = np.argsort(features.record_id[judged].astype(str), kind="stable")
        split[judged[order]] = np.arange(len(judged))
        keys.insert(0, split)
    node = _group_ids(*keys)
    n_nodes = int(node.max()) + 1 if len(node) else 0
    first = np.full(n_nodes, len(node), dtype=np.int64)
    np.minimum.at(first, node, np.arange(len(node)))
    address = np.full(n_nodes, np.iinfo(np.int64).max, dtype=np.int64)
    has_addr = features.address_id >= 0
    np.minimum.at(address, node[has_addr], features.address_id[has_addr])
    address[address == np.iinfo(np.int64).max] = -1

    name_at = idx[first]
    node_core = core_of_name[name_at]
    trade_of_name, trades = pd.factorize(names["trade_name"], sort=True)
    industry_of_name, industries = pd.factorize(names["industry"], sort=True)
    nodes = Nodes(
        core_id=node_core.astype(np.int64), cores=np.asarray(cores, dtype=object),
        trade_id=trade_of_name[name_at].astype(np.int64), trades=np.asarray(trades, dtype=object),
        industry_id=industry_of_name[name_at].astype(np.int64), industries=np.asarray(industries, dtype=object),
        legal=legal_of_name[name_at], branch=names["is_branch"][name_at], uscc=features.uscc_id[first],
        name_region=features.name_region[first], name_key=region_key(features.name_region[first]),
        region=features.region[first], address_id=address, first_record=first,
        raw_name=features.raw_name[first],
        abbreviated=np.isin(names["legal_form"][name_at], ABBREVIATED_FORMS),
        form=_forms(names["legal_form"][name_at], names["legal_class"][name_at]),
    )
    return node, nodes
