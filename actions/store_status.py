"""A first action over the store: tells the shopper the store's opening hours and contact."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.store import StoreError, get_policies, store_session


class ActionInfoTienda(Action):
    def name(self) -> str:
        return "action_info_tienda"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        try:
            with store_session() as session:
                policies = get_policies(session=session)
        except StoreError:
            dispatcher.utter_message(response="utter_tienda_no_disponible")
            return []
        dispatcher.utter_message(
            response="utter_info_tienda",
            tienda=policies.store_name,
            horario=policies.support_hours,
            correo=policies.support_email,
            dias_devolucion=policies.return_window_days,
        )
        return []
