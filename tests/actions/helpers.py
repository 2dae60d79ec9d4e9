"""Build trackers and run actions the way the action server does, in a line or two per test."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from typing import Any

import yaml
from rasa.core.nlg.interpolator import interpolate_text
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.config import PROJECT_ROOT
from bot.store import store_session
from bot.store.demo import DemoOrder, demo_orders


@lru_cache(maxsize=1)
def domain() -> dict[str, Any]:
    """domain.yml with button payloads as Rasa sends them (``{{`` escapes ``{`` there)."""
    data = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
    for variants in data["responses"].values():
        for variant in variants:
            for button in variant.get("buttons") or []:
                button["payload"] = interpolate_text(button["payload"], {})
    return data


def make_tracker(
    *,
    slots: dict[str, Any] | None = None,
    extracted: dict[str, Any] | None = None,
    intent: str = "",
    entities: Iterable[dict[str, Any]] = (),
    text: str = "",
    ranking: Iterable[tuple[str, float]] = (),
    events: Iterable[dict[str, Any]] = (),
    active_loop: str | None = None,
    requested_slot: str | None = None,
) -> Tracker:
    """A tracker whose latest message is ``text`` with ``intent``, and the slots given.

    ``extracted`` are slot candidates from the latest message, appended as slot events the
    way Rasa does before a form validates them.
    """
    all_slots: dict[str, Any] = {name: None for name in domain()["slots"]}
    all_slots.update(intentos_verificacion=0.0, verificacion_interrumpida=False)
    all_slots.update(slots or {})
    all_slots.update(extracted or {})
    events = [*events, {"event": "user", "text": text}] if extracted else list(events)
    events += [{"event": "slot", "name": k, "value": v} for k, v in (extracted or {}).items()]
    if requested_slot:
        all_slots["requested_slot"] = requested_slot
    ranking = list(ranking) or [(intent, 0.99)]
    return Tracker(
        sender_id="prueba",
        slots=all_slots,
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": ranking[0][1]},
            "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking],
            "entities": list(entities),
        },
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name=None,
    )


async def run(
    action: Action, tracker: Tracker
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Run ``action``; return (messages sent, events returned)."""
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, domain())
    return dispatcher.messages, events


def responses(messages: list[dict[str, Any]]) -> list[str]:
    return [m.get("response") or "" for m in messages]


def slot_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def demo(number: str) -> DemoOrder:
    """A demo order of the actions' store (RU-100001 … RU-100014: `python -m bot.store demo`)."""
    with store_session() as session:
        orders = demo_orders(session=session, today=date.today())
    return next(o for o in orders if o.number == number)


def verified_slots(order: DemoOrder) -> dict[str, Any]:
    """The slots of a conversation that has verified ``order`` with its email."""
    return {
        "numero_pedido": order.number,
        "credencial": order.email,
        "pedido_verificado": order.number,
        "estado_pedido": order.status,
    }


def add_photo(session_id: str, filename: str = "caja_rota.jpg") -> str:
    """A photo the shopper uploaded through the widget (its row; actions never read the file)."""
    import secrets
    from datetime import datetime

    from bot.handoff.models import Upload

    token = secrets.token_urlsafe(24)
    with store_session() as session:
        session.add(
            Upload(
                token=token,
                session_id=session_id,
                filename=filename,
                content_type="image/jpeg",
                size_bytes=2048,
                sha256="0" * 64,
                path=f"{token}.jpg",
                created_at=datetime.utcnow(),
            )
        )
    return token
