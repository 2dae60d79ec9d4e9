"""What the console shows, read from the handoff tables: queue rows, one conversation, labels.

Plain dicts ready for JSON, with Spanish labels beside every code, so the console's script only
places text; nothing here is HTML.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.handoff.models import Handoff
from bot.handoff.uploads import session_uploads
from bot.journey.stages import JourneyMap

REASON_LABELS = {
    "pidio_persona": "El cliente pidió hablar con una persona",
    "fallback_repetido": "El asistente no le entendió dos veces seguidas",
    "limite_verificacion": "Agotó los intentos de verificar su pedido",
    "problema_sin_resolver": "El asistente no pudo resolver su problema",
    "asistente_no_disponible": "El asistente no estaba disponible",
}
STATUS_LABELS = {
    "en_cola": "En cola",
    "atendida": "Atendida",
    "devuelta": "Devuelta al asistente",
    "cerrada": "Cerrada",
    "ticket": "Convertida en incidencia",
}
# The disposition's problem category: the store's ticket categories, or none at all.
CATEGORY_LABELS = {
    "danado": "Producto dañado",
    "incorrecto": "Artículo equivocado",
    "incompleto": "Pedido incompleto",
    "retraso": "Retraso en la entrega",
    "perdido": "Paquete perdido",
    "pago": "Pago",
    "devolucion": "Devolución",
    "cuenta": "Cuenta",
    "otro": "Otro problema",
    "sin_problema": "Sin problema: era una consulta",
}
ORDER_STATUS_LABELS = {
    "pendiente_pago": "Pendiente de pago",
    "pagado": "Pagado",
    "preparando": "En preparación",
    "enviado": "Enviado",
    "en_reparto": "En reparto",
    "entregado": "Entregado",
    "cancelado": "Cancelado",
    "devuelto": "Devuelto",
}


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") + "Z" if moment else None


def stage_label(journey: JourneyMap, name: str | None) -> str:
    if not name:
        return "Sin etapa"
    try:
        return journey.stage(name).label
    except KeyError:
        return name


def options(journey: JourneyMap) -> dict[str, Any]:
    """The choices of the close form and the labels the console needs."""
    return {
        "stages": [{"value": s.name, "label": s.label} for s in journey.stages],
        "categories": [{"value": k, "label": v} for k, v in CATEGORY_LABELS.items()],
    }


def queue_item(
    handoff: Handoff, journey: JourneyMap, agent_id: int, now: datetime
) -> dict[str, Any]:
    return {
        "id": handoff.id,
        "sender_id": handoff.sender_id,
        "status": handoff.status,
        "status_label": STATUS_LABELS.get(handoff.status, handoff.status),
        "reason": handoff.reason,
        "reason_label": REASON_LABELS.get(handoff.reason, handoff.reason),
        "stage": handoff.stage,
        "stage_label": stage_label(journey, handoff.stage),
        "queued_at": _iso(handoff.queued_at),
        "wait_seconds": max(0, int((now - handoff.queued_at).total_seconds())),
        "agent": handoff.agent.display_name if handoff.agent else None,
        "mine": handoff.agent_id == agent_id,
    }


def queue_snapshot(session: Session, journey: JourneyMap, agent_id: int) -> dict[str, Any]:
    """The waiting queue (longest wait first) and the conversations this agent holds."""
    now = datetime.utcnow()
    rows = session.scalars(
        select(Handoff)
        .where(
            or_(
                Handoff.status == "en_cola",
                (Handoff.agent_id == agent_id) & Handoff.status.in_(("atendida", "devuelta")),
            )
        )
        .order_by(Handoff.queued_at, Handoff.id)
    )
    items = [queue_item(h, journey, agent_id, now) for h in rows]
    return {
        "waiting": [i for i in items if i["status"] == "en_cola"],
        "mine": [i for i in items if i["mine"]],
    }


def queue_signature(session: Session) -> tuple[tuple[int, str, int | None], ...]:
    """What changes whenever any console's queue would: live requests and their owners."""
    rows = session.execute(
        select(Handoff.id, Handoff.status, Handoff.agent_id).where(
            Handoff.status.in_(("en_cola", "atendida"))
        )
    )
    return tuple((int(r[0]), str(r[1]), r[2]) for r in rows)


def can_see(handoff: Handoff, agent_id: int) -> bool:
    """Waiting conversations are open to every agent; a claimed one only to its agent."""
    return handoff.status == "en_cola" or handoff.agent_id == agent_id


def _context(handoff: Handoff) -> dict[str, Any]:
    try:
        context = json.loads(handoff.context or "{}")
    except ValueError:
        context = {}
    order = context.get("order")
    if isinstance(order, dict):
        order["status_label"] = ORDER_STATUS_LABELS.get(order.get("status") or "", "")
    problem = context.get("problem")
    if isinstance(problem, dict):
        problem["category_label"] = CATEGORY_LABELS.get(problem.get("category") or "", "")
    return context


def conversation(
    session: Session, handoff: Handoff, journey: JourneyMap, agent_id: int
) -> dict[str, Any]:
    """One request with its context packet and the photos the shopper sent (transcript aside)."""
    item = queue_item(handoff, journey, agent_id, datetime.utcnow())
    photos = [
        {
            "token": u.token,
            "filename": u.filename,
            "url": f"/console/uploads/{u.token}",
            "ticket_number": u.ticket_number,
        }
        for u in session_uploads(session, handoff.sender_id)
    ]
    return {
        **item,
        "summary": handoff.summary,
        "context": _context(handoff),
        "photos": photos,
        "ticket_number": handoff.ticket_number,
        "disposition": {
            "stage": handoff.disposition_stage,
            "category": handoff.disposition_category,
            "note": handoff.disposition_note,
        },
    }
