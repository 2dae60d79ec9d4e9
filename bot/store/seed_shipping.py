"""Seeded shipments and their tracking events, in Spanish, in time order.

The last event always tells the shipment's state: "Entregado" for delivered parcels,
"En reparto" today for those out for delivery, a silent incident for lost ones.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from bot.store.seed_orders import Draft, at, hours, weighted
from bot.store.seed_places import (
    CUSTOMS_CITY,
    EXPORT_HUB,
    ISLAND_CARRIERS,
    TRACKING_FORMATS,
    WAREHOUSE,
)
from bot.store.seed_products import Row

MAX_EVENTS = 7
ISLAND_ZONES = ("baleares", "canarias", "ceuta-melilla")
CANARY_CUSTOMS = {"Las Palmas": "Las Palmas de Gran Canaria"}
ADMITTED = "Admitido en oficina de origen"
NEIGHBOURS = ("Carmen", "José", "Lucía", "Antonio", "Marta", "Javier", "Pilar", "Manuel")

Stop = tuple[str, str, bool]  # location, description, kept even when the list is trimmed
Event = tuple[datetime, str, str]


def pick_carrier(rng: random.Random, draft: Draft) -> str:
    if draft.shopper.zone.code in ISLAND_ZONES:
        return weighted(rng, ISLAND_CARRIERS)
    return weighted(rng, draft.shopper.country.carriers)


def tracking_number(rng: random.Random, carrier: str, taken: set[str]) -> str:
    prefix, digits, suffix = TRACKING_FORMATS[carrier]
    while True:
        body = str(rng.randint(1, 9)) + "".join(str(rng.randrange(10)) for _ in range(digits - 1))
        code = f"{prefix}{body}{suffix}"
        if code not in taken:
            taken.add(code)
            return code


def _route(draft: Draft) -> list[Stop]:
    """The scans between the warehouse and the last mile, customs included where there are any."""
    city = draft.shopper.city.name
    zone = draft.shopper.zone.code
    admitted = (WAREHOUSE, ADMITTED, False)
    arrival = (city, f"Llegada al centro de distribución de {city}", False)
    if zone == "peninsula":
        return [
            admitted,
            ("Madrid", f"En tránsito hacia el centro de distribución de {city}", False),
            arrival,
        ]
    if zone == "baleares":
        return [admitted, ("Valencia", "En tránsito marítimo hacia Baleares", False), arrival]
    if zone in ("canarias", "ceuta-melilla"):
        if zone == "canarias":
            customs = CANARY_CUSTOMS.get(draft.shopper.city.region, "Santa Cruz de Tenerife")
            via = ("Madrid", "En tránsito aéreo hacia Canarias", False)
        else:
            customs = city
            via = ("Algeciras", f"En tránsito marítimo hacia {city}", False)
        return [
            admitted,
            via,
            (customs, "En aduana: pendiente del despacho de importación (DUA)", True),
            (customs, "Despachado en aduana", True),
            arrival,
        ]
    country = draft.shopper.country
    customs = CUSTOMS_CITY[country.code]
    return [
        admitted,
        (EXPORT_HUB, f"Salida del centro de exportación hacia {country.name}", False),
        (customs, f"Llegada a {country.name}: en aduana", True),
        (customs, "Liberado por la aduana, continúa el envío", True),
        arrival,
    ]


def _spread(rng: random.Random, start: datetime, end: datetime, count: int) -> list[datetime]:
    """``count`` increasing whole-second moments between ``start`` and ``end``, evenly jittered."""
    span = int((end - start).total_seconds())
    if span <= 2 * count:
        return [start + timedelta(seconds=i + 1) for i in range(count)]
    offsets = [int(span * (i + rng.uniform(0.15, 0.85)) / count) for i in range(count)]
    return [start + timedelta(seconds=max(1, s)) for s in offsets]


def _times(rng: random.Random, stops: list[Stop], start: datetime, end: datetime) -> list[datetime]:
    """The carrier admits the parcel within hours of pick-up; later scans spread to ``end``."""
    if not stops:
        return []
    if stops[0][1] != ADMITTED:
        return _spread(rng, start, end, len(stops))
    admitted = min(start + hours(rng.uniform(1, 6)), start + (end - start) / (len(stops) + 1))
    admitted = admitted.replace(microsecond=0)
    return [admitted, *_spread(rng, admitted, end, len(stops) - 1)]


def _trim(rng: random.Random, stops: list[Stop], room: int) -> list[Stop]:
    """Keep the mandatory stops and a random, order-preserving share of the rest."""
    optional = [i for i, stop in enumerate(stops) if not stop[2]]
    most = max(0, min(len(optional), room - (len(stops) - len(optional))))
    kept = set(rng.sample(optional, rng.randint(min(1, most), most)))
    return [stop for i, stop in enumerate(stops) if stop[2] or i in kept]


def _delivered_text(rng: random.Random, draft: Draft) -> str:
    draw = rng.random()
    if draw < 0.75:
        return f"Entregado. Firmado por {draft.shopper.first_name} {draft.shopper.last_name[0]}."
    if draw < 0.88:
        return "Entregado en conserjería"
    return f"Entregado a un vecino. Firmado por {rng.choice(NEIGHBOURS)} {rng.choice('ABCGLMPR')}."


def build_events(
    rng: random.Random,
    draft: Draft,
    shipped_at: datetime,
    status: str,
    end_at: datetime,
) -> list[Event]:
    """Three to seven events from the warehouse to ``end_at`` (delivery or last scan)."""
    city = draft.shopper.city.name
    route = _route(draft)
    events: list[Event] = [(shipped_at, WAREHOUSE, "Pedido preparado en almacén (Getafe)")]
    if status in ("entregado", "en_reparto"):
        day = end_at.date()
        out_for_delivery = end_at if status == "en_reparto" else at(rng, day, 7, 9)
        if out_for_delivery >= end_at and status == "entregado":
            out_for_delivery = end_at - hours(rng.uniform(0.3, 1.5))
        tail: list[Event] = []
        if rng.random() < 0.1 and (day - shipped_at.date()).days >= 2:
            before = day - timedelta(days=1)
            tail += [
                (at(rng, before, 7, 9), city, "En reparto"),
                (at(rng, before, 10, 14), city, "Ausente en el domicilio, nuevo intento mañana"),
            ]
        tail.append((out_for_delivery, city, "En reparto"))
        if status == "entregado":
            tail.append((end_at, city, _delivered_text(rng, draft)))
        stops = _trim(rng, route, MAX_EVENTS - 1 - len(tail))
        times = _times(rng, stops, shipped_at, tail[0][0] - hours(rng.uniform(1, 3)))
        events += [(t, loc, text) for t, (loc, text, _) in zip(times, stops, strict=True)] + tail
        return events
    limit = len(route) if status != "perdido" else min(4, len(route))
    stops = route[: rng.randint(2, limit)]
    closing: Event | None = None
    if status == "perdido":
        closing = (
            end_at,
            stops[-1][0],
            "Incidencia: paquete no localizado. Se ha abierto una investigación",
        )
    elif status == "retrasado" and rng.random() < 0.5:
        text = (
            "Retenido en aduana a la espera de documentación"
            if stops[-1][1].endswith(("en aduana", "(DUA)"))
            else "Retraso en la entrega por una incidencia operativa"
        )
        closing = (end_at, stops[-1][0], text)
    if status == "perdido":  # normal scans for a few days, then silence until the incident
        silent_from = min(shipped_at + hours(rng.uniform(36, 96)), end_at - timedelta(days=3))
        times = _times(rng, stops, shipped_at, silent_from)
    elif closing:
        times = _times(rng, stops, shipped_at, end_at - hours(2))
    else:
        times = [*_times(rng, stops[:-1], shipped_at, end_at), end_at]
    events += [(t, loc, text) for t, (loc, text, _) in zip(times, stops, strict=True)]
    return [*events, closing] if closing else events


def build_shipments(rng: random.Random, drafts: list[Draft]) -> tuple[list[Row], list[Row]]:
    """One shipment per shipped order (two for split ones) and their tracking events."""
    shipments: list[Row] = []
    events: list[Row] = []
    taken: set[str] = set()
    for draft in drafts:
        if draft.shipped_at is None or draft.ship_status is None:
            continue
        carrier = draft.carrier or pick_carrier(rng, draft)
        draft.carrier = carrier
        end_at = draft.delivered_at or draft.last_scan_at
        assert end_at is not None and draft.estimated_delivery is not None
        parcels = [(draft.shipped_at, draft.delivered_at, end_at)]
        if draft.split and draft.delivered_at:
            second_shipped = draft.shipped_at + hours(rng.uniform(0.5, 4))
            morning = draft.delivered_at.replace(hour=9, minute=0, second=0)
            room = max(0, int((draft.delivered_at - morning).total_seconds()))
            second_delivered = draft.delivered_at - timedelta(seconds=rng.randint(0, room))
            parcels.append((second_shipped, second_delivered, second_delivered))
        for shipped_at, delivered_at, last in parcels:
            shipment_id = len(shipments) + 1
            shipments.append(
                {
                    "id": shipment_id,
                    "order_id": draft.id,
                    "carrier": carrier,
                    "tracking_number": tracking_number(rng, carrier, taken),
                    "status": draft.ship_status,
                    "shipped_at": shipped_at,
                    "estimated_delivery": shipped_at.date()
                    + timedelta(days=draft.shopper.zone.days_max),
                    "delivered_at": delivered_at,
                }
            )
            for when, location, text in build_events(
                rng, draft, shipped_at, draft.ship_status, last
            ):
                events.append(
                    {
                        "id": len(events) + 1,
                        "shipment_id": shipment_id,
                        "occurred_at": when,
                        "location": location,
                        "description": text,
                    }
                )
    return shipments, events
