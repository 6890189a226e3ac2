"""`tuoke serve`: the page marketing teams and RMs work from (Starlette, Jinja2, htmx; every asset
served from this package, no CDN).

Pages: dashboard (counts by segment and product, new this build, top movers and why), the list
(filters, sort, pages, xlsx/csv download of the current filter), a prospect page (五好 chart,
signal timeline with links, exclusions and suppressions with expiry, products, what the bank
already has, public relations, match evidence, dispositions), and "my list" (the next N
uncontacted prospects, N = the RM's weekly capacity). The handlers are tuoke/web/handlers.py;
they read prospects through the read model (tuoke/prospects); docs/web.md.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from tuoke.web import handlers as h
from tuoke.web.auth import csrf_protected, session_secret
from tuoke.web.ops import ops_dir
from tuoke.web.site import HERE, Site, WebSettings

SESSION_MAX_AGE = 8 * 3600
__all__ = ["WebSettings", "create_app"]


def routes() -> list:
    return [
        Route("/login", h.login_form, methods=["GET"]),
        Route("/login", h.login, methods=["POST"]),
        Route("/logout", h.logout, methods=["POST"]),
        Route("/", h.home),
        Route("/dashboard", h.dashboard),
        Route("/prospects", h.prospect_list),
        Route("/prospects/export.{fmt:str}", h.download),
        Route("/prospects/{company_id:str}", h.prospect_page, methods=["GET"]),
        Route("/prospects/{company_id:str}/disposition", csrf_protected(h.record_disposition), methods=["POST"]),
        Route("/my", h.my_list),
        Route("/ops/{table:str}.csv", h.ops_export),
        Route("/healthz", h.healthz),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]


def create_app(settings: WebSettings) -> Starlette:
    site = Site(settings)
    site.ops.backup_if_older_than()
    table = routes()
    for route in table:  # no POST endpoint without the CSRF check
        if isinstance(route, Route) and "POST" in (route.methods or ()):
            if not getattr(route.endpoint, "csrf_protected", False):
                raise RuntimeError(f"POST {route.path} is not wrapped in csrf_protected")
    app = Starlette(
        routes=table,
        middleware=[Middleware(
            SessionMiddleware, secret_key=session_secret(ops_dir(settings.paths)), session_cookie="tuoke_session",
            max_age=SESSION_MAX_AGE, same_site="strict", https_only=settings.secure_cookies)],
    )
    app.router.redirect_slashes = False  # "/prospects/" is not a page: 404, never a redirect loop
    app.state.site = site
    app.state.warehouse = site.warehouse
    app.state.ops = site.ops
    app.state.settings = settings
    return app
