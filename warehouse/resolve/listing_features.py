"""Pair features of listed companies' names (issue 19): 证券简称, legal forms, the exchange a short name
comes from. Registered in pair_features.FEATURES like the others (that module imports this one)."""

from __future__ import annotations

import numpy as np

from warehouse.resolve.name_parts import STOCK_MARKS
from warehouse.resolve.name_text import display_name, name_key
from warehouse.resolve.nodes import GROUP_SHORT, JOINT_STOCK, OTHER_FORM
from warehouse.resolve.pair_features import PairFrame, feature


@feature("joint_stock_against_other")
def _joint_stock_against_other(f: PairFrame, at):
    """Two registered names, one a 股份有限公司 and the other not (江西洪都航空工业股份有限公司 /
    江西洪都航空工业集团有限责任公司: a listed company and its parent group)."""
    a, b = f.sides(at)
    fa, fb = f.nodes.form[a], f.nodes.form[b]
    registered = ~f.nodes.abbreviated[a] & ~f.nodes.abbreviated[b]
    return registered & ((fa == JOINT_STOCK) != (fb == JOINT_STOCK))


@feature("short_names_other_industry")
def _short_names_other_industry(f: PairFrame, at):
    """One side is a short form whose industry words the other side's name does not hold (首创证券 /
    北京首创股份有限公司, 科达制造 / 科达集团股份有限公司): a short form names its company's own trade."""
    nodes, a, b = f.nodes, f.a[at], f.b[at]
    short_a, short_b = nodes.abbreviated[a], nodes.abbreviated[b]
    one = np.flatnonzero(short_a != short_b)
    out = np.zeros(len(at), dtype=bool)
    if len(one):
        short = np.where(short_a[one], a[one], b[one])
        other = np.where(short_a[one], b[one], a[one])
        industry = nodes.industries[nodes.industry_id[short]]
        core = nodes.cores[nodes.core_id[other]]
        out[one] = np.fromiter((bool(i) and i not in c for i, c in zip(industry.tolist(), core.tolist())),
                               dtype=bool, count=len(one))
    return out


def _mainland_listing(raw: str) -> bool:
    """A mainland stock list's marks: ST / *ST / B股 / a share-class digit, or the 股份 of a 证券简称."""
    key = name_key(display_name(raw))
    return bool(STOCK_MARKS.search(key)) or key.endswith("股份")


@feature("mainland_listing_against_taiwan")
def _mainland_listing_against_taiwan(f: PairFrame, at):
    """A registered name in traditional script without a mainland place (a Taiwan list's) against a
    short form in the other script that carries a mainland mark: a stock-list marker (ST美好, 大江B股,
    欣泰3), the 股份 of a 证券简称 (德昌股份) or a mainland place (合肥三洋): two exchanges' companies."""
    nodes, a, b = f.nodes, f.a[at], f.b[at]
    taiwan = nodes.traditional & ~nodes.abbreviated & (nodes.name_key == 0)
    mainland_short = ~nodes.traditional & nodes.abbreviated
    maybe = np.flatnonzero((taiwan[a] & mainland_short[b]) | (taiwan[b] & mainland_short[a]))
    out = np.zeros(len(at), dtype=bool)
    if len(maybe):
        short = np.where(taiwan[a[maybe]], b[maybe], a[maybe])
        marked = f.per_node("mainland_listing", _mainland_listing, short)
        out[maybe] = marked[short] | (nodes.name_key[short] > 0)
    return out


@feature("group_short_against_non_group")
def _group_short_against_non_group(f: PairFrame, at):
    """A short form ending in 集团 (雪龙集团) against a registered name that is neither a 股份有限公司 nor
    a group (大庆雪龙石化技术开发有限公司): a 集团 short names a group."""
    a, b = f.sides(at)
    fa, fb = f.nodes.form[a], f.nodes.form[b]
    out = np.zeros(len(at), dtype=bool)
    maybe = np.flatnonzero(((fa == GROUP_SHORT) & (fb == OTHER_FORM)) | ((fb == GROUP_SHORT) & (fa == OTHER_FORM)))
    if len(maybe):
        other = np.where(fa[maybe] == GROUP_SHORT, b[maybe], a[maybe])
        registered = ~f.nodes.abbreviated[other]
        group = np.fromiter(("集团" in name for name in display_names(f.nodes.raw_name[other])), dtype=bool, count=len(other))
        out[maybe] = registered & ~group
    return out


def display_names(raws: np.ndarray) -> list[str]:
    return [display_name(raw) for raw in raws.tolist()]
