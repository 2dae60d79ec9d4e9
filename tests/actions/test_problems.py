"""A shopper reports a problem with an order and leaves with a ticket and a concrete next step."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import func, select

from actions.common import spanish_date
from actions.problems import ActionAskTipoProblema, ActionCrearTicket, ValidateFormProblema
from bot.handoff.models import Upload
from bot.store import store_session, tracking_timeline, verify_order
from bot.store.models import Ticket
from tests.actions.helpers import (
    add_photo,
    demo,
    domain,
    make_tracker,
    responses,
    run,
    verified_slots,
)

FORM = ValidateFormProblema()


async def _validate(tracker: Any) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    events = await FORM.get_validation_events(dispatcher, tracker, domain())
    return dispatcher.messages, {e["name"]: e["value"] for e in events}


def _tickets() -> int:
    with store_session() as session:
        return session.scalar(select(func.count()).select_from(Ticket)) or 0


def _payloads(response: str) -> list[str]:
    return [b["payload"] for b in domain()["responses"][response][0]["buttons"]]


async def test_delivered_order_offers_damaged_wrong_or_incomplete() -> None:
    tracker = make_tracker(slots=verified_slots(demo("RU-100006")), active_loop="form_problema")
    messages, _ = await run(ActionAskTipoProblema(), tracker)
    assert responses(messages) == ["utter_ask_tipo_problema_entregado"]
    assert _payloads("utter_ask_tipo_problema_entregado") == [
        f'/reportar_problema{{"tipo_problema": "{kind}"}}'
        for kind in ("dañado", "incorrecto", "incompleto")
    ]


@pytest.mark.parametrize("number", ["RU-100004", "RU-100005"])
async def test_parcel_on_its_way_offers_late_or_lost(number: str) -> None:
    tracker = make_tracker(slots=verified_slots(demo(number)), active_loop="form_problema")
    messages, _ = await run(ActionAskTipoProblema(), tracker)
    assert responses(messages) == ["utter_ask_tipo_problema_en_camino"]
    assert len(_payloads("utter_ask_tipo_problema_en_camino")) == 2


async def test_order_still_in_the_warehouse_ends_the_form_offering_tracking_or_cancelling() -> None:
    slots = verified_slots(demo("RU-100002"))
    messages, events = await run(ActionAskTipoProblema(), make_tracker(slots=slots))
    assert responses(messages) == ["utter_problema_sin_envio"]
    assert messages[0]["numero_pedido"] == "RU-100002"
    assert {"/rastrear_pedido", "/cancelar_pedido"} <= set(_payloads("utter_problema_sin_envio"))
    filled = {e["name"]: e["value"] for e in events}
    assert filled["requested_slot"] is None
    assert filled["tipo_problema"] == filled["descripcion_problema"] == "ninguno"

    before = _tickets()
    messages, events = await run(ActionCrearTicket(), make_tracker(slots={**slots, **filled}))
    assert _tickets() == before and messages == []
    assert {e["name"]: e["value"] for e in events} == {
        "tipo_problema": None,
        "descripcion_problema": None,
    }


async def test_clicked_damage_button_is_stored_as_the_store_category() -> None:
    tracker = make_tracker(
        slots=verified_slots(demo("RU-100006")),
        extracted={"tipo_problema": "dañado"},
        active_loop="form_problema",
        requested_slot="tipo_problema",
    )
    messages, slots = await _validate(tracker)
    assert slots == {"tipo_problema": "danado"} and messages == []


async def test_late_delivery_claimed_for_a_delivered_order_is_refused_and_asked_again() -> None:
    tracker = make_tracker(
        slots=verified_slots(demo("RU-100006")),
        extracted={"tipo_problema": "retraso"},
        active_loop="form_problema",
        requested_slot="tipo_problema",
    )
    messages, slots = await _validate(tracker)
    assert slots == {"tipo_problema": None}
    assert responses(messages) == ["utter_problema_no_encaja_entregado"]
    assert messages[0]["problema"] == "retraso"


async def test_damage_claimed_for_a_parcel_still_on_its_way_is_refused() -> None:
    tracker = make_tracker(
        slots=verified_slots(demo("RU-100004")),
        extracted={"tipo_problema": "dañado"},
        active_loop="form_problema",
        requested_slot="tipo_problema",
    )
    messages, slots = await _validate(tracker)
    assert slots == {"tipo_problema": None}
    assert responses(messages) == ["utter_problema_no_encaja_en_camino"]


async def test_problem_in_the_first_message_waits_for_verification_then_is_accepted() -> None:
    order = demo("RU-100006")
    first = make_tracker(
        extracted={"numero_pedido": order.number, "tipo_problema": "dañado"},
        active_loop="form_problema",
        requested_slot="numero_pedido",
    )
    _, slots = await _validate(first)
    assert slots["tipo_problema"] == "danado" and slots["numero_pedido"] == order.number
    second = make_tracker(
        slots=slots,
        extracted={"credencial": order.email},
        active_loop="form_problema",
        requested_slot="credencial",
    )
    messages, slots = await _validate(second)
    assert responses(messages) == ["utter_pedido_verificado"]
    assert slots["pedido_verificado"] == order.number and slots.get("tipo_problema") == "danado"


async def test_problem_in_the_first_message_that_does_not_fit_is_refused_once_verified() -> None:
    order = demo("RU-100004")
    tracker = make_tracker(
        slots={"numero_pedido": order.number, "tipo_problema": "danado"},
        extracted={"credencial": order.email},
        active_loop="form_problema",
        requested_slot="credencial",
    )
    messages, slots = await _validate(tracker)
    assert responses(messages) == ["utter_pedido_verificado", "utter_problema_no_encaja_en_camino"]
    assert slots["pedido_verificado"] == order.number and slots["tipo_problema"] is None


async def test_description_is_cleaned_cut_and_must_say_something() -> None:
    base = {**verified_slots(demo("RU-100006")), "tipo_problema": "danado"}
    long = make_tracker(
        slots=base,
        extracted={"descripcion_problema": "  La caja   llegó\x07 aplastada. " + "x" * 3000},
        active_loop="form_problema",
        requested_slot="descripcion_problema",
    )
    _, slots = await _validate(long)
    assert slots["descripcion_problema"].startswith("La caja llegó aplastada.")
    assert len(slots["descripcion_problema"]) == 2000
    empty = make_tracker(
        slots=base,
        extracted={"descripcion_problema": " \x00 "},
        active_loop="form_problema",
        requested_slot="descripcion_problema",
    )
    messages, slots = await _validate(empty)
    assert slots == {"descripcion_problema": None}
    assert responses(messages) == ["utter_descripcion_problema_vacia"]


@pytest.mark.parametrize("said", ["2", "a", "?!", "😀", "ok", "vale, gracias", "no sé"])
async def test_description_that_says_nothing_is_asked_again_and_opens_no_ticket(said: str) -> None:
    tracker = make_tracker(
        slots={**verified_slots(demo("RU-100006")), "tipo_problema": "danado"},
        text=said,
        extracted={"descripcion_problema": said},
        active_loop="form_problema",
        requested_slot="descripcion_problema",
    )
    messages, slots = await _validate(tracker)
    assert slots == {"descripcion_problema": None}
    assert responses(messages) == ["utter_descripcion_problema_vacia"]
    text = domain()["responses"]["utter_descripcion_problema_vacia"][0]["text"]
    assert "una frase" in text and "ha pasado con tu pedido" in text


@pytest.mark.parametrize("said", ["llegó roto", "roto", "falta una taza", "la caja, aplastada"])
async def test_short_real_description_is_enough(said: str) -> None:
    tracker = make_tracker(
        slots={**verified_slots(demo("RU-100006")), "tipo_problema": "danado"},
        extracted={"descripcion_problema": said},
        active_loop="form_problema",
        requested_slot="descripcion_problema",
    )
    messages, slots = await _validate(tracker)
    assert slots == {"descripcion_problema": said} and messages == []


@pytest.mark.parametrize("stray", ["no", "retraso"])
async def test_problem_word_in_the_description_keeps_the_problem_chosen(stray: str) -> None:
    said = "no me llegó la taza, y con retraso"
    tracker = make_tracker(
        slots={**verified_slots(demo("RU-100006")), "tipo_problema": "incompleto"},
        events=[{"event": "slot", "name": "tipo_problema", "value": "incompleto"}],
        text=said,
        extracted={"descripcion_problema": said, "tipo_problema": stray},
        active_loop="form_problema",
        requested_slot="descripcion_problema",
    )
    messages, slots = await _validate(tracker)
    assert messages == []
    assert slots == {"tipo_problema": "incompleto", "descripcion_problema": said}


async def test_problem_the_nlu_found_in_ordinary_words_is_dropped_before_anything_is_asked() -> (
    None
):
    tracker = make_tracker(
        intent="reportar_problema",
        text="no me llega el correo",
        extracted={"tipo_problema": "no"},
        active_loop="form_problema",
    )
    messages, slots = await _validate(tracker)
    assert messages == [] and slots == {"tipo_problema": None}


async def test_damaged_item_opens_a_ticket_on_the_order_and_offers_replacement_or_refund() -> None:
    order = demo("RU-100006")
    slots = {
        **verified_slots(order),
        "tipo_problema": "danado",
        "descripcion_problema": "La zapatilla izquierda llegó con la suela despegada.",
    }
    messages, events = await run(ActionCrearTicket(), make_tracker(slots=slots))
    assert responses(messages) == ["utter_ticket_reposicion_o_reembolso", "utter_pedir_valoracion"]
    with store_session() as session:
        ticket = session.scalars(select(Ticket).where(Ticket.number == messages[0]["ticket"])).one()
        verified = verify_order(session=session, number=order.number, email=order.email)
    assert (ticket.category, ticket.priority, ticket.order_id) == (
        "danado",
        "alta",
        verified.order_id,
    )
    assert ticket.description == slots["descripcion_problema"]
    text = domain()["responses"]["utter_ticket_reposicion_o_reembolso"][0]["text"]
    assert "no hace falta que devuelvas" in text.format(**messages[0])
    assert {e["name"]: e["value"] for e in events} == {
        "tipo_problema": None,
        "descripcion_problema": None,
    }


async def test_photo_of_the_broken_item_is_attached_to_the_ticket() -> None:
    slots = {
        **verified_slots(demo("RU-100006")),
        "tipo_problema": "danado",
        "descripcion_problema": "La taza llegó partida en dos, os mando la foto.",
    }
    tracker = make_tracker(slots=slots)
    tracker.sender_id = "foto-" + "a" * 32
    photo = add_photo(tracker.sender_id)
    messages, _ = await run(ActionCrearTicket(), tracker)
    with store_session() as session:
        linked = session.scalar(select(Upload.ticket_number).where(Upload.token == photo))
        chat = session.scalar(select(Ticket.conversation_id).where(Ticket.number == linked))
    assert linked == messages[0]["ticket"]
    assert chat == tracker.sender_id  # so a photo sent later joins this ticket too


@pytest.mark.parametrize(
    ("problem", "response"),
    [("incorrecto", "utter_ticket_reposicion"), ("incompleto", "utter_ticket_envio_pendiente")],
)
async def test_wrong_or_incomplete_order_gets_its_own_next_step(
    problem: str, response: str
) -> None:
    slots = {
        **verified_slots(demo("RU-100012")),
        "tipo_problema": problem,
        "descripcion_problema": "Pedí la camiseta en azul y ha llegado en rojo, y falta el gorro.",
    }
    messages, _ = await run(ActionCrearTicket(), make_tracker(slots=slots))
    assert responses(messages) == [response, "utter_pedir_valoracion"]
    assert messages[0]["ticket"].startswith("TK-") and messages[0]["numero_pedido"] == "RU-100012"


@pytest.mark.parametrize(
    ("number", "problem"), [("RU-100009", "retraso"), ("RU-100010", "perdido")]
)
async def test_late_or_lost_parcel_ticket_names_the_carrier_and_the_day_it_was_due(
    number: str, problem: str
) -> None:
    order = demo(number)
    slots = {
        **verified_slots(order),
        "tipo_problema": problem,
        "descripcion_problema": "Sigue sin llegar y el seguimiento no se mueve.",
    }
    messages, _ = await run(ActionCrearTicket(), make_tracker(slots=slots))
    assert responses(messages) == ["utter_ticket_retraso", "utter_pedir_valoracion"]
    with store_session() as session:
        verified = verify_order(session=session, number=order.number, email=order.email)
        due = tracking_timeline(session=session, order=verified).shipments[0].estimated_delivery
        priority = session.scalars(
            select(Ticket.priority).where(Ticket.number == messages[0]["ticket"])
        ).one()
    assert due < date.today()
    assert messages[0]["transportista"] == order.carrier
    assert messages[0]["fecha_estimada"] == spanish_date(due, weekday=True)
    assert priority == ("media" if problem == "retraso" else "alta")
    text = domain()["responses"]["utter_ticket_retraso"][0]["text"].format(**messages[0])
    assert f"reclamación con {order.carrier}" in text and "48 h" in text


async def test_without_a_verified_order_no_ticket_is_opened() -> None:
    before = _tickets()
    slots = {"tipo_problema": "danado", "descripcion_problema": "Roto."}
    messages, events = await run(ActionCrearTicket(), make_tracker(slots=slots))
    assert _tickets() == before and messages == []
    assert {e["name"]: e["value"] for e in events}["tipo_problema"] is None


async def test_blocked_shopper_is_told_why_and_no_ticket_is_opened() -> None:
    slots = {"intentos_verificacion": 3.0, "tipo_problema": "danado"}
    messages, _ = await run(ActionCrearTicket(), make_tracker(slots=slots))
    assert responses(messages) == ["utter_verificacion_bloqueada"]


@pytest.mark.usefixtures("dead_store")
async def test_dead_database_while_reporting_a_problem_apologises() -> None:
    slots = {
        "numero_pedido": "RU-100006",
        "credencial": "ana@example.com",
        "pedido_verificado": "RU-100006",
        "estado_pedido": "entregado",
        "tipo_problema": "danado",
    }
    messages, events = await run(ActionAskTipoProblema(), make_tracker(slots=slots))
    assert responses(messages) == ["utter_error_tienda"]
    assert {e["name"]: e["value"] for e in events}["requested_slot"] is None
    slots["descripcion_problema"] = "Llegó roto."
    messages, _ = await run(ActionCrearTicket(), make_tracker(slots=slots))
    assert responses(messages) == ["utter_error_tienda"]
