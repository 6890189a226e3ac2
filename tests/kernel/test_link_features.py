"""The features of a link: one dataclass, written in bulk, read back, described by a JSON schema."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from kernel.link_features import (
    FIELD_NAMES,
    LinkFeatures,
    decode_link_features,
    encode_link_features,
    link_features_schema,
)


def test_bulk_texts_read_back_as_the_values_written():
    texts = encode_link_features(
        3, rule=np.array(["same_address", "one_candidate_only", "uscc"], dtype=object),
        strength=np.array(["strong", "weak", "strong"], dtype=object), similarity=np.array([0.9, 1.0, 1.0]),
        agreed=pd.Series([("uscc", "address"), (), ("uscc",)], dtype=object).to_numpy(),
        candidates=np.array(["same_core", "trade_name", None], dtype=object),
        matched_record=np.array(['r"1', "r%2", "r3"], dtype=object))
    got = [decode_link_features(t) for t in texts]
    assert got[0] == LinkFeatures(rule="same_address", strength="strong", similarity=0.9, agreed=("uscc", "address"),
                                  candidates="same_core", matched_record='r"1')
    assert got[1].matched_record == "r%2" and got[1].agreed == ()
    assert "candidates" not in json.loads(texts[2])  # None leaves the key out
    assert list(json.loads(texts[0])) == [f for f in FIELD_NAMES if f in json.loads(texts[0])]  # field order


def test_one_link_as_json_and_its_schema():
    link = LinkFeatures(rule="canonical", strength="canonical")
    assert json.loads(link.to_json()) == {"rule": "canonical", "strength": "canonical", "similarity": 1.0, "agreed": []}
    schema = link_features_schema()
    assert set(schema["properties"]) == set(FIELD_NAMES)
    assert set(schema["required"]) == {"rule", "strength"}


def test_mistakes_are_errors():
    with pytest.raises(ValueError, match="not link features"):
        encode_link_features(1, rule="x", strength="weak", colour="red")
    with pytest.raises(ValueError, match="need strength"):
        encode_link_features(1, rule="x")
    with pytest.raises(ValueError):
        decode_link_features('{"rule": "x", "strength": "sure"}')  # not a strength
    assert decode_link_features(None) is None
