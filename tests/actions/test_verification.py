"""A shopper proves an order is theirs before hearing anything about it."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.verification import ActionTrasVerificacion, ValidateFormVerificacion
from tests.actions.helpers import demo, domain, make_tracker, responses, run, verified_slots

FORM = ValidateFormVerificacion()


async def _validate(tracker):  # type: ignore[no-untyped-def]
    dispatcher = CollectingDispatcher()
    events = await FORM.get_validation_events(dispatcher, tracker, domain())
    return dispatcher.messages, {e["name"]: e["value"] for e in events}


async def test_order_number_typed_loosely_is_accepted_and_credential_asked_next() -> None:
    tracker = make_tracker(
        extracted={"numero_pedido": "#ru 100006"},
        active_loop="form_verificacion",
        requested_slot="numero_pedido",
    )
    messages, slots = await _validate(tracker)
    assert slots["numero_pedido"] == "RU-100006" and messages == []


async def test_malformed_order_number_is_explained_and_asked_again() -> None:
    tracker = make_tracker(
        extracted={"numero_pedido": "12345"},
        active_loop="form_verificacion",
        requested_slot="numero_pedido",
    )
    messages, slots = await _validate(tracker)
    assert slots["numero_pedido"] is None
    assert responses(messages) == ["utter_numero_pedido_invalido"]


@pytest.mark.parametrize("said", ["vale", "ok", "sí", "gracias", "vale, gracias", "👍"])
async def test_okay_while_asked_for_the_order_number_is_not_taken_for_one(said: str) -> None:
    tracker = make_tracker(
        intent="afirmar",
        text=said,
        extracted={"numero_pedido": said},
        active_loop="form_verificacion",
        requested_slot="numero_pedido",
    )
    messages, slots = await _validate(tracker)
    # Not "ese número no tiene el formato": the form just asks for the number again.
    assert slots == {"numero_pedido": None} and messages == []


async def test_stray_order_number_while_asked_for_the_postal_code_keeps_the_one_given() -> None:
    order = demo("RU-100004")
    tracker = make_tracker(
        slots={"numero_pedido": order.number},
        events=[{"event": "slot", "name": "numero_pedido", "value": order.number}],
        extracted={"numero_pedido": order.postal_code, "credencial": order.postal_code},
        active_loop="form_verificacion",
        requested_slot="credencial",
    )
    messages, slots = await _validate(tracker)
    assert responses(messages) == ["utter_pedido_verificado"]
    assert slots["numero_pedido"] == slots["pedido_verificado"] == order.number


async def test_stray_credential_before_it_is_asked_is_dropped_silently() -> None:
    tracker = make_tracker(
        text="mi pedido es el RU-100006, no me llega",
        extracted={"numero_pedido": "RU-100006", "credencial": "no me llega"},
        active_loop="form_verificacion",
        requested_slot="numero_pedido",
    )
    messages, slots = await _validate(tracker)
    assert messages == []
    assert slots["numero_pedido"] == "RU-100006" and slots["credencial"] is None


async def test_right_email_verifies_the_order_and_greets_by_name() -> None:
    order = demo("RU-100006")
    tracker = make_tracker(
        slots={"numero_pedido": order.number},
        extracted={"credencial": f" {order.email.upper()} "},
        active_loop="form_verificacion",
        requested_slot="credencial",
    )
    messages, slots = await _validate(tracker)
    assert slots["pedido_verificado"] == order.number and slots["estado_pedido"] == "entregado"
    assert slots["credencial"] == order.email
    assert responses(messages) == ["utter_pedido_verificado"]


async def test_postal_code_verifies_as_well_as_the_email() -> None:
    order = demo("RU-100004")
    tracker = make_tracker(
        slots={"numero_pedido": order.number},
        extracted={"credencial": order.postal_code},
        active_loop="form_verificacion",
        requested_slot="credencial",
    )
    _, slots = await _validate(tracker)
    assert slots["pedido_verificado"] == order.number


async def test_wrong_email_and_unknown_order_get_the_same_answer() -> None:
    order = demo("RU-100006")
    answers = []
    for number, credential in ((order.number, "otra@example.com"), ("RU-999999", order.email)):
        tracker = make_tracker(
            slots={"numero_pedido": number},
            extracted={"credencial": credential},
            active_loop="form_verificacion",
            requested_slot="credencial",
        )
        messages, slots = await _validate(tracker)
        answers.append((responses(messages), slots))
    assert answers[0] == answers[1]
    assert answers[0][0] == ["utter_pedido_no_encontrado"]
    assert answers[0][1] == {"numero_pedido": None, "credencial": None, "intentos_verificacion": 1}


async def test_third_failed_attempt_blocks_lookups_and_offers_a_person() -> None:
    order = demo("RU-100006")
    tracker = make_tracker(
        slots={"numero_pedido": order.number, "intentos_verificacion": 2.0},
        extracted={"credencial": "otra@example.com"},
        active_loop="form_verificacion",
        requested_slot="credencial",
    )
    messages, slots = await _validate(tracker)
    assert responses(messages) == ["utter_verificacion_bloqueada"]
    assert slots["verificacion_interrumpida"] is True and slots["intentos_verificacion"] == 3


async def test_blocked_shopper_is_not_asked_for_another_number() -> None:
    tracker = make_tracker(slots={"intentos_verificacion": 3.0}, active_loop="form_verificacion")
    required = await FORM.required_slots(
        ["numero_pedido", "credencial"], CollectingDispatcher(), tracker, domain()
    )
    assert required == []
    messages, _ = await run(ActionTrasVerificacion(), tracker)
    assert responses(messages) == ["utter_verificacion_bloqueada"]


async def test_verified_shopper_is_not_asked_again() -> None:
    tracker = make_tracker(slots=verified_slots(demo("RU-100004")))
    required = await FORM.required_slots(
        ["numero_pedido", "credencial"], CollectingDispatcher(), tracker, domain()
    )
    assert required == []


async def test_another_order_number_needs_its_own_verification() -> None:
    tracker = make_tracker(
        slots=verified_slots(demo("RU-100004")),
        extracted={"numero_pedido": "RU-100006"},
        active_loop="form_verificacion",
        requested_slot="numero_pedido",
    )
    _, validated = await _validate(tracker)
    assert validated["pedido_verificado"] is None


async def test_after_verification_the_task_that_started_it_runs() -> None:
    slots = {**verified_slots(demo("RU-100002")), "tarea": "cancelar"}
    messages, events = await run(ActionTrasVerificacion(), make_tracker(slots=slots))
    assert messages, "the cancellation check said nothing"
    assert {
        "event": "slot",
        "timestamp": None,
        "name": "confirmar_cancelacion",
        "value": True,
    } in events


async def test_dead_database_during_verification_apologises_and_ends_the_form(
    dead_store: None,
) -> None:
    tracker = make_tracker(
        slots={"numero_pedido": "RU-100006"},
        extracted={"credencial": "ana@example.com"},
        active_loop="form_verificacion",
        requested_slot="credencial",
    )
    messages, slots = await _validate(tracker)
    assert responses(messages) == ["utter_error_tienda"]
    assert slots["verificacion_interrumpida"] is True
