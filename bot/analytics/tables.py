"""The report as tables with Spanish headings: what the Markdown, HTML and CSV outputs show.

Rates are kept as numbers (0–1) and formatted by the renderer: percentages on a page,
plain decimals in CSV, so a spreadsheet can still sum them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from bot.analytics.painpoints import GroupKey
from bot.analytics.paths import NO_STAGE
from bot.analytics.report import Report
from bot.journey.stages import JourneyConfigError, load_journey

PERCENT, NUMBER, DECIMAL, DURATION, TEXT = "percent", "number", "decimal", "duration", "text"
SPEAKERS = {"shopper": "cliente", "bot": "asistente", "agent": "agente"}


@dataclass(frozen=True)
class Table:
    name: str  # file name in CSV output
    title: str
    columns: list[tuple[str, str]]  # (heading, kind)
    rows: list[list[object]]
    note: str = ""


@lru_cache(maxsize=1)
def stage_labels() -> dict[str, str]:
    try:
        return {stage.name: stage.label for stage in load_journey().stages}
    except JourneyConfigError:
        return {}


def stage_label(stage: str | None) -> str:
    if stage is None:
        return "Todas"
    if stage == NO_STAGE:
        return "Sin etapa"
    return stage_labels().get(stage, stage)


def _order(stage: str | None) -> int:
    names = list(stage_labels())
    return names.index(stage) if stage in names else len(names)


def group_label(key: GroupKey) -> list[object]:
    late = {True: "sí", False: "no", None: "—"}[key.order_late]
    return [
        stage_label(key.stage),
        key.intent or "—",
        key.category or "—",
        key.order_status or "—",
        late,
    ]


def report_tables(report: Report) -> list[Table]:
    """Every table of a full report; only the pain points for a ``painpoints`` report."""
    if report.paths is None:
        return pain_point_tables(report)
    tables = [metrics_table(report), *paths_tables(report), *pain_point_tables(report)]
    tables.append(unrecognised_table(report))
    if report.dispositions is not None:
        tables += disposition_tables(report)
    return tables


def metrics_table(report: Report) -> Table:
    rows = sorted(report.metrics, key=lambda m: (m.stage is not None, _order(m.stage)))
    return Table(
        "metricas",
        "Métricas por etapa",
        [
            ("Etapa", TEXT),
            ("Conversaciones", NUMBER),
            ("Cerradas", NUMBER),
            ("Turnos por conversación", DECIMAL),
            ("Contención", PERCENT),
            ("Derivación", PERCENT),
            ("Abandono", PERCENT),
            ("Conversaciones con fallback", PERCENT),
            ("Turnos con fallback", PERCENT),
            ("Satisfacción media", DECIMAL),
            ("Respuesta a la valoración", PERCENT),
            ("Contacto repetido (7 días)", PERCENT),
            ("Mediana hasta resolver", DURATION),
        ],
        [
            [
                stage_label(m.stage),
                m.conversations,
                m.settled,
                m.turns_per_conversation,
                m.containment,
                m.handoff_rate,
                m.abandonment_rate,
                m.fallback_conversation_rate,
                m.fallback_turn_rate,
                m.csat_average,
                m.csat_response_rate,
                m.repeat_contact_rate,
                m.median_resolution_seconds,
            ]
            for m in rows
        ],
        "Cada conversación cuenta en la etapa en la que terminó; las tasas de resultado son sobre "
        "las conversaciones cerradas. Los turnos con fallback usan la etapa de cada turno.",
    )


def paths_tables(report: Report) -> list[Table]:
    paths = report.paths
    assert paths is not None
    return [
        Table(
            "embudo",
            "Embudo por etapa",
            [("Etapa", TEXT), ("Pasaron por ella", NUMBER), ("Terminaron en ella", NUMBER)],
            [
                [stage_label(r.stage), r.reached, r.ended]
                for r in sorted(paths.reach, key=lambda r: _order(r.stage))
            ],
        ),
        Table(
            "transiciones",
            "Transiciones entre etapas",
            [("Desde", TEXT), ("Hacia", TEXT), ("Conversaciones", NUMBER)],
            [
                [
                    ("Inicio" if t.source == "inicio" else stage_label(t.source)),
                    stage_label(t.target),
                    t.count,
                ]
                for t in paths.transitions
            ],
        ),
        Table(
            "finales",
            "Dónde terminan las conversaciones",
            [("Etapa", TEXT), ("Resultado", TEXT), ("Conversaciones", NUMBER)],
            [
                [stage_label(e.stage), e.outcome.replace("_", " "), e.count]
                for e in sorted(paths.endings, key=lambda e: (_order(e.stage), e.outcome))
            ],
        ),
    ]


def pain_point_tables(report: Report) -> list[Table]:
    points = report.pain_points
    ranked = Table(
        "puntos_de_dolor",
        "Puntos de dolor",
        [
            ("#", NUMBER),
            ("Etapa", TEXT),
            ("Intent", TEXT),
            ("Problema", TEXT),
            ("Estado del pedido", TEXT),
            ("Retrasado", TEXT),
            ("Conversaciones", NUMBER),
            ("Mal resultado", PERCENT),
            ("Base de la etapa", PERCENT),
            ("Cota inferior (95 %)", PERCENT),
            ("Puntuación", DECIMAL),
            ("Derivación", PERCENT),
            ("Abandono", PERCENT),
            ("Con fallback", PERCENT),
            ("Valoración ≤ 2", PERCENT),
            ("Tendencia (puntos)", PERCENT),
            ("Conversaciones periodo anterior", NUMBER),
            ("Palabras más propias", TEXT),
        ],
        [
            [
                i,
                *group_label(p.key),
                p.counts.size,
                p.bad_rate,
                p.baseline,
                p.lower_bound,
                p.score,
                p.counts.handoffs / p.counts.size,
                p.counts.abandoned / p.counts.size,
                p.counts.with_fallback / p.counts.size,
                p.counts.low_csat / p.counts.size,
                p.trend,
                p.previous_size,
                ", ".join(t.term for t in p.terms),
            ]
            for i, p in enumerate(points, start=1)
        ],
        "Mal resultado: derivada a una persona, abandonada, con algún mensaje no entendido o "
        "valorada con 1 o 2. Puntuación: cota inferior de Wilson (95 %) de la tasa del grupo "
        "menos la tasa del resto de su etapa; solo grupos de 5 conversaciones o más.",
    )
    examples = Table(
        "ejemplos",
        "Conversaciones de ejemplo (texto enmascarado)",
        [
            ("#", NUMBER),
            ("Conversación", TEXT),
            ("Resultado", TEXT),
            ("Quién", TEXT),
            ("Mensaje", TEXT),
        ],
        [
            [
                i,
                t.conversation_id,
                (t.outcome or "abierta").replace("_", " "),
                SPEAKERS.get(speaker, speaker),
                text,
            ]
            for i, p in enumerate(points, start=1)
            for t in p.examples
            for speaker, text in t.lines
        ],
    )
    return [ranked, examples]


def unrecognised_table(report: Report) -> Table:
    return Table(
        "no_entendidos",
        "Mensajes no entendidos, agrupados",
        [
            ("Etapa", TEXT),
            ("No entendidos", NUMBER),
            ("Muestra", NUMBER),
            ("Grupo", NUMBER),
            ("Mensajes", NUMBER),
            ("Palabras", TEXT),
            ("Ejemplos", TEXT),
        ],
        [
            [
                stage_label(s.stage),
                s.total,
                s.sampled,
                c.number,
                c.size,
                ", ".join(c.keywords),
                " | ".join(c.examples),
            ]
            for s in sorted(report.unrecognised, key=lambda s: _order(s.stage))
            for c in s.clusters
        ],
        "Los grupos salen de una muestra de los mensajes más recientes de cada etapa.",
    )


def disposition_tables(report: Report) -> list[Table]:
    agents = report.dispositions
    assert agents is not None
    return [
        Table(
            "acuerdo_agentes",
            "Acuerdo entre el asistente y los agentes",
            [
                ("Etapa según el asistente", TEXT),
                ("Derivaciones cerradas", NUMBER),
                ("El agente está de acuerdo", NUMBER),
                ("Acuerdo", PERCENT),
            ],
            [
                [
                    stage_label(a.stage) if a.stage != "sin_dato" else "Sin dato",
                    a.closed,
                    a.agreed,
                    a.rate,
                ]
                for a in agents.agreement
            ],
        ),
        Table(
            "correcciones",
            "Correcciones más frecuentes de los agentes",
            [
                ("Qué", TEXT),
                ("Según el asistente", TEXT),
                ("Según el agente", TEXT),
                ("Veces", NUMBER),
            ],
            [
                [
                    ("Etapa" if c.kind == "etapa" else "Categoría"),
                    c.bot.replace("_", " "),
                    c.agent.replace("_", " "),
                    c.count,
                ]
                for c in agents.corrections
            ],
        ),
    ]
