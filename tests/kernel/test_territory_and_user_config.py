"""territories.yaml and users.yaml: pydantic models, one-line errors with the key path."""

import pytest

from kernel.errors import UserError
from kernel.territories import load_territories_config
from kernel.users import load_users_config

BCRYPT = "$2b$12$C6UzMDM.H6dfI/f/IKcEeO5c8d0UwWqQv5Zr1Hj3TgG1C4d3m8Zye"


def _error(loader, data) -> str:
    with pytest.raises(UserError) as caught:
        loader(data)
    assert "\n" not in str(caught.value)
    return str(caught.value)


def test_shipped_territories_give_the_default_row_first():
    config = load_territories_config()
    rows = config.rows()
    assert rows[0][:3] == (None, None, None) and rows[0][3] == config.default_branch
    assert len(rows) == len(config.territories) + 1 and len(set(r[:3] for r in rows)) == len(rows)


@pytest.mark.parametrize(("data", "expected"), [
    ({"territories": []}, "default_branch: required key is missing"),
    ({"default_branch": "总行", "territories": [{"city": "宁波市"}]}, "territories[0].branch: required key is missing"),
    ({"default_branch": "总行", "territories": [{"branch": "a"}]}, "territories[0]: names no province, city or district"),
    ({"default_branch": "总行", "territories": [{"city": "宁波市", "branch": "a", "town": "x"}]},
     "territories[0].town: unknown key"),
    ({"default_branch": "总行", "territories": [{"city": "宁波市", "branch": "a"}, {"city": "宁波市", "branch": "b"}]},
     "territories[1] covers the same place as territories[0]"),
])
def test_territory_mistakes_name_their_key(data, expected):
    assert expected in _error(load_territories_config, data)


def test_users_hold_hashes_and_a_scope_that_fits_the_role():
    users = load_users_config({"users": [
        {"username": "admin", "role": "admin", "password_hash": BCRYPT},
        {"username": "nb_head", "role": "regional_head", "region": "宁波市", "password_hash": BCRYPT},
        {"username": "cx_rm", "role": "rm", "branch": "慈溪支行", "weekly_capacity": 20},
    ]})
    assert users.get("nb_head").region == "宁波市" and users.get("nobody") is None


@pytest.mark.parametrize(("user", "expected"), [
    ({"username": "a1", "role": "branch", "branch": "慈溪支行", "password_hash": "secret"}, "users[0].password_hash: must be an argon2 or bcrypt hash"),
    ({"username": "a1", "role": "branch"}, "users[0]: role branch needs a branch"),
    ({"username": "a1", "role": "regional_head"}, "users[0]: role regional_head needs a region"),
    ({"username": "a1", "role": "boss"}, "users[0].role: Input should be"),
    ({"username": "a1", "role": "admin", "pasword_hash": BCRYPT}, "users[0].pasword_hash: unknown key"),
])
def test_user_mistakes_name_their_key(user, expected):
    assert expected in _error(load_users_config, {"users": [user]})


def test_a_username_appears_once():
    user = {"username": "a1", "role": "admin"}
    assert "username 'a1' appears twice" in _error(load_users_config, {"users": [user, user]})
