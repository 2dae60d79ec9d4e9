"""Scripted conversations through the real Rasa and action servers, read back from the export."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.config import PROJECT_ROOT, Settings
from bot.journey.masking import contains_pii
from bot.store.db import create_store_engine, store_session
from bot.store.demo import DemoOrder, demo_orders
from tests.conftest import JOURNEY_IDLE_SECONDS
from tests.shopper import Shopper


def export(settings: Settings, *args: str) -> list[dict[str, Any]]:
    """Run the analysts' export command and parse its JSON Lines."""
    result = subprocess.run(
        [sys.executable, "-m", "bot.journey", "export", "--format", "jsonl", *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DATABASE_URL": settings.database_url, "PYTHONWARNINGS": "ignore"},
        capture_output=True,
        text=True,
        check=True,
    )
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.fixture(scope="module")
def store(today_store_url: str) -> Any:
    engine = create_store_engine(today_store_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def demo(store: Engine) -> dict[str, DemoOrder]:
    with store_session(store) as session:
        return {o.number: o for o in demo_orders(session=session, today=date.today())}


@pytest.fixture(scope="module")
def shoppers(live_services: Settings, demo: dict[str, DemoOrder]) -> dict[str, Shopper]:
    """Four shoppers with four different endings, then enough quiet for outcomes to settle."""
    tracked = Shopper(live_services)
    order = demo["RU-100004"]
    tracked.says("hola")
    tracked.says("¿dónde está mi pedido?")
    tracked.says(order.number)
    reply = tracked.says(order.email)
    assert "del 1 al 5" in reply.lower()
    tracked.says("5")

    leaving = Shopper(live_services)
    leaving.says("quiero devolver unas zapatillas, mi móvil es 612 345 678")

    person = Shopper(live_services)
    person.says("quiero hablar con una persona")

    asking = Shopper(live_services)
    asking.says("¿cuánto tarda el envío a canarias?")

    time.sleep(JOURNEY_IDLE_SECONDS * 2 + 1)
    return {"tracked": tracked, "leaving": leaving, "person": person, "asking": asking}


def turns_for(records: list[dict[str, Any]], shopper: Shopper) -> list[dict[str, Any]]:
    return [r for r in records if r["conversation_id"].startswith(f"{shopper.sender}/")]


def test_the_export_has_every_turn_in_order(
    live_services: Settings, shoppers: dict[str, Shopper]
) -> None:
    records = export(live_services)
    for shopper in shoppers.values():
        turns = turns_for(records, shopper)
        assert [t["speaker"] for t in turns] == [s for s, _ in shopper.transcript]
        assert [t["turn"] for t in turns] == list(range(1, len(turns) + 1))
        assert {
            "timestamp",
            "intent",
            "confidence",
            "stage",
            "action",
            "fallback",
            "handoff",
        } <= set(turns[0])


def test_each_turn_has_its_stage(live_services: Settings, shoppers: dict[str, Shopper]) -> None:
    records = export(live_services)
    tracked = turns_for(records, shoppers["tracked"])
    assert {t["stage"] for t in tracked[:-2]} == {"compra"}  # "hola" takes the tracking's stage
    # the rating answers the bot's «Del 1 al 5…»: it rates the tracking, still compra
    assert tracked[-2]["intent"] == "valorar" and tracked[-2]["stage"] == "compra"
    assert {t["stage"] for t in turns_for(records, shoppers["leaving"])} == {"postventa"}
    assert {t["stage"] for t in turns_for(records, shoppers["asking"])} == {"consideracion"}


def test_each_conversation_has_its_outcome(
    live_services: Settings, shoppers: dict[str, Shopper]
) -> None:
    conversations = {
        c["conversation_id"].split("/")[0]: c
        for c in export(live_services, "--records", "conversations")
    }
    tracked = conversations[shoppers["tracked"].sender]
    assert (tracked["outcome"], tracked["csat"]) == ("resuelta", 5)
    assert tracked["stage_path"] == ["compra"]
    assert tracked["order_verified"] and tracked["order_status"]
    assert conversations[shoppers["leaving"].sender]["outcome"] == "abandonada"
    assert conversations[shoppers["person"].sender]["outcome"] == "derivada"
    assert conversations[shoppers["asking"].sender]["outcome"] == "resuelta"


def test_no_email_or_phone_number_in_clear(
    live_services: Settings, shoppers: dict[str, Shopper], demo: dict[str, DemoOrder]
) -> None:
    raw = json.dumps(export(live_services), ensure_ascii=False)
    assert demo["RU-100004"].email not in raw
    assert "Gracias, [nombre]." in raw  # the verified customer's first name
    assert "612 345 678" not in raw
    assert "[email]" in raw and "[teléfono]" in raw
    for record in export(live_services):
        assert not contains_pii(record["text"] or "")


def test_the_stage_filter_keeps_only_that_stage(
    live_services: Settings, shoppers: dict[str, Shopper]
) -> None:
    records = export(live_services, "--stage", "postventa")
    assert records and {r["stage"] for r in records} == {"postventa"}


def test_the_verified_order_appears_only_hashed(
    live_services: Settings, shoppers: dict[str, Shopper], store: Engine
) -> None:
    from bot.journey.models import Conversation

    with store_session(store) as session:
        hashes = list(
            session.scalars(
                select(Conversation.order_hash).where(Conversation.order_hash.is_not(None))
            )
        )
    assert hashes and all(len(h) == 64 and "RU" not in h for h in hashes)
