"""Slipped training copies: one plausible slip each, the same on every training run."""

from __future__ import annotations

import random

from bot.nlu.slips import NEIGHBOUR_KEYS, slip, with_slips
from bot.nlu.typos import one_edit_away


def test_every_copy_is_one_slip_from_its_example() -> None:
    texts = ["¿dónde está mi pedido RU-100004?", "quiero devolver las zapatillas", "ok"]
    labels = ["rastrear_pedido", "solicitar_devolucion", "afirmar"]
    slipped, slipped_labels = with_slips(texts, labels, copies=3)
    assert slipped[:3] == texts and slipped_labels[:3] == labels, "the examples come first"
    assert len(slipped) == 12
    for i, (copy, label) in enumerate(zip(slipped[3:], slipped_labels[3:], strict=True)):
        original = texts[i // 3]
        assert label == labels[i // 3]
        assert copy in one_edit_away(original) or copy == original
        assert "RU-100004" in copy or "RU" not in original, "codes and numbers are left alone"


def test_the_copies_are_the_same_every_run() -> None:
    texts = ["hola, buenas tardes"] * 20
    assert with_slips(texts, ["saludar"] * 20, 2) == with_slips(texts, ["saludar"] * 20, 2)
    copies = set(with_slips(texts, ["saludar"] * 20, 2)[0][20:])
    assert len(copies) > 10, "different slips, not one slip repeated"


def test_a_key_slips_to_its_neighbour_on_the_keyboard() -> None:
    assert NEIGHBOUR_KEYS["a"] == "s" and NEIGHBOUR_KEYS["ñ"] == "l" and NEIGHBOUR_KEYS["g"] == "fh"
    rng = random.Random(3)
    kinds = {slip("pan", rng) for _ in range(200)}
    assert {"apn", "pn", "ppan", "pna"} <= kinds, "swapped, dropped, doubled"
    assert kinds & {"oan", "psn", "pam", "pab"}, "a key off"
    assert slip("123 ?", rng) == "123 ?", "nothing to slip"
