"""Rasa dies mid-conversation and comes back: the journey log still has every turn, once."""

from __future__ import annotations

import os
import signal
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.journey.models import Conversation, Turn
from bot.services import DEFAULT_MODEL, running_services, service_env
from bot.store.db import create_store_engine, store_session
from bot.store.demo import demo_orders
from bot.store.seed import create_seeded_store
from tests.pg import free_port
from tests.shopper import Shopper


def logged_speakers(url: str, sender: str) -> list[tuple[int, str]]:
    engine = create_store_engine(url)
    try:
        with Session(engine, future=True) as db:
            rows = db.execute(
                select(Turn.turn, Turn.speaker)
                .join(Conversation, Conversation.id == Turn.conversation_pk)
                .where(Conversation.sender_id == sender)
                .order_by(Turn.turn)
            ).all()
        return [(row.turn, row.speaker) for row in rows]
    finally:
        engine.dispose()


def test_a_crash_mid_conversation_loses_no_turn_and_duplicates_none(tmp_path: Path) -> None:
    if not DEFAULT_MODEL.exists():
        pytest.fail("no trained model: `make test` trains one before running the tests")
    url = create_seeded_store(f"sqlite:///{tmp_path / 'restart.db'}")
    engine = create_store_engine(url)
    with store_session(engine) as session:
        order = next(
            o for o in demo_orders(session=session, today=date.today()) if o.number == "RU-100004"
        )
    engine.dispose()
    settings = Settings(url, "localhost", free_port(), free_port(), free_port(), "test-token", 11)

    with running_services(settings, timeout=240) as services:
        rasa = next(service for service in services if service.name == "Rasa server")
        shopper = Shopper(settings)
        shopper.says("hola")
        shopper.says("¿dónde está mi pedido?")
        assert rasa.process is not None
        os.killpg(rasa.process.pid, signal.SIGKILL)  # no chance to flush the last batch
        rasa.process.wait()
        rasa.start(service_env(settings))
        rasa.wait_ready(240)
        shopper.says(order.number)
        reply = shopper.says(order.email)
        assert order.carrier is not None and order.carrier in reply  # the form resumed
        expected = [(i + 1, speaker) for i, (speaker, _) in enumerate(shopper.transcript)]
        deadline = time.monotonic() + 20
        while logged_speakers(url, shopper.sender) != expected and time.monotonic() < deadline:
            time.sleep(0.5)
        assert logged_speakers(url, shopper.sender) == expected
