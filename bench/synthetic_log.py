"""A large synthetic journey log, written straight into the tables, for benchmarks and tests.

The journey benchmark exports it and the analytics benchmark reports on it; the analytics
tests plant a pain point in it. Shapes are plausible (stage mix, problem categories, order
snapshots, fallbacks, handoffs, outcomes, ratings, shoppers and orders coming back), not
realistic conversations: the simulator (issue 6) is what produces those, through the real stack.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import insert
from sqlalchemy.engine import Engine

from bench.synthetic_texts import BOT_TEXTS, FALLBACK_TEXTS, request_text
from bot.journey.models import Conversation, OrderSnapshot, Turn

STAGE_INTENTS = {
    "descubrimiento": ["consultar_tienda", "consultar_promociones", "consultar_producto"],
    "consideracion": ["consultar_producto", "consultar_envio", "consultar_pago"],
    "compra": ["rastrear_pedido", "cancelar_pedido", "reportar_problema"],
    "postventa": ["solicitar_devolucion", "estado_reembolso", "reportar_problema"],
    "recomendacion": ["opinar", "valorar"],
}
STAGE_WEIGHTS = [0.15, 0.2, 0.35, 0.25, 0.05]
CATEGORIES = {
    ("compra", "reportar_problema"): ["retraso", "perdido"],
    ("postventa", "reportar_problema"): ["danado", "incorrecto", "incompleto"],
    ("postventa", "solicitar_devolucion"): ["talla", "no_gusta", "danado", "otro"],
}
ORDER_STAGES = {"compra": ["enviado", "en_reparto", "preparando"], "postventa": ["entregado"]}
OUTCOME_WEIGHTS = {"resuelta": 0.6, "derivada": 0.12, "abandonada": 0.18, "sin_resolver": 0.1}
ENTITY = {"solicitar_devolucion": "motivo_devolucion"}
FALLBACK_RATE = 0.06
START = datetime(2026, 8, 1)


@dataclass(frozen=True)
class Plant:
    """A pain point to plant: conversations of this stage × intent × category are handed off
    with ``handoff_rate`` and their shoppers say ``words``."""

    stage: str
    intent: str
    category: str
    handoff_rate: float
    words: str


def _outcome(rng: random.Random, planted: Plant | None) -> str:
    if planted is not None and rng.random() < planted.handoff_rate:
        return "derivada"
    return rng.choices(list(OUTCOME_WEIGHTS), list(OUTCOME_WEIGHTS.values()))[0]


def generate(
    engine: Engine,
    turns: int = 1_000_000,
    seed: int = 1,
    batch: int = 20_000,
    *,
    start: datetime = START,
    days: int = 110,
    plant: Plant | None = None,
    first_id: int = 0,
) -> int:
    """Write about ``turns`` turns (whole conversations of 2–12 turns); return the count.

    ``first_id`` offsets every primary key and event id, so a test can add a log to a
    database that already holds one.
    """
    rng = random.Random(seed)
    stages = list(STAGE_INTENTS)
    written = 0
    conversations: list[dict[str, object]] = []
    rows: list[dict[str, object]] = []
    snapshots: list[dict[str, object]] = []
    pk = first_id
    event_id = first_id * 20
    with engine.begin() as connection:
        while written < turns:
            pk += 1
            stage = rng.choices(stages, STAGE_WEIGHTS)[0]
            intent = rng.choice(STAGE_INTENTS[stage])
            category = rng.choice(CATEGORIES.get((stage, intent), [None]))  # type: ignore[list-item]
            planted = (
                plant
                if plant
                and (stage, intent, category) == (plant.stage, plant.intent, plant.category)
                else None
            )
            path = [rng.choice(stages), stage] if rng.random() < 0.25 else [stage]
            size = min(rng.randint(2, 12), turns - written) or 1
            began = start + timedelta(seconds=rng.randint(0, days * 86_400))
            outcome = _outcome(rng, planted)
            sender = f"sintetico-{pk}"
            if pk - first_id > 50 and rng.random() < 0.08:  # the same shopper comes back
                sender = f"sintetico-{pk - rng.randint(1, 50)}"
            order = rng.randint(100_000, 100_000 + max(50, pk // 3))
            verified = stage in ORDER_STAGES and rng.random() < 0.7
            fallbacks = 0
            for index in range(size):
                event_id += 1
                shopper = index % 2 == 0
                fallback = shopper and index > 0 and rng.random() < FALLBACK_RATE
                fallbacks += fallback
                turn_stage = path[min(index * len(path) // size, len(path) - 1)]
                if not shopper:
                    text = rng.choice(BOT_TEXTS).format(n=rng.randint(1000, 9999))
                elif fallback:
                    text = rng.choice(FALLBACK_TEXTS)
                else:
                    text = request_text(rng, intent, category, order)
                    if planted is not None and rng.random() < 0.7:
                        text = f"{text}, {planted.words}"
                rows.append(
                    {
                        "conversation_pk": pk,
                        "turn": index + 1,
                        "event_id": event_id,
                        "timestamp": began + timedelta(seconds=index * 9),
                        "speaker": "shopper" if shopper else "bot",
                        "text": text,
                        "intent": (
                            None
                            if not shopper
                            else "nlu_fallback"
                            if fallback
                            else intent
                            if turn_stage == stage
                            else rng.choice(STAGE_INTENTS[turn_stage])
                        ),
                        "confidence": round(rng.uniform(0.3, 1.0), 3) if shopper else None,
                        "entities": (
                            _entities(intent, category)
                            if shopper and category and index == 0
                            else None
                        ),
                        "action": None if shopper else "action_rastrear_pedido",
                        "stage": turn_stage,
                        "fallback": fallback,
                        "handoff": not shopper and outcome == "derivada" and index == size - 1,
                        "latency_ms": None if shopper else rng.randint(40, 400),
                    }
                )
            written += size
            rated = rng.random() < (0.4 if outcome == "resuelta" else 0.15)
            conversations.append(
                {
                    "id": pk,
                    "conversation_id": f"sintetico-{pk}/{event_id - size + 1}",
                    "sender_id": sender,
                    "first_event_id": event_id - size + 1,
                    "last_event_id": event_id,
                    "channel": rng.choice(["socketio", "rest"]),
                    "started_at": began,
                    "last_activity_at": began + timedelta(seconds=(size - 1) * 9),
                    "stage_path": ",".join(dict.fromkeys(path)),
                    "current_stage": stage,
                    "turns": size,
                    "fallback_turns": fallbacks,
                    "handoff": outcome == "derivada",
                    "csat": (
                        (rng.choice([4, 5, 5, 3]) if outcome == "resuelta" else rng.randint(1, 3))
                        if rated
                        else None
                    ),
                    "order_verified": verified,
                    "order_hash": f"{order:064x}" if verified else None,
                    "pending_outcome": outcome,
                    "outcome": outcome,
                    "ended_at": began + timedelta(seconds=(size - 1) * 9),
                    "request_intent": intent,
                    "problem_category": category,
                }
            )
            if verified:
                status = rng.choice(ORDER_STAGES[stage])
                snapshots.append(
                    {
                        "conversation_pk": pk,
                        "status": status,
                        "shipment_status": None,
                        "is_late": status != "entregado" and rng.random() < 0.3,
                        "estimated_delivery": None,
                        "taken_at": began,
                    }
                )
            if len(rows) >= batch:
                _flush(connection, conversations, rows, snapshots)
                conversations, rows, snapshots = [], [], []
        if conversations:
            _flush(connection, conversations, rows, snapshots)
    return written


def _entities(intent: str, category: str) -> str:
    name = ENTITY.get(intent, "tipo_problema")
    return f'[{{"entity": "{name}", "value": "{category}"}}]'


def _flush(connection: object, conversations: list, rows: list, snapshots: list) -> None:  # type: ignore[type-arg]
    connection.execute(insert(Conversation.__table__), conversations)  # type: ignore[attr-defined]
    connection.execute(insert(Turn.__table__), rows)  # type: ignore[attr-defined]
    if snapshots:
        connection.execute(insert(OrderSnapshot.__table__), snapshots)  # type: ignore[attr-defined]
