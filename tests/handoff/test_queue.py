"""The handoff queue: a conversation waits, one agent takes it, hands it back or closes it."""

from __future__ import annotations

import threading
import uuid
from datetime import datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.handoff import queue
from bot.handoff.models import Agent, Handoff

NOW = datetime(2026, 11, 23, 10, 0)
STAGES = ("descubrimiento", "consideracion", "compra", "postventa", "recomendacion")


def agent(session: Session, *, seen: datetime | None = NOW, available: bool = True) -> Agent:
    person = Agent(
        username=f"agente-{uuid.uuid4().hex[:8]}",
        display_name="Lucía",
        password_hash="x",
        role="agente",
        available=available,
        last_seen_at=seen,
        created_at=NOW,
    )
    session.add(person)
    session.flush()
    return person


def ask_for_a_person(session: Session, sender: str, minutes_ago: int = 0) -> Handoff:
    return queue.open_handoff(
        session,
        sender_id=sender,
        reason="pidio_persona",
        stage="compra",
        summary="El cliente pidió hablar con una persona.",
        context={"intents": ["rastrear_pedido", "hablar_con_humano"]},
        now=NOW - timedelta(minutes=minutes_ago),
    )


@pytest.fixture
def session(store_engine: Engine) -> Session:
    with Session(store_engine) as session:
        yield session
        session.rollback()


def test_asking_twice_keeps_one_request(session: Session) -> None:
    sender = uuid.uuid4().hex
    first = ask_for_a_person(session, sender)
    again = ask_for_a_person(session, sender)
    assert again.id == first.id
    assert queue.active_handoff(session, sender).id == first.id


def test_the_queue_shows_the_longest_wait_first(session: Session) -> None:
    late, early = uuid.uuid4().hex, uuid.uuid4().hex
    ask_for_a_person(session, late, minutes_ago=1)
    ask_for_a_person(session, early, minutes_ago=9)
    senders = [h.sender_id for h in queue.waiting(session) if h.sender_id in (late, early)]
    assert senders == [early, late]


def test_only_agents_seen_in_the_last_minute_and_available_count_as_online(
    session: Session,
) -> None:
    before = queue.agents_online(session, NOW)
    agent(session, seen=NOW - timedelta(seconds=20))
    agent(session, seen=NOW - timedelta(minutes=5))  # closed the console a while ago
    agent(session, available=False)  # on a break
    assert queue.agents_online(session, NOW) == before + 1


def test_the_wait_grows_with_the_conversations_ahead(session: Session) -> None:
    for index in range(3):
        ask_for_a_person(session, uuid.uuid4().hex, minutes_ago=30 - index)
    last = ask_for_a_person(session, uuid.uuid4().hex)
    first_in_line = queue.waiting(session)[0]
    assert queue.expected_wait_minutes(session, last, NOW) > queue.expected_wait_minutes(
        session, first_in_line, NOW
    )


def test_an_agent_claims_replies_hands_back_and_closes(session: Session) -> None:
    lucia = agent(session)
    handoff = ask_for_a_person(session, uuid.uuid4().hex)
    claimed = queue.claim(session, handoff.id, lucia.id, now=NOW)
    assert (claimed.status, claimed.agent_id) == ("atendida", lucia.id)
    assert handoff not in queue.waiting(session)
    queue.hand_back(session, handoff.id, lucia.id, now=NOW)
    assert queue.active_handoff(session, handoff.sender_id) is None
    closed = queue.close(
        session, handoff.id, lucia.id, stage="postventa", category="danado", stages=STAGES
    )
    assert (closed.status, closed.disposition_stage, closed.disposition_category) == (
        "cerrada",
        "postventa",
        "danado",
    )


def test_another_agent_cannot_touch_a_claimed_conversation(session: Session) -> None:
    lucia, pablo = agent(session), agent(session)
    handoff = ask_for_a_person(session, uuid.uuid4().hex)
    queue.claim(session, handoff.id, lucia.id)
    with pytest.raises(queue.AlreadyTaken):
        queue.claim(session, handoff.id, pablo.id)
    with pytest.raises(queue.NotYours):
        queue.hand_back(session, handoff.id, pablo.id)
    with pytest.raises(queue.NotYours):
        queue.close(session, handoff.id, pablo.id, stage="compra", category="otro", stages=STAGES)


def test_a_disposition_names_a_real_stage(session: Session) -> None:
    lucia = agent(session)
    handoff = ask_for_a_person(session, uuid.uuid4().hex)
    queue.claim(session, handoff.id, lucia.id)
    with pytest.raises(ValueError, match="entrega"):
        queue.close(session, handoff.id, lucia.id, stage="entrega", category="otro", stages=STAGES)


def test_a_returning_shopper_can_ask_again_after_a_hand_back(session: Session) -> None:
    lucia = agent(session)
    sender = uuid.uuid4().hex
    first = ask_for_a_person(session, sender)
    queue.claim(session, first.id, lucia.id)
    queue.hand_back(session, first.id, lucia.id)
    second = ask_for_a_person(session, sender)
    assert second.id != first.id and second.status == "en_cola"


def test_a_request_nobody_can_take_becomes_a_ticket(session: Session) -> None:
    handoff = ask_for_a_person(session, uuid.uuid4().hex)
    queue.to_ticket(session, handoff, "TK-123456")
    assert handoff not in queue.waiting(session)
    assert queue.active_handoff(session, handoff.sender_id) is None


def test_of_many_agents_clicking_at_once_exactly_one_gets_the_conversation(
    store_engine: Engine,
) -> None:
    with Session(store_engine) as setup:
        people = [agent(setup) for _ in range(6)]
        handoff = ask_for_a_person(setup, uuid.uuid4().hex)
        setup.commit()
        ids, handoff_id = [p.id for p in people], handoff.id
    start = threading.Barrier(len(ids))
    winners: list[int] = []
    losers: list[int] = []

    def click(agent_id: int) -> None:
        with Session(store_engine) as session:
            start.wait()
            try:
                queue.claim(session, handoff_id, agent_id)
                session.commit()
                winners.append(agent_id)
            except queue.AlreadyTaken:
                session.rollback()
                losers.append(agent_id)

    threads = [threading.Thread(target=click, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(winners) == 1 and len(losers) == len(ids) - 1
    with Session(store_engine) as session:
        assert session.get(Handoff, handoff_id).agent_id == winners[0]
