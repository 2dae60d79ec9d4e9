"""The analysts' dashboard: ``/panel/``, its JSON API, CSV downloads and its own files.

Analysts log in on the console's log-in page and land here; agents get a Spanish 403 and
strangers go to the log-in page (API calls get 401). The numbers come from ``bot.analytics``
(``dashboard_data``), computed on a worker thread and cached briefly (``dashboard_cache``);
the page is a static file that places every datum as text and draws the charts with Chart.js,
served from ``vendor/`` like the widget's socket.io client (no CDN at run time).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from aiohttp import web

from bot.analytics.paths import NO_STAGE
from bot.analytics.period import Period
from bot.gateway.accounts import Account
from bot.gateway.auth import csrf_token, current_account, json_error
from bot.gateway.console import CONSOLE_HOME, DASHBOARD_HOME, LOGIN, render_page
from bot.gateway.dashboard_cache import DASHBOARD_CACHE, ResultCache
from bot.gateway.dashboard_filters import FilterError, Filters, parse_filters, resolve
from bot.gateway.db import in_db
from bot.gateway.keys import JOURNEY

if TYPE_CHECKING:
    from bot.analytics.report import Report
    from bot.analytics.tables import Table
    from bot.gateway.dashboard_data import Overview, Trend

# The handlers import ``dashboard_data`` and ``dashboard_views`` when first called: they pull in
# scikit-learn and numpy, which a gateway that never serves an analyst does not need to load.

GATEWAY_DIR = Path(__file__).resolve().parent
STATIC = GATEWAY_DIR / "static"
CHART_JS = GATEWAY_DIR / "vendor" / "node_modules" / "chart.js" / "dist" / "chart.umd.min.js"
# The dashboard's own files and the pinned Chart.js (bot/gateway/vendor/package-lock.json).
FILES = {
    "dom.js": (STATIC / "dom.js", "application/javascript", "no-cache"),
    "dashboard.js": (STATIC / "dashboard.js", "application/javascript", "no-cache"),
    "dashboard.css": (STATIC / "dashboard.css", "text/css", "no-cache"),
    "chart.umd.min.js": (CHART_JS, "application/javascript", "public, max-age=86400"),
}
ROLE = "analista"
NOT_LOGGED_IN = "Tienes que iniciar sesión para usar el panel de análisis."
ANALYSTS_ONLY = "El panel de análisis es solo para analistas: tu cuenta es de agente."
NO_CONVERSATION = "Esa conversación no está en el registro."
TREND_TABLE = "tendencias"  # dashboard_data.trend_table; the others are the CLI report's

routes = web.RouteTableDef()


async def _forbidden(request: web.Request) -> web.Response:
    return render_page(
        "forbidden.html",
        403,
        heading="Sin acceso al panel de análisis",
        message=ANALYSTS_ONLY,
        home=CONSOLE_HOME,
        home_label="Ir a la consola de atención",
        csrf=await csrf_token(request),
    )


async def _analyst(request: web.Request) -> Account:
    """The analyst behind an API call: 401 for a stranger, 403 for an agent."""
    account = await current_account(request)
    if account is None:
        raise json_error(401, NOT_LOGGED_IN)
    if account.role != ROLE:
        raise json_error(403, ANALYSTS_ONLY)
    return account


def _bad_filter(error: FilterError, for_page: bool) -> web.HTTPException:
    """A Spanish 400: JSON for the page's script, plain text for a download link."""
    if for_page:
        return web.HTTPBadRequest(text=str(error), content_type="text/plain")
    return json_error(400, str(error))


async def _filters(request: web.Request, *, for_page: bool = False) -> tuple[Filters, Period]:
    """The query's filters, checked, and the period they mean."""
    stages = {*request.config_dict[JOURNEY].names, NO_STAGE}
    try:
        filters = parse_filters(request.query, stages)
        period = await in_db(request, lambda db: resolve(db, filters))
    except FilterError as error:
        raise _bad_filter(error, for_page) from None
    return filters, period


async def _report(
    request: web.Request, filters: Filters, period: Period
) -> tuple[Overview, Report]:
    """The cached overview of the period, and its report narrowed to the filters' stage."""
    from bot.gateway.dashboard_data import for_stage, overview, stage_pain_points

    cache = request.config_dict[DASHBOARD_CACHE]
    whole = await cache.get(
        ("overview", period), lambda: in_db(request, lambda db: overview(db, period))
    )
    stage = filters.stage
    if stage is None:
        return whole, whole.report
    points = await cache.get(
        ("pain_points", period, stage),
        lambda: in_db(request, lambda db: stage_pain_points(db, period, stage)),
    )
    return whole, for_stage(whole.report, stage, points)


async def _trends(request: web.Request, period: Period) -> list[Trend]:
    from bot.gateway.dashboard_data import trends

    return await request.config_dict[DASHBOARD_CACHE].get(
        ("trends", period), lambda: in_db(request, lambda db: trends(db, period))
    )


@routes.get("/panel/")
async def dashboard_page(request: web.Request) -> web.StreamResponse:
    account = await current_account(request)
    if account is None:
        raise web.HTTPFound(LOGIN)
    if account.role != ROLE:
        return await _forbidden(request)
    return render_page("dashboard.html", who=account.display_name, csrf=await csrf_token(request))


@routes.get("/panel/api/report")
async def report_data(request: web.Request) -> web.Response:
    """What the page shows for the query's filters (since, until, channel, stage)."""
    from bot.gateway.dashboard_views import dashboard_json

    await _analyst(request)
    filters, period = await _filters(request)
    whole, report = await _report(request, filters, period)
    order = list(request.config_dict[JOURNEY].names)
    return web.json_response(dashboard_json(whole, report, filters.stage, order))


@routes.get("/panel/api/trends")
async def trends_data(request: web.Request) -> web.Response:
    """The metrics day by day (week by week in long periods), for the same filters."""
    from bot.gateway.dashboard_views import trends_json

    await _analyst(request)
    filters, period = await _filters(request)
    trend_list = await _trends(request, period)
    return web.json_response(trends_json(trend_list, period, filters.stage))


@routes.get("/panel/api/conversation")
async def conversation_data(request: web.Request) -> web.Response:
    """One whole conversation of the journey log (``?id=<sender>/<first event>``), masked."""
    from bot.gateway.dashboard_views import conversation_json

    await _analyst(request)
    conversation_id = request.query.get("id", "")[:300]
    found = await in_db(request, lambda db: conversation_json(db, conversation_id))
    if found is None:
        raise json_error(404, NO_CONVERSATION)
    return web.json_response(found)


@routes.get("/panel/csv/{name}.csv")
async def csv_download(request: web.Request) -> web.StreamResponse:
    """One table as a CSV attachment, with the CLI's Spanish headings and 0–1 rates.

    It starts with a byte-order mark so that a spreadsheet opened by double-click reads the
    accents as UTF-8.
    """
    from bot.analytics.render import table_csv
    from bot.analytics.tables import report_tables
    from bot.gateway.dashboard_data import trend_table

    account = await current_account(request)
    if account is None:
        raise web.HTTPFound(LOGIN)
    if account.role != ROLE:
        return await _forbidden(request)
    filters, period = await _filters(request, for_page=True)
    name = request.match_info["name"]
    table: Table | None
    if name == TREND_TABLE:
        table = trend_table(await _trends(request, period), filters.stage)
    else:
        _, report = await _report(request, filters, period)
        table = next((t for t in report_tables(report) if t.name == name), None)
    if table is None:
        raise web.HTTPNotFound()
    parts = [
        "ruta",
        table.name,
        period.since.isoformat(),
        period.until.isoformat(),
        *(p for p in (period.channel, filters.stage) if p),
    ]
    return web.Response(
        text="\ufeff" + table_csv(table),
        content_type="text/csv",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{"_".join(parts)}.csv"'},
    )


@routes.get("/panel/static/{name}")
async def static_file(request: web.Request) -> web.StreamResponse:
    found = FILES.get(request.match_info["name"])
    if found is None or not found[0].is_file():
        raise web.HTTPNotFound()
    path, content_type, cache = found
    return web.FileResponse(path, headers={"Content-Type": content_type, "Cache-Control": cache})


async def _to_dashboard(_: web.Request) -> web.StreamResponse:
    raise web.HTTPFound(DASHBOARD_HOME)


def setup_dashboard(app: web.Application) -> None:
    """Add the dashboard's routes; after ``setup_console``, whose sessions and headers it uses."""
    app[DASHBOARD_CACHE] = ResultCache()
    app.add_routes(routes)
    app.router.add_get("/panel", _to_dashboard)
