"""Finding what the bot answered to one message in a tracker, as Rasa stores it."""

from __future__ import annotations

from typing import Any

from bot.gateway.rasa_client import replies_to

SHOPPER = "a1" * 16
BUTTONS = [{"title": "Sí", "payload": "/afirmar"}, {"title": "No", "payload": "/negar"}]
TRACKER: list[dict[str, Any]] = [
    {"event": "action", "name": "action_session_start"},
    {"event": "user", "text": "hola", "metadata": {"message_id": "m-1"}},
    {"event": "bot", "text": "¡Hola! ¿En qué te ayudo?", "data": {}},
    {"event": "user", "text": "¿dónde está mi pedido?", "metadata": {"message_id": "m-2"}},
    {"event": "action", "name": "pedido_form"},
    {"event": "bot", "text": "¿Cuál es tu número de pedido?", "data": {"buttons": BUTTONS}},
    {"event": "bot", "text": None, "data": {"image": "https://tienda.example/mapa.png"}},
    {"event": "user", "text": "no lo sé", "metadata": {}},
    {"event": "bot", "text": "Lo encuentras en el correo de confirmación.", "data": {}},
]


def test_the_answer_is_every_bot_message_up_to_the_next_shopper_message() -> None:
    assert replies_to(TRACKER, "m-2", SHOPPER) == [
        {"recipient_id": SHOPPER, "text": "¿Cuál es tu número de pedido?", "buttons": BUTTONS},
        {"recipient_id": SHOPPER, "image": "https://tienda.example/mapa.png"},
    ]
    assert replies_to(TRACKER, "m-1", SHOPPER) == [
        {"recipient_id": SHOPPER, "text": "¡Hola! ¿En qué te ayudo?"}
    ]


def test_a_message_rasa_never_saw_has_no_answer_and_an_unanswered_one_an_empty_one() -> None:
    assert replies_to(TRACKER, "m-9", SHOPPER) is None
    silent = [{"event": "user", "text": "vale", "metadata": {"message_id": "m-3"}}]
    assert replies_to(silent, "m-3", SHOPPER) == []
