"""Typing noise is seeded, spares what shoppers copy, and leaves clean text clean at rate 0."""

from __future__ import annotations

import random

from bot.simulate.typos import add_typos, misspell, strip_accents


def test_the_same_seed_makes_the_same_typos() -> None:
    text = "¿Dónde está mi pedido? Lo compré también para mi hermana"
    first = [add_typos(text, random.Random(7), 0.6) for _ in range(3)]
    again = [add_typos(text, random.Random(7), 0.6) for _ in range(3)]
    assert first == again
    assert any(t != text for t in first)


def test_a_careful_shopper_types_exactly_what_they_mean() -> None:
    text = "¿Tenéis las zapatillas en la 42?"
    assert add_typos(text, random.Random(1), 0.0) == text


def test_order_numbers_emails_and_postal_codes_are_never_mangled() -> None:
    text = "mi pedido es el RU-100004 y mi email es Ana.Garcia@example.com, cp 28004"
    for seed in range(50):
        noisy = add_typos(text, random.Random(seed), 1.0)
        assert "RU-100004" in noisy and "Ana.Garcia@example.com" in noisy and "28004" in noisy


def test_sloppy_shoppers_drop_accents_and_opening_marks() -> None:
    noisy = {add_typos("¿Cuándo llega? ¡Qué ganas!", random.Random(s), 1.0) for s in range(20)}
    assert all("¿" not in t and "¡" not in t and "á" not in t for t in noisy)


def test_accents_go_but_the_enye_stays() -> None:
    assert strip_accents("Devolución del año: pingüino") == "Devolucion del año: pinguino"


def test_a_misspelt_word_is_close_to_the_word() -> None:
    for seed in range(30):
        word = misspell("devolucion", random.Random(seed))
        assert abs(len(word) - len("devolucion")) <= 1
        assert set(word) <= set("devolucion")
    assert misspell("RU-100004", random.Random(1)) == "RU-100004"
