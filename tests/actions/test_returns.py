"""A shopper returns what they bought: which items, why, and then the RMA code and the steps.

Tests that open a return write to the shared store, so each uses its own demo order
and comes after the tests that read that order.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.common import spanish_date
from actions.returns import (
    ActionAskArticulosDevolucion,
    ActionCrearDevolucion,
    ValidateFormDevolucion,
    _match_items,
)
from bot.store import store_session, verify_order
from bot.store.models import Order, Return, ReturnItem
from bot.store.normalize import fold
from bot.store.records import ItemEligibility, OrderLine, VerifiedOrder
from tests.actions.helpers import (
    demo,
    domain,
    make_tracker,
    responses,
    run,
    slot_events,
    verified_slots,
)

FORM, ASK, CREATE = (
    ValidateFormDevolucion(),
    ActionAskArticulosDevolucion(),
    ActionCrearDevolucion(),
)
FORM_ENDED = {
    "articulos_devolucion": "ninguno",
    "motivo_devolucion": "ninguno",
    "requested_slot": None,
}
RESET = {"articulos_devolucion": None, "motivo_devolucion": None}


async def _validate(tracker: Any) -> tuple[list[str], dict[str, Any]]:
    """Run the form's validation action as Rasa does; the responses and the slots it sets."""
    dispatcher = CollectingDispatcher()
    events = await FORM.run(dispatcher, tracker, domain())
    return responses(dispatcher.messages), slot_events(events)


def _in_form(number: str, **kwargs: Any) -> Any:
    slots = {**verified_slots(demo(number)), **kwargs.pop("slots", {})}
    return make_tracker(slots=slots, active_loop="form_devolucion", **kwargs)


def _lines(number: str) -> tuple[OrderLine, ...]:
    with store_session() as session:
        return verify_order(session=session, number=number, email=demo(number).email).lines


def _returns_of(number: str) -> list[Return]:
    with store_session() as session:
        order_id = session.scalars(select(Order.id).where(Order.number == number)).one()
        return list(session.scalars(select(Return).where(Return.order_id == order_id)))


def _returned_items(rma: str) -> set[int]:
    with store_session() as session:
        ret = session.scalars(select(Return).where(Return.rma_code == rma)).one()
        rows = session.scalars(
            select(ReturnItem.order_item_id).where(ReturnItem.return_id == ret.id)
        )
        return set(rows)


def _returnable(number: str) -> list[OrderLine]:
    return [line for line in _lines(number) if line.category != "Ropa interior"]


def _order_with(lines: tuple[OrderLine, ...]) -> VerifiedOrder:
    now = datetime(2026, 11, 2, 10, 0)
    return VerifiedOrder(
        order_id=0,
        customer_id=0,
        number="RU-000000",
        status="entregado",
        first_name="Ana",
        placed_at=now,
        paid_at=now,
        shipped_at=now,
        delivered_at=now,
        cancelled_at=None,
        total=Decimal("119.90"),
        shipping_cost=Decimal(0),
        payment_method="Bizum",
        ship_city="Madrid",
        ship_address="Calle de Al***, 28*** Madrid",
        ship_country="ES",
        lines=lines,
    )


async def test_single_item_order_is_not_asked_which_item() -> None:
    (line,) = _lines("RU-100006")
    sent, slots = await _validate(_in_form("RU-100006"))
    assert sent == []
    assert slots == {
        "articulos_devolucion": str(line.item_id),
        "requested_slot": "motivo_devolucion",
    }


async def test_single_item_is_chosen_as_soon_as_the_order_is_verified_in_the_form() -> None:
    order = demo("RU-100006")
    tracker = make_tracker(
        slots={"numero_pedido": order.number},
        extracted={"credencial": order.email},
        active_loop="form_devolucion",
        requested_slot="credencial",
    )
    sent, slots = await _validate(tracker)
    assert sent == ["utter_pedido_verificado"]
    assert slots["pedido_verificado"] == order.number
    assert slots["articulos_devolucion"] == str(_lines(order.number)[0].item_id)
    assert slots["requested_slot"] == "motivo_devolucion"


async def test_items_are_offered_as_buttons_and_the_non_returnable_one_is_explained() -> None:
    messages, events = await run(ASK, _in_form("RU-100012"))
    assert responses(messages) == [
        "utter_devolucion_categoria_no_retornable",
        "utter_ask_articulos_devolucion",
    ]
    assert messages[0]["nota"].startswith("Por higiene, la ropa interior")
    payloads = [b["payload"] for b in messages[1]["buttons"]]
    assert payloads == [line.product_name for line in _returnable("RU-100012")] + ["todos"]
    assert events == []


async def test_item_named_without_accents_or_capitals_is_found() -> None:
    wanted = _returnable("RU-100012")[0]
    text = f"quiero devolver {fold(wanted.product_name)}"
    tracker = _in_form("RU-100012", extracted={"articulos_devolucion": text})
    sent, slots = await _validate(tracker)
    assert sent == [] and slots["articulos_devolucion"] == str(wanted.item_id)


async def test_todos_returns_every_returnable_item_but_not_the_excluded_one() -> None:
    tracker = _in_form("RU-100012", extracted={"articulos_devolucion": "Todos"})
    _, slots = await _validate(tracker)
    ids = [str(line.item_id) for line in _returnable("RU-100012")]
    assert slots["articulos_devolucion"] == ",".join(ids)


async def test_item_that_cannot_go_back_is_not_found_and_asked_again() -> None:
    (excluded,) = [line for line in _lines("RU-100012") if line.category == "Ropa interior"]
    tracker = _in_form(
        "RU-100012",
        extracted={"articulos_devolucion": excluded.product_name},
        requested_slot="articulos_devolucion",
    )
    sent, slots = await _validate(tracker)
    assert sent == ["utter_articulos_no_encontrados"]
    assert slots["articulos_devolucion"] is None


async def test_shopper_who_changes_their_mind_ends_the_form() -> None:
    tracker = _in_form("RU-100012", extracted={"articulos_devolucion": "no, déjalo"})
    _, slots = await _validate(tracker)
    assert slots["articulos_devolucion"] == slots["motivo_devolucion"] == "ninguno"


@pytest.mark.parametrize(
    ("said", "code"), [("dañado", "danado"), ("no me gusta", "no_gusta"), ("talla", "talla")]
)
async def test_reason_is_stored_as_the_store_code(said: str, code: str) -> None:
    tracker = _in_form("RU-100012", extracted={"motivo_devolucion": said})
    _, slots = await _validate(tracker)
    assert slots["motivo_devolucion"] == code


async def test_unknown_reason_is_asked_again() -> None:
    tracker = _in_form(
        "RU-100012",
        extracted={"motivo_devolucion": "aburrimiento"},
        requested_slot="motivo_devolucion",
    )
    sent, slots = await _validate(tracker)
    assert sent == ["utter_motivo_devolucion_invalido"] and slots["motivo_devolucion"] is None


async def test_reason_the_nlu_found_in_ordinary_words_is_dropped_before_anything_is_asked() -> None:
    text = "quiero devolver unas zapatillas pero no me llega el correo con la etiqueta"
    tracker = make_tracker(
        intent="solicitar_devolucion",
        text=text,
        extracted={"motivo_devolucion": "no me"},
        active_loop="form_devolucion",
    )
    sent, slots = await _validate(tracker)
    assert sent == []  # no "no he entendido el motivo" before even asking for the order
    assert slots["motivo_devolucion"] is None


async def test_stray_reason_from_an_earlier_message_is_dropped_when_the_form_starts() -> None:
    said_before = [
        {"event": "user", "text": "no me llega el correo"},
        {"event": "slot", "name": "motivo_devolucion", "value": "no me"},
    ]
    tracker = make_tracker(
        intent="solicitar_devolucion",
        text="quiero devolver unas zapatillas",
        events=said_before,
        extracted={"motivo_devolucion": "no me"},  # prefilled: validated as the form starts
        active_loop="form_devolucion",
    )
    sent, slots = await _validate(tracker)
    assert sent == [] and slots["motivo_devolucion"] is None


async def test_reason_said_with_the_request_is_kept_for_later() -> None:
    tracker = make_tracker(
        intent="solicitar_devolucion",
        text="quiero devolver el pedido RU-100012, me queda pequeño: otra talla",
        extracted={"numero_pedido": "RU-100012", "motivo_devolucion": "talla"},
        active_loop="form_devolucion",
    )
    sent, slots = await _validate(tracker)
    assert sent == []
    assert slots["motivo_devolucion"] == "talla" and slots["numero_pedido"] == "RU-100012"


async def test_stray_reason_while_choosing_items_keeps_the_reason_given_before() -> None:
    wanted = _returnable("RU-100012")[0]
    tracker = _in_form(
        "RU-100012",
        slots={"motivo_devolucion": "no_gusta"},
        events=[{"event": "slot", "name": "motivo_devolucion", "value": "no_gusta"}],
        extracted={"articulos_devolucion": wanted.product_name, "motivo_devolucion": "que compré"},
        requested_slot="articulos_devolucion",
    )
    sent, slots = await _validate(tracker)
    assert sent == []
    assert slots["motivo_devolucion"] == "no_gusta"
    assert slots["articulos_devolucion"] == str(wanted.item_id)


async def test_order_not_delivered_yet_cannot_be_returned_and_the_form_ends() -> None:
    messages, events = await run(ASK, _in_form("RU-100004"))
    assert responses(messages) == ["utter_devolucion_no_entregado"]
    assert messages[0]["dias_devolucion"] == 30
    assert slot_events(events) == FORM_ENDED


async def test_cancelled_order_has_nothing_to_return() -> None:
    messages, events = await run(ASK, _in_form("RU-100007"))
    assert responses(messages) == ["utter_devolucion_cancelado"]
    assert slot_events(events) == FORM_ENDED


async def test_return_refused_after_window_names_the_deadline_and_offers_the_guarantee() -> None:
    with store_session() as session:
        delivered = session.scalars(
            select(Order.delivered_at).where(Order.number == "RU-100011")
        ).one()
    messages, events = await run(ASK, _in_form("RU-100011"))
    assert responses(messages) == ["utter_devolucion_fuera_de_plazo", "utter_devolucion_garantia"]
    deadline = delivered.date() + timedelta(days=30)
    assert messages[0]["fecha_limite"] == spanish_date(deadline, year=True)
    assert slot_events(events) == FORM_ENDED
    guarantee = domain()["responses"]["utter_devolucion_garantia"][0]["buttons"][0]["payload"]
    assert guarantee == '/solicitar_devolucion{"motivo_devolucion": "dañado"}'


async def test_form_ended_without_items_only_offers_more_help() -> None:
    messages, events = await run(CREATE, _in_form("RU-100011", slots=FORM_ENDED))
    assert responses(messages) == ["utter_devolucion_otra_ayuda"]
    assert slot_events(events) == RESET and _returns_of("RU-100011") == []


async def test_single_item_return_gives_rma_refund_and_instructions() -> None:
    (line,) = _lines("RU-100006")
    slots = {"articulos_devolucion": str(line.item_id), "motivo_devolucion": "talla"}
    messages, events = await run(CREATE, _in_form("RU-100006", slots=slots))
    sent = responses(messages)
    assert sent == [
        "utter_devolucion_creada",
        "utter_devolucion_instrucciones",
        "utter_pedir_valoracion",
    ]
    created, steps = messages[0], messages[1]
    assert created["rma"].startswith("RMA-") and created["articulos"] == line.product_name
    assert created["importe"] == f"{line.unit_price * line.quantity:.2f}".replace(".", ",") + " €"
    assert steps["rma"] == created["rma"] and steps["dias_reembolso"] == 14
    assert " de " in steps["fecha_envio"]
    assert slot_events(events) == RESET
    (stored,) = _returns_of("RU-100006")
    assert stored.rma_code == created["rma"] and stored.reason == "talla"
    assert stored.condition == "sin_usar" and stored.status == "aprobada"


async def test_two_items_named_in_one_sentence_are_returned_together() -> None:
    first, second = _returnable("RU-100012")[1:3]
    text = f"{first.product_name.lower()} y {second.product_name.lower()}"
    _, slots = await _validate(_in_form("RU-100012", extracted={"articulos_devolucion": text}))
    assert slots["articulos_devolucion"] == f"{first.item_id},{second.item_id}"
    chosen = {
        "articulos_devolucion": slots["articulos_devolucion"],
        "motivo_devolucion": "no_gusta",
    }
    messages, _ = await run(CREATE, _in_form("RU-100012", slots=chosen))
    assert responses(messages)[0] == "utter_devolucion_creada"
    assert messages[0]["articulos"] == f"{first.product_name} y {second.product_name}"
    assert _returned_items(messages[0]["rma"]) == {first.item_id, second.item_id}


async def test_faulty_item_outside_the_window_is_accepted_under_the_guarantee() -> None:
    (line,) = _lines("RU-100011")
    tracker = _in_form("RU-100011", extracted={"motivo_devolucion": "dañado"})
    _, slots = await _validate(tracker)
    assert slots["articulos_devolucion"] == str(line.item_id)
    assert slots["motivo_devolucion"] == "danado"
    messages, _ = await run(CREATE, _in_form("RU-100011", slots=slots))
    assert responses(messages)[0] == "utter_devolucion_creada"
    (stored,) = _returns_of("RU-100011")
    assert stored.condition == "defectuoso" and stored.reason == "danado"


async def test_item_already_in_a_return_is_not_returned_twice() -> None:
    (line,) = _lines("RU-100013")
    slots = {"articulos_devolucion": str(line.item_id), "motivo_devolucion": "talla"}
    messages, _ = await run(CREATE, _in_form("RU-100013", slots=slots))
    assert responses(messages) == ["utter_devolucion_ya_devuelto", "utter_devolucion_otra_ayuda"]
    assert len(_returns_of("RU-100013")) == 1


async def test_unverified_shopper_gets_no_return() -> None:
    tracker = make_tracker(
        slots={
            "articulos_devolucion": "1",
            "motivo_devolucion": "talla",
            "intentos_verificacion": 3.0,
        }
    )
    messages, events = await run(CREATE, tracker)
    assert responses(messages) == ["utter_verificacion_bloqueada"]
    assert slot_events(events) == {"verificacion_interrumpida": False, **RESET}


def test_two_pairs_of_the_same_shoe_are_told_apart_by_size() -> None:
    shoe = "Zapatillas de pádel Cierzo"
    lines = tuple(
        OrderLine(item_id, shoe, "Zapatillas", size, "blanco", 1, Decimal("59.95"))
        for item_id, size in ((1, "42"), (2, "43"))
    )
    order = _order_with(lines)
    items = [ItemEligibility(line.item_id, shoe, 1, True, None, None) for line in lines]
    assert _match_items("las zapatillas de padel blanco talla 43", items, order) == [2]
    assert _match_items("las zapatillas", items, order) == [1, 2]


@pytest.mark.usefixtures("dead_store")
async def test_dead_database_apologises_and_ends_the_form() -> None:
    slots = {"pedido_verificado": "RU-100006", "credencial": "a@b.es"}
    messages, events = await run(ASK, make_tracker(slots=slots, active_loop="form_devolucion"))
    assert responses(messages) == ["utter_error_tienda"]
    assert slot_events(events) == FORM_ENDED
    chosen = {**slots, "articulos_devolucion": "1", "motivo_devolucion": "talla"}
    messages, _ = await run(CREATE, make_tracker(slots=chosen))
    assert responses(messages) == ["utter_error_tienda"]
