"""What `make run` starts: a real Rasa server and action server, answering over HTTP."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from bot.config import Settings


def _say(settings: Settings, sender: str, text: str) -> list[str]:
    request = urllib.request.Request(
        f"{settings.rasa_url}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": text}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return [message.get("text", "") for message in json.load(response)]


@pytest.fixture
def services(live_services: Settings) -> Settings:
    return live_services


def test_shopper_says_hello_and_gets_a_spanish_greeting(services: Settings) -> None:
    replies = _say(services, "saludo", "hola")
    assert replies and replies[0].startswith("¡Hola!")


def test_store_hours_come_from_the_store_database(services: Settings, today_store_url: str) -> None:
    from bot.store import get_policies, store_session
    from bot.store.db import create_store_engine

    engine = create_store_engine(today_store_url)
    with store_session(engine) as session:
        hours = get_policies(session=session).support_hours
    engine.dispose()
    reply = " ".join(_say(services, "horario", "¿cuál es vuestro horario de atención?"))
    assert hours in reply


def test_rasa_http_api_refuses_requests_without_the_token(services: Settings) -> None:
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(f"{services.rasa_url}/status", timeout=10)
    assert err.value.code == 401
    authorised = urllib.request.urlopen(
        f"{services.rasa_url}/status?token={services.rasa_token}", timeout=10
    )
    assert json.load(authorised)["model_file"].endswith("ruta.tar.gz")
