"""What `make run` starts: a real Rasa server and action server, answering over HTTP."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.services import DEFAULT_MODEL, running_services
from tests.pg import _free_port


def _say(settings: Settings, sender: str, text: str) -> list[str]:
    request = urllib.request.Request(
        f"{settings.rasa_url}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": text}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return [message.get("text", "") for message in json.load(response)]


@pytest.fixture(scope="module")
def services(sqlite_engine: Engine) -> Iterator[Settings]:
    if not DEFAULT_MODEL.exists():
        pytest.fail("no trained model: `make test` trains one before running the tests")
    settings = Settings(
        database_url=sqlite_engine.url.render_as_string(hide_password=False),
        host="localhost",
        rasa_port=_free_port(),
        actions_port=_free_port(),
        gateway_port=_free_port(),
        rasa_token="test-token",
        seed=7,
    )
    with running_services(settings, timeout=240):
        yield settings


def test_shopper_says_hello_and_gets_a_spanish_greeting(services: Settings) -> None:
    (reply,) = _say(services, "saludo", "hola")
    assert reply.startswith("¡Hola!")


def test_store_hours_come_from_the_store_database(services: Settings) -> None:
    (reply,) = _say(services, "horario", "¿cuál es vuestro horario de atención?")
    assert "Horario de atención: De lunes a viernes" in reply
    assert "@rutastore.example.com" in reply and "30 días" in reply


def test_rasa_http_api_refuses_requests_without_the_token(services: Settings) -> None:
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(f"{services.rasa_url}/status", timeout=10)
    assert err.value.code == 401
    authorised = urllib.request.urlopen(
        f"{services.rasa_url}/status?token={services.rasa_token}", timeout=10
    )
    assert json.load(authorised)["model_file"].endswith("ruta.tar.gz")
