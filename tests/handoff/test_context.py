"""The context packet a person gets with a handed-over conversation, and the ticket's transcript."""

from __future__ import annotations

from bot.handoff.context import (
    current_session,
    fit_transcript,
    problem,
    transcript_lines,
    useful_slots,
)

EARLIER_VISIT = [
    {"event": "session_started"},
    {"event": "user", "text": "hola, ¿tenéis botas?"},
    {"event": "bot", "text": "Sí, mira estas."},
]
TODAY = [
    {"event": "session_started"},
    {"event": "user", "text": "mi pedido no llega"},
    {"event": "bot", "text": "¿Me das el número de tu pedido?"},
    {"event": "bot", "text": "Hola, soy Lucía.", "metadata": {"agent": "lucia"}},
    {"event": "user", "text": "   "},
]


def test_only_todays_visit_goes_into_the_packet_and_the_ticket() -> None:
    assert current_session(EARLIER_VISIT + TODAY) == TODAY
    assert transcript_lines(EARLIER_VISIT + TODAY) == [
        "Cliente: mi pedido no llega",
        "Ruta: ¿Me das el número de tu pedido?",
        "Agente: Hola, soy Lucía.",
    ]


def test_a_long_conversation_keeps_its_latest_lines_and_says_it_was_cut() -> None:
    lines = [f"Cliente: mensaje número {n}" for n in range(200)]
    text = fit_transcript("El cliente pidió hablar con una persona.", lines, 500)
    assert len(text) <= 500
    assert text.startswith("El cliente pidió hablar con una persona.\n\n(…)\n")
    assert text.endswith("Cliente: mensaje número 199")
    assert "mensaje número 0\n" not in text
    whole = fit_transcript("Motivo.", lines[:3], 500)
    assert whole == "Motivo.\n\n" + "\n".join(lines[:3])


def test_slots_that_only_steer_the_dialogue_are_left_out() -> None:
    slots = {
        "pedido_verificado": "RU-100004",
        "requested_slot": "credencial",
        "verificacion_interrumpida": False,
        "intentos_verificacion": 0.0,
        "talla": None,
        "credencial": "28004",
    }
    assert useful_slots(slots) == {"credencial": "28004", "pedido_verificado": "RU-100004"}


def test_the_agent_sees_the_problem_as_a_ticket_code_never_a_stray_word() -> None:
    assert problem({"tipo_problema": "Dañado", "descripcion_problema": "Llegó rota."}) == {
        "category": "danado",
        "description": "Llegó rota.",
    }
    assert problem({"tipo_problema": "han", "descripcion_problema": "No me llegó."}) == {
        "category": "",
        "description": "No me llegó.",
    }
    assert problem({"tipo_problema": "han", "descripcion_problema": None}) is None


def test_a_problem_form_ended_with_nothing_to_report_is_no_problem() -> None:
    assert problem({"tipo_problema": "ninguno", "descripcion_problema": "ninguno"}) is None
    assert problem({"tipo_problema": "danado", "descripcion_problema": "Llegó rota."}) == {
        "category": "danado",
        "description": "Llegó rota.",
    }
