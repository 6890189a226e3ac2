"""Who is asking: password login against configs/users.yaml (argon2 or bcrypt hashes), or a
trusted header set by the bank's SSO reverse proxy; the session secret; CSRF tokens.

Sessions are signed cookies (Starlette's SessionMiddleware: HttpOnly, SameSite=strict, Secure
unless turned off for plain-http development). Every POST carries the session's CSRF token in a
form field or the X-CSRF-Token header; `csrf_protected` refuses it otherwise, and the app refuses
to start with a POST route that is not wrapped (see app.py).
"""

from __future__ import annotations

import functools
import hmac
import os
import secrets
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from starlette.requests import Request
from starlette.responses import PlainTextResponse

from kernel.users import User, UsersConfig

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
_hasher = PasswordHasher()
# verified when the username is unknown, so a wrong name costs as long as a wrong password
_DUMMY_HASH = _hasher.hash("tuoke-no-such-user")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    if password_hash.startswith("$argon2"):
        try:
            return _hasher.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
    try:
        import bcrypt
    except ImportError:  # a bcrypt hash in users.yaml needs the bcrypt package
        return False
    return bcrypt.checkpw(password.encode(), password_hash.encode())


def authenticate(users: UsersConfig, username: str, password: str) -> User | None:
    user = users.get(username.strip())
    if user is None or not user.password_hash:
        verify_password(_DUMMY_HASH, password)
        return None
    return user if verify_password(user.password_hash, password) else None


def session_secret(ops_folder: Path) -> str:
    """TUOKE_WEB_SECRET, else a random key kept in data/ops/session.key (mode 600), so sessions
    survive a restart of the server."""
    if os.environ.get("TUOKE_WEB_SECRET"):
        return os.environ["TUOKE_WEB_SECRET"]
    key_file = ops_folder / "session.key"
    if key_file.exists():
        return key_file.read_text().strip()
    ops_folder.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(secret)
    return secret


def csrf_token(request: Request) -> str:
    token = request.session.get(CSRF_FIELD)
    if not token:
        token = secrets.token_urlsafe(32)
        request.session[CSRF_FIELD] = token
    return token


async def csrf_ok(request: Request) -> bool:
    expected = request.session.get(CSRF_FIELD)
    if not expected:
        return False
    given = request.headers.get(CSRF_HEADER)
    if not given:
        form = await request.form()
        given = form.get(CSRF_FIELD)
    return isinstance(given, str) and hmac.compare_digest(given, expected)


def csrf_protected(endpoint):
    """Wraps a POST endpoint: 403 unless the request carries the session's CSRF token."""

    @functools.wraps(endpoint)
    async def guarded(request: Request):
        if not await csrf_ok(request):
            return PlainTextResponse("CSRF token missing or wrong; reload the page and try again.", status_code=403)
        return await endpoint(request)

    guarded.csrf_protected = True
    return guarded
