"""Agents' dispositions against the bot's own stage and category."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from bot.analytics.dispositions import dispositions
from bot.analytics.period import Period
from bot.handoff.models import Handoff
from tests.analytics.log import conversation

AUGUST = Period(date(2025, 8, 1), date(2025, 8, 31))
DAY = datetime(2025, 8, 4, 16, 0)


def handoff(db: Session, sender: str, stage: str, agent_stage: str, agent_category: str,
            status: str = "cerrada") -> None:  # fmt: skip
    db.add(
        Handoff(
            sender_id=sender,
            reason="pidio_persona",
            stage=stage,
            status=status,
            queued_at=DAY + timedelta(seconds=30),
            disposition_stage=agent_stage,
            disposition_category=agent_category,
        )
    )
    db.flush()


def test_agreement_per_stage_and_the_most_common_corrections(session: Session) -> None:
    for i in range(3):
        conversation(session, f"disp-{i}", DAY, "compra", "derivada",
                     category="retraso", seconds=600)  # fmt: skip
    handoff(session, "disp-0", "compra", "compra", "retraso")
    handoff(session, "disp-1", "compra", "postventa", "danado")
    handoff(session, "disp-2", "compra", "postventa", "danado")
    handoff(session, "disp-2", "compra", "postventa", "danado", status="atendida")  # still open
    result = dispositions(session=session, period=AUGUST)
    [compra] = result.agreement
    assert (compra.stage, compra.closed, compra.agreed) == ("compra", 3, 1)
    corrections = {(c.kind, c.bot, c.agent): c.count for c in result.corrections}
    assert corrections == {
        ("etapa", "compra", "postventa"): 2,
        ("categoria", "retraso", "danado"): 2,
    }
