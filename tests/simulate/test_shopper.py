"""Simulated shoppers recognise the bot's questions by domain.yml's own wording."""

from __future__ import annotations

import random
from functools import lru_cache
from typing import Any

import pytest
import yaml

from bot.config import PROJECT_ROOT
from bot.simulate.client import BotMessage, Button
from bot.simulate.orders import OrderBook, ShopperOrder
from bot.simulate.plants import PLANTS
from bot.simulate.shopper import Plan, Shopper, draw_plan, read_cue


@lru_cache(maxsize=1)
def responses() -> dict[str, Any]:
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    return dict(domain["responses"])


def said(name: str) -> list[BotMessage]:
    return [BotMessage(responses()[name][0]["text"])]


@pytest.mark.parametrize(
    ("response", "cue"),
    [
        ("utter_ask_numero_pedido", "numero"),
        ("utter_ask_credencial", "credencial"),
        ("utter_ask_articulos_devolucion", "articulos"),
        ("utter_ask_motivo_devolucion", "motivo"),
        ("utter_ask_tipo_problema_entregado", "tipo_problema"),
        ("utter_ask_tipo_problema_en_camino", "tipo_problema"),
        ("utter_ask_descripcion_problema", "descripcion"),
        ("utter_confirmar_cancelacion", "cancelar"),
        ("utter_pedir_valoracion", "valoracion"),
        ("utter_pedir_opinion", "opinion"),
        ("utter_reformular", "no_entiende"),
        ("utter_default", "no_entiende"),
        ("utter_handoff_en_cola", "persona"),
        ("utter_handoff_sin_agentes", "persona"),
        ("utter_handoff_fuera_de_horario", "persona"),
        ("utter_verificacion_bloqueada", "bloqueado"),
        ("utter_gracias_valoracion", "algo_mas"),
        ("utter_saludar", "algo_mas"),
        ("utter_ticket_creado", "respuesta"),
    ],
)
def test_the_shopper_knows_what_the_bot_asks(response: str, cue: str) -> None:
    text = responses()[response][0]["text"].replace("{ticket}", "TK-123456")
    assert (
        read_cue([BotMessage("Gracias, Ana. Ya tengo tu pedido RU-100004."), BotMessage(text)])
        == cue
    )


ORDER = ShopperOrder("RU-100006", "entregado", "ana@example.com", "28004", ("Botines Orilla",))
BOOK = OrderBook([ORDER])


def plan_of(**changes: Any) -> Plan:
    plan = draw_plan(random.Random(3), BOOK, None)
    return Plan(**{**plan.__dict__, "order": ORDER, **changes})


def test_a_shopper_answers_the_form_with_their_own_order() -> None:
    shopper = Shopper(plan_of(ending="completa", side_step=0, sloppiness=0.0, uses_email=True,
                              wrong_number_first=False), random.Random(1))  # fmt: skip
    outcome = _outcome()
    assert "RU-100006" in str(shopper._next(said("utter_ask_numero_pedido"), outcome))
    assert "ana@example.com" in str(shopper._next(said("utter_ask_credencial"), outcome))


def test_a_shopper_who_gives_up_stops_answering_mid_form() -> None:
    shopper = Shopper(plan_of(ending="abandona", at_step=2, side_step=0), random.Random(1))
    outcome = _outcome()
    assert shopper._next(said("utter_ask_numero_pedido"), outcome) is not None
    assert shopper._next(said("utter_ask_credencial"), outcome) is None
    assert outcome.ending == "abandonada"


def test_a_rating_can_be_a_click_on_the_button() -> None:
    shopper = Shopper(plan_of(clicks=True, mood="contento"), random.Random(2))
    buttons = tuple(Button(str(n), f'/valorar{{"valoracion": "{n}"}}') for n in range(1, 6))
    answer = shopper._rating([BotMessage("Del 1 al 5, ¿cuánto te he ayudado?", buttons)])
    assert answer.startswith("/valorar") or answer[0].isdigit() or answer == "cinco"


def test_plans_are_reproducible_and_plants_take_their_share() -> None:
    plant = PLANTS["postventa:devolucion"]
    first = [draw_plan(random.Random(f"9:{i}"), BOOK, plant) for i in range(400)]
    again = [draw_plan(random.Random(f"9:{i}"), BOOK, plant) for i in range(400)]
    assert first == again
    share = sum(p.planted for p in first) / len(first)
    assert abs(share - plant.share) < 0.05
    assert {p.persona.stage for p in first} == {
        "descubrimiento", "consideracion", "compra", "postventa", "recomendacion"
    }  # fmt: skip


def _outcome() -> Any:
    from bot.simulate.shopper import Outcome

    return Outcome("s", "rest", "x", "postventa", False)
