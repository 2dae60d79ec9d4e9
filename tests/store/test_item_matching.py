"""Which items a shopper means when they name them in their own words."""

from __future__ import annotations

import pytest

from bot.store.item_matching import match_items

ORDER = [
    (1, "Zapatillas Trail Pulso negro talla 42"),
    (2, "Zapatillas Urban Flow blanco talla 42"),
    (3, "Falda plisada verde talla M"),
    (4, "Chaqueta vaquera azul talla L"),
]


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("la falda plisada y la chaqueta", [3, 4]),
        ("las zapatillas trail", [1]),
        ("las zapatillas", [1, 2]),
        ("la chaqueta vaquera", [4]),
        ("todos", [1, 2, 3, 4]),
        ("las dos", [1, 2, 3, 4]),
        ("FALDA PLISADA", [3]),
        ("las blancas", [2]),
    ],
)
def test_items_are_found_by_the_words_a_shopper_uses(said: str, expected: list[int]) -> None:
    assert sorted(match_items(said, ORDER)) == expected


@pytest.mark.parametrize("said", ["", "no sé", "el bolso", "🙂", "'; DROP TABLE x;--"])
def test_words_that_name_no_item_match_nothing(said: str) -> None:
    assert match_items(said, ORDER) == []
