"""Analysts at the dashboard: who gets in, what the numbers say, filters, CSV files, transcripts.

The gateway runs for real (aiohttp on a loopback port, SQLite) over a small hand-built journey
log: June 2025 in compra, where late parcels go badly and tracking goes well, and a few
conversations in consideración on another channel. The page itself, in Chromium, is
``tests/browser/test_dashboard.py``.
"""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy.orm import Session, sessionmaker

from bot.analytics.period import Period
from bot.analytics.render import cell
from bot.analytics.report import build_report
from bot.analytics.tables import report_tables
from bot.gateway import dashboard_data
from bot.gateway.dashboard_cache import DASHBOARD_CACHE, ResultCache
from bot.gateway.dashboard_data import trend_periods
from bot.handoff.models import Handoff
from bot.store.db import create_store_engine
from tests.analytics.log import Said, conversation
from tests.gateway.console_client import Console, make_account
from tests.gateway.helpers import gateway, migrated_database, offline_settings

DAY = datetime(2025, 6, 12, 11, 0)
JUNE = {"since": "2025-06-01", "until": "2025-06-30"}
TABLES = {
    "metricas",
    "embudo",
    "transiciones",
    "finales",
    "puntos_de_dolor",
    "ejemplos",
    "no_entendidos",
    "acuerdo_agentes",
    "correcciones",
}


def june_log(db: Session) -> None:
    """60 conversations in compra (20 late parcels, 15 handed off) and 12 in consideración."""
    for i in range(20):
        conversation(
            db, f"late-{i}", DAY + timedelta(hours=i), "compra",
            "derivada" if i < 15 else "resuelta",
            intent="reportar_problema", category="retraso", order_status="enviado",
            order_late=True,
            said=[Said("mi paquete no llega, escribidme a [email]"),
                  Said("Lo siento, te paso con una persona.", bot=True)],
        )  # fmt: skip
    for i in range(40):
        conversation(
            db,
            f"track-{i}",
            DAY + timedelta(days=i % 10),
            "compra",
            "abandonada" if i < 4 else "resuelta",
            intent="rastrear_pedido",
            said=[Said("¿dónde está mi pedido?"), Said("En camino.", bot=True)],
        )
    for i in range(12):
        conversation(
            db,
            f"browse-{i}",
            DAY + timedelta(days=2),
            "consideracion",
            "resuelta" if i < 9 else "abandonada",
            intent="consultar_envio",
            channel="socketio",
            said=[Said("¿cuánto tarda el envío?"), Said("asdf", fallback=i < 3)],
        )
    db.add(
        Handoff(
            sender_id="late-0", reason="pidio_persona", stage="compra", status="cerrada",
            queued_at=DAY + timedelta(seconds=30), disposition_stage="postventa",
            disposition_category="retraso",
        )
    )  # fmt: skip


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    url = migrated_database(tmp_path)
    make_account(url, "andres", "Andrés", role="analista")
    make_account(url, "lucia", "Lucía")
    engine = create_store_engine(url)
    with sessionmaker(bind=engine, future=True).begin() as db:
        june_log(db)
    engine.dispose()
    return url


@pytest.fixture
async def client(database_url: str, tmp_path: Path) -> AsyncIterator[TestClient]:
    async with gateway(offline_settings(database_url, tmp_path / "uploads")) as client:
        yield client


@pytest.fixture
async def visitor(client: TestClient) -> AsyncIterator[Console]:
    """A browser nobody has logged in with yet."""
    browser = Console(f"http://127.0.0.1:{client.port}")
    yield browser
    await browser.close()


@pytest.fixture
async def analyst(visitor: Console) -> Console:
    response = await visitor.log_in("andres")
    assert (response.status, response.headers["Location"]) == (303, "/panel/")
    return visitor


async def report(browser: Console, what: str = "report", **query: str) -> tuple[int, Any]:
    async with browser.http.get(
        f"/panel/api/{what}", params=query, headers={"Accept": "application/json"}
    ) as response:
        return response.status, await response.json()


async def download(browser: Console, url: str) -> tuple[Any, list[list[str]]]:
    async with browser.http.get(url) as response:
        assert response.status == 200, await response.text()
        body = await response.read()
    return response, list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


async def test_an_analyst_lands_on_the_dashboard_after_logging_in(analyst: Console) -> None:
    async with analyst.http.get("/panel/") as page:
        assert page.status == 200
        text = await page.text()
        assert "Panel de análisis" in text and "Hola, Andrés" in text
        assert "script-src 'self'" in page.headers["Content-Security-Policy"]
        assert page.headers["X-Frame-Options"] == "DENY"
    async with analyst.http.get("/console/login", allow_redirects=False) as login:
        assert (login.status, login.headers["Location"]) == (302, "/panel/")
    async with analyst.http.get("/panel", allow_redirects=False) as bare:
        assert bare.headers["Location"] == "/panel/"
    for name in ("dashboard.js", "dashboard.css", "chart.umd.min.js"):
        async with analyst.http.get(f"/panel/static/{name}") as asset:
            assert asset.status == 200, name
            head = (await asset.text())[:200]
    assert "Chart.js v4.5.1" in head  # the pinned copy from bot/gateway/vendor, no CDN
    async with analyst.http.get("/panel/static/../accounts.py") as escape:
        assert escape.status == 404


async def test_an_agent_cannot_open_the_dashboard(visitor: Console) -> None:
    response = await visitor.log_in("lucia")
    assert response.headers["Location"] == "/console/"
    async with visitor.http.get("/panel/") as page:
        assert page.status == 403
        text = await page.text()
        assert "El panel de análisis es solo para analistas: tu cuenta es de agente." in text
        assert 'href="/console/"' in text
    status, data = await report(visitor, **JUNE)
    assert status == 403
    assert data["error"] == "El panel de análisis es solo para analistas: tu cuenta es de agente."
    async with visitor.http.get("/panel/csv/embudo.csv") as download:
        assert download.status == 403
    async with visitor.http.get("/panel/api/conversation", params={"id": "late-0/1"}) as one:
        assert one.status == 403


async def test_every_dashboard_route_refuses_a_stranger(
    client: TestClient, visitor: Console
) -> None:
    """Walks the routing table, so a dashboard route added later cannot be left open."""
    public = {"/panel/static/{name}", "/panel"}
    checked = 0
    for resource in client.app.router.resources():
        path = resource.canonical
        if not path.startswith("/panel") or path in public:
            continue
        url = path.replace("{name}", "embudo")
        async with visitor.http.get(url, allow_redirects=False) as response:
            if path.startswith("/panel/api/"):
                assert response.status == 401, url
                assert (await response.json())["error"] == (
                    "Tienes que iniciar sesión para usar el panel de análisis."
                )
            else:
                assert (response.status, response.headers["Location"]) == (302, "/console/login")
        checked += 1
    assert checked >= 4


async def test_the_numbers_are_the_reports_numbers(analyst: Console, database_url: str) -> None:
    status, data = await report(analyst, **JUNE)
    assert status == 200
    assert data["filters"]["title"] == "Del 01/06/2025 al 30/06/2025"
    summary = {item["label"]: item["value"] for item in data["summary"]}
    assert summary["Conversaciones"] == "72"
    assert set(data["tables"]) == TABLES
    # The same bot.analytics functions, run here directly, give the same cells.
    engine = create_store_engine(database_url)
    with Session(engine, future=True) as session:
        expected = build_report(session=session, period=Period(date(2025, 6, 1), date(2025, 6, 30)))
    engine.dispose()
    for table in report_tables(expected):
        shown = data["tables"][table.name]
        assert shown["columns"] == [heading for heading, _ in table.columns]
        if table.name in ("puntos_de_dolor", "no_entendidos"):  # words depend on the sample
            assert len(shown["rows"]) == len(table.rows)
            continue
        assert shown["rows"] == [
            [cell(v, k) for v, (_, k) in zip(row, table.columns, strict=True)] for row in table.rows
        ], table.name


async def test_funnel_heatmap_and_pain_points_show_where_shoppers_get_stuck(
    analyst: Console,
) -> None:
    _, data = await report(analyst, **JUNE)
    assert data["funnel"] == [
        {"label": "Consideración", "reached": 12, "ended": 12},
        {"label": "Compra", "reached": 60, "ended": 60},
    ]
    heatmap = data["heatmap"]
    assert heatmap["outcomes"] == ["Resuelta", "Derivada", "Abandonada"]
    compra = heatmap["rows"][1]
    assert compra["label"] == "Compra" and compra["total"] == "60"
    assert [c["count"] for c in compra["cells"]] == ["41", "15", "4"]
    assert compra["cells"][0]["share"] == "68,3 %"
    assert compra["cells"][0]["level"] > compra["cells"][2]["level"] >= 1
    first = data["pain_points"][0]
    assert (first["stage"], first["intent"], first["category"]) == (
        "Compra",
        "reportar_problema",
        "retraso",
    )
    assert (first["conversations"], first["bad_rate"]) == ("20", "75,0 %")
    assert first["trend"] == "sin datos del periodo anterior"
    assert len(first["examples"]) == 3
    line = first["examples"][0]["lines"][0]
    assert line == {
        "speaker": "shopper",
        "who": "Cliente",
        "text": "mi paquete no llega, escribidme a [email]",
    }


async def test_the_trend_follows_the_period_day_by_day(analyst: Console) -> None:
    status, trends = await report(analyst, "trends", **JUNE)
    assert status == 200
    assert len(trends["labels"]) == 30 and trends["labels"][0] == "01/06"
    assert sum(trends["conversations"]) == 72
    day = trends["labels"].index("12/06")  # 13 late parcels handed off, 4 trackings
    assert trends["handoff"][day] == pytest.approx(100 * 13 / 17, abs=0.05)
    assert trends["containment"][0] is None  # nobody on 1 June: no rate, not 0 %
    table = trends["table"]
    assert table["columns"][:3] == ["Desde", "Hasta", "Conversaciones"]
    assert table["rows"][day][:3] == ["2025-06-12", "2025-06-12", "17"]
    _, browsing = await report(analyst, "trends", **JUNE, stage="consideracion")
    assert sum(browsing["conversations"]) == 12


async def test_filters_by_channel_and_stage_change_the_numbers(analyst: Console) -> None:
    _, socketio = await report(analyst, **JUNE, channel="socketio")
    assert socketio["summary"][0]["value"] == "12"
    assert socketio["filters"]["title"] == "Del 01/06/2025 al 30/06/2025 · canal socketio"
    assert [r["label"] for r in socketio["funnel"]] == ["Consideración"]

    _, compra = await report(analyst, **JUNE, stage="compra")
    assert compra["summary"][0]["value"] == "60"
    assert [r["label"] for r in compra["funnel"]] == ["Compra"]
    assert [row[0] for row in compra["tables"]["metricas"]["rows"]] == ["Compra"]
    assert {p["stage"] for p in compra["pain_points"]} == {"Compra"}
    assert compra["tables"]["acuerdo_agentes"]["rows"] == [["Compra", "1", "0", "0,0 %"]]
    assert "stage=compra" in compra["tables"]["embudo"]["csv"]

    _, browsing = await report(analyst, **JUNE, stage="consideracion")
    assert browsing["summary"][0]["value"] == "12"
    assert all(p["stage"] == "Consideración" for p in browsing["pain_points"])
    assert browsing["tables"]["acuerdo_agentes"]["rows"] == []

    _, june_first_week = await report(analyst, since="2025-06-01", until="2025-06-07")
    assert june_first_week["summary"][0]["value"] == "0"
    assert june_first_week["pain_points"] == []


async def test_without_dates_the_dashboard_shows_the_logs_last_30_days(analyst: Console) -> None:
    _, data = await report(analyst)
    last = DAY + timedelta(days=9)  # the latest tracking conversation
    assert data["filters"]["until"] == last.date().isoformat()
    assert data["filters"]["since"] == (last.date() - timedelta(days=29)).isoformat()
    assert data["options"]["channels"] == ["rest", "socketio"]
    assert data["options"]["stages"][0] == {"name": "descubrimiento", "label": "Descubrimiento"}
    assert data["options"]["stages"][-1] == {"name": "sin_etapa", "label": "Sin etapa"}


async def test_every_table_downloads_as_the_csv_the_cli_writes(analyst: Console) -> None:
    _, data = await report(analyst, **JUNE)
    _, trends = await report(analyst, "trends", **JUNE)
    tables = {**data["tables"], "tendencias": trends["table"]}
    assert set(tables) == {*TABLES, "tendencias"}
    for name, table in tables.items():
        response, rows = await download(analyst, table["csv"])
        assert response.content_type == "text/csv"
        disposition = response.headers["Content-Disposition"]
        assert disposition == f'attachment; filename="ruta_{name}_2025-06-01_2025-06-30.csv"'
        assert rows[0] == table["columns"], name
        assert len(rows) - 1 == len(table["rows"]), name
    _, funnel = await download(analyst, data["tables"]["embudo"]["csv"])
    assert funnel == [
        ["Etapa", "Pasaron por ella", "Terminaron en ella"],
        ["Consideración", "12", "12"],
        ["Compra", "60", "60"],
    ]
    _, metrics = await download(analyst, data["tables"]["metricas"]["csv"])
    compra = next(row for row in metrics if row[0] == "Compra")
    assert float(compra[5]) == pytest.approx(15 / 60)  # handoff rate as 0–1, not "25,0 %"
    async with analyst.http.get("/panel/csv/nada.csv") as missing:
        assert missing.status == 404


async def test_a_stage_filtered_download_holds_only_that_stage(analyst: Console) -> None:
    _, rows = await download(
        analyst, "/panel/csv/metricas.csv?since=2025-06-01&until=2025-06-30&stage=compra"
    )
    assert [row[0] for row in rows[1:]] == ["Compra"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"since": "2025-06-30", "until": "2025-06-01"}, "es posterior a la de fin"),
        ({"since": "30/06/2025"}, "usa el formato AAAA-MM-DD"),
        ({"until": "mañana"}, "usa el formato AAAA-MM-DD"),
        ({"since": "0001-01-01"}, "entre el año 2000 y el 2100"),
        ({"stage": "checkout"}, "La etapa «checkout» no existe"),
        ({"channel": "<script>"}, "El canal no es válido"),
        ({"since": "2026-01-01"}, "posterior al último día con conversaciones"),
    ],
)
async def test_bad_filters_get_a_clear_spanish_answer(
    analyst: Console, query: dict[str, str], message: str
) -> None:
    status, data = await report(analyst, **query)
    assert status == 400
    assert message in data["error"]
    async with analyst.http.get("/panel/csv/embudo.csv", params=query) as response:
        assert response.status == 400
        assert message in await response.text()


async def test_a_pain_point_opens_into_a_whole_transcript(analyst: Console) -> None:
    _, data = await report(analyst, **JUNE)
    example = data["pain_points"][0]["examples"][0]
    async with analyst.http.get(
        "/panel/api/conversation", params={"id": example["conversation_id"]}
    ) as response:
        assert response.status == 200
        whole = await response.json()
    assert whole["conversation_id"] == example["conversation_id"]
    assert (whole["channel"], whole["path"], whole["outcome"]) == ("rest", "Compra", "Derivada")
    assert [(line["who"], line["text"]) for line in whole["lines"]] == [
        ("Cliente", "mi paquete no llega, escribidme a [email]"),
        ("Asistente", "Lo siento, te paso con una persona."),
    ]
    assert whole["lines"][0]["stage"] == "Compra"
    async with analyst.http.get("/panel/api/conversation", params={"id": "nadie/1"}) as missing:
        assert missing.status == 404
        assert (await missing.json())["error"] == "Esa conversación no está en el registro."


async def test_one_report_per_filter_is_computed_while_it_is_fresh(
    analyst: Console, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    computed: list[Period] = []
    real = dashboard_data.overview

    def counting(db: Session, period: Period) -> dashboard_data.Overview:
        computed.append(period)
        return real(db, period)

    monkeypatch.setattr(dashboard_data, "overview", counting)
    answers = await asyncio.gather(*(report(analyst, **JUNE) for _ in range(3)))
    assert [status for status, _ in answers] == [200, 200, 200]
    await report(analyst, **JUNE, stage="compra")  # the stage narrows the same overview
    assert len(computed) == 1
    await report(analyst, **JUNE, channel="rest")
    assert len(computed) == 2
    client.app[DASHBOARD_CACHE].clear()
    await report(analyst, **JUNE)
    assert len(computed) == 3


async def test_cached_results_expire() -> None:
    cache = ResultCache(ttl=0.05)
    calls: list[int] = []

    async def compute() -> int:
        calls.append(1)
        return len(calls)

    assert await cache.get("k", compute) == 1
    assert await cache.get("k", compute) == 1
    await asyncio.sleep(0.06)
    assert await cache.get("k", compute) == 2


def test_the_trend_has_days_for_a_month_and_weeks_for_a_quarter() -> None:
    month = trend_periods(Period(date(2025, 6, 1), date(2025, 6, 30)))
    assert len(month) == 30 and month[0].days == 1
    quarter = trend_periods(Period(date(2025, 4, 1), date(2025, 6, 30)))
    assert [p.days for p in quarter] == [7] * 13
    year = trend_periods(Period(date(2025, 1, 1), date(2025, 12, 31), "rest"))
    assert len(year) <= 31 and year[-1].until == date(2025, 12, 31)
    assert {p.channel for p in year} == {"rest"}
