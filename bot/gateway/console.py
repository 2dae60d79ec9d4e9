"""The agent console: log-in, the console page, photos, and how it is wired into the gateway.

Everything lives under ``/console/`` (its API in ``console_api``, its live websocket in
``console_ws``); the session middleware sits on the whole gateway so a later dashboard can
share the log-in. Pages are static files; every datum reaches them as JSON and
is placed as text by the script.
"""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable
from pathlib import Path
from string import Template

from aiohttp import web
from sqlalchemy import select

from bot.gateway import console_api, console_ws
from bot.gateway.accounts import authenticate, normalize_username, set_offline
from bot.gateway.auth import (
    AGENTS_ONLY,
    BAD_CSRF,
    TOO_MANY_TRIES,
    csrf_ok,
    csrf_token,
    current_account,
    log_in,
    log_out,
    setup_sessions,
)
from bot.gateway.canned import load_canned_replies
from bot.gateway.console_state import CONSOLE, ConsoleState
from bot.gateway.db import in_db
from bot.gateway.keys import SETTINGS
from bot.handoff.models import Upload

STATIC = Path(__file__).resolve().parent / "static"
STATIC_FILES = {
    "dom.js": "application/javascript",
    "console.js": "application/javascript",
    "console.css": "text/css",
}
CONSOLE_HOME = "/console/"
DASHBOARD_HOME = "/panel/"  # bot.gateway.dashboard: the analysts' side of the same log-in
HOMES = {"agente": CONSOLE_HOME, "analista": DASHBOARD_HOME}
LOGIN = "/console/login"
WRONG_PASSWORD = "Usuario o contraseña incorrectos."
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self'; connect-src 'self'; script-src 'self'; "
        "style-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
        "form-action 'self'"
    ),
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}

routes = web.RouteTableDef()
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    """No framing, no inline script, nothing cached: the console and the dashboard show
    shoppers' conversations."""
    response = await handler(request)
    if request.path.startswith(("/console", "/panel")) and not response.prepared:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
    return response


def render_page(name: str, status: int = 200, **values: str) -> web.Response:
    """A static page with ``$name`` placeholders filled in, HTML-escaped."""
    text = Template((STATIC / name).read_text(encoding="utf-8"))
    body = text.safe_substitute({k: html.escape(v) for k, v in values.items()})
    return web.Response(text=body, status=status, content_type="text/html", charset="utf-8")


@routes.get("/console/")
async def console_page(request: web.Request) -> web.StreamResponse:
    account = await current_account(request)
    if account is None:
        raise web.HTTPFound(LOGIN)
    if account.role != "agente":
        return render_page(
            "forbidden.html",
            403,
            heading="Sin acceso a la consola",
            message=AGENTS_ONLY,
            home=DASHBOARD_HOME,
            home_label="Ir al panel de análisis",
            csrf=await csrf_token(request),
        )
    return web.FileResponse(STATIC / "console.html", headers={"Content-Type": "text/html"})


async def _login_form(request: web.Request, error: str = "", status: int = 200) -> web.Response:
    return render_page("login.html", status, csrf=await csrf_token(request), error=error)


@routes.get("/console/login")
async def login_page(request: web.Request) -> web.StreamResponse:
    account = await current_account(request)
    if account is not None and account.role in HOMES:
        raise web.HTTPFound(HOMES[account.role])
    return await _login_form(request)


@routes.post("/console/login")
async def login(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    if not await csrf_ok(request, str(form.get("csrf_token") or "")):
        return await _login_form(request, BAD_CSRF, 403)
    username = normalize_username(str(form.get("username") or ""))
    password = str(form.get("password") or "")
    limiter = request.config_dict[CONSOLE].limiter
    address = request.remote or "?"
    if limiter.blocked(username, address):
        return await _login_form(request, TOO_MANY_TRIES, 429)
    account = await in_db(request, lambda db: authenticate(db, username, password))
    if account is None:
        limiter.failed(username, address)
        return await _login_form(request, WRONG_PASSWORD, 401)
    limiter.succeeded(username)
    await log_in(request, account)
    raise web.HTTPSeeOther(HOMES.get(account.role, CONSOLE_HOME))


@routes.post("/console/logout")
async def logout(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    sent = request.headers.get("X-CSRF-Token") or str(form.get("csrf_token") or "")
    if not await csrf_ok(request, sent):
        raise web.HTTPSeeOther(LOGIN)  # nothing to undo: a forged log-out only loses a click
    account = await current_account(request)
    if account is not None:
        await in_db(request, lambda db: set_offline(db, account.id))
    await log_out(request)
    raise web.HTTPSeeOther(LOGIN)


@routes.get("/console/static/{name}")
async def static_file(request: web.Request) -> web.StreamResponse:
    name = request.match_info["name"]
    if name not in STATIC_FILES:
        raise web.HTTPNotFound()
    return web.FileResponse(STATIC / name, headers={"Content-Type": STATIC_FILES[name]})


@routes.get("/console/uploads/{token}")
async def upload_file(request: web.Request) -> web.StreamResponse:
    """A shopper's photo, for logged-in agents only; served as an image, never as a page."""
    account = await current_account(request)
    if account is None or account.role != "agente":
        raise web.HTTPUnauthorized() if account is None else web.HTTPForbidden()
    token = request.match_info["token"]
    row = await in_db(
        request,
        lambda db: db.execute(
            select(Upload.path, Upload.content_type, Upload.filename).where(Upload.token == token)
        ).first(),
    )
    if row is None:
        raise web.HTTPNotFound()
    root = request.config_dict[SETTINGS].uploads_dir.resolve()
    path = (root / row.path).resolve()
    if root not in path.parents or not path.is_file():
        raise web.HTTPNotFound()
    return web.FileResponse(
        path,
        headers={
            "Content-Type": row.content_type,
            "Content-Disposition": "inline",
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )


async def _to_console(_: web.Request) -> web.StreamResponse:
    raise web.HTTPFound(CONSOLE_HOME)


def setup_console(app: web.Application) -> None:
    """Add the console's pages, API and websocket to the gateway (called last by create_app).

    Plain ``/console/...`` routes rather than a sub-application: with the pinned yarl, aiohttp
    3.9's sub-application lookup fails on a ``Host`` header that carries a port.
    """
    setup_sessions(app, app[SETTINGS])
    app.middlewares.append(security_headers)
    app[CONSOLE] = ConsoleState(canned=load_canned_replies())
    app.add_routes(routes)
    app.add_routes(console_api.routes)
    app.add_routes(console_ws.routes)
    app.router.add_get("/console", _to_console)
    app.cleanup_ctx.append(console_ws.live_updates)
