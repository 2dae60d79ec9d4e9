"""A pain point planted in a synthetic log is found first, with the words its shoppers used."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bench.synthetic_log import Plant, generate
from bot.analytics import __main__ as cli
from bot.analytics.language import Analyzer
from bot.analytics.painpoints import rank_pain_points
from bot.analytics.period import Period
from bot.analytics.report import explain_pain_points
from bot.store.db import create_store_engine
from bot.store.migrate import upgrade_to_head

LABELS = Plant(
    stage="postventa",
    intent="solicitar_devolucion",
    category="talla",
    handoff_rate=0.6,
    words="la etiqueta de devolución no me llega al correo",
)
SEPTEMBER = Period(date(2026, 9, 1), date(2026, 9, 30))


@pytest.fixture(scope="module")
def planted_log(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """60 days of synthetic conversations (about 8,000) with the planted pain point."""
    url = f"sqlite:///{tmp_path_factory.mktemp('planted') / 'journey.db'}"
    upgrade_to_head(url)
    engine = create_store_engine(url)
    generate(engine, turns=60_000, seed=3, start=datetime(2026, 8, 2), days=59, plant=LABELS)
    yield engine
    engine.dispose()


def test_the_planted_return_labels_problem_ranks_first_with_its_words(
    planted_log: Engine,
) -> None:
    with Session(planted_log, future=True) as session:
        points = rank_pain_points(session=session, period=SEPTEMBER, top=3)
        [first] = explain_pain_points(
            session=session, period=SEPTEMBER, points=points[:1], analyzer=Analyzer()
        )
    key = first.key
    assert (key.stage, key.intent, key.category) == ("postventa", "solicitar_devolucion", "talla")
    assert first.counts.handoffs / first.counts.size > 0.5
    top_terms = [t.term for t in first.terms[:6]]
    assert "etiqueta" in top_terms
    assert "correo" in top_terms
    assert len(first.examples) == 3


def test_the_cli_writes_the_whole_report_as_a_spanish_html_page(
    planted_log: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "get_engine", lambda: planted_log)
    page = tmp_path / "informe.html"
    draft = tmp_path / "borrador.yml"
    args = ["report", "--since", "2026-09-01", "--until", "2026-09-30", "--format", "html"]
    assert cli.main([*args, "--out", str(page), "--nlu", str(draft)]) == 0
    html = page.read_text(encoding="utf-8")
    for heading in ("Métricas por etapa", "Transiciones entre etapas", "Puntos de dolor",
                    "Mensajes no entendidos, agrupados", "Acuerdo entre el asistente"):  # fmt: skip
        assert heading in html
    assert "<script" not in html and "http" not in html  # self-contained
    assert "- intent: revisar_" in draft.read_text(encoding="utf-8")


def test_the_cli_writes_one_csv_per_table_and_json_for_scripts(
    planted_log: Engine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(cli, "get_engine", lambda: planted_log)
    args = ["report", "--since", "2026-09-01", "--until", "2026-09-30"]
    assert cli.main([*args, "--format", "csv", "--out", str(tmp_path / "tablas")]) == 0
    names = {p.name for p in (tmp_path / "tablas").iterdir()}
    assert {"metricas.csv", "puntos_de_dolor.csv", "transiciones.csv", "ejemplos.csv"} <= names
    assert cli.main(["painpoints", "--since", "2026-09-01", "--until", "2026-09-30",
                     "--top", "2", "--format", "json"]) == 0  # fmt: skip
    data = json.loads(capsys.readouterr().out)
    assert len(data["pain_points"]) == 2
    assert data["pain_points"][0]["key"]["category"] == "talla"


def test_the_cli_refuses_a_range_that_ends_before_it_starts(
    planted_log: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "get_engine", lambda: planted_log)
    assert cli.main(["report", "--since", "2026-09-30", "--until", "2026-09-01"]) == 2
    assert "--since" in capsys.readouterr().err
