"""`tuoke serve`: the page marketing teams and RMs work from (Starlette, Jinja2, htmx; every asset
served from this package, no CDN).

Pages: dashboard (counts by segment and product, new this build, top movers and why), the list
(filters, sort, pages, xlsx/csv download of the current filter), a prospect page (五好 chart,
signal timeline with links, exclusions and suppressions with expiry, products, what the bank
already has, public relations, match evidence, dispositions), and "my list" (the next N
uncontacted prospects, N = the RM's weekly capacity).
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import yaml
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from kernel.paths import DataPaths, configs_dir
from kernel.territories import TerritoriesConfig, load_territories_config
from kernel.users import User, UsersConfig, load_users_config
from tuoke.exporting import write_prospects_csv, write_prospects_xlsx
from tuoke.prospects.published import PublishedWarehouse, WarehouseMissing
from tuoke.prospects.scope import Scope, scope_for
from tuoke.web import queries
from tuoke.web.auth import authenticate, csrf_protected, csrf_token, session_secret
from tuoke.web.ops import (
    DISPOSITION_LABELS,
    DISPOSITIONS,
    Disposition,
    OpsStore,
    ops_dir,
    write_disposition_feeds,
)

HERE = Path(__file__).parent
DEFAULT_CAPACITY = 20
SESSION_MAX_AGE = 8 * 3600


@dataclass
class WebSettings:
    paths: DataPaths
    users: UsersConfig
    territories: TerritoriesConfig
    secure_cookies: bool = True
    trusted_header: str | None = None  # set only behind the SSO proxy that sets it
    cooling_off_days: dict[str, int] = field(default_factory=dict)
    duckdb_threads: int | None = None

    @classmethod
    def from_configs(cls, paths: DataPaths | None = None, **kwargs) -> WebSettings:
        scoring = yaml.safe_load((configs_dir() / "scoring.yaml").read_text(encoding="utf-8")) or {}
        cooling = {signal: int(rule["cooling_off_days"]) for signal, rule in (scoring.get("suppressions") or {}).items()
                   if isinstance(rule, dict) and rule.get("cooling_off_days")}
        return cls(paths=paths or DataPaths.from_env(), users=load_users_config(),
                   territories=load_territories_config(), cooling_off_days=cooling, **kwargs)


def _templates() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))
    env.filters["num"] = lambda v, d=1: "" if v is None else f"{float(v):,.{d}f}"
    env.filters["yuan"] = lambda v: "" if v is None else (
        f"{float(v) / 1e4:,.1f} 万元" if abs(float(v)) >= 1e4 else f"{float(v):,.0f} 元")
    env.filters["day"] = lambda v: "" if v is None else str(v)[:10]
    env.globals["segments"] = queries.SEGMENTS
    env.globals["disposition_labels"] = DISPOSITION_LABELS
    return env


def create_app(settings: WebSettings) -> Starlette:
    env = _templates()
    warehouse = PublishedWarehouse(settings.paths.published_db, threads=settings.duckdb_threads)
    ops = OpsStore.for_paths(settings.paths)
    ops.backup_if_older_than()

    def current_user(request: Request) -> User | None:
        if settings.trusted_header:
            name = request.headers.get(settings.trusted_header)
            if name:
                return settings.users.get(name.strip())
        name = request.session.get("user")
        return settings.users.get(name) if name else None

    def client(request: Request) -> str | None:
        return request.client.host if request.client else None

    def render(request: Request, template: str, status: int = 200, **context) -> HTMLResponse:
        user = current_user(request)
        html = env.get_template(template).render(
            request=request, user=user, csrf=csrf_token(request), path=request.url.path, **context)
        return HTMLResponse(html, status_code=status)

    def page(handler):
        """A page that needs a signed-in user and the published warehouse."""

        async def wrapped(request: Request):
            user = current_user(request)
            if user is None:
                if request.headers.get("hx-request"):
                    return PlainTextResponse("signed out", status_code=401, headers={"HX-Redirect": "/login"})
                return RedirectResponse("/login?" + urlencode({"next": str(request.url.path)}), status_code=303)
            try:
                return await handler(request, user, scope_for(user, settings.territories))
            except WarehouseMissing as exc:
                return render(request, "error.html", status=503, message=str(exc))

        wrapped.__name__ = handler.__name__
        return wrapped

    # --- sign in and out --------------------------------------------------------------------
    async def login_form(request: Request):
        return render(request, "login.html", next=request.query_params.get("next", "/"))

    @csrf_protected
    async def login(request: Request):
        form = await request.form()
        user = await run_in_threadpool(authenticate, settings.users, str(form.get("username", "")),
                                       str(form.get("password", "")))
        target = str(form.get("next") or "/")
        if not target.startswith("/") or target.startswith("//"):
            target = "/"
        if user is None:
            ops.audit(str(form.get("username", ""))[:64], "login_failed", {}, client(request))
            return render(request, "login.html", status=401, next=target, error="用户名或密码错误")
        request.session.clear()
        request.session["user"] = user.username
        csrf_token(request)  # a fresh token for the new session
        ops.audit(user.username, "login", {}, client(request))
        return RedirectResponse(target, status_code=303)

    @csrf_protected
    async def logout(request: Request):
        request.session.clear()
        return RedirectResponse("/login", status_code=303)

    # --- pages -------------------------------------------------------------------------------
    @page
    async def home(request: Request, user: User, scope: Scope):
        return RedirectResponse("/dashboard", status_code=303)

    @page
    async def dashboard(request: Request, user: User, scope: Scope):
        branch = request.query_params.get("branch") or None

        def load():
            with warehouse.reading() as cur:
                choices = queries.filter_choices(cur, scope)
                chosen = branch if branch in choices["branches"] else None
                return choices, chosen, queries.dashboard(cur, scope, chosen), queries.latest_build(cur)

        choices, chosen, data, build = await run_in_threadpool(load)
        return render(request, "dashboard.html", choices=choices, branch=chosen, data=data, build=build)

    @page
    async def prospect_list(request: Request, user: User, scope: Scope):
        filters = queries.ListFilters.from_query(request.query_params)

        def load():
            with warehouse.reading() as cur:
                rows, total = queries.list_prospects(cur, scope, filters)
                return rows, total, queries.filter_choices(cur, scope), queries.latest_build(cur)

        rows, total, choices, build = await run_in_threadpool(load)
        latest = ops.latest(r["company_id"] for r in rows)
        template = "_rows.html" if request.headers.get("hx-request") else "list.html"
        return render(request, template, rows=rows, total=total, f=filters, choices=choices, build=build,
                      latest=latest, pages=max(1, -(-total // filters.page_size)), qs=_qs)

    @page
    async def download(request: Request, user: User, scope: Scope):
        fmt = request.path_params["fmt"]
        if fmt not in ("xlsx", "csv"):
            return PlainTextResponse("download as .xlsx or .csv", status_code=404)
        filters = queries.ListFilters.from_query(request.query_params)

        def load():
            with warehouse.reading() as cur:
                return queries.export_frame(cur, scope, filters)

        frame = await run_in_threadpool(load)
        ops.audit(user.username, "download", {"format": fmt, "rows": len(frame), "filters": filters.as_query()},
                  client(request))
        stamp = dt.date.today().isoformat()
        if fmt == "csv":
            out = io.StringIO()
            write_prospects_csv(frame, stream=out)
            return Response(("\ufeff" + out.getvalue()).encode("utf-8"), media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": f'attachment; filename="prospects-{stamp}.csv"'})

        def xlsx() -> bytes:
            with tempfile.TemporaryDirectory() as folder:
                target = Path(folder) / "prospects.xlsx"
                write_prospects_xlsx(frame, target)
                return target.read_bytes()

        return Response(await run_in_threadpool(xlsx),
                        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": f'attachment; filename="prospects-{stamp}.xlsx"'})

    @page
    async def prospect_page(request: Request, user: User, scope: Scope):
        company_id = request.path_params["company_id"]

        def load():
            with warehouse.reading() as cur:
                return queries.prospect(cur, scope, company_id, settings.cooling_off_days)

        info = await run_in_threadpool(load)
        if info is None:  # not there, or not in this user's territory: the same answer for both
            return render(request, "error.html", status=404, message="没有找到该企业（或不在您的辖区内）。")
        return render(request, "prospect.html", info=info, c=info["company"], history=ops.history(company_id),
                      dispositions=DISPOSITIONS, saved=request.query_params.get("saved"))

    @page
    async def record_disposition(request: Request, user: User, scope: Scope):
        company_id = request.path_params["company_id"]
        form = await request.form()
        status = str(form.get("status", ""))
        if status not in DISPOSITIONS:
            return PlainTextResponse(f"unknown disposition {status!r}", status_code=400)

        def load():
            with warehouse.reading() as cur:
                return cur.execute(
                    f"SELECT name, uscc, branch FROM marts.prospects_ranked WHERE company_id = ? AND {scope.sql}",
                    [company_id, *scope.params]).fetchone()

        row = await run_in_threadpool(load)
        if row is None:
            return render(request, "error.html", status=404, message="没有找到该企业（或不在您的辖区内）。")
        note = str(form.get("note", "")).strip()[:500]
        product = str(form.get("product", "")).strip()[:40] or None
        ops.record(Disposition(company_id=company_id, company_name=row[0], uscc=row[1], branch=row[2], status=status,
                               note=note, product=product, username=user.username, recorded_at=""))
        ops.audit(user.username, "disposition", {"company_id": company_id, "status": status, "note": note},
                  client(request))
        await run_in_threadpool(write_disposition_feeds, ops, settings.paths)
        await run_in_threadpool(ops.backup_if_older_than)
        return RedirectResponse(f"/prospects/{company_id}?saved=1", status_code=303)

    @page
    async def my_list(request: Request, user: User, scope: Scope):
        capacity = user.weekly_capacity if user.weekly_capacity is not None else DEFAULT_CAPACITY
        touched = ops.touched_company_ids()

        def load():
            with warehouse.reading() as cur:
                rows, _ = queries.list_prospects(cur, scope, queries.ListFilters(), limit=capacity + len(touched),
                                                 offset=0)
                return rows

        rows = [r for r in await run_in_threadpool(load) if r["company_id"] not in touched][:capacity]
        return render(request, "mylist.html", rows=rows, capacity=capacity)

    @page
    async def ops_export(request: Request, user: User, scope: Scope):
        if user.role not in ("admin", "head_office"):
            return PlainTextResponse("only head office and admins export the ops store", status_code=403)
        table = request.path_params["table"]
        ops.audit(user.username, "download", {"ops_table": table}, client(request))
        return Response(ops.export_csv(table).encode("utf-8"), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{table}.csv"'})

    async def healthz(request: Request):
        return PlainTextResponse("ok")

    routes = [
        Route("/login", login_form, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/", home),
        Route("/dashboard", dashboard),
        Route("/prospects", prospect_list),
        Route("/prospects/export.{fmt:str}", download),
        Route("/prospects/{company_id:str}", prospect_page, methods=["GET"]),
        Route("/prospects/{company_id:str}/disposition", csrf_protected(record_disposition), methods=["POST"]),
        Route("/my", my_list),
        Route("/ops/{table:str}.csv", ops_export),
        Route("/healthz", healthz),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    for route in routes:  # no POST endpoint without the CSRF check
        if isinstance(route, Route) and "POST" in (route.methods or ()):
            if not getattr(route.endpoint, "csrf_protected", False):
                raise RuntimeError(f"POST {route.path} is not wrapped in csrf_protected")

    app = Starlette(
        routes=routes,
        middleware=[Middleware(
            SessionMiddleware, secret_key=session_secret(ops_dir(settings.paths)), session_cookie="tuoke_session",
            max_age=SESSION_MAX_AGE, same_site="strict", https_only=settings.secure_cookies)],
    )
    app.state.warehouse = warehouse
    app.state.ops = ops
    app.state.settings = settings
    return app


def _qs(params: dict) -> str:
    return urlencode(params)
