"""A shopper asks where their money is: each refund with amount, state, date and RMA code."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from actions.refunds import ActionEstadoReembolso
from bot.store import store_session
from bot.store.models import Customer, Order, Return
from tests.actions.helpers import demo, make_tracker, responses, run, verified_slots

ACTION = ActionEstadoReembolso()


async def _refunds(slots: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    messages, events = await run(ACTION, make_tracker(slots=slots))
    assert events == []
    return responses(messages), messages


def _rejected_return() -> tuple[dict[str, Any], str, str]:
    """Verified slots of an order whose return was rejected, its RMA code and the reason."""
    with store_session() as session:
        number, email, rma, reason = session.execute(
            select(Order.number, Customer.email, Return.rma_code, Return.rejection_reason)
            .join(Customer, Order.customer_id == Customer.id)
            .join(Return, Return.order_id == Order.id)
            .where(Return.status == "rechazada")
            .order_by(Return.id)
            .limit(1)
        ).one()
    return {"credencial": email, "pedido_verificado": number}, rma, reason


async def test_completed_refund_of_a_return_gives_amount_date_and_rma_code() -> None:
    sent, messages = await _refunds(verified_slots(demo("RU-100008")))
    assert sent == [
        "utter_reembolsos_pedido",
        "utter_reembolso_completado",
        "utter_pedir_valoracion",
    ]
    refund = messages[1]
    assert refund["origen"].startswith("Devolución RMA-")
    assert refund["importe"].endswith(" €") and refund["fecha"].startswith("el ")
    assert refund["metodo_pago"] == "Tarjeta de crédito o débito"


async def test_return_on_its_way_back_says_refund_pending_and_by_when() -> None:
    sent, messages = await _refunds(verified_slots(demo("RU-100013")))
    assert sent[1] == "utter_reembolso_en_curso"
    assert messages[1]["estado"] == "pendiente (tu paquete viene de camino a nuestro almacén)"
    assert messages[1]["fecha"].startswith("como muy tarde el ")


async def test_return_received_says_refund_in_progress() -> None:
    sent, messages = await _refunds(verified_slots(demo("RU-100014")))
    assert sent[1] == "utter_reembolso_en_curso"
    assert messages[1]["estado"] == "en trámite (ya hemos recibido tu paquete)"


async def test_paid_cancelled_order_has_its_refund_with_the_date_due() -> None:
    sent, messages = await _refunds(verified_slots(demo("RU-100007")))
    assert sent == ["utter_reembolsos_pedido", "utter_reembolso_en_curso", "utter_pedir_valoracion"]
    assert messages[1]["origen"] == "Cancelación del pedido"
    assert messages[1]["metodo_pago"] == "PayPal"


async def test_rejected_return_gives_the_reason_and_offers_a_person() -> None:
    slots, rma, reason = _rejected_return()
    sent, messages = await _refunds(slots)
    rejected = next(m for m in messages if m["response"] == "utter_reembolso_rechazado")
    assert rejected["origen"] == f"Devolución {rma}"
    assert rejected["motivo"].rstrip(".") == reason.rstrip(".")
    assert sent[-1] == "utter_pedir_valoracion"


async def test_order_without_refunds_says_so_and_when_refunds_happen() -> None:
    sent, messages = await _refunds(verified_slots(demo("RU-100004")))
    assert sent == ["utter_sin_reembolsos", "utter_pedir_valoracion"]
    assert messages[0]["dias"] == 14


async def test_unverified_shopper_hears_no_refund() -> None:
    sent, messages = await _refunds({"numero_pedido": "RU-100008"})
    assert sent == ["utter_necesito_verificar"]
    assert messages[0]["buttons"] == [
        {"title": "Verificar mi pedido", "payload": "/estado_reembolso"}
    ]


@pytest.mark.usefixtures("dead_store")
async def test_dead_database_apologises() -> None:
    sent, _ = await _refunds({"pedido_verificado": "RU-100008", "credencial": "a@b.es"})
    assert sent == ["utter_error_tienda"]
