"""Stable company ids.

`uscc-<code>` when the cluster holds exactly one valid USCC; otherwise `name-<16 hex>` from the
SHA-1 of the raw name (as written, not cleaned) of the cluster's canonical record — the record
whose raw name has the smallest hash. Re-runs give the same ids, and a new mention changes a
company's id only if its own raw name hashes lower than every name already seen (rare, and
never for a repeat of a known name). When two clusters would get the same id (one raw name split
by USCC or region evidence), the raw name is hashed together with source, USCC and address, and
finally the record_id.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd


def _sha(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def company_ids(records: pd.DataFrame, cluster: np.ndarray) -> np.ndarray:
    """records: name, source, uscc (raw), address, record_id, uscc_key (valid code or '')."""
    frame = pd.DataFrame({"cluster": cluster, "uscc_key": records["uscc_key"].to_numpy()})
    names = records["name"].to_numpy()
    uniq, inverse = np.unique(names.astype(str), return_inverse=True)
    name_hash = np.array([_sha(n) for n in uniq], dtype=object)[inverse]
    frame["h"] = name_hash
    codes = frame[frame["uscc_key"] != ""].groupby("cluster")["uscc_key"].agg(lambda s: sorted(set(s)))
    cid: dict[int, str] = {}
    for clus, values in codes.items():
        if len(values) == 1:
            cid[clus] = "uscc-" + values[0]
    rest = frame[~frame["cluster"].isin(list(cid))]
    if len(rest):
        best = rest.sort_values(["cluster", "h"]).drop_duplicates("cluster")
        chosen = dict(zip(best["cluster"], "name-" + best["h"].str[:16]))
        counts = pd.Series(list(chosen.values())).value_counts()
        clashes = set(counts[counts > 1].index)
        if clashes:
            clash_clusters = [k for k, v in chosen.items() if v in clashes]
            sub = rest[rest["cluster"].isin(clash_clusters)].copy()
            idx = sub.index.to_numpy()
            sub["h2"] = [
                _sha("|".join((str(names[i]), str(records["source"].iat[i]), str(records["uscc"].iat[i]),
                               str(records["address"].iat[i]))))
                for i in idx
            ]
            sub["h3"] = [_sha(str(records["record_id"].iat[i])) for i in idx]
            best2 = sub.sort_values(["cluster", "h2", "h3"]).drop_duplicates("cluster")
            for clus, h2, h3 in zip(best2["cluster"], best2["h2"], best2["h3"]):
                chosen[clus] = "name-" + h2[:16]
            counts = pd.Series(list(chosen.values())).value_counts()
            if (counts > 1).any():
                for clus, h3 in zip(best2["cluster"], best2["h3"]):
                    chosen[clus] = "name-" + h3[:16]
        cid.update(chosen)
    return frame["cluster"].map(cid).to_numpy()
