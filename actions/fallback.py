"""Two-stage fallback: first offer the two likeliest topics, then a person."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.handoff import hand_off

# What each intent means to a shopper, as a button title.
TOPICS = {
    "rastrear_pedido": "Saber dónde está mi pedido",
    "cancelar_pedido": "Cancelar un pedido",
    "solicitar_devolucion": "Devolver un producto",
    "estado_reembolso": "Consultar mi reembolso",
    "reportar_problema": "Avisar de un problema con mi pedido",
    "consultar_producto": "Buscar un producto",
    "consultar_envio": "Envíos y plazos de entrega",
    "consultar_pago": "Formas de pago",
    "consultar_promociones": "Promociones y descuentos",
    "consultar_tienda": "Horario y contacto",
    "hablar_con_humano": "Hablar con una persona",
    "opinar": "Dar mi opinión sobre la tienda",
}


def previous_turn_was_fallback(events: list[dict[str, Any]]) -> bool:
    """Did the bot answer the shopper's previous message with the rephrase prompt?"""
    users = 0
    for event in reversed(events):
        if event.get("event") == "user":
            users += 1
            if users == 2:
                return False
        elif users == 1 and event.get("name") == "action_fallback_reformular":
            return True
    return False


def likeliest_topics(ranking: list[dict[str, Any]], count: int = 2) -> list[str]:
    """The ``count`` most likely intents a shopper would recognise as a topic."""
    ordered = sorted(ranking, key=lambda r: -float(r.get("confidence") or 0))
    return [r["name"] for r in ordered if r.get("name") in TOPICS][:count]


class ActionFallbackReformular(Action):
    def name(self) -> str:
        return "action_fallback_reformular"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        if previous_turn_was_fallback(tracker.events):
            return await hand_off(dispatcher, tracker, "fallback_repetido")
        ranking = tracker.latest_message.get("intent_ranking") or []
        buttons = [
            {"title": TOPICS[name], "payload": f"/{name}"} for name in likeliest_topics(ranking)
        ]
        buttons.append({"title": "Otra cosa", "payload": "/fuera_de_alcance"})
        dispatcher.utter_message(response="utter_reformular", buttons=buttons)
        return []
