"""Cancelling an order: check it can be, ask for confirmation, cancel, or leave it as it is.

An order can be cancelled until it leaves the warehouse; after that the shopper is told
why not in words and, once it has arrived, offered a return instead.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.common import (
    apologise_for_store,
    ask_to_verify,
    euros,
    join_words,
    run_store,
    spanish_date,
    verified_order,
)
from bot.store import (
    ActionNotAllowed,
    StoreError,
    cancel_order,
    check_cancellation,
    get_policies,
)
from bot.store.records import CancellationCheck, CancellationDone, OrderLine, VerifiedOrder

REFUSALS = {
    "ya_enviado": "utter_cancelacion_ya_enviado",
    "ya_entregado": "utter_cancelacion_ya_entregado",
    "ya_cancelado": "utter_cancelacion_ya_cancelado",
    "ya_devuelto": "utter_cancelacion_ya_devuelto",
}
NOT_CONFIRMED = SlotSet("confirmar_cancelacion", False)


class ActionConsultarCancelacion(Action):
    """Say whether the order can still be cancelled; if so, ask to confirm with the refund."""

    def name(self) -> str:
        return "action_consultar_cancelacion"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        def look_up(session: Session) -> tuple[VerifiedOrder, CancellationCheck, int] | None:
            order = verified_order(session, tracker)
            if order is None:
                return None
            check = check_cancellation(session=session, order=order)
            return order, check, get_policies(session=session).return_window_days

        try:
            found = await run_store(look_up)
        except StoreError as exc:
            return [*apologise_for_store(dispatcher, exc), NOT_CONFIRMED]
        if found is None:
            ask_to_verify(dispatcher, "cancelar_pedido")
            return [NOT_CONFIRMED]
        order, check, window = found
        if not check.allowed:
            _refuse(dispatcher, order.number, check.reason or "", window)
            return [NOT_CONFIRMED]
        items = _items(order.lines)
        if check.refund > 0:
            dispatcher.utter_message(
                response="utter_confirmar_cancelacion",
                numero_pedido=order.number,
                articulos=items,
                importe=euros(check.refund),
                metodo_pago=order.payment_method,
            )
        else:
            dispatcher.utter_message(
                response="utter_confirmar_cancelacion_sin_pago",
                numero_pedido=order.number,
                articulos=items,
            )
        return [SlotSet("confirmar_cancelacion", True)]


class ActionCancelarPedido(Action):
    """Cancel the confirmed order and say what is refunded, how and by when."""

    def name(self) -> str:
        return "action_cancelar_pedido"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        if not tracker.get_slot("confirmar_cancelacion"):
            # Nothing is cancelled without a "sí" to the question that names the refund:
            # ask it now, inside this action (docs/dialogue.md: no FollowupAction).
            return await ActionConsultarCancelacion().run(dispatcher, tracker, domain)

        def cancel(session: Session) -> tuple[str, CancellationDone | ActionNotAllowed, int] | None:
            order = verified_order(session, tracker)
            if order is None:
                return None
            window = get_policies(session=session).return_window_days
            try:
                return order.number, cancel_order(session=session, order=order), window
            except ActionNotAllowed as refused:
                return order.number, refused, window

        try:
            found = await run_store(cancel)
        except StoreError as exc:
            return [*apologise_for_store(dispatcher, exc), NOT_CONFIRMED]
        if found is None:
            ask_to_verify(dispatcher, "cancelar_pedido")
            return [NOT_CONFIRMED]
        number, outcome, window = found
        if isinstance(outcome, ActionNotAllowed):
            _refuse(dispatcher, number, outcome.reason, window)
            return [NOT_CONFIRMED]
        if outcome.refund > 0 and outcome.refund_by is not None:
            dispatcher.utter_message(
                response="utter_pedido_cancelado",
                numero_pedido=number,
                importe=euros(outcome.refund),
                metodo_pago=outcome.payment_method,
                fecha_reembolso=spanish_date(outcome.refund_by, weekday=True),
            )
        else:
            dispatcher.utter_message(
                response="utter_pedido_cancelado_sin_pago", numero_pedido=number
            )
        dispatcher.utter_message(response="utter_pedir_valoracion")
        return [NOT_CONFIRMED, SlotSet("estado_pedido", "cancelado")]


class ActionDescartarCancelacion(Action):
    """The shopper said no: nothing changes, and the question is closed."""

    def name(self) -> str:
        return "action_descartar_cancelacion"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_cancelacion_descartada")
        return [NOT_CONFIRMED]


def _refuse(dispatcher: CollectingDispatcher, number: str, reason: str, window: int) -> None:
    """Why the order cannot be cancelled; a delivered one is offered a return (in the response)."""
    dispatcher.utter_message(
        response=REFUSALS.get(reason, "utter_cancelacion_no_posible"),
        numero_pedido=number,
        dias_devolucion=window,
    )


def _items(lines: tuple[OrderLine, ...]) -> str:
    """``Falda vaquera Oasis (×2) y Chaqueta vaquera Arena``: one mention per product."""
    counts: dict[str, int] = {}
    for line in lines:
        counts[line.product_name] = counts.get(line.product_name, 0) + line.quantity
    return join_words([name if n == 1 else f"{name} (×{n})" for name, n in counts.items()])
