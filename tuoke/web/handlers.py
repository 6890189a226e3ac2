"""The routes of `tuoke serve`, one small handler each, over the read model (tuoke/prospects).

Every parameter is read as a typed, bounded value: a bad one answers 400 with a message (a list
filter through `ProspectFilter.from_query`), a company or table that is not there (or not in the
user's territory: the same answer) 404. The page never builds SQL; the read model does.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import tempfile
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from kernel.users import User
from tuoke.exporting import write_prospects_csv, write_prospects_xlsx
from tuoke.prospects import EXPORT_LIMIT, ProspectFilter, Scope
from tuoke.web.auth import authenticate, csrf_protected, csrf_token
from tuoke.web.ops import DISPOSITIONS, Disposition, write_disposition_feeds
from tuoke.web.site import MAX_PATH_VALUE, Site, page, site_of

DEFAULT_CAPACITY = 20
NOT_FOUND = "没有找到该企业（或不在您的辖区内）。"
MAX_NOTE, MAX_PRODUCT, MAX_USERNAME, MAX_PASSWORD = 500, 40, 64, 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OPS_TABLES = ("dispositions", "audit_log")


def local_target(value: object) -> str:
    """Where to go after signing in: a path on this site, else the start page."""
    target = value if isinstance(value, str) else ""
    if not target.startswith("/") or target.startswith("//") or "\\" in target or len(target) > MAX_PATH_VALUE \
            or any(ord(ch) < 32 for ch in target):
        return "/"
    return target


# --- sign in and out ---------------------------------------------------------------------------
async def login_form(request: Request):
    return site_of(request).render(request, "login.html", next=local_target(request.query_params.get("next")))


@csrf_protected
async def login(request: Request):
    site = site_of(request)
    form = await request.form()
    username = str(form.get("username", ""))[:MAX_USERNAME]
    password = str(form.get("password", ""))[:MAX_PASSWORD]
    target, client = local_target(form.get("next")), site.client(request)
    keys = site.throttle.keys(username, client)
    wait = site.throttle.retry_after(keys)
    if wait > 0:
        seconds = math.ceil(wait)
        site.ops.audit(username, "login_throttled", {"retry_after": seconds}, client)
        return site.render(request, "login.html", status=429, headers={"Retry-After": str(seconds)}, next=target,
                           error=f"登录失败次数过多，请 {seconds} 秒后再试")
    user = await run_in_threadpool(authenticate, site.settings.users, username, password)
    if user is None:
        verdict = site.throttle.failed(keys)
        site.ops.audit(username, "login_locked" if verdict.locked else "login_failed",
                       {"delay": verdict.delay} if verdict.delay else {}, client)
        return site.render(request, "login.html", status=401, next=target, error="用户名或密码错误")
    site.throttle.succeeded(username)
    request.session.clear()
    request.session["user"] = user.username
    csrf_token(request)  # a fresh token for the new session
    site.ops.audit(user.username, "login", {}, client)
    return RedirectResponse(target, status_code=303)


@csrf_protected
async def logout(request: Request):
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


# --- pages ---------------------------------------------------------------------------------------
@page
async def home(request: Request, site: Site, user: User, scope: Scope):
    return RedirectResponse("/dashboard", status_code=303)


def _choices(reader, scope: Scope) -> dict:
    catalog = reader.catalog
    return {"branches": reader.branches(scope), "products": list(catalog.products),
            "signals": catalog.filter_signals(), "segments": list(catalog.segments.items())}


@page
async def dashboard(request: Request, site: Site, user: User, scope: Scope):
    asked = request.query_params.get("branch")

    def load(reader):
        choices = _choices(reader, scope)
        branch = asked if asked in choices["branches"] else None
        return choices, branch, reader.dashboard(scope, branch), reader.latest_build()

    choices, branch, data, build = await site.read(load)
    return site.render(request, "dashboard.html", choices=choices, branch=branch, data=data, build=build)


@page
async def prospect_list(request: Request, site: Site, user: User, scope: Scope):
    f = ProspectFilter.from_query(request.query_params)
    result, choices, build = await site.read(lambda r: (r.page(scope, f), _choices(r, scope), r.latest_build()))
    latest = site.ops.latest(r["company_id"] for r in result.rows)
    template = "_rows.html" if request.headers.get("hx-request") else "list.html"
    return site.render(request, template, result=result, rows=result.rows, f=f, choices=choices, build=build,
                       latest=latest)


@page
async def download(request: Request, site: Site, user: User, scope: Scope):
    fmt = request.path_params["fmt"]
    if fmt not in ("xlsx", "csv"):
        return PlainTextResponse("download as .xlsx or .csv", status_code=404)
    f = ProspectFilter.from_query(request.query_params)
    frame, dimensions = await site.read(lambda r: (r.frame(scope, f, limit=EXPORT_LIMIT), r.catalog.dimensions))
    site.ops.audit(user.username, "download", {"format": fmt, "rows": len(frame), "filters": f.as_query()},
                   site.client(request))
    name = f"prospects-{dt.date.today().isoformat()}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    if fmt == "csv":
        out = io.StringIO()
        write_prospects_csv(frame, stream=out)
        return Response(("\ufeff" + out.getvalue()).encode("utf-8"), media_type="text/csv; charset=utf-8",
                        headers=headers)

    def workbook() -> bytes:
        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / "prospects.xlsx"
            write_prospects_xlsx(frame, target, dimensions=dimensions)
            return target.read_bytes()

    return Response(await run_in_threadpool(workbook), media_type=XLSX, headers=headers)


@page
async def prospect_page(request: Request, site: Site, user: User, scope: Scope):
    company_id = request.path_params["company_id"]
    view = await site.read(lambda r: r.prospect(scope, company_id)) if len(company_id) <= MAX_PATH_VALUE else None
    if view is None:  # not there, or not in this user's territory: the same answer for both
        return site.error(request, 404, NOT_FOUND)
    return site.render(request, "prospect.html", view=view, c=view.company, history=site.ops.history(company_id),
                       dispositions=DISPOSITIONS, saved=request.query_params.get("saved") == "1")


@page
async def record_disposition(request: Request, site: Site, user: User, scope: Scope):
    company_id = request.path_params["company_id"]
    form = await request.form()
    status = str(form.get("status", ""))
    if status not in DISPOSITIONS:
        return site.error(request, 400, f"未知的处置 (unknown disposition) {status[:40]!r}")
    c = await site.read(lambda r: r.company(scope, company_id)) if len(company_id) <= MAX_PATH_VALUE else None
    if c is None:
        return site.error(request, 404, NOT_FOUND)
    note = str(form.get("note", "")).strip()[:MAX_NOTE]
    product = str(form.get("product", "")).strip()[:MAX_PRODUCT] or None
    site.ops.record(Disposition(company_id=company_id, company_name=c["name"], uscc=c.get("uscc"), branch=c["branch"],
                                status=status, note=note, product=product, username=user.username, recorded_at=""))
    site.ops.audit(user.username, "disposition", {"company_id": company_id, "status": status, "note": note},
                   site.client(request))
    await run_in_threadpool(write_disposition_feeds, site.ops, site.settings.paths)
    await run_in_threadpool(site.ops.backup_if_older_than)
    return RedirectResponse(f"/prospects/{company_id}?saved=1", status_code=303)


@page
async def my_list(request: Request, site: Site, user: User, scope: Scope):
    capacity = user.weekly_capacity if user.weekly_capacity is not None else DEFAULT_CAPACITY
    touched = site.ops.touched_company_ids()
    result = await site.read(lambda r: r.page(scope, ProspectFilter(), limit=capacity + len(touched), offset=0))
    rows = [r for r in result.rows if r["company_id"] not in touched][:capacity]
    return site.render(request, "mylist.html", rows=rows, capacity=capacity)


@page
async def ops_export(request: Request, site: Site, user: User, scope: Scope):
    if user.role not in ("admin", "head_office"):
        return PlainTextResponse("only head office and admins export the ops store", status_code=403)
    table = request.path_params["table"]
    if table not in OPS_TABLES:
        return PlainTextResponse(f"no ops table {table[:40]!r} (dispositions, audit_log)", status_code=404)
    site.ops.audit(user.username, "download", {"ops_table": table}, site.client(request))
    return Response(site.ops.export_csv(table).encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{table}.csv"'})


async def healthz(request: Request):
    return PlainTextResponse("ok")
