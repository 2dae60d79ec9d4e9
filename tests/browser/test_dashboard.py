"""An analyst reads the dashboard in real Chromium; an agent is turned away.

No Rasa here: the gateway runs as ``python -m bot.gateway serve`` (what ``make run`` starts)
on its own SQLite database, filled with a synthetic journey log of a month with a planted pain
point (return labels that never arrive), an analyst and an agent.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from bench.synthetic_log import Plant, generate
from bot.gateway.console import LOGIN
from bot.services import BIN, Service, service_env
from bot.store.db import create_store_engine
from tests.browser.conftest import watch_errors
from tests.gateway.console_client import PASSWORD, make_account
from tests.gateway.helpers import migrated_database, offline_settings

LABELS = Plant(
    stage="postventa",
    intent="solicitar_devolucion",
    category="talla",
    handoff_rate=0.7,
    words="la etiqueta de devolución no me llega al correo",
)


@pytest.fixture(scope="module")
def gateway_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A gateway of its own (no Rasa behind it) over a month of synthetic conversations."""
    folder = tmp_path_factory.mktemp("dashboard")
    url = migrated_database(folder)
    engine = create_store_engine(url)
    generate(engine, turns=20_000, seed=5, start=datetime(2026, 9, 1), days=30, plant=LABELS)
    engine.dispose()
    make_account(url, "andres", "Andrés", role="analista")
    make_account(url, "lucia", "Lucía")
    settings = offline_settings(url, folder / "uploads")
    service = Service(
        name="gateway",
        command=[str(BIN / "python"), "-m", "bot.gateway", "serve"],
        health_url=f"http://127.0.0.1:{settings.gateway_port}/health",
        log_path=folder / "gateway.log",
    )
    service.start(service_env(settings))
    try:
        service.wait_ready(60)
        yield f"http://127.0.0.1:{settings.gateway_port}"
    finally:
        service.stop()


def log_in(page: Page, username: str) -> None:
    page.goto(LOGIN)
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()


def table_rows(page: Page, name: str) -> list[list[str]]:
    rows = page.locator(f'[data-table="{name}"] tbody tr')
    return [row.locator("td").all_inner_texts() for row in rows.all()]


def test_an_analyst_reads_the_funnel_and_pain_points_opens_a_transcript_and_downloads_a_csv(
    new_context: Callable[..., BrowserContext], page_errors: list[str], tmp_path: Path
) -> None:
    page = watch_errors(new_context(accept_downloads=True).new_page(), page_errors)
    log_in(page, "andres")
    expect(page).to_have_url(re.compile(r"/panel/$"))
    expect(page.get_by_role("heading", name="Panel de análisis")).to_be_visible()
    expect(page.locator("#status")).to_have_text(re.compile(r"^Datos del "))
    # Without dates: the 30 days up to the log's last conversation, filled into the form.
    since, until = (
        page.get_by_label("Desde").input_value(),
        page.get_by_label("Hasta").input_value(),
    )
    assert (since[:7], until[:7]) == ("2026-09", "2026-09")
    shown = f"del {since[8:]}/{since[5:7]}/{since[:4]} al {until[8:]}/{until[5:7]}/{until[:4]}"
    expect(page.locator("#status")).to_have_text(f"Datos {shown}.")

    # The funnel: drawn by Chart.js from the same rows as the table beside it.
    funnel = table_rows(page, "embudo")
    assert [row[0] for row in funnel] == [
        "Descubrimiento",
        "Consideración",
        "Compra",
        "Postventa",
        "Recomendación",
    ]
    drawn = page.evaluate(
        "() => { const c = Chart.getChart('funnel-chart');"
        " return [c.data.labels, c.data.datasets[0].data]; }"
    )
    assert drawn[0] == [row[0] for row in funnel]
    assert [str(n) for n in drawn[1]] == [row[1].replace(".", "") for row in funnel]
    heatmap = page.get_by_role("table", name="Conversaciones por etapa final y resultado")
    expect(heatmap.get_by_role("rowheader", name="Postventa")).to_be_visible()
    # The trend arrives in its own request, a point a day, its table folded under the charts.
    expect(page.locator('[data-table="tendencias"] summary')).to_have_text(
        "Ver la tabla (30 filas)"
    )
    assert page.evaluate("() => Chart.getChart('volume-chart').data.labels.length") == 30

    # The planted pain point ranks first; its examples open into a whole transcript.
    points = page.get_by_role("list", name="Puntos de dolor, el más claro primero")
    first = points.get_by_role("button").first
    expect(first).to_contain_text("Postventa · solicitar_devolucion · talla")
    first.click()
    expect(first).to_have_attribute("aria-pressed", "true")
    detail = page.locator("#pain-detail")
    expect(detail.locator(".terms")).to_contain_text("etiqueta")
    expect(detail.locator(".example")).to_have_count(3)
    detail.get_by_role("button", name="Abrir la conversación completa del ejemplo 1").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading")).to_contain_text("Conversación sintetico-")
    transcript = dialog.get_by_role("list", name="Mensajes de la conversación")
    expect(transcript.locator(".message.shopper").first).to_contain_text("Cliente")
    expect(dialog.locator("#transcript-meta")).to_contain_text("Postventa")
    dialog.get_by_role("button", name="Cerrar").click()
    expect(dialog).to_be_hidden()

    # The funnel's CSV: a real download, the CLI's headings, the page's numbers.
    with page.expect_download() as info:
        page.get_by_role("link", name="Descargar CSV: Embudo por etapa").click()
    download = info.value
    assert download.suggested_filename == f"ruta_embudo_{since}_{until}.csv"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    with saved.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["Etapa", "Pasaron por ella", "Terminaron en ella"]
    assert rows[1:] == [[r[0], r[1].replace(".", ""), r[2].replace(".", "")] for r in funnel]

    # Filtering by stage narrows every table and the pain points to that stage.
    page.get_by_label("Etapa", exact=True).select_option(label="Postventa")
    page.get_by_role("button", name="Aplicar").click()
    expect(page.locator("#status")).to_have_text(f"Datos {shown} · etapa Postventa.")
    assert [row[0] for row in table_rows(page, "embudo")] == ["Postventa"]
    assert "stage=postventa" in page.url
    titles = points.locator(".pain-title").all_inner_texts()
    assert titles and all(t.startswith("Postventa") for t in titles)

    page.get_by_role("button", name="Cerrar sesión").click()
    expect(page).to_have_url(re.compile(f"{LOGIN}$"))
    page.goto("/panel/")
    expect(page).to_have_url(re.compile(f"{LOGIN}$"))
    assert page_errors == [], "the page raised errors:\n" + "\n".join(page_errors)


def test_a_date_range_the_log_cannot_cover_is_explained_in_spanish(
    new_context: Callable[..., BrowserContext], page_errors: list[str]
) -> None:
    page = watch_errors(new_context().new_page(), page_errors)
    log_in(page, "andres")
    expect(page.locator("#status")).to_contain_text("Datos del")
    page.get_by_label("Desde").fill("2026-09-20")
    page.get_by_label("Hasta").fill("2026-09-10")
    page.get_by_role("button", name="Aplicar").click()
    expect(page.get_by_role("alert")).to_have_text(
        "La fecha de inicio (20/09/2026) es posterior a la de fin (10/09/2026)."
    )
    expect(page.locator("#status")).to_have_text("Sigues viendo los datos anteriores.")


def test_an_agent_account_cannot_open_the_dashboard(
    new_context: Callable[..., BrowserContext],
) -> None:
    stranger = new_context().new_page()
    stranger.goto("/panel/")
    expect(stranger).to_have_url(re.compile(f"{LOGIN}$"))

    page = new_context().new_page()
    log_in(page, "lucia")
    expect(page.get_by_role("heading", name="Consola de atención")).to_be_visible()
    response = page.goto("/panel/")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", name="Sin acceso al panel de análisis")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_text(
        "El panel de análisis es solo para analistas: tu cuenta es de agente."
    )
    expect(page.get_by_role("link", name="Ir a la consola de atención")).to_be_visible()
    assert page.request.get("/panel/csv/embudo.csv").status == 403
    assert page.request.get("/panel/api/report").status == 403
