"""The gateway application: widget channels and files, the agent console and the analysts'
dashboard in one process.

``create_app`` builds it for a ``Settings``; tests serve it with aiohttp's test
server, ``python -m bot.gateway serve`` with ``run``.
"""

from __future__ import annotations

import html
import logging
import sys
from collections.abc import AsyncIterator, Awaitable, Callable

from aiohttp import web

from bot.config import Settings
from bot.gateway import console, dashboard
from bot.gateway.hub import Hub
from bot.gateway.keys import ENGINE, HUB, JOURNEY, RASA, SETTINGS
from bot.gateway.rasa_client import RasaClient
from bot.gateway.relay import RELAY, Relay
from bot.gateway.rest_channel import routes as rest_routes
from bot.gateway.socketio_channel import setup_socketio
from bot.gateway.widget_routes import HISTORY_LIMITS, HistoryLimits, widget_cors
from bot.gateway.widget_routes import routes as widget_routes
from bot.handoff.hours import parse_agent_hours
from bot.journey.stages import load_journey
from bot.store.db import create_store_engine

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
# Paths whose callers are programs: errors as JSON, not as a page.
API_PREFIXES = ("/webhooks/", "/widget/", "/console/api/", "/panel/api/", "/socket.io/")
ERROR_TEXT = {
    400: "La petición no es válida.",
    401: "Tienes que iniciar sesión.",
    403: "No tienes permiso para ver esto.",
    404: "Esta página no existe.",
    405: "Esta dirección no acepta esa operación.",
    413: "Lo que has enviado es demasiado grande.",
    500: "Algo ha fallado por nuestra parte. Inténtalo de nuevo en un momento.",
}
PAGE = """<!doctype html>
<html lang="es"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>{title}</h1><p><a href="/">Volver a la tienda</a></p></main></body></html>
"""


def _error_response(request: web.Request, status: int, text: str) -> web.Response:
    if request.path.startswith(API_PREFIXES) or "application/json" in request.headers.get(
        "Accept", ""
    ):
        return web.json_response({"error": text}, status=status)
    return web.Response(
        text=PAGE.format(title=html.escape(text)), status=status, content_type="text/html"
    )


@web.middleware
async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Spanish 4xx/5xx for every route; a crash is logged, never shown."""
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400 or exc.text not in (None, "", f"{exc.status}: {exc.reason}"):
            raise
        return _error_response(request, exc.status, ERROR_TEXT.get(exc.status, exc.reason))
    except Exception:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return _error_response(request, 500, ERROR_TEXT[500])
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


async def health(_: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def create_app(settings: Settings) -> web.Application:
    """The whole gateway for ``settings``; the agent hours are checked here, at start-up."""
    hours = parse_agent_hours(settings.agent_hours, settings.agent_timezone)
    # Multipart uploads are the biggest bodies; socket.io and REST bound theirs lower.
    app = web.Application(
        middlewares=[widget_cors, errors], client_max_size=settings.upload_max_bytes + 64 * 1024
    )
    app[SETTINGS] = settings
    app[HUB] = Hub()
    app[ENGINE] = create_store_engine(settings.database_url)
    app[JOURNEY] = load_journey()
    app[RASA] = RasaClient(settings)
    app[RELAY] = Relay(settings, app[ENGINE], app[HUB], app[RASA], hours)
    app[HISTORY_LIMITS] = HistoryLimits(settings.rate_limit_per_minute)
    app.cleanup_ctx.append(_resources)
    app.router.add_get("/health", health)
    app.add_routes(rest_routes)
    app.add_routes(widget_routes)
    setup_socketio(app)
    console.setup_console(app)
    dashboard.setup_dashboard(app)
    return app


async def _resources(app: web.Application) -> AsyncIterator[None]:
    """Record what is queued, close Rasa's HTTP client and the database pool on the way out."""
    yield
    await app[RELAY].log.flush()
    await app[RASA].close()
    app[ENGINE].dispose()


def run(settings: Settings) -> None:
    """Serve the gateway on ``GATEWAY_PORT`` until interrupted."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # The dashboard's spaCy (thinc) would import TensorFlow, which Rasa installs, only to offer
    # layers the analysis never uses: seconds and hundreds of MB (as in bot.analytics' CLI).
    sys.modules.setdefault("tensorflow", None)  # type: ignore[arg-type]
    interface = "127.0.0.1" if settings.host in ("localhost", "127.0.0.1") else "0.0.0.0"
    web.run_app(
        create_app(settings),
        host=interface,
        port=settings.gateway_port,
        access_log=None,
        print=lambda _: None,
    )
    log.info("gateway stopped")
