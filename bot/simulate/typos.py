"""Seeded typing noise: what shoppers' thumbs do to Spanish on a phone keyboard.

Order numbers, emails, postal codes and other words with digits or ``@`` are never
touched: a shopper copies those from the confirmation email, and a mangled one would
test the verification limit rather than the understanding of loose Spanish.
"""

from __future__ import annotations

import random
import re
import unicodedata

from bot.nlu.slips import doubled, dropped, swapped

PROTECTED = re.compile(r"[\d@]")
WORD = re.compile(r"\S+")
# Shortcuts people really write in chats (Spain and Latin America).
SHORTHAND = {"que": "q", "por": "x", "también": "tb", "porque": "xq", "para": "pa", "vale": "vle"}
ACCENTED = str.maketrans("áéíóúüÁÉÍÓÚÜ", "aeiouuAEIOUU")


def strip_accents(text: str) -> str:
    """«¿Dónde está?» → «¿Donde esta?»; ñ stays (keyboards keep it)."""
    return unicodedata.normalize("NFC", text).translate(ACCENTED)


def _swap(word: str, rng: random.Random) -> str:
    return word if len(word) < 4 else swapped(word, rng.randrange(1, len(word) - 2))


def _drop(word: str, rng: random.Random) -> str:
    return word if len(word) < 5 else dropped(word, rng.randrange(1, len(word) - 1))


def _double(word: str, rng: random.Random) -> str:
    return word if len(word) < 3 else doubled(word, rng.randrange(1, len(word)))


def misspell(word: str, rng: random.Random) -> str:
    """One slip of the finger in a word: two letters swapped, one dropped or one doubled."""
    if PROTECTED.search(word) or not word.isalpha():
        return word
    return rng.choice((_swap, _drop, _double))(word, rng)


def add_typos(text: str, rng: random.Random, rate: float) -> str:
    """``text`` as a shopper with a sloppiness of ``rate`` (0 to 1) would type it.

    At 0 the text is unchanged. Higher rates drop accents and the opening ¿ ¡, write
    in lowercase, use chat shorthand and misspell more words, all drawn from ``rng``
    so a seed reproduces the same conversation.
    """
    if rate <= 0 or not text:
        return text
    if rng.random() < rate:
        text = strip_accents(text)
    if rng.random() < rate:
        text = text.replace("¿", "").replace("¡", "")
    if rng.random() < rate:
        text = " ".join(w if PROTECTED.search(w) else w.lower() for w in text.split(" "))
    words = text.split(" ")
    for i, word in enumerate(words):
        bare = word.lower().strip(",.?!")
        if bare in SHORTHAND and rng.random() < rate / 2:
            words[i] = word.lower().replace(bare, SHORTHAND[bare])
        elif len(bare) > 3 and rng.random() < rate / 6:
            core = word.strip(",.?!¿¡")
            words[i] = word.replace(core, misspell(core, rng), 1) if core else word
    return " ".join(words)
