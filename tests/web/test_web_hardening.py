"""The page's guards, each with a test that fails without it: bad parameters are 400 with a message
(never 500), login throttling per user and per address with a growing delay and audit rows, the
trusted SSO header only from the configured proxies, `tuoke serve` refusing a forgeable header mode."""

from __future__ import annotations

import sqlite3
import time

import pytest
from small_site import CIXI, HQ, HZ, NO_THROTTLE, make_client, sign_in
from typer.testing import CliRunner

from tuoke.cli import app as cli_app
from tuoke.web.throttle import ThrottleSettings


@pytest.fixture
def hq(small_site):
    client = make_client(small_site)
    assert sign_in(client, *HQ).status_code == 303
    return client


@pytest.mark.parametrize("query", [
    "page=999999999999999999999", "page=0", "page=-1", "page=1.5", "page=%EF%BC%91", "page_size=7",
    "page_size=abc", "min_score=nan", "min_score=inf", "min_score=1e400", "min_score=abc", "sort=drop",
    "segment=vip", "new=maybe", "product=不存在的产品", "signal=not_a_signal", "q=" + "x" * 101, "q=%00",
    "branch=" + "分" * 65,
])
def test_a_bad_list_parameter_is_a_400_with_a_message(hq, query):
    for path in ("/prospects", "/prospects/export.csv"):
        response = hq.get(f"{path}?{query}")
        assert response.status_code == 400, (path, query, response.status_code)
        parameter = query.split("=")[0]
        assert parameter in response.text


def test_a_page_past_the_end_is_an_empty_page_not_an_error(hq):
    response = hq.get("/prospects?page=99999")
    assert response.status_code == 200 and "没有符合条件的企业" in response.text


def _audit(paths, action: str) -> list[tuple]:
    con = sqlite3.connect(paths.root / "ops" / "ops.sqlite")
    try:
        return con.execute("SELECT username, detail, client FROM audit_log WHERE action = ?", [action]).fetchall()
    finally:
        con.close()


def test_wrong_passwords_for_one_user_meet_a_growing_delay_then_a_lockout(small_site):
    settings = ThrottleSettings(free_failures=2, base_delay=1.0, max_delay=8.0, lockout_failures=5,
                                lockout_seconds=600.0)
    client = make_client(small_site, client_address="10.9.0.1", throttle=settings)
    for _ in range(2):  # the free failures: answered at once
        assert sign_in(client, "hz_rm", "wrong").status_code == 401
    assert sign_in(client, "hz_rm", "wrong").status_code == 401  # the third starts a 1 s delay
    refused = sign_in(client, "hz_rm", HZ[1])  # even the right password waits
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "1"
    time.sleep(1.05)
    assert sign_in(client, "hz_rm", "wrong").status_code == 401  # the fourth: 2 s
    assert sign_in(client, "hz_rm", "wrong").headers["Retry-After"] == "2"
    time.sleep(2.05)
    assert sign_in(client, "hz_rm", "wrong").status_code == 401  # the fifth: locked out
    locked = sign_in(client, "hz_rm", HZ[1])
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 590
    assert sum(1 for u, *_ in _audit(small_site, "login_failed") if u == "hz_rm") >= 4
    assert any(u == "hz_rm" for u, *_ in _audit(small_site, "login_locked"))
    assert any(u == "hz_rm" and c == "10.9.0.1" for u, _, c in _audit(small_site, "login_throttled"))
    other = make_client(small_site, client_address="10.9.0.2", throttle=settings)
    assert sign_in(other, *HQ).status_code == 303  # another user from another address is not held up


def test_wrong_passwords_for_many_users_from_one_address_are_throttled(small_site):
    settings = ThrottleSettings(free_failures=2, base_delay=30.0, lockout_failures=50)
    client = make_client(small_site, client_address="10.8.0.1", throttle=settings)
    for name in ("nb_head", "cixi_rm", "nobody"):
        assert sign_in(client, name, "wrong").status_code == 401
    assert sign_in(client, *CIXI).status_code == 429  # the address is held, whatever the user name
    elsewhere = make_client(small_site, client_address="10.8.0.2", throttle=settings)
    assert sign_in(elsewhere, *CIXI).status_code == 303


def test_the_trusted_header_counts_only_from_a_configured_proxy(small_site):
    settings = {"trusted_header": "X-Remote-User", "trusted_proxies": ("10.1.0.0/16",)}
    outsider = make_client(small_site, client_address="10.2.0.9", **settings)
    forged = outsider.get("/dashboard", headers={"X-Remote-User": "hq"})
    assert forged.status_code == 303 and forged.headers["location"].startswith("/login")
    assert "tuoke_session" not in outsider.cookies
    proxy = make_client(small_site, client_address="10.1.4.4", **settings)
    signed = proxy.get("/dashboard", headers={"X-Remote-User": "hq", "X-Forwarded-For": "203.0.113.7"})
    assert signed.status_code == 200 and "机构看板" in signed.text
    # behind the proxy, the audit log names the user's own address, not the proxy's
    proxy.get("/prospects/export.csv", headers={"X-Remote-User": "hq", "X-Forwarded-For": "203.0.113.7"})
    assert any(u == "hq" and c == "203.0.113.7" for u, _, c in _audit(small_site, "download"))


def test_serve_refuses_a_trusted_header_on_a_network_address_without_proxies(small_site, monkeypatch):
    monkeypatch.setenv("TUOKE_DATA_DIR", str(small_site.root))
    result = CliRunner().invoke(cli_app, ["serve", "--host", "0.0.0.0", "--trusted-header", "X-Remote-User"])
    assert result.exit_code != 0 and "--trusted-proxy" in str(result.exception)
    typo = CliRunner().invoke(cli_app, ["serve", "--trusted-proxy", "10.0.0.300"])
    assert typo.exit_code != 0 and "10.0.0.300" in str(typo.exception)


def test_without_throttling_settings_the_defaults_hold_a_guesser(small_site):
    client = make_client(small_site, client_address="10.7.0.1", throttle=ThrottleSettings())
    codes = [sign_in(client, "nb_head", "wrong").status_code for _ in range(5)]
    assert codes[:4] == [401, 401, 401, 401] and codes[4] == 429
    assert NO_THROTTLE.free_failures > 1000
