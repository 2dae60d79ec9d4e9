"""Planted pain points: one stage × problem where shoppers get stuck far more than elsewhere.

A plant is a persona of its own, with its own distinctive words, that most of the time
ends badly (asks for a person or gives up). Demos plant one so the dashboard has a clear
story on day one; the planted-pain-point test checks that the analysis finds it first and
names its words.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.simulate.personas import Persona


@dataclass(frozen=True)
class Plant:
    """``share`` of the conversations use ``persona``; ``endings`` weighs how they end
    (``pide_persona``, ``abandona``, ``completa``). ``words`` are what the analysis should
    pick out as the group's distinctive terms."""

    key: str
    description: str
    persona: Persona
    words: tuple[str, ...]
    share: float = 0.15
    endings: tuple[tuple[str, float], ...] = (
        ("pide_persona", 0.55),
        ("abandona", 0.35),
        ("completa", 0.10),
    )


PLANTS: dict[str, Plant] = {
    plant.key: plant
    for plant in (
        Plant(
            key="postventa:devolucion",
            description="la etiqueta de devolución no llega al correo",
            words=("etiqueta", "correo"),
            persona=Persona(
                name="etiqueta_no_llega",
                stage="postventa",
                topic="devolucion",
                flow="pedido",
                # Phrasings the model reads as solicitar_devolucion without a stray reason,
                # so the planted conversations stay in one stage × intent × problem group.
                openings=(
                    "quiero hacer una devolución, pero el correo con la etiqueta no me llega",
                    "necesito la etiqueta de devolución, no me ha llegado al correo",
                    "devolución: no me llega el correo con la etiqueta",
                    "pedí devolver unos vaqueros y sigo sin el correo con la etiqueta",
                ),
                order_statuses=("entregado",),
                reasons=("me queda pequeño", "no me gusta"),
            ),
        ),
        Plant(
            key="compra:seguimiento",
            description="el enlace de seguimiento del transportista no funciona",
            words=("enlace", "seguimiento"),
            persona=Persona(
                name="enlace_seguimiento_roto",
                stage="compra",
                topic="seguimiento",
                flow="pedido",
                openings=(
                    "¿dónde está mi pedido? el enlace de seguimiento no funciona",
                    "quiero saber dónde está mi paquete, el enlace de seguimiento da error",
                    "hola, el enlace de seguimiento del email no abre, ¿por dónde va mi pedido?",
                ),
                order_statuses=("enviado", "en_reparto"),
            ),
        ),
    )
}


def parse_plant(value: str) -> Plant:
    """The plant named ``value`` (``postventa:devolucion``); a clear error names the choices."""
    plant = PLANTS.get(value.strip().lower())
    if plant is None:
        raise ValueError(f"unknown plant {value!r}; choose one of: {', '.join(sorted(PLANTS))}")
    return plant
