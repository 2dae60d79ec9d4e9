"""The console's live line: queue changes and messages pushed to each open console.

One aiohttp websocket per console tab, refused unless the session is an agent's and the
``Origin`` is the gateway itself. Hub events are queued per socket, so a slow console never
holds up a shopper's reply. While a console is open the agent counts as online (a heartbeat
every 20 s); when their last console closes they go offline at once, so the next shopper is
told the truth. Requests opened by the action server (another process) are found by polling
the handoff table every two seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlparse

from aiohttp import WSCloseCode, WSMsgType, web
from sqlalchemy.orm import Session

from bot.gateway.accounts import Account, set_offline
from bot.gateway.auth import AGENTS_ONLY, NOT_LOGGED_IN, current_account, json_error
from bot.gateway.console_state import CONSOLE
from bot.gateway.console_views import can_see, queue_signature, queue_snapshot
from bot.gateway.db import in_db
from bot.gateway.keys import ENGINE, HUB, JOURNEY
from bot.handoff import queue
from bot.handoff.models import Handoff
from bot.journey.stages import JourneyMap
from bot.store.db import store_session

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 20
POLL_SECONDS = 2
INBOX_SIZE = 500

routes = web.RouteTableDef()


def origin_allowed(request: web.Request) -> bool:
    """Only pages the gateway served may open the socket (the cookie alone is not enough)."""
    origin = urlparse(request.headers.get("Origin", ""))
    return origin.scheme in ("http", "https") and origin.netloc == request.host


@routes.get("/console/ws")
async def console_socket(request: web.Request) -> web.StreamResponse:
    account = await current_account(request)
    if account is None:
        raise json_error(401, NOT_LOGGED_IN)
    if account.role != "agente":
        raise json_error(403, AGENTS_ONLY)
    if not origin_allowed(request):
        raise json_error(403, "Esta conexión no viene de la consola.")
    ws = web.WebSocketResponse(heartbeat=HEARTBEAT_SECONDS)
    await ws.prepare(request)
    state, hub = request.config_dict[CONSOLE], request.config_dict[HUB]
    inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=INBOX_SIZE)

    async def listener(event: dict[str, Any]) -> None:
        try:
            inbox.put_nowait(event)
        except asyncio.QueueFull:  # the console resynchronises on its next queue update
            log.warning("console of %s is not keeping up; event dropped", account.username)

    hub.add_agent_listener(listener)
    state.sockets.add(ws)
    state.connections[account.id] = state.connections.get(account.id, 0) + 1
    inbox.put_nowait({"type": "queue"})
    tasks = [
        asyncio.create_task(_pump(request, ws, account, inbox)),
        asyncio.create_task(_heartbeat(request, account)),
    ]
    try:
        await _touch(request, account)  # online from now
        await ws.send_json({"type": "hello", "agent": account.display_name})
        async for message in ws:
            if message.type == WSMsgType.TEXT and _is_ping(message.data):
                await _touch(request, account)
    finally:
        hub.remove_agent_listener(listener)
        for task in tasks:
            task.cancel()
        state.sockets.discard(ws)
        state.connections[account.id] -= 1
        if state.connections[account.id] <= 0:
            del state.connections[account.id]
            # aiohttp cancels this handler when the agent's connection drops: the write must
            # outlive it, or the agent would stay "online" for nobody.
            offline = asyncio.ensure_future(_go_offline(request, account))
            state.pending.add(offline)
            offline.add_done_callback(state.pending.discard)
            await asyncio.shield(offline)
    return ws


async def _go_offline(request: web.Request, account: Account) -> None:
    async with request.config_dict[CONSOLE].presence_lock(account.id):
        if not request.config_dict[CONSOLE].connections.get(account.id):
            await in_db(request, lambda db: set_offline(db, account.id))


async def _touch(request: web.Request, account: Account) -> None:
    """Mark the agent online, unless their last console has closed meanwhile.

    The write finishes even if the socket's task is cancelled half-way (its thread would run
    on anyway): holding the presence lock until then keeps it from landing after "offline".
    """
    state = request.config_dict[CONSOLE]
    async with state.presence_lock(account.id):
        if not state.connections.get(account.id):
            return
        write = asyncio.ensure_future(in_db(request, lambda db: queue.touch_agent(db, account.id)))
        try:
            await asyncio.shield(write)
        except asyncio.CancelledError:
            await write
            raise


def _is_ping(data: str) -> bool:
    with contextlib.suppress(ValueError, AttributeError):
        return bool(json.loads(data).get("type") == "ping")
    return False


async def _heartbeat(request: web.Request, account: Account) -> None:
    while True:
        await asyncio.sleep(HEARTBEAT_SECONDS)
        await _touch(request, account)


async def _pump(
    request: web.Request,
    ws: web.WebSocketResponse,
    account: Account,
    inbox: asyncio.Queue[dict[str, Any]],
) -> None:
    """Turn hub events into what this agent may see, in the order they happened."""
    journey = request.config_dict[JOURNEY]
    while not ws.closed:
        batch = [await inbox.get()]
        while not inbox.empty():
            batch.append(inbox.get_nowait())
        last_queue = max((i for i, e in enumerate(batch) if e.get("type") == "queue"), default=-1)
        for index, event in enumerate(batch):
            try:
                await _push(request, ws, account, journey, event, index == last_queue)
            except (ConnectionResetError, RuntimeError) as exc:
                log.info("console of %s went away: %s", account.username, exc)
                return
            except Exception:
                log.exception("could not push an event to the console of %s", account.username)


async def _push(
    request: web.Request,
    ws: web.WebSocketResponse,
    account: Account,
    journey: JourneyMap,
    event: dict[str, Any],
    fresh_queue: bool,
) -> None:
    """Several queue changes at once need one snapshot: the last one's."""
    if event.get("type") == "queue" and fresh_queue:
        snapshot = await in_db(request, lambda db: queue_snapshot(db, journey, account.id))
        await ws.send_json({"type": "queue", **snapshot})
    elif event.get("type") in ("message", "upload"):
        shown = await in_db(request, lambda db: _visible(db, event, account.id))
        if shown is not None:
            await ws.send_json(shown)


def _visible(db: Session, event: dict[str, Any], agent_id: int) -> dict[str, Any] | None:
    """The event with its request id, if this agent may see that conversation."""
    handoff_id = event.get("handoff_id")
    handoff = db.get(Handoff, handoff_id) if isinstance(handoff_id, int) else None
    if handoff is None and event.get("sender_id"):
        handoff = queue.active_handoff(db, str(event["sender_id"]))
    if handoff is None or not can_see(handoff, agent_id):
        return None
    shown = {k: v for k, v in event.items() if k != "agent_id"}
    shown["handoff_id"] = handoff.id
    if event.get("type") == "upload":
        shown["url"] = f"/console/uploads/{event.get('token')}"
    return shown


async def live_updates(app: web.Application) -> AsyncIterator[None]:
    """Poll for requests other processes opened; close every console when the gateway stops."""
    task = asyncio.create_task(_poll(app))
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    for ws in list(app[CONSOLE].sockets):
        await ws.close(code=WSCloseCode.GOING_AWAY, message=b"La consola se ha detenido.")


async def _poll(app: web.Application) -> None:
    engine, hub, state = app[ENGINE], app[HUB], app[CONSOLE]

    def read() -> tuple[tuple[int, str, int | None], ...]:
        with store_session(engine) as session:
            return queue_signature(session)

    # Polled even with no console open, so a change made just as one opens is not missed.
    last: tuple[tuple[int, str, int | None], ...] | None = None
    while True:
        try:
            signature = await asyncio.to_thread(read)
        except Exception:
            log.exception("could not read the handoff queue")
        else:
            if last is not None and signature != last and state.sockets:
                await hub.to_agents({"type": "queue"})
            last = signature
        await asyncio.sleep(POLL_SECONDS)
