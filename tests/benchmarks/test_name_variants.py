"""The variant writer of eval-name-variants: places found without the resolver's parser, and no
variant that would name another company."""

import random

import pandas as pd

from benchmarks.eval_name_variants import _short_place, _variants, leading_place, mentions


def test_the_leading_place_is_read_from_the_division_names():
    assert leading_place("江西省玉山县膨润土实业有限公司") == "江西省玉山县"
    assert leading_place("上饶市广丰区叶坞发电有限公司") == "上饶市广丰区"
    assert leading_place("兴业银行股份有限公司") == ""


def test_a_short_place_that_another_division_shares_is_not_written():
    assert _short_place("马鞍山市") == "马鞍山"  # not 鞍山, another city
    assert _short_place("大余县") == "大余"
    assert _short_place("上饶县") is None  # 上饶 is 上饶市 too
    assert _short_place("牡丹江市西安区") is None  # 西安 is a city


def test_each_class_writes_its_shape_or_nothing():
    write = _variants(random.Random(1), lambda text: text.replace("门", "門"))
    name = "江西省大余县京桥混凝土有限责任公司"
    assert write["place_dropped"](name) == "京桥混凝土有限责任公司"
    assert write["place_short"](name) == "大余京桥混凝土有限责任公司"
    assert write["place_bracketed"](name) == "京桥混凝土（大余）有限责任公司"
    assert write["form_short"](name) == "江西省大余县京桥混凝土有限公司"
    assert write["form_dropped"](name) == "江西省大余县京桥混凝土"
    assert write["traditional"](name) is None  # nothing to convert
    assert write["place_short"]("兴业银行股份有限公司") is None


def test_every_full_name_stays_and_variants_keep_their_company():
    names = pd.DataFrame({"group_id": ["a", "b", "c"], "name": ["大余县京桥混凝土有限公司", "昆山三景科技股份有限公司",
                                                              "兴业银行股份有限公司"]})
    frame = mentions(names, companies=3, seed=2)
    assert (frame["variant"] == "full").sum() == 3
    varied = frame[frame["variant"] != "full"]
    assert len(varied) == 6 and set(varied["gold"]) == {"a", "b", "c"}
    assert not (varied["name"].isin(names["name"])).any()
