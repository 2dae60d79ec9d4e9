"""Seeded returns in every state, each consistent with its order, the window and the refund.

Non-defective returns are opened within the return window and hold only returnable
items; a defect claim may come later (legal guarantee) and may include any item.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.store.models import RETURN_STATUSES
from bot.store.seed_orders import Draft, Line, hours, weighted
from bot.store.seed_products import Row

REASONS = (
    ("talla", 35),
    ("no_gusta", 25),
    ("danado", 15),
    ("incorrecto", 10),
    ("incompleto", 5),
    ("otro", 10),
)
IN_PROGRESS = ("solicitada", "aprobada", "en_transito", "recibida")
# How long ago (in days) a return still in each state was opened.
IN_PROGRESS_AGE = {
    "solicitada": (0.1, 3),
    "aprobada": (1, 6),
    "en_transito": (2, 9),
    "recibida": (4, 14),
}
REFUND_STATUS = {
    "solicitada": "pendiente",
    "aprobada": "pendiente",
    "en_transito": "pendiente",
    "recibida": "procesando",
    "completada": "completado",
    "rechazada": "rechazado",
}
REJECTIONS = {
    "usado": (
        "El artículo llegó usado y sin etiquetas; solo aceptamos devoluciones sin usar.",
        "Las zapatillas muestran desgaste en la suela: no se pueden devolver usadas.",
        "La prenda tiene restos de maquillaje y olor a perfume.",
    ),
    "sin_usar": (
        "El artículo recibido no coincide con el del pedido.",
        "El paquete de devolución llegó vacío; hemos abierto una incidencia con el transportista.",
        "Falta el embalaje original y los accesorios del producto.",
    ),
    "defectuoso": (
        "Nuestro servicio técnico no ha encontrado ningún defecto de fabricación.",
        "El daño se debe a un mal uso, no a un defecto de fábrica.",
    ),
}
RMA_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class ReturnFacts:
    """What tickets need to know about an order's return."""

    status: str
    created_at: datetime
    refunded_at: datetime | None
    first_item: str


def _days(value: float) -> timedelta:
    return hours(value * 24)


def _choose_items(
    rng: random.Random, draft: Draft, status: str, defective: bool, whole: bool
) -> list[tuple[Line, int]]:
    """Which lines go back: all of a devuelto order, one faulty item, or a returnable subset."""
    if whole:
        return [(line, line.quantity) for line in draft.lines]
    if defective:
        picked = [(rng.choice(draft.lines), 1)]
    else:
        eligible = [line for line in draft.lines if line.item.returnable]
        if not eligible:
            return []
        chosen = rng.sample(eligible, rng.randint(1, len(eligible)))
        picked = [(line, rng.randint(1, line.quantity)) for line in chosen]
    everything = sum(q for _, q in picked) == sum(line.quantity for line in draft.lines)
    if status == "completada" and everything:  # the order stays "entregado": keep something
        if len(picked) > 1:
            picked.pop()
        elif picked[0][1] > 1:
            picked[0] = (picked[0][0], picked[0][1] - 1)
        else:
            return []
    return picked


def _dates(
    rng: random.Random, draft: Draft, status: str, defective: bool, now: datetime
) -> tuple[datetime, datetime | None]:
    assert draft.delivered_at is not None
    delivered = draft.delivered_at
    age = (now - delivered).days
    if status in IN_PROGRESS:
        created = now - _days(rng.uniform(*IN_PROGRESS_AGE[status]))
        created = max(created, delivered + hours(rng.uniform(0.5, 3)))
        if created >= now - timedelta(minutes=5):
            created = delivered + (now - delivered) / 2
        return created.replace(microsecond=0), None
    if defective and age >= 60:
        created = delivered + _days(rng.uniform(31, age - 20))
    elif age < 45:
        created = delivered + _days(rng.uniform(0.05, 5))
    else:
        created = delivered + _days(rng.uniform(0.05, 29))
    refunded = created + _days(rng.uniform(4, 12)) if status == "completada" else None
    return created, refunded


def _status_for(rng: random.Random, age_days: int) -> tuple[str, bool] | None:
    """A return status (and whether it is a late defect claim) for an order this old, or None."""
    draw = rng.random()
    if age_days <= 28 and draw < 0.2:
        states = IN_PROGRESS + (("completada", "rechazada") if age_days >= 18 else ())
        return rng.choice(states), False
    if age_days >= 45 and draw < 0.07:
        return ("completada" if rng.random() < 0.65 else "rechazada"), False
    if 60 <= age_days <= 1095 and draw < 0.085:
        return rng.choice(RETURN_STATUSES), True
    return None


def build_returns(
    rng: random.Random, drafts: list[Draft], now: datetime
) -> tuple[list[Row], list[Row], dict[int, ReturnFacts]]:
    """Returns and their items; ``facts`` maps order id to the return, for tickets."""
    planned: list[tuple[Draft, str, bool, datetime | None, datetime | None, str | None]] = []
    for draft in drafts:
        if draft.return_plan:
            plan = draft.return_plan
            planned.append(
                (draft, plan.status, False, plan.created_at, plan.refunded_at, plan.reason)
            )
        elif draft.status == "entregado" and not draft.demo and draft.delivered_at:
            picked = _status_for(rng, (now - draft.delivered_at).days)
            if picked:
                planned.append((draft, picked[0], picked[1], None, None, None))
    returned = {d.id for d, *_ in planned}
    for status in RETURN_STATUSES:  # small seeds still show every state
        if any(p[1] == status for p in planned):
            continue
        low, high = (0, 13) if status in IN_PROGRESS else (45, 400)
        for draft in drafts:
            age = (now - draft.delivered_at).days if draft.delivered_at else -1
            usable = draft.status == "entregado" and not draft.demo and draft.id not in returned
            if usable and low <= age <= high and sum(line.quantity for line in draft.lines) > 1:
                planned.append((draft, status, True, None, None, None))
                returned.add(draft.id)
                break
    planned.sort(key=lambda p: p[0].id)
    returns: list[Row] = []
    items: list[Row] = []
    facts: dict[int, ReturnFacts] = {}
    codes: set[str] = set()
    for draft, status, defective, created, refunded, reason in planned:
        reason = "danado" if defective else reason or weighted(rng, REASONS)
        defective = reason == "danado"
        whole = draft.status == "devuelto"
        chosen = _choose_items(rng, draft, status, defective and not whole, whole)
        if not chosen:
            continue
        if created is None:
            created, refunded = _dates(rng, draft, status, defective, now)
        if defective:
            condition = "defectuoso"
        elif reason in ("talla", "no_gusta", "otro") and rng.random() < (
            0.6 if status == "rechazada" else 0.12
        ):
            condition = "usado"
        else:
            condition = "sin_usar"
        code = ""
        while not code or code in codes:
            code = "RMA-" + "".join(rng.choice(RMA_ALPHABET) for _ in range(7))
        codes.add(code)
        return_id = len(returns) + 1
        returns.append(
            {
                "id": return_id,
                "rma_code": code,
                "order_id": draft.id,
                "reason": reason,
                "condition": condition,
                "status": status,
                "created_at": created,
                "refund_cents": sum(line.item.price_cents * q for line, q in chosen),
                "refund_status": REFUND_STATUS[status],
                "refunded_at": refunded,
                "rejection_reason": rng.choice(REJECTIONS[condition])
                if status == "rechazada"
                else None,
            }
        )
        for line, quantity in sorted(chosen, key=lambda c: c[0].id):
            items.append(
                {
                    "id": len(items) + 1,
                    "return_id": return_id,
                    "order_item_id": line.id,
                    "quantity": quantity,
                }
            )
        facts[draft.id] = ReturnFacts(status, created, refunded, chosen[0][0].item.product_name)
    return returns, items, facts
