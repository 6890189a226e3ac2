"""Street keys and address regions: one street however its region and script are written."""

from __future__ import annotations

import pytest

from warehouse.resolve.addresses import parse_addresses, street_key


@pytest.mark.parametrize("address,street", [
    ("浙江省杭州市余杭区五常街道文一西路998号", "文一西路998号"),  # township before the road
    ("杭州市西湖区文三路90号东部软件园1号楼", "文三路90号"),  # only the first road and number
    ("山西省太原市小店區長治路1號", "长治路1号"),  # traditional script
    ("云南省昆明市寻甸回族彝族自治县中滨路481号", "中滨路481号"),  # a long county name is no road name
    ("中滨路481号", "中滨路481号"),
    ("北京市海淀区中关村大街1号", "中关村大街1号"),
    ("浙江省杭州市", ""),  # no road and number: contradicts nothing
    ("长江路与黄河路交叉口", ""),
])
def test_street_keys(address: str, street: str):
    assert street_key(address) == street


def test_regions_at_the_front_of_an_address():
    regions, streets, texts = parse_addresses(["浙江省杭州市余杭区五常街道文一西路998号", "民放路123号", ""])
    assert regions.tolist() == [[33, 3301, 330110], [0, 0, 0], [0, 0, 0]]
    assert streets == ["文一西路998号", "民放路123号", ""]
    assert texts[0].startswith("浙江省杭州市")
