"""What every handler of `tuoke serve` shares: the settings, the templates, the published
warehouse (through the read model), the ops store, the login throttle; who is asking; and
`page`, the wrapper of a page that needs a signed-in user."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse

from kernel.contracts import SEGMENT_LABELS
from kernel.engine_config import load_engine_config
from kernel.paths import DataPaths
from kernel.territories import TerritoriesConfig, load_territories_config
from kernel.users import User, UsersConfig, load_users_config
from tuoke.exporting import wan_text
from tuoke.prospects import FilterError, PublishedWarehouse, Scope, WarehouseMissing, scope_for
from tuoke.web.auth import csrf_token
from tuoke.web.ops import DISPOSITION_LABELS, OpsStore
from tuoke.web.proxies import TrustedProxies
from tuoke.web.throttle import LoginThrottle, ThrottleSettings

HERE = Path(__file__).parent
MAX_PATH_VALUE = 200  # a company id or table name longer than this names nothing


@dataclass
class WebSettings:
    paths: DataPaths
    users: UsersConfig
    territories: TerritoriesConfig
    secure_cookies: bool = True
    trusted_header: str | None = None  # the user name, set by the SSO proxy …
    trusted_proxies: tuple[str, ...] = ()  # … at these addresses only
    throttle: ThrottleSettings = field(default_factory=ThrottleSettings)
    duckdb_threads: int | None = None

    @classmethod
    def from_configs(cls, paths: DataPaths | None = None, **kwargs) -> WebSettings:
        kwargs.setdefault("duckdb_threads", load_engine_config().serve.duckdb_threads)
        return cls(paths=paths or DataPaths.from_env(), users=load_users_config(),
                   territories=load_territories_config(), **kwargs)


def templates() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))
    env.filters["num"] = lambda v, d=1: "" if v is None else f"{float(v):,.{d}f}"
    env.filters["yuan"] = lambda v: "" if v is None else (
        f"{float(v) / 1e4:,.1f} 万元" if abs(float(v)) >= 1e4 else f"{float(v):,.0f} 元")
    env.filters["wan"] = lambda v: "" if v is None else wan_text(v)
    env.filters["day"] = lambda v: "" if v is None else str(v)[:10]
    env.globals["segments"] = SEGMENT_LABELS
    env.globals["disposition_labels"] = DISPOSITION_LABELS
    env.globals["qs"] = urlencode
    return env


class Site:
    def __init__(self, settings: WebSettings):
        self.settings = settings
        self.env = templates()
        self.warehouse = PublishedWarehouse(settings.paths.published_db, threads=settings.duckdb_threads)
        self.ops = OpsStore.for_paths(settings.paths)
        self.proxies = TrustedProxies.of(settings.trusted_proxies)
        self.throttle = LoginThrottle(settings.throttle)

    def current_user(self, request: Request) -> User | None:
        header = self.settings.trusted_header
        if header and self.proxies.trusts(peer(request)):
            name = request.headers.get(header)
            if name:
                return self.settings.users.get(name.strip())
        name = request.session.get("user")
        return self.settings.users.get(name) if isinstance(name, str) else None

    def client(self, request: Request) -> str | None:
        return self.proxies.client_address(peer(request), request.headers.get("x-forwarded-for"))

    def scope(self, user: User) -> Scope:
        return scope_for(user, self.settings.territories)

    def render(self, request: Request, template: str, status: int = 200, headers: dict | None = None,
               **context) -> HTMLResponse:
        html = self.env.get_template(template).render(
            request=request, user=self.current_user(request), csrf=csrf_token(request), path=request.url.path,
            **context)
        return HTMLResponse(html, status_code=status, headers=headers)

    def error(self, request: Request, status: int, message: str) -> HTMLResponse:
        return self.render(request, "error.html", status=status, message=message)

    async def read(self, work, *args):
        """`work(reader, *args)` on a reader of the published file, in the thread pool."""
        def run():
            with self.warehouse.reading() as reader:
                return work(reader, *args)

        return await run_in_threadpool(run)


def peer(request: Request) -> str | None:
    return request.client.host if request.client else None


def site_of(request: Request) -> Site:
    return request.app.state.site


def page(handler):
    """A page that needs a signed-in user: called as handler(request, site, user, scope). A bad
    parameter answers 400 with its message; no published warehouse answers 503."""

    @functools.wraps(handler)
    async def wrapped(request: Request):
        site = site_of(request)
        user = site.current_user(request)
        if user is None:
            if request.headers.get("hx-request"):
                return PlainTextResponse("signed out", status_code=401, headers={"HX-Redirect": "/login"})
            return RedirectResponse("/login?" + urlencode({"next": request.url.path}), status_code=303)
        try:
            return await handler(request, site, user, site.scope(user))
        except FilterError as exc:
            return site.error(request, 400, f"参数有误 (bad parameter) {exc}")
        except WarehouseMissing as exc:
            return site.error(request, 503, str(exc))

    return wrapped

