"""The gateway's record of shopper messages, written in batches, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from bot.gateway.message_log import Entry, MessageLog
from bot.handoff.models import GatewayMessage

HELLO = [{"recipient_id": "x", "text": "¡Hola! Soy Ruta, el asistente de la tienda."}]
SORRY = [{"recipient_id": "x", "text": "Perdona, ahora mismo el asistente no puede responderte."}]


def _entry(session_id: str, message_id: str, status: str, replies: list[dict[str, str]]) -> Entry:
    return Entry(session_id, message_id, "widget", "hola", datetime.utcnow(), status, replies)


def _rows(engine: Engine, session_id: str) -> list[tuple[str, str, list[dict[str, str]]]]:
    with sessionmaker(bind=engine, future=True)() as session:
        rows = session.scalars(
            select(GatewayMessage)
            .where(GatewayMessage.session_id == session_id)
            .order_by(GatewayMessage.message_id)
        ).all()
        return [(r.message_id, r.status, json.loads(r.replies)) for r in rows]


async def test_a_kept_message_answered_later_is_one_row_with_its_latest_state(
    store_engine: Engine,
) -> None:
    shopper = secrets.token_hex(16)
    log = MessageLog(store_engine)
    log.record(_entry(shopper, "m-1", "fallido", SORRY))
    log.record(_entry(shopper, "m-2", "respondido", HELLO))
    await log.flush()
    assert _rows(store_engine, shopper) == [("m-1", "fallido", SORRY), ("m-2", "respondido", HELLO)]

    log = MessageLog(store_engine)  # a new batch, as after the next second
    log.record(_entry(shopper, "m-1", "respondido", HELLO))
    await log.flush()
    assert _rows(store_engine, shopper) == [
        ("m-1", "respondido", HELLO),
        ("m-2", "respondido", HELLO),
    ]


async def test_the_same_message_twice_in_one_batch_keeps_the_later_answer(
    store_engine: Engine,
) -> None:
    shopper = secrets.token_hex(16)
    log = MessageLog(store_engine)
    log.record(_entry(shopper, "m-1", "fallido", SORRY))
    log.record(_entry(shopper, "m-1", "respondido", HELLO))
    await log.flush()
    assert _rows(store_engine, shopper) == [("m-1", "respondido", HELLO)]
    seen = await MessageLog(store_engine).seen(shopper, "m-1", look_up=True)
    assert (seen.status, seen.replies, seen.handoff_id) == ("respondido", HELLO, None)
