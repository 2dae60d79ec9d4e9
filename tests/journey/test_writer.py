"""The writer and broker against Rasa's real SQL tracker store, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig, read_endpoint_config
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.config import PROJECT_ROOT
from bot.handoff.models import GatewayMessage, Handoff, Upload
from bot.handoff.queue import open_handoff, to_ticket
from bot.journey.broker import JourneyBroker
from bot.journey.models import Conversation, OrderSnapshot, Turn
from bot.journey.stages import load_journey
from bot.journey.writer import JourneyWriter, hash_order_number
from bot.services import tracker_store_config
from bot.store.db import create_store_engine
from bot.store.migrate import upgrade_to_head
from bot.store.models import Order
from tests.journey.conversation import answers, form, runs, says, session, sets, timed
from tests.journey.test_timeline import tracking_flow

SECRET = "test-secret"


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(PROJECT_ROOT / "domain.yml"))


def url_of(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def tracker_store(url: str, domain: Domain, broker: EventBroker | None = None) -> SQLTrackerStore:
    config = tracker_store_config(url)
    config.pop("type")
    return SQLTrackerStore(domain=domain, event_broker=broker, **config)


async def chat(store: SQLTrackerStore, sender: str, *events: object) -> None:
    """Append the events to the sender's tracker and save it, as Rasa does after a turn."""
    tracker = await store.retrieve(sender) or DialogueStateTracker(sender, store.domain.slots)
    for event in timed(*events, start=time.time(), step=0.001):  # type: ignore[arg-type]
        tracker.update(event)
    await store.save(tracker)


def turns_of(engine: Engine, sender: str) -> list[Turn]:
    with Session(engine, future=True) as db:
        return list(
            db.scalars(
                select(Turn)
                .join(Conversation, Conversation.id == Turn.conversation_pk)
                .where(Conversation.sender_id == sender)
                .order_by(Turn.event_id)
            )
        )


def conversation_of(engine: Engine, sender: str) -> Conversation:
    with Session(engine, future=True) as db:
        return db.scalars(select(Conversation).where(Conversation.sender_id == sender)).one()


@pytest.fixture
def writer(store_engine: Engine) -> JourneyWriter:
    return JourneyWriter(store_engine, load_journey(), SECRET, idle_seconds=60)


@pytest.fixture
def sender() -> str:
    return f"shopper-{uuid.uuid4().hex[:10]}"


async def test_every_turn_is_written_once_however_often_it_syncs(
    store_engine: Engine, domain: Domain, writer: JourneyWriter, sender: str
) -> None:
    store = tracker_store(url_of(store_engine), domain)
    await chat(store, sender, *tracking_flow())
    writer.sync([sender])
    writer.sync([sender])
    turns = turns_of(store_engine, sender)
    assert len(turns) == 9  # 4 shopper messages, 5 bot messages
    assert [t.turn for t in turns] == list(range(1, 10))
    assert len({t.event_id for t in turns}) == 9


async def test_the_verified_order_is_hashed_and_its_status_snapshotted(
    store_engine: Engine, domain: Domain, writer: JourneyWriter, sender: str
) -> None:
    await chat(tracker_store(url_of(store_engine), domain), sender, *tracking_flow())
    writer.sync([sender])
    conversation = conversation_of(store_engine, sender)
    assert conversation.order_verified
    assert conversation.order_hash == hash_order_number("ru 100004", SECRET)
    with Session(store_engine, future=True) as db:
        snapshot = db.scalars(
            select(OrderSnapshot).where(OrderSnapshot.conversation_pk == conversation.id)
        ).one()
        status = db.scalars(select(Order.status).where(Order.number == "RU-100004")).one()
    assert snapshot.status == status
    assert "RU-100004" not in conversation.order_hash


async def test_replay_fills_what_the_log_missed_and_nothing_twice(
    store_engine: Engine, domain: Domain, writer: JourneyWriter, sender: str
) -> None:
    store = tracker_store(url_of(store_engine), domain)
    await chat(
        store, sender, session(), says("quiero devolver unas zapatillas", "solicitar_devolucion")
    )
    assert sender in writer.behind()
    writer.sync(writer.behind())
    assert sender not in writer.behind()
    await chat(
        store,
        sender,
        runs("form_devolucion"),
        form("form_devolucion"),
        answers("¿Cuál es el número de pedido?", "utter_ask_numero_pedido"),
    )
    assert sender in writer.behind()
    writer.sync(writer.behind())
    assert [t.speaker for t in turns_of(store_engine, sender)] == ["shopper", "bot"]


async def test_a_quiet_conversation_gets_its_outcome_and_reopens_if_the_shopper_returns(
    store_engine: Engine, domain: Domain, writer: JourneyWriter, sender: str
) -> None:
    store = tracker_store(url_of(store_engine), domain)
    await chat(
        store,
        sender,
        session(),
        says("quiero devolver unas zapatillas", "solicitar_devolucion"),
        runs("form_devolucion"),
        form("form_devolucion"),
        answers("¿Cuál es el número de pedido?", "utter_ask_numero_pedido"),
    )
    writer.sync([sender])
    assert conversation_of(store_engine, sender).outcome is None
    writer.close_idle(now=datetime.utcnow() + timedelta(seconds=61))
    assert conversation_of(store_engine, sender).outcome == "abandonada"
    await chat(
        store, sender, says("RU-100004", "informar_pedido"), sets("numero_pedido", "RU-100004")
    )
    writer.sync([sender])
    assert conversation_of(store_engine, sender).outcome is None


async def test_a_new_session_settles_the_previous_conversation(
    store_engine: Engine, domain: Domain, writer: JourneyWriter, sender: str
) -> None:
    store = tracker_store(url_of(store_engine), domain)
    await chat(store, sender, session(), says("hola", "saludar"), answers("¡Hola!", "utter_saludo"))
    writer.sync([sender])
    await chat(store, sender, session(), says("dónde está mi pedido", "rastrear_pedido"))
    writer.sync([sender])
    with Session(store_engine, future=True) as db:
        outcomes = list(
            db.scalars(
                select(Conversation.outcome)
                .where(Conversation.sender_id == sender)
                .order_by(Conversation.first_event_id)
            )
        )
    assert outcomes == ["sin_resolver", None]


def test_endpoints_yml_names_a_broker_rasa_can_import() -> None:
    """Rasa only logs a warning for a wrong class path, so this must fail loudly here."""
    from rasa.shared.utils.common import class_from_module_path

    config = read_endpoint_config(str(PROJECT_ROOT / "endpoints.yml"), "event_broker")
    assert config is not None
    assert class_from_module_path(config.type) is JourneyBroker


async def wait_for(condition: object, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        await asyncio.sleep(0.1)
    raise AssertionError("condition not met in time")


async def test_the_broker_loaded_as_rasa_loads_it_logs_a_conversation(
    store_engine: Engine, domain: Domain, sender: str
) -> None:
    url = url_of(store_engine)
    broker = await EventBroker.create(
        EndpointConfig(url=url, type="bot.journey.broker.JourneyBroker", batch_seconds=0.05)
    )
    assert isinstance(broker, JourneyBroker) and broker.is_ready()
    try:
        await chat(tracker_store(url, domain, broker), sender, *tracking_flow())
        await wait_for(lambda: len(turns_of(store_engine, sender)) == 9)
    finally:
        await broker.close()


async def test_a_database_error_is_retried_until_the_log_catches_up(
    tmp_path: Path, domain: Domain, sender: str
) -> None:
    url = f"sqlite:///{tmp_path / 'late.db'}"
    store = tracker_store(url, domain)  # Rasa's table exists; the journey tables do not yet
    broker = await EventBroker.create(
        EndpointConfig(url=url, type="bot.journey.broker.JourneyBroker", batch_seconds=0.05)
    )
    assert isinstance(broker, JourneyBroker)
    store.event_broker = broker
    try:
        await chat(
            store, sender, session(), says("hola", "saludar"), answers("¡Hola!", "utter_saludo")
        )
        await wait_for(lambda: broker.failures >= 1)
        upgrade_to_head(url)  # the database comes back with its tables
        engine = create_store_engine(url)
        await wait_for(lambda: len(turns_of(engine, sender)) == 2, timeout=20)
        with Session(engine, future=True) as db:
            assert db.scalar(select(func.count()).select_from(Turn)) == 2
        engine.dispose()
    finally:
        await broker.close()


async def test_retention_deletes_old_tracker_events_and_anonymises_their_log(
    tmp_path: Path, domain: Domain, sender: str
) -> None:
    from bot.journey.retention import apply_retention
    from tests.journey.conversation import START

    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade_to_head(url)
    store = tracker_store(url, domain)
    tracker = DialogueStateTracker(sender, domain.slots)
    for event in timed(
        session(), says("mi correo es ana@example.com", "informar_email"), start=START
    ):
        tracker.update(event)
    await store.save(tracker)
    engine = create_store_engine(url)
    JourneyWriter(engine, load_journey(), SECRET, 60).sync([sender])
    said_at = datetime.utcfromtimestamp(START)
    with Session(engine) as db, db.begin():
        db.add(
            GatewayMessage(
                session_id=sender,
                message_id="m1",
                channel="socketio",
                text="mi correo es ana@example.com",
                received_at=said_at,
                status="respondido",
            )
        )
        handoff = open_handoff(
            db,
            sender_id=sender,
            reason="pidio_persona",
            stage="compra",
            summary="- mi correo es ana@example.com",
            context={"slots": {"credencial": "ana@example.com"}},
            now=said_at,
        )
        to_ticket(db, handoff, "TK-000001")
        photo = tmp_path / "uploads" / "ab12.jpg"
        photo.parent.mkdir()
        photo.write_bytes(b"\xff\xd8\xff\xe0 a parcel label")
        db.add(
            Upload(
                token="ab12",
                session_id=sender,
                filename="etiqueta.jpg",
                content_type="image/jpeg",
                size_bytes=photo.stat().st_size,
                sha256="0" * 64,
                path="ab12.jpg",
                created_at=said_at,
            )
        )
    report = apply_retention(
        engine, 1, now=said_at + timedelta(days=2), uploads_dir=tmp_path / "uploads"
    )
    assert (report.conversations, report.tracker_events, report.gateway_messages) == (1, 4, 1)
    assert report.photos == 1 and not photo.exists()
    assert await store.retrieve(sender) is None
    assert [t.text for t in turns_of(engine, sender)] == [None]
    with Session(engine) as db:
        assert db.scalar(select(func.count()).select_from(GatewayMessage)) == 0
        assert "ana@example.com" not in db.scalars(select(Handoff.summary)).one()
        assert "ana@example.com" not in db.scalars(select(Handoff.context)).one()
    engine.dispose()


async def test_the_request_and_problem_category_are_stored_for_pain_point_analysis(
    store_engine: Engine, domain: Domain, writer: JourneyWriter, sender: str
) -> None:
    await chat(
        tracker_store(url_of(store_engine), domain),
        sender,
        says("mi paquete no llega", "reportar_problema", entities=[("tipo_problema", "retraso")]),
        sets("tipo_problema", "retraso"),
        runs("form_problema"),
        form("form_problema"),
        sets("tipo_problema", "retraso"),
        answers("¿Cuál es el número de pedido?", "utter_ask_numero_pedido"),
    )
    writer.sync([sender])
    conversation = conversation_of(store_engine, sender)
    assert (conversation.request_intent, conversation.problem_category) == (
        "reportar_problema",
        "retraso",
    )
