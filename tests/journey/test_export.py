"""The analysts' export and the retention command, on a small hand-made journey log."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.journey.__main__ import main
from bot.journey.export import CONVERSATION_FIELDS, TURN_FIELDS, export
from bot.journey.models import Conversation, OrderSnapshot, Turn
from bot.journey.retention import apply_retention
from bot.store.db import create_store_engine
from bot.store.migrate import upgrade_to_head

NOW = datetime(2026, 11, 23, 12, 0)


@pytest.fixture
def log_engine(tmp_path: Path) -> Iterator[Engine]:
    """Two conversations: an old resolved one in compra, a recent abandoned one in postventa."""
    url = f"sqlite:///{tmp_path / 'journey.db'}"
    upgrade_to_head(url)
    engine = create_store_engine(url)
    with Session(engine, future=True) as db, db.begin():
        for pk, (sender, started, stage, outcome) in enumerate(
            [
                ("ana", NOW - timedelta(days=100), "compra", "resuelta"),
                ("luis", NOW - timedelta(days=1), "postventa", "abandonada"),
            ],
            start=1,
        ):
            db.add(
                Conversation(
                    id=pk,
                    conversation_id=f"{sender}/{pk * 10}",
                    sender_id=sender,
                    first_event_id=pk * 10,
                    last_event_id=pk * 10 + 5,
                    channel="rest",
                    started_at=started,
                    last_activity_at=started + timedelta(minutes=2),
                    stage_path=stage,
                    current_stage=stage,
                    turns=2,
                    outcome=outcome,
                    pending_outcome=outcome,
                    csat=4 if outcome == "resuelta" else None,
                    order_verified=outcome == "resuelta",
                    order_hash="ab" * 32 if outcome == "resuelta" else None,
                )
            )
            db.flush()
            db.add_all(
                [
                    Turn(
                        conversation_pk=pk,
                        turn=1,
                        event_id=pk * 10 + 1,
                        timestamp=started,
                        speaker="shopper",
                        text="mi correo es [email]",
                        intent="informar_email",
                        confidence=0.91,
                        entities=json.dumps([{"entity": "email", "value": "[email]"}]),
                        stage=stage,
                    ),
                    Turn(
                        conversation_pk=pk,
                        turn=2,
                        event_id=pk * 10 + 2,
                        timestamp=started + timedelta(seconds=1),
                        speaker="bot",
                        text="Tu pedido está en reparto, con «SEUR»",
                        action="action_rastrear_pedido",
                        stage=stage,
                        latency_ms=120,
                    ),
                ]
            )
        db.add(OrderSnapshot(conversation_pk=1, status="en_reparto", is_late=True, taken_at=NOW))
    yield engine
    engine.dispose()


def test_turns_as_csv_have_the_documented_columns(log_engine: Engine) -> None:
    out = io.StringIO()
    assert export(log_engine, out, fmt="csv") == 4
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert tuple(rows[0]) == TURN_FIELDS
    assert rows[0]["conversation_id"] == "ana/10" and rows[0]["speaker"] == "shopper"
    assert rows[1]["text"] == "Tu pedido está en reparto, con «SEUR»"
    assert rows[1]["fallback"] == "false" and rows[1]["latency_ms"] == "120"


def test_conversations_as_jsonl_carry_path_outcome_csat_and_snapshot(log_engine: Engine) -> None:
    out = io.StringIO()
    export(log_engine, out, fmt="jsonl", records="conversations")
    first, second = [json.loads(line) for line in out.getvalue().splitlines()]
    assert tuple(first) == CONVERSATION_FIELDS
    assert (first["stage_path"], first["outcome"], first["csat"]) == (["compra"], "resuelta", 4)
    assert (first["order_status"], first["order_late"]) == ("en_reparto", True)
    assert second["order_status"] is None and second["outcome"] == "abandonada"


def test_since_and_stage_filter_the_export(log_engine: Engine) -> None:
    out = io.StringIO()
    export(log_engine, out, fmt="jsonl", since=date(2026, 11, 1))
    assert {json.loads(line)["conversation_id"] for line in out.getvalue().splitlines()} == {
        "luis/20"
    }
    out = io.StringIO()
    export(log_engine, out, fmt="jsonl", records="conversations", stage="compra")
    assert [json.loads(line)["conversation_id"] for line in out.getvalue().splitlines()] == [
        "ana/10"
    ]


def test_the_command_line_writes_a_file_and_rejects_an_unknown_stage(
    log_engine: Engine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import bot.journey.__main__ as cli

    monkeypatch.setattr(cli, "get_engine", lambda: log_engine)
    target = tmp_path / "turns.csv"
    assert main(["export", "--format", "csv", "--out", str(target), "--stage", "postventa"]) == 0
    assert len(target.read_text(encoding="utf-8").splitlines()) == 3  # header + 2 turns
    with pytest.raises(SystemExit):
        main(["export", "--stage", "postventas"])
    assert "unknown stage 'postventas'" in capsys.readouterr().err


def test_retention_anonymises_old_conversations_and_keeps_their_numbers(log_engine: Engine) -> None:
    report = apply_retention(log_engine, 30, now=NOW)
    assert report.conversations == 1
    with Session(log_engine, future=True) as db:
        old = db.scalars(select(Turn).where(Turn.conversation_pk == 1)).all()
        recent = db.scalars(select(Turn).where(Turn.conversation_pk == 2)).all()
        ana = db.get(Conversation, 1)
    assert all(t.text is None and t.entities is None for t in old)
    assert all(t.text for t in recent)
    assert ana is not None and ana.order_hash is None and ana.outcome == "resuelta"
    assert [t.intent for t in old] == ["informar_email", None]


def test_retention_can_delete_instead(log_engine: Engine) -> None:
    apply_retention(log_engine, 30, delete_rows=True, now=NOW)
    with Session(log_engine, future=True) as db:
        assert db.scalar(select(func.count()).select_from(Conversation)) == 1
        assert db.scalar(select(func.count()).select_from(Turn)) == 2
        assert db.scalar(select(func.count()).select_from(OrderSnapshot)) == 0


def test_retention_refuses_zero_days(log_engine: Engine) -> None:
    with pytest.raises(ValueError):
        apply_retention(log_engine, 0)
