"""Property-based fuzzing of every query parameter (and path and form value) of every web route:
any value gets 200, 303, 400, 403 or 404 — never a 500. `make test` runs the `ci` profile; `make
fuzz` runs HYPOTHESIS_PROFILE=long (10,000 examples a test)."""

from __future__ import annotations

import os
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from small_site import HQ, HZ, csrf, make_client, sign_in

pytestmark = pytest.mark.fuzz
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
ANSWERS = {200, 303, 400, 403, 404}
LIST_PARAMETERS = ("branch", "segment", "product", "signal", "min_score", "new", "q", "sort", "page", "page_size")

# what a value may be: any text, numbers of every size and shape, the values the page knows,
# and raw percent-escapes (invalid UTF-8 among them)
values = st.one_of(
    st.text(max_size=300).map(quote),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["", "1", "0", "-1", "on", "rank", "fit", "name", "score", "new_to_bank", "政采贷",
                     "srdi_listed", "杭州分行", "宁波分行", "99999999999999999999999", "1e309", "%00", "%FF",
                     "%C0%AF", "%E4%B8", "..%2F..%2Fetc", "'; DROP TABLE x; --"]),
    st.binary(max_size=40).map(lambda b: "".join(f"%{c:02X}" for c in b)),
)
queries = st.dictionaries(st.sampled_from((*LIST_PARAMETERS, "saved", "next", "x", "page[]")), values, max_size=6)


def _url(path: str, params: dict[str, str]) -> str:
    return path + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


@pytest.fixture(scope="module")
def clients(small_site):
    hq, rm = make_client(small_site), make_client(small_site)
    assert sign_in(hq, *HQ).status_code == 303 and sign_in(rm, *HZ).status_code == 303
    return {"hq": hq, "rm": rm, "anonymous": make_client(small_site)}


@pytest.mark.parametrize("path", ["/", "/dashboard", "/prospects", "/prospects/export.csv", "/my", "/healthz",
                                  "/login", "/ops/dispositions.csv"])
@pytest.mark.parametrize("who", ["hq", "rm", "anonymous"])
def test_any_query_on_any_page_is_answered_without_a_server_error(clients, path, who):
    client = clients[who]

    @settings(PROFILE)
    @given(queries)
    def check(params):
        response = client.get(_url(path, params))
        assert response.status_code in ANSWERS, (path, params, response.status_code, response.text[:300])

    check()


@pytest.mark.parametrize("template", ["/prospects/{}", "/prospects/export.{}", "/ops/{}.csv"])
def test_any_path_value_is_answered_without_a_server_error(clients, template):
    @settings(PROFILE)
    @given(st.one_of(st.text(min_size=1, max_size=300).map(lambda t: quote(t, safe="")), values.filter(bool)),
           queries)
    def check(value, params):
        response = clients["hq"].get(_url(template.format(value), params))
        assert response.status_code in ANSWERS, (template, value, response.status_code, response.text[:300])

    check()


def test_any_disposition_form_is_answered_without_a_server_error(clients):
    client = clients["rm"]
    company_id = "uscc-91330100MA2B000001"
    token = csrf(client)
    forms = st.fixed_dictionaries({}, optional={
        "status": st.one_of(st.text(max_size=50), st.sampled_from(["contacted", "applied", "maybe"])),
        "note": st.text(max_size=800), "product": st.text(max_size=80)})

    @settings(PROFILE)
    @given(forms, st.sampled_from([company_id, "name-00000000000000b1", "nope", "x" * 500]))
    def check(form, target):
        response = client.post(f"/prospects/{quote(target, safe='')}/disposition", data={**form, "csrf_token": token})
        assert response.status_code in ANSWERS, (form, target, response.status_code, response.text[:300])

    check()


def test_any_sign_in_form_is_answered_without_a_server_error(small_site):
    client = make_client(small_site)
    token = csrf(client)

    @settings(PROFILE, max_examples=max(10, PROFILE.max_examples // 10))  # each try hashes a password
    @given(st.text(max_size=100), st.text(max_size=200), st.one_of(st.text(max_size=300), values))
    def check(username, password, target):
        response = client.post("/login", data={"username": username, "password": password, "next": target,
                                               "csrf_token": token})
        assert response.status_code in {303, 401, 403, 429}, (username, target, response.status_code)
        if response.status_code == 303:
            assert response.headers["location"].startswith("/") and not response.headers["location"].startswith("//")

    check()
