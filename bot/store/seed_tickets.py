"""Seeded support tickets, written the way shoppers write, tied to orders that justify them.

A delay ticket points at a late parcel, a lost-parcel ticket at a lost one, a damaged
or wrong item at a delivered order; tickets about a problem still open stay open.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from bot.store.models import TICKET_CATEGORIES, TICKET_PRIORITIES, TICKET_STATUSES
from bot.store.seed_orders import Draft, hours, weighted
from bot.store.seed_people import Shopper, Shoppers
from bot.store.seed_products import Row
from bot.store.seed_returns import IN_PROGRESS, ReturnFacts

CATEGORY_SHARES = (
    ("retraso", 20),
    ("perdido", 8),
    ("danado", 12),
    ("incorrecto", 9),
    ("incompleto", 7),
    ("pago", 10),
    ("devolucion", 14),
    ("cuenta", 8),
    ("otro", 12),
)
PRIORITY_SHARES = {
    "perdido": (("urgente", 50), ("alta", 50)),
    "retraso": (("media", 50), ("alta", 40), ("urgente", 10)),
    "danado": (("alta", 50), ("media", 50)),
    "incorrecto": (("media", 60), ("alta", 40)),
    "incompleto": (("media", 70), ("alta", 30)),
    "pago": (("alta", 60), ("urgente", 15), ("media", 25)),
    "devolucion": (("media", 60), ("alta", 25), ("baja", 15)),
    "cuenta": (("baja", 60), ("media", 40)),
    "otro": (("baja", 80), ("media", 20)),
}
TEMPLATES = {
    "retraso": (
        "Hola, mi pedido {numero} tenía que llegar el {fecha} y todavía no ha llegado. "
        "¿Sabéis algo?",
        "El seguimiento de {transportista} no se mueve. Pedido {numero}. "
        "Lo necesito para este fin de semana.",
        "Buenas, el pedido {numero} lleva {dias} de retraso. ¿Me decís cuándo llega?",
        "Hice el pedido {numero} hace {pedido_hace} y aún nada. En la web de "
        "{transportista} pone en tránsito. Un poco decepcionante, la verdad.",
        "¿Dónde está mi pedido {numero}? Ya ha pasado la fecha de entrega.",
    ),
    "perdido": (
        "El seguimiento de mi pedido {numero} dice 'paquete no localizado'. ¿Qué hago? "
        "¿Me lo volvéis a enviar?",
        "Llevo {dias} sin ninguna actualización del envío {numero} y {transportista} dice "
        "que no lo encuentra. Quiero una solución o el reembolso.",
        "Se ha perdido mi paquete ({numero}). Era un regalo de cumpleaños, decidme algo pronto "
        "por favor.",
        "{transportista} me dice que reclame a la tienda porque no localizan el paquete del "
        "pedido {numero}.",
    ),
    "danado": (
        "Me ha llegado el pedido {numero} y el artículo {producto} viene dañado. Adjunto fotos.",
        "La caja llegó aplastada y el artículo {producto} está dañado. Pedido {numero}. "
        "Quiero que me lo cambiéis.",
        "El artículo {producto} tiene una mancha que no sale, llegó así. ¿Cómo lo devuelvo? "
        "Pedido {numero}",
        "Hola, en el pedido {numero} el artículo {producto} ha llegado con una tara. "
        "Creo que es un defecto de fábrica.",
    ),
    "incorrecto": (
        "El artículo {producto} no es la variante que pedí: la talla o el color no coinciden. "
        "Pedido {numero}.",
        "El artículo {producto} me ha llegado en otro color, no el de la foto. Pedido {numero}.",
        "En el paquete del pedido {numero} venía un artículo que no es el mío. ¿Os lo devuelvo?",
        "Pedido {numero}: el artículo {producto} no es el modelo que compré.",
    ),
    "incompleto": (
        "En mi pedido {numero} falta el artículo {producto}. En el albarán sale pero en la caja "
        "no estaba.",
        "Me llegó el pedido {numero} incompleto, solo venía una parte. ¿El resto llega aparte?",
        "Falta un artículo del pedido {numero}: {producto}. ¿Me lo enviáis o me devolvéis "
        "el dinero?",
    ),
    "pago_pendiente": (
        "Hice el pago del pedido {numero} y en la web sigue como pendiente de pago.",
        "Ya pagué el pedido {numero}, ¿por qué no se ha confirmado todavía?",
    ),
    "pago_cancelado": (
        "Cancelé el pedido {numero} y todavía no veo el reembolso en mi cuenta.",
        "Me habéis cancelado el pedido {numero} pero el cargo sigue en la tarjeta.",
    ),
    "pago": (
        "Me habéis cobrado dos veces el pedido {numero}. Adjunto captura del banco.",
        "El pago me dio error, pero el banco me ha retenido el importe del pedido {numero}.",
        "Necesito la factura del pedido {numero} con mis datos fiscales.",
    ),
    "devolucion_rechazada": (
        "Me han rechazado la devolución del pedido {numero} y no estoy de acuerdo: "
        "el artículo {producto} estaba sin usar.",
        "¿Por qué se ha rechazado mi devolución del pedido {numero}? Quiero hablar con alguien.",
    ),
    "devolucion_abierta": (
        "Envié la devolución del pedido {numero} hace {dias} y aún no me habéis devuelto "
        "el dinero.",
        "¿Cómo imprimo la etiqueta de devolución del pedido {numero}? No me llega el correo.",
        "¿Cuándo pasa el mensajero a recoger la devolución del pedido {numero}?",
    ),
    "devolucion": (
        "Me dice que el reembolso del pedido {numero} está hecho pero no lo veo en la cuenta.",
        "Quiero cambiar {producto} por otra talla (pedido {numero}). ¿Tengo que devolverlo?",
    ),
    "cuenta": (
        "No puedo entrar en mi cuenta: dice que la contraseña es incorrecta y no me llega el "
        "correo para cambiarla.",
        "Quiero cambiar el correo electrónico de mi cuenta.",
        "¿Cómo borro mi cuenta y todos mis datos?",
        "Quiero cambiar la dirección de envío por defecto y no encuentro dónde.",
        "Me siguen llegando correos de publicidad aunque me di de baja.",
    ),
    "otro": (
        "¿Tenéis tienda física en {ciudad}?",
        "¿Cuándo volverá a haber la talla 42 de las zapatillas que se agotaron?",
        "¿Hacéis factura a nombre de empresa?",
        "¿Hacéis envíos a Portugal?",
        "Quería saber si las tarjetas regalo caducan.",
    ),
    "otro_pedido": (
        "¿Puedo cambiar la dirección de entrega del pedido {numero}?",
        "¿Me podéis enviar el pedido {numero} envuelto para regalo?",
    ),
}


def _days(count: int) -> str:
    count = max(count, 1)
    return "1 día" if count == 1 else f"{count} días"


def _between(rng: random.Random, low: datetime, high: datetime, now: datetime) -> datetime:
    """A whole-second moment in [low, high], never later than a couple of minutes ago."""
    high = min(high, now - timedelta(minutes=2))
    low = min(low, high)
    return (low + (high - low) * rng.random()).replace(microsecond=0)


def _pools(drafts: list[Draft], facts: dict[int, ReturnFacts]) -> dict[str, list[Draft]]:
    usable = [d for d in drafts if not d.demo]
    delivered = [d for d in usable if d.delivered_at]
    return {
        "retraso": [d for d in usable if d.ship_status == "retrasado"],
        "perdido": [d for d in usable if d.ship_status == "perdido"],
        "danado": delivered,
        "incorrecto": delivered,
        "incompleto": delivered,
        "pago": [d for d in usable if d.status != "devuelto"],
        "devolucion": [d for d in usable if d.id in facts],
        "otro": usable,
    }


def _story(
    rng: random.Random, category: str, d: Draft, facts: dict[int, ReturnFacts], now: datetime
) -> tuple[datetime, str, bool, int]:
    """When the shopper wrote, which template set fits, whether the problem is still open, days."""
    if category == "retraso" and d.estimated_delivery:
        low = datetime.combine(d.estimated_delivery + timedelta(days=1), datetime.min.time())
        created = _between(rng, low + timedelta(hours=8), now, now)
        return created, "retraso", True, (created.date() - d.estimated_delivery).days
    if category == "perdido" and d.last_scan_at:
        created = _between(rng, d.last_scan_at + timedelta(days=2), now, now)
        return created, "perdido", True, (created - d.last_scan_at).days
    if category in ("danado", "incorrecto", "incompleto") and d.delivered_at:
        created = _between(rng, d.delivered_at + hours(1), d.delivered_at + hours(96), now)
        return created, category, False, 0
    if category == "devolucion":
        fact = facts[d.id]
        created = _between(rng, fact.created_at + hours(1), fact.created_at + hours(15 * 24), now)
        days = (created - fact.created_at).days
        if fact.status == "rechazada":
            return created, "devolucion_rechazada", False, days
        if fact.status in IN_PROGRESS:
            return created, "devolucion_abierta", True, days
        return created, "devolucion", False, days
    created = _between(rng, d.placed_at + hours(0.2), d.placed_at + hours(48), now)
    if category == "otro":
        return created, "otro_pedido", False, 0
    if d.status == "pendiente_pago":
        return created, "pago_pendiente", True, 0
    if d.status == "cancelado" and d.paid_at:
        return created, "pago_cancelado", False, 0
    return created, "pago", False, 0


def _status(rng: random.Random, still_open: bool, age: timedelta) -> str:
    if still_open:
        return weighted(rng, (("abierto", 40), ("en_proceso", 40), ("esperando_cliente", 20)))
    if age < timedelta(days=1):
        return weighted(rng, (("abierto", 50), ("en_proceso", 50)))
    if age < timedelta(days=7):
        return weighted(
            rng, (("abierto", 10), ("en_proceso", 30), ("esperando_cliente", 25), ("resuelto", 35))
        )
    return weighted(rng, (("esperando_cliente", 5), ("resuelto", 45), ("cerrado", 50)))


def build_tickets(
    rng: random.Random,
    count: int,
    drafts: list[Draft],
    shoppers: Shoppers,
    facts: dict[int, ReturnFacts],
    now: datetime,
) -> list[Row]:
    pools = {k: rng.sample(v, len(v)) for k, v in _pools(drafts, facts).items()}
    categories = list(TICKET_CATEGORIES) + [
        weighted(rng, CATEGORY_SHARES) for _ in range(max(0, count - len(TICKET_CATEGORIES)))
    ]
    tickets: list[Row] = []
    for category, number in zip(categories, rng.sample(range(100000, 1000000), count), strict=True):
        linked = category != "cuenta" and (category != "otro" or rng.random() < 0.3)
        if linked and not pools.get(category):
            category, linked = "otro", False
        draft = pools[category].pop() if linked else None
        person: Shopper | None
        fields: dict[str, object] = {
            "numero": "",
            "producto": "",
            "dias": "",
            "fecha": "",
            "transportista": "",
            "pedido_hace": "",
        }
        if draft:
            created, kind, still_open, days = _story(rng, category, draft, facts, now)
            person = draft.shopper
            fact = facts.get(draft.id)
            product = fact.first_item if fact and kind.startswith("dev") else None
            fields.update(
                numero=draft.number,
                producto=product or rng.choice(draft.lines).item.product_name,
                dias=_days(days),
                pedido_hace=_days((created - draft.placed_at).days),
                fecha=draft.estimated_delivery.strftime("%d/%m")
                if draft.estimated_delivery
                else "",
                transportista=draft.carrier or "el transportista",
            )
        else:
            person = shoppers.pick(rng) if rng.random() < 0.85 else None
            earliest = person.created_at if person else now - timedelta(days=300)
            created = _between(rng, max(earliest, now - timedelta(days=300)), now, now)
            kind, still_open = category, False
        fields["ciudad"] = person.city.name if person else "Madrid"
        status = _status(rng, still_open, now - created)
        updated = (
            created
            if status == "abierto"
            else _between(rng, created + timedelta(minutes=10), created + timedelta(days=10), now)
        )
        description = rng.choice(TEMPLATES[kind]).format(**fields)
        tickets.append(
            {
                "id": len(tickets) + 1,
                "number": f"TK-{number:06d}",
                "customer_id": person.id if person else None,
                "order_id": draft.id if draft else None,
                "category": category,
                "priority": weighted(rng, PRIORITY_SHARES[category]),
                "status": status,
                "description": description,
                "contact_email": person.email if person else f"visitante{number}@example.net",
                "created_at": created,
                "updated_at": max(updated, created),
            }
        )
    _cover(tickets, now)
    tickets.sort(key=lambda t: (t["created_at"], t["number"]))
    for ticket_id, ticket in enumerate(tickets, start=1):
        ticket["id"] = ticket_id
    return tickets


def _cover(tickets: list[Row], now: datetime) -> None:
    """Make sure every status and priority shows up, using tickets no order constrains."""
    free = [t for t in tickets if t["order_id"] is None]
    for field_name, values in (("status", TICKET_STATUSES), ("priority", TICKET_PRIORITIES)):
        for value in values:
            if any(t[field_name] == value for t in tickets) or not free:
                continue
            ticket = free.pop()
            ticket[field_name] = value
            if field_name == "status":
                created = ticket["created_at"]
                assert isinstance(created, datetime)
                ticket["updated_at"] = (
                    created if value == "abierto" else min(created + timedelta(hours=1), now)
                )
