"""A pain point planted through the real stack is ranked first, with its shoppers' words.

The simulator talks to a real gateway, Rasa and action server over their public channels;
the journey log is written by Rasa's event broker alone. Abandoned conversations settle
only after JOURNEY_IDLE_SECONDS of quiet, so the test waits for the broker's sweep (every
half idle window) to give every conversation its outcome before the analysis reads the log.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.analytics.language import Analyzer
from bot.analytics.painpoints import PainPoint, rank_pain_points
from bot.analytics.period import Period
from bot.analytics.report import explain_pain_points
from bot.journey.models import Conversation
from bot.services import running_services
from bot.simulate.orders import load_orders
from bot.simulate.plants import PLANTS
from bot.simulate.runner import SimulationConfig, Summary, run_simulation
from bot.store.db import create_store_engine
from bot.store.seed import create_seeded_store
from tests.conftest import live_settings

CONVERSATIONS = 240
CONCURRENCY = 4
IDLE_SECONDS = 3
PLANT = PLANTS["postventa:devolucion"]
SETTLE_TIMEOUT = 90


@dataclass(frozen=True)
class SimulatedLog:
    database_url: str
    summary: Summary
    points: list[PainPoint]
    stages: dict[str | None, int]
    channels: dict[str | None, int]
    logged_sessions: set[str]


def _wait_until_settled(database_url: str, sessions: set[str]) -> None:
    """Until every simulated session is in the log and no conversation lacks its outcome."""
    engine = create_store_engine(database_url)
    deadline = time.monotonic() + SETTLE_TIMEOUT
    try:
        while True:
            with Session(engine, future=True) as session:
                logged = set(session.scalars(select(Conversation.sender_id).distinct()))
                open_ = session.scalar(select(func.count()).where(Conversation.outcome.is_(None)))
            if sessions <= logged and open_ == 0:
                return
            if time.monotonic() > deadline:
                missing = len(sessions - logged)
                pytest.fail(f"journey log not settled: {missing} sessions missing, {open_} open")
            time.sleep(1)
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def simulated_log(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimulatedLog]:
    """A fresh store, the whole stack on it, a few hundred simulated shoppers, settled."""
    folder: Path = tmp_path_factory.mktemp("simulated")
    url = create_seeded_store(f"sqlite:///{folder / 'store.db'}")
    settings = live_settings(url, folder / "uploads", journey_idle_seconds=IDLE_SECONDS)
    with running_services(settings, timeout=240):
        config = SimulationConfig(
            gateway_url=f"http://{settings.host}:{settings.gateway_port}",
            conversations=CONVERSATIONS,
            concurrency=CONCURRENCY,
            seed=2026,
            plant=PLANT,
        )
        summary = asyncio.run(run_simulation(config, load_orders(url), progress=None))
        sessions = {o.session_id for o in summary.outcomes if o.session_id and o.turns}
        _wait_until_settled(url, sessions)
    engine = create_store_engine(url)
    today = date.today()
    period = Period(today - timedelta(days=1), today + timedelta(days=1))
    try:
        with Session(engine, future=True) as session:
            points = rank_pain_points(session=session, period=period, top=5)
            points[:1] = explain_pain_points(
                session=session, period=period, points=points[:1], analyzer=Analyzer()
            )
            by = Conversation.current_stage
            stages = dict(session.execute(select(by, func.count()).group_by(by)).all())
            by = Conversation.channel
            channels = dict(session.execute(select(by, func.count()).group_by(by)).all())
            logged = set(session.scalars(select(Conversation.sender_id)))
    finally:
        engine.dispose()
    yield SimulatedLog(url, summary, points, stages, channels, logged)


def test_every_simulated_shopper_reached_the_bot(simulated_log: SimulatedLog) -> None:
    summary = simulated_log.summary
    assert summary.conversations == CONVERSATIONS
    assert summary.errors == []
    assert {"completa", "derivada", "abandonada"} <= set(summary.endings)
    assert {o.session_id for o in summary.outcomes} <= simulated_log.logged_sessions


def test_the_log_covers_every_stage_and_both_channels(simulated_log: SimulatedLog) -> None:
    stages = {"descubrimiento", "consideracion", "compra", "postventa", "recomendacion"}
    assert stages <= set(simulated_log.stages)
    assert {"widget", "rest"} <= set(simulated_log.channels)


def ranking(points: list[PainPoint]) -> str:
    """The ranking in one line per pain point, for a failure message."""
    return "\n".join(
        f"{p.score:.3f} {p.counts.bad}/{p.counts.size} vs {p.baseline:.2f}: {p.key}" for p in points
    )


def test_the_planted_return_label_problem_ranks_first_with_its_words(
    simulated_log: SimulatedLog,
) -> None:
    first = simulated_log.points[0]
    assert (first.key.stage, first.key.intent) == ("postventa", "solicitar_devolucion"), ranking(
        simulated_log.points
    )
    assert first.counts.size >= 15
    assert (first.counts.handoffs + first.counts.abandoned) / first.counts.size > 0.6
    top_terms = [t.term for t in first.terms[:5]]
    for word in PLANT.words:
        assert word in top_terms, top_terms
    assert len(first.examples) == 3
