"""A small published warehouse (the ranking tests' World: real SQL models and scoring, published
with the serving tables) and `tuoke serve`'s app on it, driven in-process by Starlette's test
client (real HTTP semantics, real DuckDB, real ops store) — for the hardening and fuzz tests that
send thousands of requests, where a browser and the demo build would take minutes."""

from __future__ import annotations

import re
import shutil
import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ranking"))

from ranking_world import World  # noqa: E402

from kernel.paths import DataPaths  # noqa: E402
from tuoke.web.app import WebSettings, create_app  # noqa: E402
from tuoke.web.throttle import ThrottleSettings  # noqa: E402
from warehouse.build_history import record_rank_history  # noqa: E402
from warehouse.serving import prepare_published_copy  # noqa: E402

HQ = ("hq", "hq-demo-pass")
HZ = ("hz_rm", "hz-demo-pass")
CIXI = ("cixi_rm", "cixi-demo-pass")
# no throttling unless a test asks for it: fuzzing signs in many times
NO_THROTTLE = ThrottleSettings(free_failures=10**9, lockout_failures=10**9)


def build_small_warehouse(root: Path) -> DataPaths:
    """Two branches, a winner with payroll, a 专精特新 listing, an excluded company; published."""
    world = World(root / "work.duckdb")
    world.company("uscc-91330100MA2B000001", "杭州甲科技有限公司")
    world.win("uscc-91330100MA2B000001")
    world.payroll("uscc-91330100MA2B000001")
    world.company("name-00000000000000b1", "宁波乙精密有限公司", branch="宁波分行")
    world.mention("name-00000000000000b1", "listed", "srdi_list", list_name="2026年浙江省专精特新中小企业名单", tier="省级")
    world.company("name-00000000000000c1", "杭州丙科技有限公司")
    world.win("name-00000000000000c1", amount=100_000)
    world.mention("name-00000000000000c1", "penalized", "negative_list", penalty_type="失信被执行人",
                  list_name="失信被执行人名单")
    for i in range(2, 40):
        company_id = f"name-{i:016x}"
        world.company(company_id, f"杭州测试{i}贸易有限公司")
        world.win(company_id, amount=50_000 * i, days_ago=i)
    world.build()
    record_rank_history(world.con)
    world.con.execute("CHECKPOINT")
    world.con.close()
    paths = DataPaths(root / "data")
    paths.root.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(world.path, paths.published_db)
    prepare_published_copy(paths.published_db)
    return paths


def make_client(paths: DataPaths, client_address: str = "10.0.0.5", **settings):
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

    settings.setdefault("throttle", NO_THROTTLE)
    app = create_app(WebSettings.from_configs(paths=paths, secure_cookies=False, **settings))
    return TestClient(app, base_url="http://testserver", client=(client_address, 40000), follow_redirects=False)


def csrf(client) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)


def sign_in(client, username: str, password: str):
    return client.post("/login", data={"username": username, "password": password, "csrf_token": csrf(client)})
