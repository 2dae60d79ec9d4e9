"""Where my money is: every refund of the order, with its amount, state and date."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.common import (
    apologise_for_store,
    ask_to_verify,
    euros,
    run_store,
    spanish_date,
    verified_order,
)
from bot.store import StoreError, get_policies, refund_status
from bot.store.records import RefundInfo, VerifiedOrder

REFUND_WORDS = {"pendiente": "pendiente", "procesando": "en trámite"}
# Where the parcel of a return is, which is what a pending refund waits for.
PARCEL_WORDS = {
    "solicitada": "estamos revisando tu solicitud",
    "aprobada": "estamos esperando tu paquete",
    "en_transito": "tu paquete viene de camino a nuestro almacén",
    "recibida": "ya hemos recibido tu paquete",
}


class ActionEstadoReembolso(Action):
    """List the order's refunds (or explain when there would be one), then ask for a rating."""

    def name(self) -> str:
        return "action_estado_reembolso"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        def look_up(session: Session) -> tuple[VerifiedOrder, tuple[RefundInfo, ...], int] | None:
            order = verified_order(session, tracker)
            if order is None:
                return None
            refunds = refund_status(session=session, order=order)
            return order, refunds, get_policies(session=session).refund_days

        try:
            found = await run_store(look_up)
        except StoreError as exc:
            return apologise_for_store(dispatcher, exc)
        if found is None:
            ask_to_verify(dispatcher, "estado_reembolso")
            return []
        order, refunds, refund_days = found
        if not refunds:
            dispatcher.utter_message(
                response="utter_sin_reembolsos", numero_pedido=order.number, dias=refund_days
            )
        else:
            dispatcher.utter_message(response="utter_reembolsos_pedido", numero_pedido=order.number)
            for refund in refunds:
                _say_refund(dispatcher, refund, order.payment_method)
        dispatcher.utter_message(response="utter_pedir_valoracion")
        return []


def _say_refund(dispatcher: CollectingDispatcher, refund: RefundInfo, method: str) -> None:
    source = f"Devolución {refund.rma_code}" if refund.rma_code else "Cancelación del pedido"
    amount = euros(refund.amount)
    if refund.status == "rechazado":
        reason = (refund.rejection_reason or "").strip() or "No tengo el motivo anotado."
        dispatcher.utter_message(
            response="utter_reembolso_rechazado",
            origen=source,
            importe=amount,
            motivo=reason if reason.endswith((".", "!", "?")) else f"{reason}.",
        )
        return
    day = refund.refunded_at.date() if refund.refunded_at else refund.expected_by
    if refund.status == "completado":
        dispatcher.utter_message(
            response="utter_reembolso_completado",
            origen=source,
            importe=amount,
            metodo_pago=method,
            fecha=f"el {spanish_date(day, weekday=True)}" if day else "hace poco",
        )
        return
    state = REFUND_WORDS.get(refund.status, refund.status)
    parcel = PARCEL_WORDS.get(refund.return_status or "")
    dispatcher.utter_message(
        response="utter_reembolso_en_curso",
        origen=source,
        importe=amount,
        metodo_pago=method,
        estado=f"{state} ({parcel})" if parcel else state,
        fecha=f"como muy tarde el {spanish_date(day, weekday=True)}" if day else "en unos días",
    )
