"""An opinion is an opinion and another place is not the store, even in words no example has."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.nlu.lexicons import LEXICONS, Lexicons, lexicons_used
from tests.nlu.trained import trained_blend


@pytest.mark.parametrize(
    ("text", "used"),
    [
        ("Molaría poder pagar con Apple Pay", {"opinion"}),
        ("qué lástima que no enviéis a Canarias", {"opinion"}),
        ("deberíais aceptar Bizum", {"opinion"}),
        ("¿A qué hora cierra la farmacia?", {"elsewhere"}),
        ("¿dónde hay un cajero por aquí?", {"elsewhere"}),
        ("¿cuál es el email de Hacienda?", {"elsewhere"}),
        ("el médico me dijo que es genial", {"opinion", "elsewhere"}),
        ("¿puedo pagar con tarjeta?", set()),
        ("", set()),
        ("😤😤", set()),
    ],
)
def test_which_lexicons_a_message_uses(text: str, used: set[str]) -> None:
    assert lexicons_used(text) == used


@pytest.mark.parametrize(
    "text",
    [
        "¿aceptáis mercado pago?",  # a way to pay, not a market
        "el envío fue súper rápido",  # an intensifier, not a supermarket
        "¿hacéis envíos por correos?",  # a carrier the store may use
        "busco unas zapatillas baratas",  # "bar" inside another word
        "¿el área metropolitana tiene envío en 24 horas?",  # "metro" inside another word
    ],
)
def test_the_stores_own_questions_use_neither(text: str) -> None:
    assert lexicons_used(text) == set()


def test_one_number_per_lexicon() -> None:
    rows = Lexicons().fit([]).transform(["qué desastre", "¿abre el banco?", "hola"]).toarray()
    opinion, elsewhere = (list(LEXICONS).index(name) for name in ("opinion", "elsewhere"))
    assert rows.shape == (3, len(LEXICONS))
    assert rows[0][opinion] == 1 and rows[0].sum() == 1
    assert rows[1][elsewhere] == 1 and rows[1].sum() == 1
    assert not rows[2].any()


EXAMPLES = {
    "opinar": [
        "me encanta la tienda",
        "la web es pésima",
        "deberíais tener más tallas",
        "qué pena que la web sea tan lenta",
        "el servicio es excelente",
        "la atención deja mucho que desear",
    ],
    "consultar_pago": [
        "¿puedo pagar con paypal?",
        "¿aceptáis tarjeta de crédito?",
        "¿se puede pagar a plazos?",
        "¿cómo pago con bizum?",
        "formas de pago",
        "¿aceptan pago contra reembolso?",
    ],
    "consultar_tienda": [
        "¿a qué hora abrís?",
        "¿cuál es vuestro horario?",
        "¿dónde está la tienda?",
        "¿abrís los domingos?",
        "¿cuál es vuestro teléfono?",
        "¿qué horario tiene la tienda en festivos?",
    ],
    "fuera_de_alcance": [
        "¿qué tiempo hace hoy?",
        "cuéntame un chiste",
        "¿a qué hora cierra el banco?",
        "¿quién ganó el mundial?",
        "¿cuál es el teléfono del hospital?",
        "recomiéndame una película",
    ],
}


def test_a_wish_about_paying_is_an_opinion_and_a_museum_is_not_the_store(
    tmp_path: Path,
) -> None:
    blend = trained_blend(tmp_path, EXAMPLES)
    assert blend.model is not None
    predicted = blend.model.predict(
        [
            "ojalá aceptarais paypal",
            "molaría que aceptarais bizum",
            "qué lástima que no aceptéis paypal",
            "¿qué horario tiene el museo?",
            "¿a qué hora abre la farmacia?",
            "¿la peluquería abre los lunes?",
            "¿puedo pagar con bizum?",
            "¿a qué hora abre la tienda?",
        ]
    )
    assert list(predicted) == [
        *["opinar"] * 3,
        *["fuera_de_alcance"] * 3,
        "consultar_pago",
        "consultar_tienda",
    ]
