"""What an address says about a company: its region and its street (`parse_addresses`).

- region: the province → city → district chain at the front (杭州市西湖区…);
- street key: the road and house number without the region and township before it
  (浙江省杭州市余杭区五常街道文一西路998号 → 文一西路998号). Two records whose street keys
  differ name two places: the resolver never puts them in one company unless one valid USCC vouches
  for both (a company that moved), and the conflicting-evidence check holds every build to it.
  An address without a road and number (…工业园区A栋) has no street key and contradicts nothing.

Addresses are normalised like names (NFKC, traditional → simplified, spaces removed) first, so
長治路1號 and 长治路1号 are one street.
"""

from __future__ import annotations

import re

import numpy as np

from warehouse.regions import match_region_prefix
from warehouse.resolve.name_text import displays_and_keys

_UP_TO_DIGIT = re.compile(r"[0-9]")
# the front of an address up to its last region-like ending (省 市 区 县 旗 州 盟): what the region
# scan reads, so addresses in one district share one cached scan
_REGION_HEAD = re.compile(r"^.*[省市区县旗州盟]")
# a township or sub-district between the district and the road: 五常街道, 良渚镇, 瓶窑乡
_TOWNSHIP = re.compile(r"^[\u4e00-\u9fff]{1,6}?(?:街道|镇|乡)(?=[\u4e00-\u9fff])")
# road (路, 大道, 街 …) and house number (998号, 第5号): the first house number after a road word
_STREET = re.compile(r"([\u4e00-\u9fffA-Z0-9]{1,12}?(?:大道|大街|胡同|路|街|道|巷|弄|里))第?([0-9]+)号")
# where a road name cannot reach back across: the end of a region or township word
_BOUNDARY = re.compile(r"^.*(?:省|市|区|县|旗|州|镇|乡|街道)")


def _region_of(text: str) -> tuple[int, int, int, int]:
    """(province, city, district, characters consumed) at the front of a normalised address."""
    head = _UP_TO_DIGIT.split(text[:30], 1)[0][:20]
    cut = _REGION_HEAD.match(head)
    head = cut.group(0) if cut else head[:8]
    if not head:
        return 0, 0, 0, 0
    consumed, region = match_region_prefix(head, 0, False)
    return (int(region.province) if region.province else 0, int(region.city) if region.city else 0,
            int(region.district) if region.district else 0, consumed)


def street_of(text: str, consumed: int = 0) -> str:
    """The street key of a normalised address (after `consumed` region characters); "" if none."""
    rest = text[consumed:]
    township = _TOWNSHIP.match(rest)
    if township:
        rest = rest[township.end():]
    found = _STREET.search(rest)
    if not found:
        return ""
    road = _BOUNDARY.sub("", found.group(1)) or found.group(1)  # 寻甸回族彝族自治县中滨路 → 中滨路
    return road + found.group(2) + "号"


def parse_addresses(addresses: list[str]) -> tuple[np.ndarray, list[str], list[str]]:
    """Region (n, 3) int32, street key ("" for none) and normalised text of each address."""
    _displays, keys = displays_and_keys([a if isinstance(a, str) else str(a) for a in addresses])
    regions = np.zeros((len(keys), 3), dtype=np.int32)
    streets = []
    for i, text in enumerate(keys):
        province, city, district, consumed = _region_of(text)
        regions[i] = (province, city, district)
        streets.append(street_of(text, consumed))
    return regions, streets, keys


def street_key(address: str) -> str:
    """The street key of one address as written (see the module doc)."""
    return parse_addresses([address])[1][0]
