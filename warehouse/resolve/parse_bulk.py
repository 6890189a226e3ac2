"""Parse many distinct names, addresses and codes at once, in worker processes (`parse_distinct`).

Names: every chunk is normalised in one pass over its joined text (name_text.displays_and_keys),
then each distinct normalised key is parsed once per script (name_parts.parse_key: one name's
spellings — whitespace, traditional characters, bracket widths, zero-width characters — share a
key, but a traditional-script one reads no county's short form as its place). A name
keeps only the SHA-1 of its raw text (the first 8 bytes: what company ids are made of) and the
row of its key. Addresses give a region and a street key (addresses.py), codes their check
(warehouse.codes, vectorised). The texts only core.entity_records reads (the display name, the
match key, the parent's key) are kept as Arrow strings: UTF-8 in one buffer, where a Python string
per name took 2.5 times the bytes (0.3 GB at 1.5M distinct names) for the whole run. The texts
the matcher reads (core, 字号, industry, legal form) travel as Arrow too, and become one str per
distinct value when the chunks are joined.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from warehouse import regions
from warehouse.codes import parse_code, parse_codes
from warehouse.regions import AMBIGUOUS_DISTRICTS, NAMES
from warehouse.resolve import name_parts
from warehouse.resolve.addresses import parse_addresses
from warehouse.resolve.name_parts import KEY_FIELDS, parse_key
from warehouse.resolve.name_text import displays_and_keys
from warehouse.resolve.parallel import Job, default_workers, run_jobs
from warehouse.resolve.records import take_values, texts_at

TEXT_FIELDS = ("match_key", "core", "trade_name", "industry", "legal_form", "legal_class", "parent_key")
SHARED_FIELDS = ("core", "trade_name", "industry", "legal_form", "legal_class")
DESCRIBE_ONLY = ("match_key", "parent_key")  # read by core.entity_records alone: hashes serve the rest
FLAG_FIELDS = ("is_branch", "is_non_enterprise")
_AT = {f: i for i, f in enumerate(KEY_FIELDS)}
_REGION = tuple(_AT[f] for f in ("province", "city", "district"))
_PARENT_REGION = tuple(_AT[f] for f in ("parent_province", "parent_city", "parent_district"))
PARALLEL_MIN = 40_000  # distinct names below which forking costs more than it saves
CHUNK = {"names": 16_000, "addresses": 40_000, "codes": 40_000}


@dataclass
class ParsedNames:
    """Per distinct raw name: key_idx, hash64, display; per key row: `keys` columns."""

    key_idx: np.ndarray  # int64: raw name -> key row
    hash64: np.ndarray  # uint64: first 8 bytes of SHA-1(raw name)
    traditional: np.ndarray  # bool: the raw name is in traditional script (simplifying changes it)
    display: pa.Array | None  # string, per raw name (only when asked for)
    keys: dict[str, np.ndarray | pa.Array]  # TEXT_FIELDS (object; DESCRIBE_ONLY: Arrow strings), FLAG_FIELDS
    # (bool), region / parent_region (k, 3) int32

    def column(self, field: str) -> np.ndarray:
        """A key column per distinct raw name."""
        return self.text_at(field, slice(None))

    def text_at(self, field: str, names: np.ndarray | slice) -> np.ndarray:
        """A key column (object) of the distinct names at `names`: Arrow columns are read only there."""
        column, rows = self.keys[field], self.key_idx[names]
        return texts_at(column, rows)

    def display_at(self, names: np.ndarray) -> np.ndarray:
        """The display names (object) at `names`; None each when they were not parsed."""
        if self.display is None:
            return np.full(len(names), None, dtype=object)
        return texts_at(self.display, names)

    def __len__(self) -> int:
        return len(self.key_idx)

    def subset(self, used: np.ndarray) -> ParsedNames:
        """The names at positions `used` (ascending), with only the key rows they refer to."""
        rows, key_idx = np.unique(self.key_idx[used], return_inverse=True)
        return ParsedNames(key_idx=key_idx.astype(np.int64), hash64=self.hash64[used],
                           traditional=self.traditional[used],
                           display=None if self.display is None else take_values(self.display, used),
                           keys={f: take_values(column, rows) for f, column in self.keys.items()})


def _arrow_text(values) -> pa.Array:
    return pa.array(list(values), type=pa.string())


_CODE_INT = {code: int(code) for code in NAMES}
AMBIGUOUS_PLACES = tuple(AMBIGUOUS_DISTRICTS)  # ambiguous_place indexes it
_AMBIGUOUS_INDEX = {name: i for i, name in enumerate(AMBIGUOUS_PLACES)}  # every division code string the parser can return


def _codes(columns: list[tuple], at: tuple[int, int, int]) -> np.ndarray:
    """(k, 3) int32 of the province / city / district code columns (None -> 0)."""
    out = np.zeros((len(columns[at[0]]), 3), dtype=np.int32)
    for level, i in enumerate(at):
        out[:, level] = np.fromiter((_CODE_INT.get(v, 0) if v else 0 for v in columns[i]), dtype=np.int32,
                                    count=len(columns[i]))
    return out


def _distinct_objects(column: pa.Array) -> np.ndarray:
    """An Arrow string column as an object array with one str per distinct value, made once each and
    in a row. A chunk sends its shared fields as Arrow: unpickling a str per chunk and then dropping
    the repeats (2.5M strings at 1.54M distinct names) left 0.2 GiB of freed small blocks scattered
    through the parent's heap for the rest of the run."""
    encoded = column.dictionary_encode()
    return encoded.dictionary.to_numpy(zero_copy_only=False)[encoded.indices.to_numpy(zero_copy_only=False)]


def match_hash(text: str | None) -> int:
    """A match key as 8 bytes (BLAKE2b): what parent and judgement lookups compare when the key
    itself is not kept (0 for none)."""
    if not text:
        return 0
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "big")


def _hashes(values: tuple) -> np.ndarray:
    return np.fromiter((match_hash(v) for v in values), dtype=np.uint64, count=len(values))


def _key_table(keys: list[tuple[str, bool]], with_text: bool = True) -> dict[str, np.ndarray]:
    rows = [parse_key(k, county_shorts) for k, county_shorts in keys]
    columns = list(zip(*rows)) if rows else [()] * len(KEY_FIELDS)
    kept = TEXT_FIELDS if with_text else tuple(f for f in TEXT_FIELDS if f not in DESCRIBE_ONLY)
    # every text leaves a chunk as Arrow; the shared ones become str objects once, in _concat_names
    table = {f: _arrow_text(columns[_AT[f]]) for f in kept}
    table["match_hash"] = _hashes(columns[_AT["match_key"]])
    table["parent_hash"] = _hashes(columns[_AT["parent_key"]])
    for f in FLAG_FIELDS:
        table[f] = np.array(columns[_AT[f]], dtype=bool)
    table["region"] = _codes(columns, _REGION)
    # the name's place is one of several districts (朝阳区X): their codes' index, -1 otherwise
    table["ambiguous_place"] = np.fromiter((_AMBIGUOUS_INDEX.get(text, -1) if text else -1
                                            for text in columns[_AT["region"]]), dtype=np.int32, count=len(rows))
    table["parent_region"] = _codes(columns, _PARENT_REGION)
    return table


def parse_names_chunk(raws: list | pa.Array, with_display: bool = False) -> ParsedNames:
    if isinstance(raws, pa.Array):  # a slice of the distinct names: their Python strings are made here, in the child
        raws = raws.to_pylist()
    traditional: list = []
    displays, keys = displays_and_keys([r if isinstance(r, str) else str(r) for r in raws], traditional)
    key_of: dict[tuple[str, bool], int] = {}  # a key is parsed once per script (parse_key's county_shorts)
    key_idx = np.fromiter((key_of.setdefault((k, not t), len(key_of)) for k, t in zip(keys, traditional)),
                          dtype=np.int64, count=len(keys))
    digests = b"".join(hashlib.sha1(r.encode("utf-8", "surrogatepass")).digest()[:8] for r in raws)
    return ParsedNames(key_idx=key_idx, hash64=np.frombuffer(digests, dtype=">u8").astype(np.uint64),
                       traditional=np.array(traditional, dtype=bool),
                       display=_arrow_text(displays) if with_display else None,
                       keys=_key_table(list(key_of), with_display))


def _concat_names(chunks: list[ParsedNames], with_display: bool) -> ParsedNames:
    chunks = chunks or [parse_names_chunk([], with_display)]
    offsets = np.cumsum([0] + [len(c.keys["core"]) for c in chunks[:-1]])
    keys = {}
    for field in chunks[0].keys:
        parts = [c.keys[field] for c in chunks]
        for c in chunks:  # each chunk's column is read once: let it go
            c.keys[field] = None
        if field in SHARED_FIELDS:
            keys[field] = _distinct_objects(pa.concat_arrays(parts))
        elif isinstance(parts[0], pa.Array):
            keys[field] = pa.concat_arrays(parts)
        else:
            keys[field] = np.concatenate(parts)
    return ParsedNames(
        key_idx=np.concatenate([c.key_idx + off for c, off in zip(chunks, offsets)]),
        hash64=np.concatenate([c.hash64 for c in chunks]),
        traditional=np.concatenate([c.traditional for c in chunks]),
        display=pa.concat_arrays([c.display for c in chunks]) if with_display else None, keys=keys)


@dataclass
class ParsedAddresses:
    region: np.ndarray  # (n, 3) int32
    street: np.ndarray  # object: street key, "" for none
    text: np.ndarray  # object: the normalised address (what the fuzzy comparison reads)


def parse_addresses_chunk(addresses: list) -> ParsedAddresses:
    region, streets, texts = parse_addresses(addresses)
    return ParsedAddresses(region=region, street=np.array(streets, dtype=object), text=np.array(texts, dtype=object))


@dataclass
class ParsedCodes:
    code: np.ndarray  # object: cleaned code
    valid: np.ndarray  # bool
    region: np.ndarray  # (n, 3) int32: the division of positions 3-8


def parse_codes_chunk(codes: list) -> ParsedCodes:
    parsed = parse_codes(codes)  # vectorised check (warehouse.codes); stdnum is its oracle in tests
    return ParsedCodes(code=np.asarray(list(parsed.code), dtype=object), valid=np.asarray(parsed.valid, dtype=bool),
                       region=np.asarray(parsed.region, dtype=np.int32).reshape(-1, 3))


PARSE_CACHES = (name_parts.parse_company_name, name_parts._parent_name, name_parts._split_industry, regions.match_region_prefix,
                regions.lookup_region, regions.match_region_suffix, regions.division_region, parse_code)


def clear_parse_caches() -> None:
    """Empty the parsers' lru caches once every distinct value is parsed: each value was parsed once,
    so what they hold (100k 字号 splits, 25k parsed names at 1.9M records: about 60 MB) would only
    stay in the build process for its remaining steps."""
    for cached in PARSE_CACHES:
        cached.cache_clear()


def parse_distinct(names: np.ndarray | pa.Array, addresses: np.ndarray, codes: np.ndarray, workers: int | None = None,
                   with_display: bool = False) -> tuple[ParsedNames, ParsedAddresses, ParsedCodes]:
    """Parsed names, addresses and codes (one entry per distinct value given)."""
    workers = default_workers() if workers is None else workers
    jobs = {
        "names": Job(lambda chunk: parse_names_chunk(chunk, with_display),
                     names if isinstance(names, pa.Array) else list(names), CHUNK["names"]),
        "addresses": Job(parse_addresses_chunk, list(addresses), CHUNK["addresses"]),
        "codes": Job(parse_codes_chunk, list(codes), CHUNK["codes"]),
    }
    parallel = len(names) + len(addresses) // 4 >= PARALLEL_MIN
    done = run_jobs(jobs, workers, parallel)
    clear_parse_caches()
    addr = done["addresses"] or [parse_addresses_chunk([])]
    code = done["codes"] or [parse_codes_chunk([])]
    return (_concat_names(done["names"], with_display),
            ParsedAddresses(region=np.concatenate([a.region for a in addr]),
                            street=np.concatenate([a.street for a in addr]),
                            text=np.concatenate([a.text for a in addr])),
            ParsedCodes(code=np.concatenate([c.code for c in code]), valid=np.concatenate([c.valid for c in code]),
                        region=np.concatenate([c.region for c in code])))
