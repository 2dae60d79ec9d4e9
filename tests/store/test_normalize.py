"""What shoppers type, and what the store looks up."""

from __future__ import annotations

import pytest

from bot.store.errors import InvalidInput
from bot.store.normalize import (
    clean_text,
    fold,
    normalize_code,
    normalize_email,
    normalize_order_number,
    normalize_postal_code,
)


@pytest.mark.parametrize(
    "typed",
    [
        "RU-482913",
        "ru482913",
        "#RU 482913",
        "  pedido RU-482913 ",
        "Pedido nº 482913",
        "n.º 482913",
        "mi pedido es el RU–482913",
        "orden: #482913",
        "482913",
        "RU 482 913",
    ],
)
def test_order_number_written_any_way_is_found_as_canonical(typed: str) -> None:
    assert normalize_order_number(typed) == "RU-482913"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "RU-48291",
        "RU-4829133",
        "XX-482913",
        "'; DROP TABLE store_orders;--",
        "482913 OR 1=1",
        "🙂🙂🙂",
        "9" * 5000,
    ],
)
def test_order_number_that_cannot_be_one_is_refused_before_any_query(typed: str) -> None:
    with pytest.raises(InvalidInput) as err:
        normalize_order_number(typed)
    assert err.value.field == "order_number"


def test_email_is_trimmed_lowercased_and_loses_trailing_punctuation() -> None:
    assert normalize_email("  Ana.Garcia@Example.ES. ") == "ana.garcia@example.es"
    assert normalize_email("mailto:luis@example.mx") == "luis@example.mx"


@pytest.mark.parametrize(
    "typed",
    [
        "ana",
        "ana@",
        "ana@example",
        "a..b@example.com",
        "x' OR '1'='1@example.com",
        "a" * 300 + "@example.com",
    ],
)
def test_malformed_email_is_refused(typed: str) -> None:
    with pytest.raises(InvalidInput):
        normalize_email(typed)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("28 013", "28013"),
        ("CP 28013", "28013"),
        ("c1425dka", "C1425DKA"),
        ("832-0000", "8320000"),
        ("110111", "110111"),
    ],
)
def test_postal_codes_of_spain_and_latin_america_are_normalised(typed: str, stored: str) -> None:
    assert normalize_postal_code(typed) == stored


@pytest.mark.parametrize("typed", ["", "abc", "12", "280130000000", "28013; --"])
def test_postal_code_that_cannot_be_one_is_refused(typed: str) -> None:
    with pytest.raises(InvalidInput):
        normalize_postal_code(typed)


def test_codes_match_without_accents_or_case() -> None:
    assert normalize_code("Dañado", ("danado", "otro"), "reason") == "danado"
    with pytest.raises(InvalidInput):
        normalize_code("roto", ("danado", "otro"), "reason")


def test_fold_drops_accents_and_eñes_for_search() -> None:
    assert fold("Camión PEQUEÑO algodón") == "camion pequeno algodon"


def test_clean_text_drops_control_characters_and_cuts_long_text() -> None:
    assert clean_text("hola\x00  mundo\x1b") == "hola mundo"
    assert len(clean_text("á" * 5000, limit=2000)) == 2000
