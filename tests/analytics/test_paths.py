"""Journey paths: transitions between stages and where conversations end."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from bot.analytics.paths import journey_paths
from bot.analytics.period import Period
from tests.analytics.log import conversation

MAY = Period(date(2025, 5, 1), date(2025, 5, 31))
DAY = datetime(2025, 5, 6, 18, 0)


def test_transitions_follow_each_path_and_endings_pair_last_stage_with_outcome(
    session: Session,
) -> None:
    conversation(session, "ana", DAY, "consideracion,compra", "resuelta")
    conversation(session, "bea", DAY, "consideracion,compra,postventa", "derivada")
    conversation(session, "carla", DAY, "compra", None)
    conversation(session, "dani", DAY, "", "sin_resolver")
    paths = journey_paths(session=session, period=MAY)
    transitions = {(t.source, t.target): t.count for t in paths.transitions}
    assert transitions == {
        ("inicio", "consideracion"): 2,
        ("consideracion", "compra"): 2,
        ("compra", "postventa"): 1,
        ("inicio", "compra"): 1,
        ("inicio", "sin_etapa"): 1,
    }
    endings = {(e.stage, e.outcome): e.count for e in paths.endings}
    assert endings == {
        ("compra", "resuelta"): 1,
        ("postventa", "derivada"): 1,
        ("compra", "abierta"): 1,
        ("sin_etapa", "sin_resolver"): 1,
    }
    reach = {r.stage: (r.reached, r.ended) for r in paths.reach}
    assert reach["compra"] == (3, 2)
    assert reach["consideracion"] == (2, 0)
