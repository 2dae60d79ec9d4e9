"""A large synthetic journey log, written straight into the tables, for benchmarks only.

The journey benchmark exports it and the analytics benchmark reports on it. Shapes are
plausible (stage mix, fallbacks, handoffs, outcomes), not realistic conversations: the
simulator (issue 6) is what produces those, through the real stack.
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta

from sqlalchemy import insert
from sqlalchemy.engine import Engine

from bot.journey.models import Conversation, Turn

STAGE_INTENTS = {
    "descubrimiento": ["consultar_tienda", "consultar_promociones", "consultar_producto"],
    "consideracion": ["consultar_producto", "consultar_envio", "consultar_pago"],
    "compra": ["rastrear_pedido", "cancelar_pedido", "reportar_problema"],
    "postventa": ["solicitar_devolucion", "estado_reembolso", "reportar_problema"],
    "recomendacion": ["opinar", "valorar"],
}
STAGE_WEIGHTS = [0.15, 0.2, 0.35, 0.25, 0.05]
OUTCOME_WEIGHTS = {"resuelta": 0.6, "derivada": 0.12, "abandonada": 0.18, "sin_resolver": 0.1}
SHOPPER_TEXTS = [
    "hola, ¿dónde está mi pedido RU-{n}?",
    "quiero devolver unas zapatillas que me quedan pequeñas",
    "el paquete llegó roto, mi correo es [email]",
    "¿tenéis la sudadera gris en talla M?",
    "¿cuánto tarda el envío a Canarias?",
    "llámame al [teléfono], por favor",
]
BOT_TEXTS = [
    "Tu pedido está en reparto con SEUR; llega mañana.",
    "Te he abierto la devolución RMA-{n}. Te llegará una etiqueta por email.",
    "Lo siento mucho. He abierto la incidencia TK-{n}.",
    "Sí, la tenemos en gris en las tallas S, M y L, a 39,95 €.",
]


def generate(engine: Engine, turns: int = 1_000_000, seed: int = 1, batch: int = 20_000) -> int:
    """Write about ``turns`` turns (whole conversations of 2–12 turns); return the count."""
    rng = random.Random(seed)
    stages = list(STAGE_INTENTS)
    start = datetime(2026, 8, 1)
    written = 0
    conversations: list[dict[str, object]] = []
    rows: list[dict[str, object]] = []
    pk = 0
    event_id = 0
    with engine.begin() as connection:
        while written < turns:
            pk += 1
            path = [rng.choices(stages, STAGE_WEIGHTS)[0]]
            if rng.random() < 0.25:
                path.append(rng.choice(stages))
            size = min(rng.randint(2, 12), turns - written) or 1
            began = start + timedelta(seconds=rng.randint(0, 110 * 86_400))
            outcome = rng.choices(list(OUTCOME_WEIGHTS), list(OUTCOME_WEIGHTS.values()))[0]
            for index in range(size):
                event_id += 1
                stage = path[min(index * len(path) // size, len(path) - 1)]
                shopper = index % 2 == 0
                fallback = shopper and rng.random() < 0.06
                rows.append(
                    {
                        "conversation_pk": pk,
                        "turn": index + 1,
                        "event_id": event_id,
                        "timestamp": began + timedelta(seconds=index * 9),
                        "speaker": "shopper" if shopper else "bot",
                        "text": rng.choice(SHOPPER_TEXTS if shopper else BOT_TEXTS).format(
                            n=rng.randint(100000, 999999)
                        ),
                        "intent": (
                            None
                            if not shopper
                            else "nlu_fallback"
                            if fallback
                            else rng.choice(STAGE_INTENTS[stage])
                        ),
                        "confidence": round(rng.uniform(0.3, 1.0), 3) if shopper else None,
                        "entities": json.dumps([]) if shopper else None,
                        "action": None if shopper else "action_rastrear_pedido",
                        "stage": stage,
                        "fallback": fallback,
                        "handoff": not shopper and outcome == "derivada" and index == size - 1,
                        "latency_ms": None if shopper else rng.randint(40, 400),
                    }
                )
            written += size
            conversations.append(
                {
                    "id": pk,
                    "conversation_id": f"sintetico-{pk}/1",
                    "sender_id": f"sintetico-{pk}",
                    "first_event_id": event_id - size + 1,
                    "last_event_id": event_id,
                    "channel": rng.choice(["socketio", "rest"]),
                    "started_at": began,
                    "last_activity_at": began + timedelta(seconds=size * 9),
                    "stage_path": ",".join(dict.fromkeys(path)),
                    "current_stage": path[-1],
                    "turns": size,
                    "fallback_turns": 0,
                    "handoff": outcome == "derivada",
                    "csat": rng.randint(1, 5)
                    if outcome == "resuelta" and rng.random() < 0.4
                    else None,
                    "order_verified": False,
                    "pending_outcome": outcome,
                    "outcome": outcome,
                    "ended_at": began + timedelta(seconds=size * 9),
                }
            )
            if len(rows) >= batch:
                connection.execute(insert(Conversation.__table__), conversations)
                connection.execute(insert(Turn.__table__), rows)
                conversations, rows = [], []
        if conversations:
            connection.execute(insert(Conversation.__table__), conversations)
            connection.execute(insert(Turn.__table__), rows)
    return written
