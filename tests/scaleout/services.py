"""Private Postgres and Redis servers on free loopback ports, for the scale-out tests.

Each test module starts its own servers in a temporary folder and stops them afterwards, so the
tests need only the Debian packages (`postgresql`, `redis-server`), not a running system service.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def have_postgres() -> bool:
    return postgres_bin() is not None


def have_redis() -> bool:
    return shutil.which("redis-server") is not None


def _wait_for_port(port: int, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not open port {port} within {timeout} s")


@dataclass(frozen=True)
class Postgres:
    port: int
    user: str = "postgres"
    password: str = "tuoke"
    db: str = "postgres"

    def env(self) -> dict[str, str]:
        return {"DAGSTER_PG_HOST": "127.0.0.1", "DAGSTER_PG_PORT": str(self.port),
                "DAGSTER_PG_USER": self.user, "DAGSTER_PG_PASSWORD": self.password, "DAGSTER_PG_DB": self.db}


@contextmanager
def postgres_server():
    """initdb + postgres on a free port; as root, the server runs as the `postgres` system user."""
    bindir = postgres_bin()
    assert bindir is not None, "postgresql is not installed"
    folder = Path(tempfile.mkdtemp(prefix="tuoke-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:
        pg = pwd.getpwnam("postgres")
        os.chown(folder, pg.pw_uid, pg.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    data = folder / "data"
    subprocess.run([*run_as, str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                    "-E", "UTF8"], check=True, capture_output=True)
    proc = subprocess.Popen([*run_as, str(bindir / "postgres"), "-D", str(data), "-p", str(port),
                             "-k", str(folder), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_port(port, 30, "postgres")
        time.sleep(0.5)
        yield Postgres(port=port)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def redis_server():
    """redis-server on a free port, no persistence."""
    port = free_port()
    folder = Path(tempfile.mkdtemp(prefix="tuoke-redis-"))
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(folder)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_port(port, 15, "redis")
        yield f"redis://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=15)
        shutil.rmtree(folder, ignore_errors=True)
