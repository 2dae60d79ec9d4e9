"""A shopper asks where their order is and hears it in words, with only the city of delivery."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from actions.common import STATUS_WORDS
from actions.tracking import ActionRastrearPedido
from bot.store import store_session
from bot.store.models import Order
from tests.actions.helpers import demo, domain, make_tracker, responses, run, verified_slots

ACTION = ActionRastrearPedido()


async def _track(number: str) -> tuple[list[str], dict[str, Any]]:
    """The responses sent and the first message (the answer) for a verified ``number``."""
    messages, _ = await run(ACTION, make_tracker(slots=verified_slots(demo(number))))
    return responses(messages), messages[0]


def _address(number: str) -> tuple[str, str]:
    with store_session() as session:
        order = session.scalars(select(Order).where(Order.number == number)).one()
        return order.ship_line1, order.ship_postal_code


def _buttons(response: str) -> list[str]:
    return [b["payload"] for b in domain()["responses"][response][0].get("buttons", [])]


async def test_parcel_on_its_way_gives_carrier_tracking_number_last_scan_and_arrival_day() -> None:
    order = demo("RU-100004")
    sent, answer = await _track(order.number)
    assert sent == ["utter_pedido_en_camino", "utter_pedir_valoracion"]
    assert answer["transportista"] == order.carrier == "SEUR"
    assert answer["seguimiento"] == order.tracking_number
    assert answer["estado"] == STATUS_WORDS["enviado"]
    assert " a las " in answer["ultimo_evento"] and "(" in answer["ultimo_evento"]
    assert answer["fecha_entrega"].startswith(("el ", "mañana", "hoy"))


async def test_parcel_out_for_delivery_arrives_today() -> None:
    sent, answer = await _track("RU-100005")
    assert sent[0] == "utter_pedido_en_camino"
    assert answer["estado"] == STATUS_WORDS["en_reparto"] and answer["fecha_entrega"] == "hoy"
    assert answer["ultimo_evento"].startswith("En reparto")


async def test_delivered_order_says_when_it_arrived_and_how() -> None:
    sent, answer = await _track("RU-100006")
    assert sent == ["utter_pedido_entregado", "utter_pedir_valoracion"]
    assert answer["fecha_entrega"].startswith("el ") and "***" in answer["direccion"]
    assert answer["ultimo_evento"].startswith("Entregado")


async def test_late_parcel_apologises_and_gives_the_carrier_and_tracking_number() -> None:
    order = demo("RU-100009")
    sent, answer = await _track(order.number)
    assert sent == ["utter_pedido_retrasado", "utter_pedir_valoracion"]
    assert answer["transportista"] == "Correos Express"
    assert answer["seguimiento"] == order.tracking_number
    assert answer["fecha_prevista"].startswith(("el ", "ayer"))
    assert domain()["responses"]["utter_pedido_retrasado"][0]["text"].startswith("Lo siento")
    assert _buttons("utter_pedido_retrasado") == ['/reportar_problema{"tipo_problema": "retraso"}']


async def test_lost_parcel_is_under_investigation_and_a_problem_report_is_offered() -> None:
    sent, answer = await _track("RU-100010")
    assert sent == ["utter_pedido_perdido", "utter_pedir_valoracion"]
    assert answer["transportista"] == "Estafeta"
    assert "investigación" in answer["ultimo_evento"]
    assert _buttons("utter_pedido_perdido") == ['/reportar_problema{"tipo_problema": "perdido"}']


@pytest.mark.parametrize("number", ["RU-100002", "RU-100003"])
async def test_paid_order_not_yet_shipped_says_when_it_leaves_the_warehouse(number: str) -> None:
    order = demo(number)
    sent, answer = await _track(number)
    assert sent == ["utter_pedido_por_enviar", "utter_pedir_valoracion"]
    assert answer["estado"] == STATUS_WORDS[order.status]
    assert answer["fecha_envio"].startswith(("hoy", "mañana", "el "))


async def test_order_awaiting_payment_says_it_ships_once_paid() -> None:
    sent, answer = await _track("RU-100001")
    assert sent == ["utter_pedido_pendiente_pago", "utter_pedir_valoracion"]
    assert answer["metodo_pago"] == "Transferencia bancaria" and answer["horas_envio"] == 48


async def test_cancelled_order_has_nothing_on_the_way_and_points_to_the_refund() -> None:
    sent, _ = await _track("RU-100007")
    assert sent == ["utter_pedido_cancelado_sin_envio", "utter_pedir_valoracion"]
    assert _buttons("utter_pedido_cancelado_sin_envio") == ["/estado_reembolso"]


async def test_returned_order_says_it_came_back() -> None:
    sent, _ = await _track("RU-100008")
    assert sent == ["utter_pedido_devuelto_sin_envio", "utter_pedir_valoracion"]


@pytest.mark.parametrize("number", ["RU-100004", "RU-100005", "RU-100006", "RU-100009"])
async def test_only_the_city_is_shown_never_the_street_or_postal_code(number: str) -> None:
    messages, _ = await run(ACTION, make_tracker(slots=verified_slots(demo(number))))
    street, postal_code = _address(number)
    shown = " ".join(str(v) for m in messages for v in m.values() if v)
    assert street not in shown and postal_code not in shown


async def test_unverified_shopper_hears_nothing_about_the_order() -> None:
    order = demo("RU-100004")
    for slots in (
        {"numero_pedido": order.number},
        {**verified_slots(order), "credencial": "otra@example.com"},
    ):
        messages, events = await run(ACTION, make_tracker(slots=slots))
        assert responses(messages) == ["utter_necesito_verificar"]
        assert messages[0]["buttons"] == [
            {"title": "Verificar mi pedido", "payload": "/rastrear_pedido"}
        ]
        assert order.tracking_number not in str(messages) and events == []


@pytest.mark.usefixtures("dead_store")
async def test_dead_database_apologises_and_offers_a_person() -> None:
    tracker = make_tracker(slots={"pedido_verificado": "RU-100004", "credencial": "a@b.es"})
    messages, events = await run(ACTION, tracker)
    assert responses(messages) == ["utter_error_tienda"] and events == []
