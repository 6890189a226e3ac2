"""Stable company ids.

In order:
1. `uscc-<code>` when the cluster holds exactly one valid USCC — always, whatever it was called before;
2. with `previous` ids (record_id → company_id of an earlier run): a cluster keeps the previous
   `name-` id held by the most of its records (ties → the smallest id). Two clusters cannot keep
   one id: the one with more records that held it keeps it (then the larger cluster, then the
   smaller hash below), the other gets a fresh id and the split is reported. A previous `uscc-` id
   is not inherited by a cluster that no longer has that USCC (it would claim a code it lacks);
3. otherwise `name-<16 hex>` from the SHA-1 of the raw name (as written, not cleaned) of the
   cluster's canonical record — the record whose raw name has the smallest hash. Re-runs give the
   same ids. When that id is taken (by a kept previous id, or by another cluster with the same
   canonical name — one raw name split by USCC or region evidence), the raw name is hashed together
   with source, USCC and address, and finally the record_id.
So a company keeps its id when new mentions arrive as long as the caller passes the previous ids
(the pipeline passes the last `core.entity_links`); without them the id changes only when a new
mention's raw name hashes lower than every name already in the cluster.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from warehouse.resolve.prepare import Features
from warehouse.resolve.records import texts_at


@dataclass
class IdResult:
    company_id: np.ndarray  # per record
    previous_id: np.ndarray  # per record: the id it had before, None if unknown (object)
    change: np.ndarray  # per record: why its id changed (None if it did not): uscc|split|uscc_lost|merged|rehashed


def _sha(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def company_ids(cluster: np.ndarray, features: Features, previous: pd.DataFrame | None = None) -> IdResult:
    """cluster: cluster label per record."""
    records = features.records
    uscc_id, uscc_codes = features.uscc_id, features.uscc_codes
    name_idx, name_hash = records.name.codes, features.names.hash64
    n = len(cluster)
    labels, clus = np.unique(cluster, return_inverse=True)
    n_clusters = len(labels)
    size = np.bincount(clus, minlength=n_clusters)
    cid = np.empty(n_clusters, dtype=object)
    decided = np.zeros(n_clusters, dtype=bool)

    # 1. one valid USCC
    has = uscc_id >= 0
    span = np.int64(len(uscc_codes) + 1)
    pairs = np.unique(clus[has].astype(np.int64) * span + uscc_id[has])  # (cluster, code) once each
    owner, code_of = pairs // span, pairs % span
    n_codes = np.bincount(owner, minlength=n_clusters)
    single = n_codes[owner] == 1
    cid[owner[single]] = np.array(["uscc-" + str(c) for c in uscc_codes[code_of[single]].tolist()], dtype=object)
    decided[owner[single]] = True
    by_uscc = decided.copy()

    # canonical hash per cluster: rank of the smallest raw-name hash
    hash_order = _hash_order(name_hash, records.name.values)
    hash_rank = np.empty(len(name_hash), dtype=np.int64)
    hash_rank[hash_order] = np.arange(len(name_hash))
    rank = hash_rank[name_idx]
    best_rank = np.full(n_clusters, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(best_rank, clus, rank)

    # 2. previous ids
    prev = previous_ids_per_record(records.record_id, previous)
    split_from = np.full(n_clusters, None, dtype=object)
    if prev is not None:
        _keep_previous(prev, clus, size, best_rank, cid, decided, split_from)
    taken = set(cid[decided].tolist())

    # 3. fresh ids
    rest = np.flatnonzero(~decided)
    if len(rest):
        fresh = np.array([f"name-{h:016x}" for h in name_hash[hash_order[best_rank[rest]]].tolist()], dtype=object)
        clash = _clashes(fresh, taken)
        if clash.any():
            fresh[clash] = _fallback_ids(rest[clash], clus, features, taken, fresh[~clash])
        cid[rest] = fresh

    company_id = cid[clus]
    previous_id = prev if prev is not None else np.full(n, None, dtype=object)
    change = np.full(n, None, dtype=object)
    if prev is not None:
        known = np.array([p is not None for p in prev], dtype=bool)
        moved = known & (company_id != previous_id)
        for i in np.flatnonzero(moved).tolist():
            c, old = clus[i], previous_id[i]
            if by_uscc[c]:
                change[i] = "uscc"  # the company now has a valid USCC: its id is the code
            elif split_from[c] is not None:
                change[i] = "split"  # another cluster with more of the old records kept the id
            elif not str(old).startswith("name-"):
                change[i] = "uscc_lost"  # the old id was a USCC this cluster no longer holds
            elif decided[c]:
                change[i] = "merged"  # the cluster kept the id most of its records had
            else:
                change[i] = "rehashed"
    return IdResult(company_id=company_id, previous_id=previous_id, change=change)


def _keep_previous(prev: np.ndarray, clus: np.ndarray, size: np.ndarray, best_rank: np.ndarray, cid: np.ndarray,
                   decided: np.ndarray, split_from: np.ndarray) -> None:
    """A cluster keeps the previous `name-` id most of its records held; of two clusters that want
    one id the one with more of its records keeps it (then the larger, then the smaller hash), the
    other is marked split_from. Fills cid / decided / split_from in place."""
    inherit = np.array([isinstance(p, str) and p.startswith("name-") for p in prev], dtype=bool)
    votes = pd.DataFrame({"c": clus[inherit], "id": prev[inherit]})
    votes = votes[~decided[votes["c"].to_numpy()]]
    if not len(votes):
        return
    votes = votes.groupby(["c", "id"], sort=False).size().rename("votes").reset_index()
    # each cluster's favourite: most votes, then the smallest id
    votes = votes.sort_values(["c", "votes", "id"], ascending=[True, False, True], kind="stable")
    favourite = votes.drop_duplicates("c").copy()
    c_arr = favourite["c"].to_numpy()
    favourite["size"] = size[c_arr]
    favourite["rank"] = best_rank[c_arr]
    favourite = favourite.sort_values(["id", "votes", "size", "rank"], ascending=[True, False, False, True],
                                      kind="stable")
    winner = ~favourite["id"].duplicated()
    for c, old in zip(favourite.loc[winner, "c"].tolist(), favourite.loc[winner, "id"].tolist()):
        cid[c] = old
        decided[c] = True
    for c, old in zip(favourite.loc[~winner, "c"].tolist(), favourite.loc[~winner, "id"].tolist()):
        split_from[c] = old


def _hash_order(name_hash: np.ndarray, raw_names: np.ndarray) -> np.ndarray:
    """The order of the raw names' SHA-1 hex digests, sorted as text. Their first 16 hex digits
    (name_hash, read as one unsigned integer) sort the same way and decide unless two are equal.
    `raw_names`: the distinct raw names, an object array or Arrow strings."""
    if not len(name_hash):
        return np.empty(0, dtype=np.int64)
    order = np.argsort(name_hash, kind="stable")
    if (name_hash[order][1:] == name_hash[order][:-1]).any():  # astronomically rare: settle it on the full digests
        full = np.array([_sha(str(r)) for r in texts_at(raw_names, np.arange(len(raw_names))).tolist()], dtype=object)
        return np.argsort(full.astype(str), kind="stable")
    return order


def previous_ids_per_record(record_id: pd.Series, previous: pd.DataFrame | None) -> np.ndarray | None:
    """The previous company_id of each record (None where it had none), or None without previous ids."""
    if previous is None:
        return None
    missing = [c for c in ("record_id", "company_id") if c not in previous.columns]
    if missing:
        raise ValueError(f"previous ids lack columns: {', '.join(missing)}")
    if not len(previous):
        return None
    known = previous[previous["company_id"].notna() & previous["record_id"].notna()]
    known = known.drop_duplicates("record_id")
    lookup = pd.Series(known["company_id"].astype(str).to_numpy(dtype=object),
                       index=known["record_id"].astype(str).to_numpy(dtype=object))
    values = lookup.reindex(pd.Index(record_id))
    out = values.to_numpy(dtype=object)
    out[pd.isna(values).to_numpy()] = None
    return out


def _clashes(ids: np.ndarray, taken: set) -> np.ndarray:
    counts = pd.Series(ids).value_counts()
    dup = set(counts[counts > 1].index)
    return np.array([i in dup or i in taken for i in ids.tolist()], dtype=bool)


def _fallback_ids(clusters: np.ndarray, clus: np.ndarray, features: Features, taken: set,
                  others: np.ndarray) -> np.ndarray:
    """Ids for clusters whose name hash is taken: hash name|source|uscc|address, then the record_id."""
    records = features.records
    rows = np.flatnonzero(np.isin(clus, clusters))
    raw_name, source = records.name[rows], records.source.values[records.source.codes[rows]]
    uscc_raw, address = records.uscc.values[records.uscc.codes[rows]], records.address.values[records.address.codes[rows]]
    record_id = records.record_id.to_numpy()[rows]
    frame = pd.DataFrame({
        "c": clus[rows],
        "h2": [_sha("|".join(map(str, parts))) for parts in zip(raw_name, source, uscc_raw, address)],
        "h3": [_sha(str(r)) for r in record_id],
    })
    best = frame.sort_values(["c", "h2", "h3"]).drop_duplicates("c").set_index("c")
    ids = np.array(["name-" + best.at[c, "h2"][:16] for c in clusters], dtype=object)
    blocked = taken | set(others.tolist())
    clash = _clashes(ids, blocked)
    if clash.any():
        best3 = frame.sort_values(["c", "h3"]).drop_duplicates("c").set_index("c")
        ids[clash] = ["name-" + best3.at[c, "h3"][:16] for c in clusters[clash]]
    return ids
