"""Finding 4: two hostile strings were joined into one company by the typo rule. The typo rule
links only names that pass the border validator (kernel.name_validation)."""

import pandas as pd
import pytest

from warehouse.resolve import resolve_records

ADDRESS = "杭州市西湖区文三路100号"


def company_ids(first: str, second: str) -> set[str]:
    frame = pd.DataFrame([
        {"record_id": "r1", "source": "s1", "name": first, "uscc": None, "address": ADDRESS},
        {"record_id": "r2", "source": "s2", "name": second, "uscc": None, "address": ADDRESS},
    ])
    return set(resolve_records(frame)["company_id"])


def test_the_typo_rule_links_look_alike_names_with_evidence():
    assert len(company_ids("杭州华信科技有限公司", "杭州华兴科技有限公司")) == 1  # the rule works here


@pytest.mark.parametrize(("first", "second"), [
    ("杭州华信科技有限公司<script>", "杭州华兴科技有限公司<script>"),
    ("=杭州华信科技有限公司", "=杭州华兴科技有限公司"),
    ("+杭州华信科技有限公司", "+杭州华兴科技有限公司"),
])
def test_the_typo_rule_never_links_names_that_fail_validation(first, second):
    assert len(company_ids(first, second)) == 2
