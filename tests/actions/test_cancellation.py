"""A shopper cancels an order that has not shipped, after saying yes to what gets refunded."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from actions.cancellation import (
    ActionCancelarPedido,
    ActionConsultarCancelacion,
    ActionDescartarCancelacion,
)
from bot.store import store_session
from bot.store.demo import DEMO_FIRST, DEMO_LAST
from bot.store.models import Customer, Order
from tests.actions.helpers import (
    demo,
    domain,
    make_tracker,
    responses,
    run,
    slot_events,
    verified_slots,
)

CHECK, CANCEL, KEEP = (
    ActionConsultarCancelacion(),
    ActionCancelarPedido(),
    ActionDescartarCancelacion(),
)


def _other_order(status: str) -> dict[str, Any]:
    """Verified slots for a non-demo order in ``status`` that nobody else writes to."""
    with store_session() as session:
        number, email = session.execute(
            select(Order.number, Customer.email)
            .join(Customer, Order.customer_id == Customer.id)
            .where(Order.status == status, ~Order.number.between(DEMO_FIRST, DEMO_LAST))
            .order_by(Order.number.desc())
            .limit(1)
        ).one()
    return {"numero_pedido": number, "credencial": email, "pedido_verificado": number}


def _status(number: str) -> str:
    with store_session() as session:
        return session.scalars(select(Order.status).where(Order.number == number)).one()


def _buttons(response: str) -> list[str]:
    return [b["payload"] for b in domain()["responses"][response][0].get("buttons", [])]


async def test_paid_order_not_shipped_asks_to_confirm_and_says_what_is_refunded() -> None:
    order = demo("RU-100002")
    messages, events = await run(CHECK, make_tracker(slots=verified_slots(order)))
    assert responses(messages) == ["utter_confirmar_cancelacion"]
    assert messages[0]["importe"].endswith(" €") and messages[0]["importe"] != "0,00 €"
    assert messages[0]["metodo_pago"] == "Tarjeta de crédito o débito"
    assert messages[0]["articulos"]
    assert _buttons("utter_confirmar_cancelacion") == ["/afirmar", "/negar"]
    assert slot_events(events) == {"confirmar_cancelacion": True}


async def test_unpaid_order_asks_to_confirm_and_says_nothing_is_charged() -> None:
    messages, events = await run(CHECK, make_tracker(slots=verified_slots(demo("RU-100001"))))
    assert responses(messages) == ["utter_confirmar_cancelacion_sin_pago"]
    assert slot_events(events) == {"confirmar_cancelacion": True}


async def test_confirmed_cancellation_cancels_and_says_refund_method_and_date() -> None:
    slots = {**_other_order("preparando"), "confirmar_cancelacion": True}
    messages, events = await run(CANCEL, make_tracker(slots=slots))
    assert responses(messages) == ["utter_pedido_cancelado", "utter_pedir_valoracion"]
    done = messages[0]
    assert done["numero_pedido"] == slots["pedido_verificado"]
    assert done["importe"].endswith(" €") and done["metodo_pago"]
    assert " de " in done["fecha_reembolso"]
    assert slot_events(events) == {"confirmar_cancelacion": False, "estado_pedido": "cancelado"}
    assert _status(slots["pedido_verificado"]) == "cancelado"


async def test_confirmed_cancellation_of_an_unpaid_order_charges_nothing() -> None:
    slots = {**_other_order("pendiente_pago"), "confirmar_cancelacion": True}
    messages, _ = await run(CANCEL, make_tracker(slots=slots))
    assert responses(messages) == ["utter_pedido_cancelado_sin_pago", "utter_pedir_valoracion"]
    assert _status(slots["pedido_verificado"]) == "cancelado"


async def test_nothing_is_cancelled_without_a_yes_to_the_question() -> None:
    order = demo("RU-100003")
    messages, events = await run(CANCEL, make_tracker(slots=verified_slots(order)))
    assert responses(messages)[0].startswith("utter_confirmar_cancelacion")
    assert slot_events(events) == {"confirmar_cancelacion": True}
    assert _status(order.number) == "preparando"


async def test_shopper_who_says_no_keeps_the_order_as_it_is() -> None:
    order = demo("RU-100003")
    slots = {**verified_slots(order), "confirmar_cancelacion": True}
    messages, events = await run(KEEP, make_tracker(slots=slots))
    assert responses(messages) == ["utter_cancelacion_descartada"]
    assert slot_events(events) == {"confirmar_cancelacion": False}
    assert _status(order.number) == "preparando"


async def test_shipped_order_cannot_be_cancelled_and_says_it_can_be_returned_on_arrival() -> None:
    messages, events = await run(CHECK, make_tracker(slots=verified_slots(demo("RU-100004"))))
    assert responses(messages) == ["utter_cancelacion_ya_enviado"]
    assert messages[0]["dias_devolucion"] == 30
    assert slot_events(events) == {"confirmar_cancelacion": False}


async def test_delivered_order_cannot_be_cancelled_and_a_return_is_offered() -> None:
    messages, _ = await run(CHECK, make_tracker(slots=verified_slots(demo("RU-100006"))))
    assert responses(messages) == ["utter_cancelacion_ya_entregado"]
    assert _buttons("utter_cancelacion_ya_entregado") == ["/solicitar_devolucion"]


@pytest.mark.parametrize(
    ("number", "response"),
    [
        ("RU-100007", "utter_cancelacion_ya_cancelado"),
        ("RU-100008", "utter_cancelacion_ya_devuelto"),
    ],
)
async def test_cancelled_or_returned_order_says_so_and_points_to_the_refund(
    number: str, response: str
) -> None:
    messages, _ = await run(CHECK, make_tracker(slots=verified_slots(demo(number))))
    assert responses(messages) == [response]
    assert _buttons(response) == ["/estado_reembolso"]


async def test_unverified_shopper_is_asked_to_verify_and_nothing_is_cancelled() -> None:
    order = demo("RU-100002")
    tracker = make_tracker(slots={"numero_pedido": order.number, "confirmar_cancelacion": True})
    for action in (CHECK, CANCEL):
        messages, events = await run(action, tracker)
        assert responses(messages) == ["utter_necesito_verificar"]
        assert slot_events(events) == {"confirmar_cancelacion": False}
    assert _status(order.number) == "pagado"


@pytest.mark.usefixtures("dead_store")
async def test_dead_database_apologises_instead_of_cancelling() -> None:
    slots = {
        "pedido_verificado": "RU-100002",
        "credencial": "a@b.es",
        "confirmar_cancelacion": True,
    }
    for action in (CHECK, CANCEL):
        messages, events = await run(action, make_tracker(slots=slots))
        assert responses(messages) == ["utter_error_tienda"]
        assert slot_events(events) == {"confirmar_cancelacion": False}
