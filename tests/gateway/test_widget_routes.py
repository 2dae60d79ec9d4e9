"""The widget's files and its history endpoint, on the gateway alone (Rasa down)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.gateway.helpers import ANA, gateway, migrated_database, offline_settings


@pytest.fixture
def settings(tmp_path: Path) -> Any:
    return offline_settings(migrated_database(tmp_path), tmp_path / "uploads")


async def test_gateway_answers_its_health_check(settings: Any) -> None:
    async with gateway(settings) as client:
        response = await client.get("/health")
        assert response.status == 200 and (await response.json()) == {"status": "ok"}


async def test_widget_script_and_the_pinned_socketio_client_are_served_locally(
    settings: Any,
) -> None:
    async with gateway(settings) as client:
        script = await client.get("/widget.js")
        assert script.status == 200 and "javascript" in script.content_type
        assert script.headers["X-Content-Type-Options"] == "nosniff"
        vendor = await client.get("/vendor/socket.io.min.js")
        assert vendor.status == 200
        assert "Socket.IO v4.8.1" in (await vendor.text())[:200]


async def test_files_outside_the_static_folder_are_not_served(settings: Any) -> None:
    async with gateway(settings) as client:
        for path in ("/static/../app.py", "/static/%2e%2e/app.py", "/static/../../../config.py"):
            response = await client.get(path)
            assert response.status == 404, path
            assert "def create_app" not in await response.text()


async def test_an_unknown_page_is_a_spanish_404(settings: Any) -> None:
    async with gateway(settings) as client:
        page = await client.get("/ofertas-secretas")
        assert page.status == 404 and "text/html" in page.content_type
        assert "Esta página no existe." in await page.text()
        api = await client.get("/widget/sesiones")
        assert api.status == 404
        assert (await api.json()) == {"error": "Esta página no existe."}


async def test_history_refuses_a_guessable_session_id(settings: Any) -> None:
    async with gateway(settings) as client:
        for guess in ("ana", "1", "", "a1a1"):
            response = await client.get("/widget/history", params={"session_id": guess})
            assert response.status == 400
            assert (await response.json())["error"] == "Esa conversación no existe."


async def test_reloading_the_history_over_and_over_is_slowed_down_in_spanish(
    tmp_path: Path,
) -> None:
    settings = offline_settings(
        migrated_database(tmp_path), tmp_path / "uploads", rate_limit_per_minute=3
    )
    async with gateway(settings) as client:
        statuses = []
        for _ in range(4):  # Rasa is down here: 503 until the budget runs out
            response = await client.get("/widget/history", params={"session_id": ANA})
            statuses.append(response.status)
        assert statuses == [503, 503, 503, 429]
        assert "Vas muy rápido" in (await response.json())["error"]
        # Another shopper's conversation has its own budget, up to ten sessions per address.
        other = await client.get("/widget/history", params={"session_id": "b" * 32})
        assert other.status == 503
        for index in range(30):
            await client.get("/widget/history", params={"session_id": f"{index:032d}"})
        bulk = await client.get("/widget/history", params={"session_id": "c" * 32})
        assert bulk.status == 429


async def test_a_store_on_another_site_may_read_the_widget_endpoints(settings: Any) -> None:
    shop = {"Origin": "https://zapatos-lucia.example"}
    async with gateway(settings) as client:
        preflight = await client.options(
            "/widget/upload",
            headers={**shop, "Access-Control-Request-Method": "POST"},
        )
        assert preflight.status == 204
        assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
        for answer in (
            await client.get("/widget/history", params={"session_id": ANA}, headers=shop),
            await client.get("/widget/history", params={"session_id": "ana"}, headers=shop),
            await client.post("/widget/upload", data=b"no", headers=shop),
        ):
            assert answer.headers["Access-Control-Allow-Origin"] == "*", answer.status
        console = await client.get("/console/", headers=shop, allow_redirects=False)
        assert "Access-Control-Allow-Origin" not in console.headers


async def test_history_while_rasa_is_down_says_so_in_spanish(settings: Any) -> None:
    async with gateway(settings) as client:
        response = await client.get("/widget/history", params={"session_id": ANA})
        assert response.status == 503
        assert "no puedo recuperar tu conversación" in (await response.json())["error"]


async def test_websocket_transport_speaks_socketio_v5_like_a_browser(settings: Any) -> None:
    """Engine.IO v4 / Socket.IO v5 framing over a raw websocket, as socket.io-client 4 sends it."""
    async with gateway(settings) as client:
        url = client.make_url("/socket.io/").with_query({"EIO": "4", "transport": "websocket"})
        async with aiohttp.ClientSession() as http, http.ws_connect(url) as ws:
            opened = await ws.receive_str(timeout=10)
            assert opened.startswith("0") and "pingInterval" in opened
            await ws.send_str("40")
            assert (await ws.receive_str(timeout=10)).startswith("40")
            await ws.send_str('42["session_request",{"session_id":null}]')
            event, session_id = json.loads((await ws.receive_str(timeout=10))[2:])
            assert event == "session_confirm" and len(session_id) == 32
            await ws.send_str(
                f'42["user_uttered",{{"message":"hola","session_id":"{session_id}"}}]'
            )
            event, said = json.loads((await ws.receive_str(timeout=20))[2:])
    assert event == "bot_uttered"
    assert "el asistente no puede responderte" in said["text"]  # Rasa is down in this test
