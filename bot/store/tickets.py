"""Support tickets: what a problem report leaves behind for a person to act on."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.errors import InvalidInput
from bot.store.models import TICKET_CATEGORIES, TICKET_PRIORITIES, Ticket
from bot.store.normalize import clean_text, normalize_code, normalize_email
from bot.store.orders import owned_order
from bot.store.records import TicketCreated, VerifiedOrder

DEFAULT_PRIORITY = {
    "perdido": "alta",
    "danado": "alta",
    "incorrecto": "alta",
    "incompleto": "media",
    "retraso": "media",
    "pago": "alta",
    "devolucion": "media",
    "cuenta": "baja",
    "otro": "baja",
}
# The concrete next step the shopper is promised, by category.
NEXT_STEP = {
    "danado": "reposicion_o_reembolso",
    "incorrecto": "reposicion",
    "incompleto": "envio_pendiente",
    "retraso": "reclamacion_transportista",
    "perdido": "reclamacion_transportista",
    "pago": "revision_pago",
    "devolucion": "revision_devolucion",
    "cuenta": "contacto_agente",
    "otro": "contacto_agente",
}
MAX_DESCRIPTION = 2000


def create_ticket(
    *,
    session: Session,
    category: str,
    description: str,
    order: VerifiedOrder | None = None,
    contact_email: str | None = None,
    priority: str | None = None,
    conversation_id: str | None = None,
    now: datetime | None = None,
) -> TicketCreated:
    """Open a ticket, tied to the shopper's verified order when there is one.

    Without a verified order the ticket carries only what the shopper typed, so
    nobody can attach a ticket to another customer's order.
    """
    now = now or datetime.utcnow()
    category = normalize_code(category, TICKET_CATEGORIES, "category")
    text = clean_text(description, limit=MAX_DESCRIPTION)
    if not text:
        raise InvalidInput("description", description or "")
    chosen = (
        normalize_code(priority, TICKET_PRIORITIES, "priority")
        if priority
        else DEFAULT_PRIORITY[category]
    )
    email = normalize_email(contact_email) if contact_email else None
    owner = owned_order(session, order) if order is not None else None
    ticket = Ticket(
        number=_new_ticket_number(session),
        customer_id=owner.customer_id if owner else None,
        order_id=owner.id if owner else None,
        category=category,
        priority=chosen,
        status="abierto",
        description=text,
        contact_email=email,
        conversation_id=conversation_id,
        created_at=now,
        updated_at=now,
    )
    session.add(ticket)
    session.flush()
    return TicketCreated(ticket.number, category, chosen, NEXT_STEP[category])


def _new_ticket_number(session: Session) -> str:
    while True:
        number = f"TK-{secrets.randbelow(900000) + 100000}"
        if session.scalar(select(Ticket.id).where(Ticket.number == number)) is None:
            return number
