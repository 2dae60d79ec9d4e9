"""The linear model reads a product, an order number or an e-mail as its kind, not its spelling."""

from __future__ import annotations

import pickle

import pytest
from rasa.shared.nlu.training_data.loading import load_data

from bot.config import PROJECT_ROOT
from bot.nlu.placeholders import Placeholders


@pytest.fixture(scope="module")
def placeholders() -> Placeholders:
    """Built from the project's own regexes and catalogue lookup tables."""
    return Placeholders.from_training_data(load_data(str(PROJECT_ROOT / "data" / "nlu")))


@pytest.mark.parametrize(
    ("said", "read"),
    [
        ("¿Cuánto sale la RIÑONERA?", "¿cuanto sale la ent_producto ?"),
        (
            "pedido ru-482913 y mi correo ana@example.com",
            "pedido ent_numero_pedido y mi correo ent_email",
        ),
        ("mi cp es 28013", "mi cp es ent_codigo_postal"),
        ("¿llega en 24 horas?", "¿llega en ent_numero horas?"),
        # a score is short; Argentina's four-digit postal codes are not scores
        ("10 de 10", "ent_numero de ent_numero"),
        ("1425", "ent_numero_largo"),
        ("2000, Rosario", "ent_numero_largo , rosario"),
        ("¿qué tiempo hace en Madrid?", "¿que tiempo hace en madrid?"),
    ],
)
def test_entity_words_read_as_their_kind(placeholders: Placeholders, said: str, read: str) -> None:
    assert placeholders(said) == read


def test_the_longest_catalogue_name_wins(placeholders: Placeholders) -> None:
    # one product, not a product followed by leftover words
    assert placeholders("sudadera de cuello redondo gris") == "ent_producto ent_color"


def test_it_travels_inside_a_pickled_model(placeholders: Placeholders) -> None:
    copy = pickle.loads(pickle.dumps(placeholders))
    assert copy("tenéis tenis en talla 42") == placeholders("tenéis tenis en talla 42")
