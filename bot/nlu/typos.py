"""Read a misspelt word as the training word it is one slip away from.

Shoppers type fast on phones: "pedio", "gracais", "zapatilas". A word no training example
contains gives the featurizers nothing to hold on to, so the classifiers guess from whatever
else the message says. This component sits right after the tokenizer: a token that is no real
word and is one edit away (a letter dropped, added or changed, or two neighbours swapped) from
words of the training examples is read as the most frequent of them. The token's text and
lemma change, its position does not, so entities still point at what the shopper wrote, and
the tracker keeps the message as it was typed.

A real word is never changed, even when it is one edit from a known one: "manzana" is not
"mañana", "vienen" is not "tienen", "peor" is not "pero". Real means a catalogue name or a word
of wordfreq's Spanish list seen at least once per million words (34,000 words with every
inflection); only what is neither is taken for a slip. Words under four letters only get two
neighbours swapped back into a real word ("qeu" → que, "ahy" → hay): at that length any other
edit reaches too many words ("sal", "las", "mas").

A form that wordfreq has never seen at all ("sabdaos", "tineda") is surely a slip: it yields
to a real word the examples use more often than it, and when no word of the examples is one
edit away, to the commonest real word that is ("sabdaos" → sábados). Rarer words that wordfreq
does know ("pádel", "invierto", "parce", brands like "Seur") only yield to a neighbour the
examples use five times as often. Training examples are read the same way, so both
classifiers learn the word, not the slip.
"""

from __future__ import annotations

import zlib
from collections import Counter
from functools import cache
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from wordfreq import available_languages, read_cBpack

from bot.nlu.fingerprint import PackageFingerprint
from bot.nlu.slips import dropped, replaced, swapped
from bot.nlu.storage import read_json, write_json
from bot.nlu.unknown_words import fold, lookup_words

VOCABULARY_FILE = "typo_vocabulary.json"
# The message text with every corrected word in place, for components that read whole text
# (the linear intent model) rather than tokens. Set only when a word was corrected.
CORRECTED_TEXT = "corrected_text"
MIN_LENGTH = 4
LETTERS = "abcdefghijklmnopqrstuvwxyzñ"
# Zipf 3: once per million words. pyspellchecker's list, used before, has almost no plural or
# conjugated form ("tienes", "unas", "todos" were missing), so those were rewritten.
REAL_WORD_ZIPF = 3.0
# A word wordfreq knows below the real-word bar yields to a neighbour this many times commoner
# in the examples. On the noisy 5-fold copy (every example has a slip) slips are frequent
# enough to look known ("tineda" 7 times, "gracais" 9) and often as frequent as the word
# itself ("ohrario" 2, "horario" 9): with this rule alone 1,064 of its 2,738 slips were read
# as the word, with the rules for forms wordfreq never saw 1,977.
COMMONER = 5


@cache
def _wordfreq_tables() -> tuple[dict[str, tuple[int, str]], np.ndarray]:
    """Both views of wordfreq's Spanish list from one read of its file (about a second)."""
    # Bucket i holds the words seen 10^(-i/100) of the time; zipf is log10 of the frequency
    # per billion words, so zipf 3 is bucket 600.
    buckets = read_cBpack(available_languages("large")["es"])
    last = round(100 * (9 - REAL_WORD_ZIPF))
    words: dict[str, tuple[int, str]] = {}
    for rank, bucket in enumerate(buckets[: last + 1]):
        for word in bucket:
            words.setdefault(fold(word), (rank, word))
    forms = {zlib.crc32(fold(word).encode()) for bucket in buckets for word in bucket}
    return words, np.array(sorted(forms), dtype=np.uint32)


def spanish_words() -> dict[str, tuple[int, str]]:
    """wordfreq's Spanish words at zipf ≥ 3: accent-free form → (rank, spelling).

    Rank 0 is the commonest; the spelling is the commonest one with that form ("sábados").
    Read from the file once per process, not through ``get_frequency_dict``, which
    would keep all 342,000 words in memory (41 MB) for the life of the process.
    """
    return _wordfreq_tables()[0]


def wordfreq_forms() -> np.ndarray:
    """CRC-32 of every accent-free form in wordfreq's whole Spanish list, sorted.

    Rare real words ("atendéis", "chamarra") are below zipf 3 but in the list; a slip that no
    one ever typed often enough is not. 316,000 forms as a set of strings would hold 35 MB;
    their checksums hold 1.3 MB, and a checksum shared by chance only leaves a slip as it is.
    """
    return _wordfreq_tables()[1]


def _in_wordfreq(form: str) -> bool:
    forms = wordfreq_forms()
    checksum = zlib.crc32(form.encode())
    i = int(np.searchsorted(forms, checksum))
    return i < len(forms) and int(forms[i]) == checksum


def _commonest_real_word(edits: set[str]) -> tuple[str, str] | None:
    """(spelling, spelling) of the commonest real word among ``edits``, if any."""
    real = [spanish_words()[form] for form in edits if form in spanish_words()]
    if not real:
        return None
    _, spelling = min(real)
    return spelling, spelling


def swaps(word: str) -> set[str]:
    """``word`` with two neighbouring letters swapped, every way."""
    return {swapped(word, i) for i in range(len(word) - 1)} - {word}


def one_edit_away(word: str) -> set[str]:
    """Every string one deletion, swap of neighbours, replacement or insertion from ``word``."""
    deletes = {dropped(word, i) for i in range(len(word))}
    replaces = {replaced(word, i, ch) for i in range(len(word)) for ch in LETTERS}
    inserts = {word[:i] + ch + word[i:] for i in range(len(word) + 1) for ch in LETTERS}
    return (deletes | swaps(word) | replaces | inserts) - {word}


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER],
    is_trainable=True,
)
class TypoCorrector(PackageFingerprint, GraphComponent):
    """Replace unknown tokens by the commonest known word one edit away."""

    def __init__(
        self,
        model_storage: ModelStorage,
        resource: Resource,
        words: dict[str, tuple[int, str, str]] | None = None,
    ) -> None:
        self._model_storage = model_storage
        self._resource = resource
        # accent-free form -> (count in the examples, commonest spelling, its lemma)
        self.words = words or {}
        if self.words:
            # read the word lists while the model loads, not on a shopper's turn
            spanish_words()
            wordfreq_forms()

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> TypoCorrector:
        return cls(model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Count every word of the examples, with the spelling and lemma seen most."""
        counts: Counter[str] = Counter()
        spellings: dict[str, Counter[tuple[str, str]]] = {}
        for example in training_data.training_examples:
            for token in example.get(TOKENS_NAMES[TEXT]) or []:
                form = fold(token.text)
                if form.isalpha():
                    counts[form] += 1
                    spellings.setdefault(form, Counter())[
                        (token.text.lower(), (token.lemma or token.text).lower())
                    ] += 1
        words = {
            form: [count, *spellings[form].most_common(1)[0][0]] for form, count in counts.items()
        }
        # Catalogue names are real words too ("Gredos" is a brand, not "grados"), at count 0:
        # never corrected, and a correction only when no example word is as close.
        for word in lookup_words(training_data):
            if fold(word).isalpha():
                words.setdefault(fold(word), [0, word, word])
        write_json(self._model_storage, self._resource, VOCABULARY_FILE, words)
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> TypoCorrector:
        saved = read_json(model_storage, resource, VOCABULARY_FILE) or {}
        return cls(model_storage, resource, {k: tuple(v) for k, v in saved.items()})

    def correction(self, form: str) -> tuple[str, str] | None:
        """(spelling, lemma) of the word ``form`` was meant to be, or None to keep it."""
        if len(form) < 2 or not form.isalpha() or form in spanish_words():
            return None  # a real word, even if one edit from a commoner one
        seen = self.words.get(form)
        if seen is not None and seen[0] == 0:
            return None  # a catalogue name
        if len(form) < MIN_LENGTH:
            edits = {c for c in swaps(form) if c in spanish_words()}
        else:
            edits = one_edit_away(form)
        unheard = not _in_wordfreq(form)  # surely a slip, unlike "pádel" or "Seur"
        candidates = [(self.words[c][0], c) for c in edits if c in self.words]
        if seen is not None:
            candidates = [
                (n, c)
                for n, c in candidates
                if n >= COMMONER * seen[0] or (unheard and n > seen[0] and c in spanish_words())
            ]
        if not candidates:
            return _commonest_real_word(edits) if unheard and len(form) >= MIN_LENGTH else None
        _, best = max(candidates)
        _, spelling, lemma = self.words[best]
        return spelling, lemma

    def process(self, messages: list[Message]) -> list[Message]:
        if not self.words:
            return messages
        for message in messages:
            self._correct(message)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """The examples read as a shopper's message is: their own slips corrected."""
        if self.words:
            for example in training_data.training_examples:
                self._correct(example)
        return training_data

    def _correct(self, message: Message) -> None:
        tokens: list[Token] = message.get(TOKENS_NAMES[TEXT]) or []
        text = message.get(TEXT) or ""
        pieces: list[str] = []
        done = 0
        for token in tokens:
            corrected = self.correction(fold(token.text))
            if corrected is None:
                continue
            token.text, token.lemma = corrected
            pieces += [text[done : token.start], token.text]
            done = token.end
        if pieces:
            message.set(CORRECTED_TEXT, "".join(pieces) + text[done:])
