"""Finding 2: personal hashes must not be reversible by enumeration. They are keyed (HMAC); no key
means no build (one line, exit 2); the demo key is announced on every run."""

import hashlib
import hmac
import subprocess
import sys

import pytest

from warehouse import pii
from warehouse.pii import DEMO_KEY_NOTICE, PiiKeyError, hash_pii, pii_key, require_pii_key

ID_NUMBER = "11010519491231002X"
KEY = "k" * 40


@pytest.fixture
def no_key(monkeypatch):
    for name in ("TUOKE_PII_KEY", "TUOKE_PII_KEY_FILE", "TUOKE_PII_DEMO_KEY", "TUOKE_PII_SALT"):
        monkeypatch.delenv(name, raising=False)


def test_hash_is_hmac_under_the_key_so_enumeration_without_it_fails(no_key, monkeypatch):
    monkeypatch.setenv("TUOKE_PII_KEY", KEY)
    digest = hash_pii(ID_NUMBER, "person_id").rsplit(":", 1)[1]
    expected = hmac.new(KEY.encode(), f"person_id|{ID_NUMBER}".encode(), hashlib.sha256).hexdigest()
    assert digest == expected
    # what an attacker who knows the code (and any former salt) but not the key would compute
    for guess_key in ("", "tuoke-dev-salt-change-me", pii.DEMO_PII_KEY):
        assert digest != hashlib.sha256(f"{guess_key}|person_id|{ID_NUMBER}".encode()).hexdigest()
        assert digest != hmac.new(guess_key.encode(), f"person_id|{ID_NUMBER}".encode(), hashlib.sha256).hexdigest()


def test_another_key_gives_other_hashes_and_names_itself(no_key, monkeypatch):
    monkeypatch.setenv("TUOKE_PII_KEY", KEY)
    first = hash_pii(ID_NUMBER, "person_id")
    monkeypatch.setenv("TUOKE_PII_KEY", "z" * 40)
    second = hash_pii(ID_NUMBER, "person_id")
    assert first != second and first.split(":")[1] != second.split(":")[1]  # key id differs


def test_no_key_refuses_instead_of_a_built_in_default(no_key):
    with pytest.raises(PiiKeyError, match="no PII key"):
        hash_pii(ID_NUMBER, "person_id")
    with pytest.raises(PiiKeyError):
        require_pii_key()


def test_short_key_is_refused(no_key, monkeypatch):
    monkeypatch.setenv("TUOKE_PII_KEY", "short")
    with pytest.raises(PiiKeyError, match="at least 32"):
        pii_key()


def test_key_file_wins_and_is_read(no_key, monkeypatch, tmp_path):
    key_file = tmp_path / "pii.key"
    key_file.write_text("f" * 48 + "\n")
    monkeypatch.setenv("TUOKE_PII_KEY_FILE", str(key_file))
    monkeypatch.setenv("TUOKE_PII_KEY", KEY)
    assert pii_key() == b"f" * 48
    monkeypatch.setenv("TUOKE_PII_KEY_FILE", str(tmp_path / "missing.key"))
    with pytest.raises(PiiKeyError, match="cannot read"):
        pii_key()


def test_build_without_a_key_is_one_line_exit_2(no_key, tmp_path):
    env = {k: v for k, v in __import__("os").environ.items()
           if k not in ("TUOKE_PII_KEY", "TUOKE_PII_KEY_FILE", "TUOKE_PII_DEMO_KEY")}
    env["TUOKE_DATA_DIR"] = str(tmp_path / "data")
    proc = subprocess.run([sys.executable, "-c", "from tuoke.cli import main; main()", "build", "--no-progress"],
                          capture_output=True, text=True, env=env, check=False, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert "no PII key" in proc.stderr and "Traceback" not in proc.stderr
    assert len([line for line in proc.stderr.splitlines() if line.strip()]) == 1
    assert not (tmp_path / "data" / "work" / "tuoke.duckdb").exists()


def test_demo_key_is_announced(no_key, monkeypatch, caplog):
    monkeypatch.setenv("TUOKE_PII_DEMO_KEY", "1")
    with caplog.at_level("WARNING"):
        require_pii_key()
    assert DEMO_KEY_NOTICE in caplog.text
