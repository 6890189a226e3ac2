"""The resolver's input as factorized columns: `read_records(df) -> Records`.

Input: df[record_id, source, name, uscc, address] (uscc and address may be empty). Every text
column but record_id becomes codes into its distinct values, so no step ever holds a Python
string per record: names, codes and addresses are parsed once per distinct value, and pandas'
Arrow-backed strings stay in Arrow until a distinct value is needed.

An authority record (a registry row: a name, its USCC and its former names) enters as one record
per name, all with the same USCC: the valid code puts them in one company, whatever the names say.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from warehouse.resolve.heap import release_arrow_memory

INPUT_COLUMNS = ("record_id", "source", "name", "uscc", "address")


@dataclass(frozen=True)
class TextColumn:
    """codes[i] indexes values; values are distinct str ("" stands for a missing value)."""

    codes: np.ndarray  # int64 per record
    values: np.ndarray  # object array of str

    def per_record(self) -> np.ndarray:
        return self.values[self.codes]

    def take(self, rows: np.ndarray, compact: bool = False) -> tuple[TextColumn, np.ndarray | None]:
        """The column at `rows`; `compact` keeps only the values they use and also returns which
        positions of `values` those are (ascending, so the values keep their order)."""
        codes = self.codes[rows]
        if not compact:
            return TextColumn(codes=codes, values=self.values), None
        used, inverse = np.unique(codes, return_inverse=True)
        return TextColumn(codes=inverse.astype(np.int64), values=self.values[used]), used

    def __len__(self) -> int:
        return len(self.codes)


@dataclass(frozen=True)
class Records:
    record_id: pd.Series  # as given (str), index 0..n-1
    source: TextColumn
    name: TextColumn
    uscc: TextColumn
    address: TextColumn

    def __len__(self) -> int:
        return len(self.record_id)

    def take(self, rows: np.ndarray) -> tuple[Records, np.ndarray]:
        """The records at `rows` (in that order) and the distinct names they use (positions into
        `name.values`, which the parsed names are cut by)."""
        name, used = self.name.take(rows, compact=True)
        records = Records(record_id=self.record_id.iloc[rows].reset_index(drop=True), source=self.source.take(rows)[0],
                          name=name, uscc=self.uscc.take(rows)[0], address=self.address.take(rows)[0])
        return records, used


def text_column(values: pd.Series) -> TextColumn:
    """Codes and distinct values of one column; missing values and "" share one code."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    distinct = np.asarray(uniques, dtype=object)
    if len(distinct) and not all(type(v) is str for v in distinct.tolist()):
        distinct = np.array(["" if v is None or v != v else str(v) for v in distinct.tolist()], dtype=object)
        if len(set(distinct.tolist())) < len(distinct):  # 1 and "1" met as one value
            remap, distinct = pd.factorize(distinct)
            codes = np.where(codes >= 0, remap[np.maximum(codes, 0)], -1)
            distinct = np.asarray(distinct, dtype=object)
    codes = codes.astype(np.int64)
    if (codes < 0).any():
        blank = np.flatnonzero(distinct == "")
        if len(blank):
            codes[codes < 0] = int(blank[0])
        else:
            distinct = np.append(distinct, "")
            codes[codes < 0] = len(distinct) - 1
    return TextColumn(codes=codes, values=distinct)


def read_records(df: pd.DataFrame) -> Records:
    """The input frame as Records; a missing column is a ValueError naming it."""
    missing = [c for c in INPUT_COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"records lack columns: {', '.join(missing)}")
    record_id = df["record_id"].reset_index(drop=True)
    if record_id.isna().any() or not pd.api.types.is_string_dtype(record_id):
        record_id = record_id.astype(object).where(record_id.notna(), "").astype(str)
    records = Records(record_id=record_id, **{c: text_column(df[c].reset_index(drop=True)) for c in INPUT_COLUMNS[1:]})
    release_arrow_memory()
    return records
