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
import pyarrow as pa

from warehouse.resolve.heap import release_arrow_memory

INPUT_COLUMNS = ("record_id", "source", "name", "uscc", "address")
ARROW_TEXT_COLUMNS = ("name",)  # distinct values kept as Arrow text: nearly one per record, read in few places


def texts_at(values: np.ndarray | pa.Array, at):
    """The texts of `values` (an object array of str, or Arrow strings) at `at`: a str for one
    position, an object array for an array of them. Arrow values become Python strings only there."""
    if not isinstance(values, pa.Array):
        return values[at]
    if np.ndim(at) == 0:
        return values[int(at)].as_py()
    return take_values(values, at).to_numpy(zero_copy_only=False)


def take_values(values: np.ndarray | pa.Array, at) -> np.ndarray | pa.Array:
    """`values` at positions (or a mask) `at`, of the same kind: an Arrow array stays Arrow."""
    if not isinstance(values, pa.Array):
        return values[at]
    at = np.asarray(at)
    return values.take(pa.array(np.flatnonzero(at) if at.dtype == bool else at.astype(np.int64)))


@dataclass(frozen=True)
class TextColumn:
    """codes[i] indexes values; values are distinct str ("" stands for a missing value): an object
    array, or Arrow strings for the names (1.54M distinct names at the 1M build: 172 MB as Python
    strings and codes for the whole run, against about 75 MB)."""

    codes: np.ndarray  # int64 per record
    values: np.ndarray | pa.Array  # distinct str

    def per_record(self) -> np.ndarray:
        return texts_at(self.values, self.codes)

    def __getitem__(self, rows):
        """The texts of the records at `rows` (a position, positions or a mask)."""
        return texts_at(self.values, self.codes[rows])

    def take(self, rows: np.ndarray, compact: bool = False) -> tuple[TextColumn, np.ndarray | None]:
        """The column at `rows`; `compact` keeps only the values they use and also returns which
        positions of `values` those are (ascending, so the values keep their order)."""
        codes = self.codes[rows]
        if not compact:
            return TextColumn(codes=codes, values=self.values), None
        used, inverse = np.unique(codes, return_inverse=True)
        return TextColumn(codes=inverse.astype(np.int64), values=take_values(self.values, used)), used

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


def arrow_text_column(values: pd.Series) -> TextColumn:
    """`text_column`, its distinct values kept as Arrow strings (made from the input's Arrow text
    without a Python string each where the input is text; through `text_column` otherwise)."""
    try:
        array = pa.array(values) if pd.api.types.is_string_dtype(values) else None
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
        array = None
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if array is None or not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        column = text_column(values)
        return TextColumn(codes=column.codes, values=pa.array(column.values.tolist(), type=pa.string()))
    encoded = array.cast(pa.string()).dictionary_encode()
    distinct = encoded.dictionary
    codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    if (codes < 0).any():  # as text_column: missing shares the code of "", appended when there is none
        blank = distinct.index("").as_py()
        if blank < 0:
            distinct, blank = pa.concat_arrays([distinct, pa.array([""], type=pa.string())]), len(distinct)
        codes[codes < 0] = blank
    return TextColumn(codes=codes, values=distinct)


def read_records(df: pd.DataFrame) -> Records:
    """The input frame as Records; a missing column is a ValueError naming it."""
    missing = [c for c in INPUT_COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"records lack columns: {', '.join(missing)}")
    record_id = df["record_id"].reset_index(drop=True)
    if record_id.isna().any() or not pd.api.types.is_string_dtype(record_id):
        record_id = record_id.astype(object).where(record_id.notna(), "").astype(str)
    columns = {c: (arrow_text_column if c in ARROW_TEXT_COLUMNS else text_column)(df[c].reset_index(drop=True))
               for c in INPUT_COLUMNS[1:]}
    records = Records(record_id=record_id, **columns)
    release_arrow_memory()
    return records
