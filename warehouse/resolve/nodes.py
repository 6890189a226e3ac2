"""Nodes: the records that look identical to the matcher (`assign_nodes(features) -> (node, Nodes)`).

A node's records share the core name, legal group, branch status, name region, derived region,
parent region and valid USCC — and, without a valid USCC, the street: two records of one name at
two streets are two nodes, because a node must never hold conflicting evidence (the USCC vouches
for the streets of the records that carry it). Node ids follow the sorted node key, so they do
not depend on the order of the input rows. Records named in judgements get nodes of their own.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from warehouse.resolve.name_parts import ABBREVIATED_FORMS
from warehouse.resolve.prepare import Features, region_key
from warehouse.resolve.records import TextColumn

# legal classes that can describe the same company in a mention (有限公司 for a 股份有限公司)
LEGAL_GROUP = {"company": "C", "joint_stock": "C", "group": "C", "": ""}
NO_FORM, STOCK_SHORT, JOINT_STOCK, OTHER_FORM, GROUP_SHORT = 0, 1, 2, 3, 4
N_FORMS = 5
MANY_STREETS = -2  # a coded node whose records give several streets (its USCC vouches for them)


@dataclass
class Nodes:
    """One entry per node."""

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
    parent_region: np.ndarray  # (n, 3): a branch's parent's region
    street: np.ndarray  # street id; -1 none; MANY_STREETS (coded nodes only)
    address_id: np.ndarray  # -1 none (smallest normalised address among the node's records)
    first_record: np.ndarray  # record position of the node's first record (input order)
    raw_name: np.ndarray | TextColumn  # the first record's name as written (checked by the typo rule); [nodes] gives str
    abbreviated: np.ndarray  # bool: no legal form, or a short form's (东华公司, 华信股份)
    form: np.ndarray  # int8: NO_FORM, STOCK_SHORT (股份), JOINT_STOCK, OTHER_FORM, GROUP_SHORT (集团)
    no_industry: np.ndarray  # bool: a 有限公司 name without industry words (佛山市东华有限公司)
    traditional: np.ndarray  # bool: the first record's name is in traditional script

    def __len__(self) -> int:
        return len(self.core_id)

    @property
    def evidence(self) -> np.ndarray:
        """bool: the node carries evidence beyond its name (a valid USCC or a street)."""
        return (self.uscc >= 0) | (self.street != -1)

    def core_length(self) -> np.ndarray:
        per_core = np.fromiter((len(c) for c in self.cores), dtype=np.int64, count=len(self.cores))
        return per_core[self.core_id]


def group_ids(*keys: np.ndarray) -> np.ndarray:
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


def legal_groups(legal_class: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Legal group code per value (0 = unknown) and the group labels."""
    group = np.array([LEGAL_GROUP.get(c, c) for c in legal_class], dtype=object)
    labels = np.array(sorted(set(group) - {""}), dtype=object)
    codes = np.zeros(len(group), dtype=np.int64)
    if len(labels):
        known = group != ""
        codes[known] = np.searchsorted(labels, group[known].astype(str)) + 1
    return codes, labels


def forms(legal_form: np.ndarray, legal_class: np.ndarray) -> np.ndarray:
    form = np.full(len(legal_form), OTHER_FORM, dtype=np.int8)
    form[legal_class == "joint_stock"] = JOINT_STOCK
    form[legal_form == "股份"] = STOCK_SHORT
    form[legal_form == "集团"] = GROUP_SHORT
    form[legal_form == ""] = NO_FORM
    return form


def _node_keys(features: Features, core_of_name: np.ndarray, legal_of_name: np.ndarray, n_legal: int,
               split_records: set | None) -> list[np.ndarray]:
    idx = features.name_idx
    core = core_of_name[idx].astype(np.int64)
    branch = features.names.column("is_branch")[idx]
    names = features.names
    legal_form = names.column("legal_form")
    # what the comparison levels, not the node, must judge: a short form in traditional script (聯合, a
    # Taiwan list's 简称, and ST联合, a mainland one's, share the simplified core), and the ending
    # (东华股份 / 东华集团 are two 证券简称, 股份有限公司 / 集团有限公司 two registrations)
    script = (names.traditional[idx] & np.isin(legal_form, ABBREVIATED_FORMS)[idx]).astype(np.int64)
    form = forms(legal_form, names.column("legal_class"))[idx].astype(np.int64)
    ident = ((((core * (n_legal + 1) + legal_of_name[idx]) * 2 + branch) * 2 + script) * N_FORMS + form) * (
        len(features.uscc_codes) + 1) + (features.uscc_id + 1)
    street = np.where(features.uscc_id >= 0, -1, features.street_id)  # a valid USCC vouches for its streets
    keys = [street, region_key(features.parent_region), region_key(features.region),
            region_key(features.name_region), ident]
    if split_records:
        judged = np.flatnonzero(features.records.record_id.isin(list(split_records)).to_numpy())
        split = np.full(len(features), -1, dtype=np.int64)
        order = np.argsort(features.records.record_id.to_numpy()[judged].astype(str), kind="stable")
        split[judged[order]] = np.arange(len(judged))
        keys.insert(0, split)
    return keys


def _per_node_min(node: np.ndarray, n_nodes: int, values: np.ndarray) -> np.ndarray:
    out = np.full(n_nodes, np.iinfo(np.int64).max, dtype=np.int64)
    has = values >= 0
    np.minimum.at(out, node[has], values[has])
    out[out == np.iinfo(np.int64).max] = -1
    return out


def _node_streets(node: np.ndarray, n_nodes: int, street_id: np.ndarray) -> np.ndarray:
    low = _per_node_min(node, n_nodes, street_id)
    high = np.full(n_nodes, -1, dtype=np.int64)
    np.maximum.at(high, node, street_id)
    return np.where((low >= 0) & (high != low), MANY_STREETS, low)


def abbreviated(core: np.ndarray, industry: np.ndarray, legal_form: np.ndarray) -> np.ndarray:
    """bool: a short form — no legal form, or a short form's (东华公司, 华信股份, 海汽集团). A 公司 name
    with its industry words is registered so (全民所有制 and 集体 enterprises: 江西铜业集团公司,
    哈尔滨电力工程安装公司): only 字号 + 公司 is the short one."""
    short = np.isin(legal_form, ABBREVIATED_FORMS)
    company = np.flatnonzero(short & (legal_form == "公司"))
    if len(company):
        named = np.fromiter((bool(i) or ":" in c for i, c in zip(industry[company].tolist(), core[company].tolist())),
                            dtype=bool, count=len(company))
        short[company[named]] = False
    return short


def without_industry(core: np.ndarray, industry: np.ndarray, legal_class: np.ndarray, legal_form: np.ndarray) -> np.ndarray:
    """bool: a 有限公司 name without industry words (佛山市东华有限公司), so one that dropped them — not a
    group (哈尔滨海格集团有限公司), nor a core of industry words alone, which keeps its place in the core
    (哈尔滨交通集团能源有限公司: 2301:交通集团能源, nothing dropped)."""
    return ((industry == "") & (legal_class == "company")
            & np.fromiter(("集团" not in f and ":" not in c for f, c in zip(legal_form.tolist(), core.tolist())),
                          dtype=bool, count=len(core)))


def assign_nodes(features: Features, split_records: set | None = None) -> tuple[np.ndarray, Nodes]:
    """Node id per record and the node table."""
    names = features.names
    core_of_name, cores = pd.factorize(names.column("core"), sort=True)
    legal_of_name, labels = legal_groups(names.column("legal_class"))
    node = group_ids(*_node_keys(features, core_of_name, legal_of_name, len(labels), split_records))
    n_nodes = int(node.max()) + 1 if len(node) else 0
    first = np.full(n_nodes, len(node), dtype=np.int64)
    np.minimum.at(first, node, np.arange(len(node)))
    name_at = features.name_idx[first]
    trade_of_name, trades = pd.factorize(names.column("trade_name"), sort=True)
    industry_of_name, industries = pd.factorize(names.column("industry"), sort=True)
    legal_form = names.column("legal_form")[name_at]
    nodes = Nodes(
        core_id=core_of_name[name_at].astype(np.int64), cores=np.asarray(cores, dtype=object),
        trade_id=trade_of_name[name_at].astype(np.int64), trades=np.asarray(trades, dtype=object),
        industry_id=industry_of_name[name_at].astype(np.int64), industries=np.asarray(industries, dtype=object),
        legal=legal_of_name[name_at], branch=names.column("is_branch")[name_at], uscc=features.uscc_id[first],
        name_region=features.name_region[first], name_key=region_key(features.name_region[first]),
        region=features.region[first], parent_region=features.parent_region[first],
        street=_node_streets(node, n_nodes, features.street_id),
        address_id=_per_node_min(node, n_nodes, features.address_id), first_record=first,
        raw_name=TextColumn(codes=name_at, values=features.records.name.values),
        abbreviated=abbreviated(np.asarray(cores, dtype=object)[core_of_name[name_at]],
                                np.asarray(industries, dtype=object)[industry_of_name[name_at]], legal_form),
        form=forms(legal_form, names.column("legal_class")[name_at]),
        no_industry=without_industry(np.asarray(cores, dtype=object)[core_of_name[name_at]],
                                     np.asarray(industries, dtype=object)[industry_of_name[name_at]],
                                     names.column("legal_class")[name_at], legal_form),
        traditional=names.traditional[name_at],
    )
    return node, nodes
