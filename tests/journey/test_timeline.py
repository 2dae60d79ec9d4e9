"""Rasa events → journey-log turns: stages, flags, masking and one test per outcome."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.shared.core.events import BotUttered

from bot.config import PROJECT_ROOT
from bot.journey.outcome import OutcomeFacts, decide_outcome
from bot.journey.stages import JourneyMap, load_journey
from bot.journey.timeline import ConversationRecord, build_conversations
from tests.journey.conversation import (
    answers,
    form,
    paused,
    runs,
    says,
    session,
    sets,
    stored,
    timed,
)


@pytest.fixture(scope="module")
def journey() -> JourneyMap:
    return load_journey()


def conversations(journey: JourneyMap, *events: object) -> list[ConversationRecord]:
    return build_conversations("shopper-1", stored(timed(*events)), journey)  # type: ignore[arg-type]


def only(journey: JourneyMap, *events: object) -> ConversationRecord:
    [conversation] = conversations(journey, *events)
    return conversation


def tracking_flow() -> list[object]:
    return [
        session(),
        says("hola", "saludar"),
        runs("utter_saludo"),
        answers("¡Hola! ¿En qué te ayudo?", "utter_saludo"),
        says(
            "dónde está mi pedido RU-100004",
            "rastrear_pedido",
            entities=[("numero_pedido", "RU-100004")],
        ),
        runs("form_verificacion"),
        form("form_verificacion"),
        sets("numero_pedido", "RU-100004"),
        answers("¿Cuál es el email o el código postal del pedido?", "utter_ask_credencial"),
        says(
            "ana.garcia@example.com",
            "informar_email",
            entities=[("email", "ana.garcia@example.com")],
        ),
        sets("credencial", "ana.garcia@example.com"),
        sets("pedido_verificado", "RU-100004"),
        form(None),
        runs("action_rastrear_pedido"),
        answers("Tu pedido RU-100004 está en reparto con SEUR.", None),
        answers("¿Qué nota le das a la ayuda, del 1 al 5?", "utter_pedir_valoracion"),
        says("5", "valorar", entities=[("valoracion", "5")]),
        runs("action_registrar_valoracion"),
        sets("valoracion", "5"),
        answers("¡Gracias por tu valoración!", "utter_gracias_valoracion"),
    ]


def test_a_tracking_conversation_is_resolved_in_compra_and_keeps_the_rating(
    journey: JourneyMap,
) -> None:
    conversation = only(journey, *tracking_flow())
    assert conversation.pending_outcome == "resuelta"
    assert conversation.csat == 5
    assert conversation.verified_order == "RU-100004"
    assert conversation.stage_path == ["compra"]
    assert conversation.request_intent == "rastrear_pedido"
    assert [t.speaker for t in conversation.turns[:2]] == ["shopper", "bot"]
    assert [t.turn for t in conversation.turns] == list(range(1, len(conversation.turns) + 1))


def test_a_greeting_takes_the_stage_the_conversation_then_enters(journey: JourneyMap) -> None:
    hello, welcome, *_ = only(journey, *tracking_flow()).turns
    assert (hello.stage, welcome.stage) == ("compra", "compra")


def test_form_answers_inherit_the_stage(journey: JourneyMap) -> None:
    email = next(t for t in only(journey, *tracking_flow()).turns if t.intent == "informar_email")
    assert email.stage == "compra"


def test_personal_data_is_masked_in_text_and_entities(journey: JourneyMap) -> None:
    email = next(t for t in only(journey, *tracking_flow()).turns if t.intent == "informar_email")
    assert "ana.garcia" not in (email.text or "")
    assert email.entities == [{"entity": "email", "value": "[email]"}]


def test_the_customer_s_name_in_a_bot_message_is_masked(journey: JourneyMap) -> None:
    greeting = answers("Gracias, Eutimio. Ya tengo tu pedido RU-100004.", "utter_pedido_verificado")
    greeting.metadata["cliente"] = "Eutimio"
    [turn] = only(journey, greeting).turns
    assert turn.text == "Gracias, [nombre]. Ya tengo tu pedido RU-100004."


def test_order_numbers_stay_readable(journey: JourneyMap) -> None:
    asked = next(t for t in only(journey, *tracking_flow()).turns if t.intent == "rastrear_pedido")
    assert asked.text == "dónde está mi pedido RU-100004"


def test_shopper_turns_carry_the_top_two_intents(journey: JourneyMap) -> None:
    asked = only(journey, *tracking_flow()).turns[2]
    assert (asked.intent, asked.confidence) == ("rastrear_pedido", 0.93)
    assert (asked.second_intent, asked.second_confidence) == ("saludar", 0.03)


def test_bot_turns_record_what_spoke_and_how_long_after_the_shopper(journey: JourneyMap) -> None:
    turns = only(journey, *tracking_flow()).turns
    welcome = turns[1]
    assert welcome.action == "utter_saludo"
    assert welcome.latency_ms == 1000  # two events of 0.5 s after "hola"
    tracked = next(t for t in turns if t.text and "SEUR" in t.text)
    assert tracked.action == "action_rastrear_pedido"


def test_a_late_parcel_is_compra_and_a_broken_item_postventa(journey: JourneyMap) -> None:
    late = only(
        journey,
        says(
            "mi paquete viene con retraso",
            "reportar_problema",
            entities=[("tipo_problema", "retraso")],
        ),
    )
    broken = only(
        journey, says("llegó roto", "reportar_problema", entities=[("tipo_problema", "dañado")])
    )
    assert late.turns[0].stage == "compra"
    assert broken.turns[0].stage == "postventa"


def test_a_slot_refines_the_stage_when_the_message_has_no_entity(journey: JourneyMap) -> None:
    conversation = only(
        journey,
        sets("tipo_problema", "perdido"),
        says("sigo con el problema del paquete", "reportar_problema"),
    )
    assert conversation.turns[0].stage == "compra"


def test_a_faq_sub_intent_follows_its_base_intent(journey: JourneyMap) -> None:
    conversation = only(
        journey,
        says("cuánto tarda en llegar", "consultar_envio", retrieval="plazos"),
        runs("action_responder_faq"),
        answers("Entre 24 y 48 horas laborables.", "utter_consultar_envio/plazos"),
    )
    assert [t.stage for t in conversation.turns] == ["consideracion", "consideracion"]
    assert conversation.pending_outcome == "resuelta"


def test_an_analysts_rule_for_one_faq_answer_applies_to_the_answer_the_bot_gave(
    tmp_path: Path,
) -> None:
    # Delivery times asked after buying are after-sales; the rest of shipping stays pre-sale.
    rules = (PROJECT_ROOT / "journey.yml").read_text(encoding="utf-8")
    before = "  - intent: consultar_envio\n"
    assert before in rules
    rules = rules.replace(
        before, "  - intent: consultar_envio/plazos\n    stage: postventa\n" + before
    )
    (tmp_path / "journey.yml").write_text(rules, encoding="utf-8")
    conversation = only(
        load_journey(tmp_path / "journey.yml"),
        says("cuánto tarda en llegar", "consultar_envio", retrieval="plazos"),
        runs("action_responder_faq"),
        answers("Entre 24 y 48 horas laborables.", "utter_consultar_envio/plazos"),
        says("y cuánto cuesta el envío", "consultar_envio", retrieval="costes"),
    )
    assert [t.stage for t in conversation.turns] == ["postventa", "postventa", "consideracion"]


def test_the_stage_path_lists_each_visit_in_order(journey: JourneyMap) -> None:
    conversation = only(
        journey,
        says("qué ofertas hay", "consultar_promociones"),
        says("dónde está mi pedido", "rastrear_pedido"),
        says("y el envío a canarias cuánto tarda", "consultar_envio"),
        says("y mi pedido?", "rastrear_pedido"),
    )
    assert conversation.stage_path == ["descubrimiento", "compra", "consideracion", "compra"]


def test_a_new_session_starts_a_new_conversation_and_ends_the_previous(journey: JourneyMap) -> None:
    first, second = conversations(
        journey,
        session(),
        says("hola", "saludar"),
        session(),
        says("quiero devolver unas zapatillas", "solicitar_devolucion"),
    )
    assert first.ended and not second.ended
    assert first.conversation_id != second.conversation_id
    assert second.turns[0].turn == 1 and second.stage_path == ["postventa"]


def test_an_agent_message_is_an_agent_turn(journey: JourneyMap) -> None:
    conversation = only(
        journey,
        says("quiero hablar con una persona", "hablar_con_humano"),
        runs("action_handoff"),
        answers("Te paso con una persona del equipo.", "utter_handoff"),
        paused(),
        answers("Hola, soy Marta. ¿Me dices tu pedido?", agent="marta"),
    )
    assert [t.speaker for t in conversation.turns] == ["shopper", "bot", "agent"]
    assert conversation.turns[1].handoff


def test_handed_off_is_derivada(journey: JourneyMap) -> None:
    conversation = only(
        journey,
        says("quiero hablar con una persona", "hablar_con_humano"),
        runs("action_handoff"),
        answers("Te paso con una persona del equipo.", "utter_handoff_en_cola"),
        paused(),
    )
    assert conversation.pending_outcome == "derivada"


def test_the_note_for_the_gateway_is_not_a_turn(journey: JourneyMap) -> None:
    note = BotUttered(None, data={"custom": {"handoff": {"id": 7}}})
    conversation = only(
        journey,
        says("quiero hablar con una persona", "hablar_con_humano"),
        runs("action_handoff"),
        answers("Te paso con una persona del equipo.", "utter_handoff_en_cola"),
        note,
        paused(),
    )
    assert [turn.text for turn in conversation.turns] == [
        "quiero hablar con una persona",
        "Te paso con una persona del equipo.",
    ]


def test_leaving_mid_form_is_abandonada(journey: JourneyMap) -> None:
    conversation = only(
        journey,
        says("quiero devolver unas zapatillas", "solicitar_devolucion"),
        runs("form_devolucion"),
        form("form_devolucion"),
        answers("¿Cuál es el número de pedido?", "utter_ask_numero_pedido"),
    )
    assert conversation.pending_outcome == "abandonada"


def test_leaving_after_a_fallback_is_abandonada(journey: JourneyMap) -> None:
    conversation = only(
        journey,
        says("blorf gnap", "nlu_fallback", confidence=0.5),
        runs("action_fallback_reformular"),
        answers("Perdona, no te he entendido. ¿Te refieres a…?", "utter_reformular"),
    )
    assert conversation.pending_outcome == "abandonada"
    assert conversation.fallback_turns == 1
    assert all(t.fallback for t in conversation.turns)


def test_small_talk_only_is_sin_resolver(journey: JourneyMap) -> None:
    conversation = only(
        journey,
        says("hola", "saludar"),
        answers("¡Hola!", "utter_saludo"),
        says("adiós", "despedir"),
        answers("¡Hasta pronto!", "utter_despedida"),
    )
    assert conversation.pending_outcome == "sin_resolver"
    assert conversation.stage_path == [] and conversation.turns[0].stage is None


def test_an_apology_is_not_an_answer(journey: JourneyMap) -> None:
    conversation = only(
        journey,
        says("tenéis zapatillas en la 42", "consultar_producto", entities=[("talla", "42")]),
        runs("action_buscar_producto"),
        answers("Lo siento, ahora mismo no puedo consultar la tienda.", "utter_error_tienda"),
    )
    assert conversation.pending_outcome == "sin_resolver"


def test_a_new_request_after_an_answer_must_be_answered_too(journey: JourneyMap) -> None:
    conversation = only(
        journey,
        says("cuánto tarda en llegar", "consultar_envio"),
        runs("action_responder_faq"),
        answers("Entre 24 y 48 horas laborables.", "utter_consultar_envio/plazos"),
        says("y se puede cancelar un pedido?", "cancelar_pedido"),
    )
    assert conversation.pending_outcome == "sin_resolver"


@pytest.mark.parametrize(
    ("facts", "outcome"),
    [
        (OutcomeFacts(handed_off=True, resolved=True), "derivada"),
        (OutcomeFacts(open_form=True, resolved=True), "abandonada"),
        (OutcomeFacts(ended_on_fallback=True), "abandonada"),
        (OutcomeFacts(resolved=True), "resuelta"),
        (OutcomeFacts(resolved=True, unanswered_request=True), "sin_resolver"),
        (OutcomeFacts(), "sin_resolver"),
    ],
)
def test_outcome_rules_in_order(facts: OutcomeFacts, outcome: str) -> None:
    assert decide_outcome(facts) == outcome


def test_a_broken_item_report_keeps_its_request_and_problem_category(
    journey: JourneyMap,
) -> None:
    conversation = only(
        journey,
        says("hola", "saludar"),
        says("me ha llegado roto", "reportar_problema", entities=[("tipo_problema", "roto")]),
        sets("tipo_problema", "roto"),  # Rasa fills the slot from the entity as said...
        runs("form_problema"),
        form("form_problema"),
        sets("tipo_problema", "danado"),  # ...and the form's validation keeps its code
        answers("¿Cuál es el número de pedido?", "utter_ask_numero_pedido"),
        says("la caja venía abierta", "reportar_problema"),
        sets("descripcion_problema", "la caja venía abierta"),
        says("gracias", "agradecer"),
    )
    assert conversation.request_intent == "reportar_problema"
    assert conversation.problem_category == "danado"


def test_a_validated_return_reason_is_the_category_but_free_text_is_not(
    journey: JourneyMap,
) -> None:
    asked_why = [
        says("quiero devolver unas zapatillas", "solicitar_devolucion"),
        runs("form_devolucion"),
        form("form_devolucion"),
        answers("¿Por qué las devuelves?", "utter_ask_motivo_devolucion"),
        says("me quedan pequeñas", "solicitar_devolucion"),
        sets("motivo_devolucion", "me quedan pequeñas"),
        runs("form_devolucion"),
    ]
    conversation = only(journey, *asked_why, sets("motivo_devolucion", "talla"), form(None))
    assert conversation.problem_category == "talla"
    unvalidated = only(journey, *asked_why[:-1])
    assert unvalidated.problem_category is None


@pytest.mark.parametrize(
    ("entity", "word"),
    [
        ("motivo_devolucion", "no"),
        ("motivo_devolucion", "no me"),
        ("tipo_problema", "han"),
        ("motivo_devolucion", "que compré"),
        ("tipo_problema", "al"),
    ],
)
def test_a_word_the_nlu_took_for_a_problem_is_no_category(
    journey: JourneyMap, entity: str, word: str
) -> None:
    """The slot mapping copies the entity as said; nothing but the form's code counts."""
    conversation = only(
        journey,
        says(f"{word} ha llegado mi pedido", "rastrear_pedido", entities=[(entity, word)]),
        sets(entity, word),
        runs("form_verificacion"),
        form("form_verificacion"),
        answers("¿Cuál es el número de pedido?", "utter_ask_numero_pedido"),
    )
    assert conversation.problem_category is None


def test_a_reason_the_return_form_refused_is_no_category(journey: JourneyMap) -> None:
    conversation = only(
        journey,
        says(
            "no, quiero devolverlo", "solicitar_devolucion", entities=[("motivo_devolucion", "no")]
        ),
        sets("motivo_devolucion", "no"),
        runs("form_devolucion"),
        form("form_devolucion"),
        sets("motivo_devolucion", None),
        answers("¿Cuál es el número de pedido?", "utter_ask_numero_pedido"),
    )
    assert conversation.problem_category is None


def test_a_category_word_outside_a_form_is_no_category(journey: JourneyMap) -> None:
    """«¿La tenéis en otra talla?» is a product question, not a return because of the size."""
    conversation = only(
        journey,
        says(
            "¿la tenéis en otra talla?",
            "consultar_producto",
            entities=[("motivo_devolucion", "talla")],
        ),
        sets("motivo_devolucion", "talla"),
        runs("action_buscar_producto"),
        answers("Sí, la tenemos en la 40 y la 42.", "utter_producto_disponible"),
    )
    assert conversation.problem_category is None


def test_a_problem_that_does_not_fit_the_order_is_dropped_and_the_chosen_one_kept(
    journey: JourneyMap,
) -> None:
    late = [("tipo_problema", "retraso")]
    damaged = [("tipo_problema", "danado")]
    reported = [
        says("mi pedido viene con retraso", "reportar_problema", entities=late),
        sets("tipo_problema", "retraso"),
        runs("form_problema"),
        form("form_problema"),
        sets("tipo_problema", "retraso"),  # kept until the order is verified
        answers("¿Cuál es el número de pedido?", "utter_ask_numero_pedido"),
        says("RU-100006", "informar_pedido", entities=[("numero_pedido", "RU-100006")]),
        sets("numero_pedido", "RU-100006"),
        runs("form_problema"),
        sets("numero_pedido", "RU-100006"),
        sets("pedido_verificado", "RU-100006"),
        sets("tipo_problema", None),  # the order was delivered: it cannot be late
        answers("Tu pedido ya se entregó. ¿Qué ha pasado?", "utter_problema_no_encaja_entregado"),
    ]
    assert only(journey, *reported).problem_category is None
    chosen = only(
        journey,
        *reported,
        says(
            '/reportar_problema{"tipo_problema": "danado"}', "reportar_problema", entities=damaged
        ),
        sets("tipo_problema", "danado"),
        runs("form_problema"),
        sets("tipo_problema", "danado"),
        answers("Cuéntame qué ha pasado.", "utter_ask_descripcion_problema"),
        says("la caja venía abierta", "reportar_problema"),
        sets("descripcion_problema", "la caja venía abierta"),
        runs("form_problema"),
        sets("descripcion_problema", "la caja venía abierta"),
        form(None),
        runs("action_crear_ticket"),
        answers("He abierto la incidencia TK-1.", "utter_ticket_reposicion_o_reembolso"),
        answers("Del 1 al 5, ¿cuánto te he ayudado?", "utter_pedir_valoracion"),
        sets("tipo_problema", None),  # the ticket is open: the form is ready for the next one
        sets("descripcion_problema", None),
    )
    assert chosen.problem_category == "danado"


def test_a_rating_that_answers_the_bot_keeps_the_flow_s_stage(journey: JourneyMap) -> None:
    conversation = only(journey, *tracking_flow())
    rating, thanks = conversation.turns[-2:]
    assert (rating.intent, rating.stage, thanks.stage) == ("valorar", "compra", "compra")
    assert conversation.pending_outcome == "resuelta"


def test_a_second_try_at_the_rating_keeps_the_stage_too(journey: JourneyMap) -> None:
    *flow, rated, _, _, _ = tracking_flow()
    conversation = only(
        journey,
        *flow,
        says("un diez", "valorar", entities=[("valoracion", "10")]),
        runs("action_registrar_valoracion"),
        answers(
            "Perdona, no lo he entendido. ¿Me das una nota del 1 al 5?", "utter_valoracion_invalida"
        ),
        sets("valoracion", None),
        rated,
        runs("action_registrar_valoracion"),
        sets("valoracion", "5"),
    )
    assert conversation.stage_path == ["compra"]
    assert (conversation.csat, conversation.request_intent) == (5, "rastrear_pedido")


def test_a_rating_nobody_asked_for_is_recomendacion(journey: JourneyMap) -> None:
    unasked = only(
        journey,
        says("hola", "saludar"),
        answers("¡Hola! ¿En qué te ayudo?", "utter_saludar"),
        says("os doy un 5, me encanta la tienda", "valorar", entities=[("valoracion", "5")]),
        runs("action_registrar_valoracion"),
        sets("valoracion", "5"),
        answers("¡Gracias por tu valoración!", "utter_gracias_valoracion"),
    )
    assert unasked.stage_path == ["recomendacion"]
    assert [t.stage for t in unasked.turns] == ["recomendacion"] * 4
    afterwards = only(
        journey,
        *tracking_flow(),
        says("y la tienda me encanta, la recomiendo siempre", "opinar"),
        runs("action_registrar_opinion"),
        answers("¡Gracias por contárnoslo!", "utter_gracias_opinion"),
    )
    assert afterwards.stage_path == ["compra", "recomendacion"]
    assert afterwards.request_intent == "opinar"
