"""Store questions answered with the store's own figures: hours, shipping, payment, promotions.

The answers' wording lives in ``data/nlu/responses/`` (one per retrieval intent, chosen by the
ResponseSelector); their ``{placeholders}`` are filled here from ``get_policies``, so a price or a
deadline is never typed twice. One filler per parent intent gives every figure its answers use.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import apologise_for_store, euros, run_store, spanish_date
from bot.retrieval import answer_key, top_answer, topic
from bot.store import StoreError, get_policies
from bot.store.records import Policies, ShippingZoneInfo

# ShippingZoneInfo carries no countries; these zones are Spain's (see seed_catalog.ZONES).
DOMESTIC_ZONES = ("peninsula", "baleares", "canarias", "ceuta-melilla")
# What a parent intent gets when the message names no sub-intent (a button, a vague question).
GENERAL_ANSWERS = {
    "consultar_tienda": "utter_info_tienda",
    "consultar_envio": "utter_info_envios",
    "consultar_pago": "utter_consultar_pago/metodos",
    "consultar_promociones": "utter_consultar_promociones/actuales",
}
Variables = dict[str, str]


def _free_from(zone: ShippingZoneInfo) -> str:
    return f", gratis desde {euros(zone.free_from)}" if zone.free_from is not None else ""


def _days(zone: ShippingZoneInfo) -> str:
    return f"de {zone.days_min} a {zone.days_max} días"


def _until(day: date, today: date) -> str:
    return spanish_date(day, year=day.year != today.year)


def store_variables(policies: Policies, today: date) -> Variables:
    """Name, hours, contact and return window: every answer may use these."""
    return {
        "tienda": policies.store_name,
        "horario": policies.support_hours,
        "correo": policies.support_email,
        "dias_devolucion": str(policies.return_window_days),
    }


def shipping_variables(policies: Policies, today: date) -> Variables:
    zones = policies.zones
    abroad = [z for z in zones if z.code not in DOMESTIC_ZONES]
    return {
        "plazos_envio": "\n".join(f"• {z.name}: {_days(z)}" for z in zones),
        "costes_envio": "\n".join(f"• {z.name}: {euros(z.cost)}{_free_from(z)}" for z in zones),
        "zonas_internacionales": "\n".join(
            f"• {z.name}: {euros(z.cost)}{_free_from(z)}, {_days(z)} laborables" for z in abroad
        ),
        "resumen_envios": "\n".join(
            f"• {z.name}: {euros(z.cost)}{_free_from(z)}; {_days(z)}" for z in zones
        ),
    }


def payment_variables(policies: Policies, today: date) -> Variables:
    methods = policies.payment_methods
    instalments = [m for m in methods if m.max_installments > 1]
    return {
        "metodos_pago": "\n".join(f"• {m.name}: {m.description}" for m in methods),
        "opciones_cuotas": "\n".join(
            f"• {m.name}: hasta {m.max_installments} plazos. {m.description}" for m in instalments
        )
        or "• Ahora mismo no ofrecemos pago a plazos.",
    }


def promotion_variables(policies: Policies, today: date) -> Variables:
    return {
        "promociones_actuales": "\n".join(
            f"• {p.title}: código {p.code}, hasta el {_until(p.ends_on, today)}."
            for p in policies.promotions
        ),
    }


FILLERS: dict[str, Callable[[Policies, date], Variables]] = {
    "consultar_tienda": store_variables,
    "consultar_envio": shipping_variables,
    "consultar_pago": payment_variables,
    "consultar_promociones": promotion_variables,
}


def faq_variables(intent: str, policies: Policies, today: date) -> Variables:
    """Every placeholder the answers of ``intent`` may use, from the store's policies."""
    variables = store_variables(policies, today)
    filler = FILLERS.get(intent)
    if filler is not None:
        variables.update(filler(policies, today))
    return variables


def _retrieval_key(tracker: Tracker) -> tuple[str, str | None]:
    """(parent intent, ``parent/sub`` chosen by the ResponseSelector or None).

    Without an FAQ intent (a button, the fallback) the selector's first pick names the topic.
    """
    message = tracker.latest_message or {}
    intent = str((message.get("intent") or {}).get("name") or "")
    if not intent or intent not in FILLERS:
        intent = topic(top_answer(message, intent)) or intent
    return intent, answer_key(message, intent)


class ActionResponderFaq(Action):
    """Utters the selected FAQ answer with the store's current figures filled in."""

    def name(self) -> str:
        return "action_responder_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        intent, key = _retrieval_key(tracker)
        today = date.today()
        try:
            policies = await run_store(lambda session: get_policies(session=session, today=today))
        except StoreError as exc:
            return apologise_for_store(dispatcher, exc)
        response = f"utter_{key}" if key else GENERAL_ANSWERS.get(intent, "utter_info_tienda")
        if response == "utter_consultar_promociones/actuales" and not policies.promotions:
            response = "utter_sin_promociones"
        dispatcher.utter_message(response=response, **faq_variables(intent, policies, today))
        return []


class ActionInfoTienda(Action):
    """Who we are, when people answer, how to write to us and how long returns take."""

    def name(self) -> str:
        return "action_info_tienda"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        today = date.today()
        try:
            policies = await run_store(lambda session: get_policies(session=session, today=today))
        except StoreError as exc:
            return apologise_for_store(dispatcher, exc)
        dispatcher.utter_message(response="utter_info_tienda", **store_variables(policies, today))
        return []
