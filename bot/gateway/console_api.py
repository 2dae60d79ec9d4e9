"""The console's JSON API: the queue, one conversation, claim, reply, hand back and close.

Every call needs a logged-in agent (401/403 otherwise) and, when it changes something, the
session's CSRF token. Queue changes are announced on the hub, so every open console (and the
agent's other tabs) update live; an agent's message goes to the Rasa tracker first, so the
journey log is whole before the shopper sees it.
"""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any

from aiohttp import web
from sqlalchemy.orm import Session

from bot.gateway.accounts import Account, set_available
from bot.gateway.auth import authorize, csrf_token, json_error
from bot.gateway.console_state import CONSOLE
from bot.gateway.console_views import (
    CATEGORY_LABELS,
    can_see,
    conversation,
    options,
    queue_snapshot,
)
from bot.gateway.db import in_db
from bot.gateway.keys import HUB, JOURNEY, RASA
from bot.gateway.rasa_client import RasaUnavailable
from bot.handoff import queue
from bot.handoff.models import Handoff

log = logging.getLogger(__name__)

MAX_REPLY_CHARS = 2000
RESUME_RESPONSE = "utter_bot_retoma"
RASA_DOWN = (
    "El asistente no responde ahora mismo y no he podido guardar el cambio. "
    "Inténtalo de nuevo en unos segundos."
)
TAKEN = "Otra persona del equipo ya está atendiendo esta conversación."
NOT_YOURS = "Esta conversación ya no está a tu cargo."
NOT_FOUND = "Esa conversación no existe."

routes = web.RouteTableDef()


def _handoff_id(request: web.Request) -> int:
    try:
        return int(request.match_info["handoff_id"])
    except ValueError:
        raise json_error(404, NOT_FOUND) from None


async def _body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise json_error(400, "La petición no es válida.") from None
    if not isinstance(body, dict):
        raise json_error(400, "La petición no es válida.")
    return body


async def _guarded(request: web.Request, work: Any) -> Any:
    """Run a queue operation, turning its refusals into the console's Spanish answers."""
    try:
        return await in_db(request, work)
    except queue.HandoffNotFound:
        raise json_error(404, NOT_FOUND) from None
    except queue.AlreadyTaken:
        raise json_error(409, TAKEN) from None
    except queue.NotYours:
        raise json_error(409, NOT_YOURS) from None


@routes.get("/console/api/me")
async def me(request: web.Request) -> web.Response:
    account = await authorize(request)
    return web.json_response(
        {
            "username": account.username,
            "display_name": account.display_name,
            "role": account.role,
            "available": account.available,
            "csrf_token": await csrf_token(request),
        }
    )


@routes.post("/console/api/availability")
async def availability(request: web.Request) -> web.Response:
    """Away or available: while away, shoppers asking for a person are not promised this agent."""
    account = await authorize(request)
    available = (await _body(request)).get("available")
    if not isinstance(available, bool):
        raise json_error(400, "Indica si estás disponible (true) o ausente (false).")
    await in_db(request, lambda db: set_available(db, account.id, available))
    return web.json_response({"available": available})


@routes.get("/console/api/options")
async def console_options(request: web.Request) -> web.Response:
    """The close form's stages and categories, and the canned replies with the agent's name."""
    account = await authorize(request)
    canned = [r.for_agent(account.display_name) for r in request.config_dict[CONSOLE].canned]
    return web.json_response({**options(request.config_dict[JOURNEY]), "canned": canned})


@routes.get("/console/api/queue")
async def queue_view(request: web.Request) -> web.Response:
    account = await authorize(request)
    journey = request.config_dict[JOURNEY]
    return web.json_response(
        await in_db(request, lambda db: queue_snapshot(db, journey, account.id))
    )


@routes.get("/console/api/handoffs/{handoff_id}")
async def handoff_view(request: web.Request) -> web.Response:
    """One conversation: its request, context packet, photos and the whole transcript."""
    account = await authorize(request)
    handoff_id = _handoff_id(request)
    journey = request.config_dict[JOURNEY]

    def read(db: Session) -> dict[str, Any]:
        handoff = db.get(Handoff, handoff_id)
        if handoff is None:
            raise queue.HandoffNotFound(str(handoff_id))
        if not can_see(handoff, account.id):
            raise queue.NotYours(str(handoff_id))
        return conversation(db, handoff, journey, account.id)

    data = await _guarded(request, read)
    try:
        data["transcript"] = await request.config_dict[RASA].history(data["sender_id"])
    except (RasaUnavailable, RuntimeError) as exc:
        log.warning("no transcript for handoff %s: %s", handoff_id, exc)
        data["transcript"] = None
        data["transcript_error"] = "No he podido cargar la conversación: el asistente no responde."
    return web.json_response(data)


async def _announce(request: web.Request) -> None:
    await request.config_dict[HUB].to_agents({"type": "queue"})


@routes.post("/console/api/handoffs/{handoff_id}/claim")
async def claim(request: web.Request) -> web.Response:
    """Take a waiting conversation; of two agents clicking at once, exactly one gets it."""
    account = await authorize(request)
    handoff_id = _handoff_id(request)

    def take(db: Session) -> None:
        queue.claim(db, handoff_id, account.id)
        queue.touch_agent(db, account.id)

    await _guarded(request, take)
    await _announce(request)
    return web.json_response({"id": handoff_id, "status": "atendida"})


@routes.post("/console/api/handoffs/{handoff_id}/messages")
async def send_reply(request: web.Request) -> web.Response:
    account = await authorize(request)
    handoff_id = _handoff_id(request)
    text = str((await _body(request)).get("text") or "").strip()
    if not text:
        raise json_error(400, "Escribe un mensaje antes de enviarlo.")
    if len(text) > MAX_REPLY_CHARS:
        raise json_error(
            400, f"El mensaje es demasiado largo: el máximo son {MAX_REPLY_CHARS} caracteres."
        )

    def sender(db: Session) -> str:
        handoff = queue.owned(db, handoff_id, account.id)
        queue.touch_agent(db, account.id)
        return str(handoff.sender_id)

    sender_id = await _guarded(request, sender)
    message = _agent_message(account, handoff_id, sender_id, text)
    event = {
        "event": "bot",
        "text": text,
        "timestamp": time.time(),
        "metadata": {
            "agent": account.username,
            "agent_name": account.display_name,
            "id": message["id"],
        },
    }
    try:
        await request.config_dict[RASA].append_events(sender_id, [event])
    except (RasaUnavailable, RuntimeError) as exc:
        log.error("agent message for %s not stored: %s", sender_id, exc)
        raise json_error(503, RASA_DOWN) from None
    hub = request.config_dict[HUB]
    await hub.to_shopper(sender_id, [{"text": text, "agent": account.display_name}])
    await hub.to_agents(message)
    return web.json_response({"message": message}, status=201)


def _agent_message(account: Account, handoff_id: int, sender_id: str, text: str) -> dict[str, Any]:
    return {
        "type": "message",
        "id": uuid.uuid4().hex,
        "handoff_id": handoff_id,
        "sender_id": sender_id,
        "speaker": "agent",
        "agent": account.display_name,
        "agent_id": account.id,
        "text": text,
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


async def _resume_bot(request: web.Request, sender_id: str) -> list[dict[str, Any]] | None:
    """Unpause Rasa; the bot's "I'm back" message, or None if only that greeting failed.

    The tracker then ends in ``action_listen``, as after any bot turn: the pause left it after
    ``action_handoff``, and rules only match a shopper message that follows a listen. The
    caller shows the greeting only once the handoff is closed in the database too: a shopper
    who answers it at once must reach the bot, not the agent who just left.
    """
    rasa = request.config_dict[RASA]
    try:
        await rasa.append_events(sender_id, [{"event": "resume", "timestamp": time.time()}])
    except (RasaUnavailable, RuntimeError) as exc:
        log.error("could not resume the bot for %s: %s", sender_id, exc)
        raise json_error(503, RASA_DOWN) from None
    greeting: list[dict[str, Any]] | None
    try:
        greeting = await rasa.execute(sender_id, RESUME_RESPONSE)
    except (RasaUnavailable, RuntimeError) as exc:
        log.warning("the bot is back for %s but did not greet: %s", sender_id, exc)
        greeting = None
    listen = {"event": "action", "name": "action_listen", "timestamp": time.time()}
    try:
        await rasa.append_events(sender_id, [listen])
    except (RasaUnavailable, RuntimeError) as exc:
        log.warning("the bot is back for %s but not listening cleanly: %s", sender_id, exc)
    return greeting


@routes.post("/console/api/handoffs/{handoff_id}/hand_back")
async def hand_back(request: web.Request) -> web.Response:
    """Give the conversation back to the bot: Rasa first, so the shopper is never left unheard."""
    account = await authorize(request)
    handoff_id = _handoff_id(request)
    sender_id = await _guarded(
        request, lambda db: str(queue.owned(db, handoff_id, account.id).sender_id)
    )
    greeting = await _resume_bot(request, sender_id)
    await _guarded(request, lambda db: queue.hand_back(db, handoff_id, account.id))
    if greeting is not None:
        await request.config_dict[HUB].to_shopper(sender_id, greeting)
    await _announce(request)
    return web.json_response(
        {"id": handoff_id, "status": "devuelta", "greeted": greeting is not None}
    )


@routes.post("/console/api/handoffs/{handoff_id}/close")
async def close(request: web.Request) -> web.Response:
    """Record what the conversation really was; one still held goes back to the bot first."""
    account = await authorize(request)
    handoff_id = _handoff_id(request)
    body = await _body(request)
    journey = request.config_dict[JOURNEY]
    stage, category = str(body.get("stage") or ""), str(body.get("category") or "")
    note = str(body.get("note") or "")[:MAX_REPLY_CHARS]
    if stage not in journey.names:
        raise json_error(400, "Elige la etapa en la que estaba el cliente.")
    if category not in CATEGORY_LABELS:
        raise json_error(400, "Elige la categoría del problema.")

    def current(db: Session) -> tuple[str, str]:
        handoff = db.get(Handoff, handoff_id)
        if handoff is None:
            raise queue.HandoffNotFound(str(handoff_id))
        if handoff.agent_id != account.id:
            raise queue.NotYours(str(handoff_id))
        return str(handoff.status), str(handoff.sender_id)

    status, sender_id = await _guarded(request, current)
    greeting = await _resume_bot(request, sender_id) if status == "atendida" else None
    await _guarded(
        request,
        lambda db: queue.close(
            db,
            handoff_id,
            account.id,
            stage=stage,
            category=category,
            stages=journey.names,
            note=note,
        ),
    )
    if greeting is not None:
        await request.config_dict[HUB].to_shopper(sender_id, greeting)
    await _announce(request)
    return web.json_response({"id": handoff_id, "status": "cerrada"})
