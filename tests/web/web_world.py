"""Helpers of the web tests: a real demo warehouse, a real `tuoke serve` process and Debian's Chromium driven by Playwright.

The warehouse is built twice before the tests (the demo, then a rebuild with one more bank export
holding a company whose name carries a <script> tag), so the dashboard has two builds to diff.
Chromium is /usr/bin/chromium (`apt-get install chromium fonts-noto-cjk`; .ci/run does it);
Playwright's own browser download is never used.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb

from kernel.paths import REPO_ROOT
from warehouse.serving import GRAM_MASKS, gram_mask_sql

CHROMIUM = Path(os.environ.get("TUOKE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
# test artefacts; TUOKE_UPDATE_SCREENSHOTS=1 also refreshes the README's copies in docs/screenshots
SCREENSHOTS = Path(os.environ.get("TUOKE_SCREENSHOTS_DIR", REPO_ROOT / "data" / "test-artifacts" / "screenshots"))
DOC_SCREENSHOTS = REPO_ROOT / "docs" / "screenshots"
SCRIPT_NAME = "<script>window.__xss=1</script>钱塘测试贸易有限公司"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_tuoke(args: list[str], env: dict, timeout: int = 600) -> subprocess.CompletedProcess:
    bin_dir = Path(sys.executable).parent
    command = [str(bin_dir / "tuoke")] if (bin_dir / "tuoke").exists() else [sys.executable, "-m", "tuoke.cli"]
    result = subprocess.run(command + args, env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"tuoke {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


class WebWorld:
    def __init__(self, root: Path):
        self.data = root / "data"
        self.env = {**os.environ, "TUOKE_DATA_DIR": str(self.data),
                    "TUOKE_SOURCES_DIR": str(REPO_ROOT / "configs" / "demo" / "sources")}
        self.env.setdefault("TUOKE_PII_KEY", "tuoke-test-pii-key-0123456789abcdef")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server: subprocess.Popen | None = None

    def build(self) -> None:
        run_tuoke(["build"], self.env)

    def add_payroll_for_a_listed_company(self) -> str:
        """A new payroll export naming a company low on 杭州分行's list, so the next build moves it
        up (the dashboard's movers) for a reason the page must name. Returns its company_id."""
        con = duckdb.connect(str(self.data / "tuoke.duckdb"), read_only=True)
        try:
            company_id, name, uscc = con.execute(
                "SELECT company_id, name, uscc FROM marts.prospects_ranked WHERE branch = '杭州分行' "
                "AND rank IS NOT NULL AND segment = 'new_to_bank' ORDER BY rank DESC LIMIT 1").fetchone()
        finally:
            con.close()
        folder = self.data / "inbox" / "payroll"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "payroll_extra.csv").write_text(
            "代发单位名称,统一社会信用代码,开户网点,代发人数,月代发金额(元),代发月数\n"
            f"{name},{uscc or ''},杭州分行,160,1280000,12\n", encoding="utf-8")
        return company_id

    def plant_script_name(self) -> str:
        """Give one published company a name holding a <script> tag, as if one slipped past the
        feeds' markup check: the page must still show it as text. Returns its company_id."""
        con = duckdb.connect(str(self.data / "tuoke.duckdb"))
        try:
            company_id = con.execute(
                "SELECT company_id FROM marts.prospects_ranked WHERE branch = '杭州分行' AND rank = 3").fetchone()[0]
            for table in ("marts.prospects_ranked", "core.companies", "serving.prospect_list", "serving.prospect_names"):
                con.execute(f"UPDATE {table} SET name = ? WHERE company_id = ?", [SCRIPT_NAME, company_id])
            masks = ", ".join(f"{column} = {gram_mask_sql('name', n, window)}" for column, n, window in GRAM_MASKS)
            con.execute(f"UPDATE serving.prospect_names SET {masks} WHERE company_id = ?", [company_id])  # as publish makes them
            con.execute("CHECKPOINT")
        finally:
            con.close()
        return company_id

    def start_server(self, *options: str) -> None:
        """`tuoke serve` on the world's data (`options`: e.g. --insecure-cookies for a plain-http
        client that is not a browser)."""
        bin_dir = Path(sys.executable).parent
        self.server = subprocess.Popen(
            [str(bin_dir / "tuoke"), "serve", "--port", str(self.port), *options], env=self.env, cwd=REPO_ROOT,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.server.kill()
        raise AssertionError(f"tuoke serve did not answer: {self.server.stdout.read().decode()[-2000:]}")

    def stop_server(self) -> None:
        if self.server is not None:
            self.server.terminate()
            self.server.wait(timeout=20)


def login(page, world: WebWorld, username: str, password: str) -> None:
    page.goto(world.url + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(world.url + "/dashboard")


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)
    if os.environ.get("TUOKE_UPDATE_SCREENSHOTS") == "1":
        DOC_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SCREENSHOTS / f"{name}.png", DOC_SCREENSHOTS / f"{name}.png")
