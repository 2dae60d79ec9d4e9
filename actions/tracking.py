"""Where is my order: its state in words, the carrier's last scan and when it arrives.

Only the delivery city is said, never the street: the shopper proved the order is
theirs, but the chat may be read over their shoulder.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.common import (
    STATUS_WORDS,
    apologise_for_store,
    ask_to_verify,
    run_store,
    spanish_date,
    spanish_time,
    verified_order,
)
from bot.store import StoreError, tracking_timeline
from bot.store.records import ShipmentTrack, Timeline, VerifiedOrder

# Store times are naive UTC; shoppers read them in the store's (peninsular Spanish) time.
STORE_TIME_ZONE = ZoneInfo("Europe/Madrid")
# The warehouse ships within two days of payment (the seed ships 3 to 40 hours after it).
DISPATCH_HOURS = 48
NOT_SHIPPED = ("pagado", "preparando")


class ActionRastrearPedido(Action):
    """Tell a verified shopper where their order is, then ask how helpful that was."""

    def name(self) -> str:
        return "action_rastrear_pedido"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        def look_up(session: Session) -> tuple[VerifiedOrder, Timeline] | None:
            order = verified_order(session, tracker)
            if order is None:
                return None
            return order, tracking_timeline(session=session, order=order)

        try:
            found = await run_store(look_up)
        except StoreError as exc:
            return apologise_for_store(dispatcher, exc)
        if found is None:
            ask_to_verify(dispatcher, "rastrear_pedido")
            return []
        order, timeline = found
        _say_where(dispatcher, order, timeline, _local(datetime.utcnow()).date())
        dispatcher.utter_message(response="utter_pedir_valoracion")
        return [SlotSet("estado_pedido", timeline.status)]


def _say_where(
    dispatcher: CollectingDispatcher, order: VerifiedOrder, timeline: Timeline, today: date
) -> None:
    number, status = timeline.number, timeline.status
    words = STATUS_WORDS.get(status, status)
    if status == "cancelado":
        dispatcher.utter_message(response="utter_pedido_cancelado_sin_envio", numero_pedido=number)
    elif status == "devuelto":
        dispatcher.utter_message(response="utter_pedido_devuelto_sin_envio", numero_pedido=number)
    elif status == "pendiente_pago":
        dispatcher.utter_message(
            response="utter_pedido_pendiente_pago",
            numero_pedido=number,
            metodo_pago=order.payment_method,
            horas_envio=DISPATCH_HOURS,
        )
    elif status in NOT_SHIPPED:
        dispatcher.utter_message(
            response="utter_pedido_por_enviar",
            numero_pedido=number,
            estado=words,
            fecha_envio=_when(_ships_by(order.paid_at or order.placed_at, today), today),
        )
    elif not timeline.shipments:
        dispatcher.utter_message(
            response="utter_pedido_sin_seguimiento", numero_pedido=number, estado=words
        )
    else:
        _say_shipment(dispatcher, order, timeline.shipments[-1], words, today)


def _say_shipment(
    dispatcher: CollectingDispatcher,
    order: VerifiedOrder,
    shipment: ShipmentTrack,
    words: str,
    today: date,
) -> None:
    facts = {
        "numero_pedido": order.number,
        "transportista": shipment.carrier,
        "seguimiento": shipment.tracking_number,
        "ultimo_evento": _last_step(shipment, today),
        "direccion": order.ship_address,
    }
    delivered = shipment.delivered_at or order.delivered_at
    if shipment.status == "perdido":
        dispatcher.utter_message(response="utter_pedido_perdido", **facts)
    elif delivered is not None:
        arrived = _when(_local(delivered).date(), today)
        dispatcher.utter_message(response="utter_pedido_entregado", fecha_entrega=arrived, **facts)
    elif shipment.is_late:
        expected = _when(shipment.estimated_delivery, today)
        dispatcher.utter_message(
            response="utter_pedido_retrasado", fecha_prevista=expected, **facts
        )
    else:
        arrives = today if shipment.status == "en_reparto" else shipment.estimated_delivery
        dispatcher.utter_message(
            response="utter_pedido_en_camino",
            estado=words,
            fecha_entrega=_when(arrives, today),
            **facts,
        )


def _last_step(shipment: ShipmentTrack, today: date) -> str:
    """``Admitido en oficina de origen (Getafe (Madrid), ayer a las 16:26)``."""
    step = shipment.last_step
    if step is None:
        return "todavía no hay ninguno registrado"
    at = _local(step.occurred_at)
    return (
        f"{step.description} ({step.location}, {_when(at.date(), today)} a las {spanish_time(at)})"
    )


def _when(day: date, today: date) -> str:
    """``hoy``, ``mañana``, ``ayer`` or ``el jueves, 26 de noviembre``."""
    near = {0: "hoy", 1: "mañana", -1: "ayer"}.get((day - today).days)
    return near or f"el {spanish_date(day, weekday=True, year=day.year != today.year)}"


def _ships_by(paid_at: datetime, today: date) -> date:
    """The last day the warehouse should ship an order paid at ``paid_at``: weekends skipped."""
    day = _local(paid_at + timedelta(hours=DISPATCH_HOURS)).date()
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return max(day, today)


def _local(moment: datetime) -> datetime:
    return moment.replace(tzinfo=timezone.utc).astimezone(STORE_TIME_ZONE)
