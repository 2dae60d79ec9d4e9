"""Send messages with no word the assistant has ever seen to the fallback.

DIET's softmax is confident about anything: "blorf gnap trrr" came out as
``consultar_producto`` above the fallback threshold, so the shopper got a product
question instead of "I did not understand". This component sits between the
classifiers and ``FallbackClassifier``: when no token of a message is known (as
written, as a lemma, or one typo away) and no regex from the training data matches
it, it sets the intent's confidence to zero, and the FallbackClassifier does the rest.
The intent ranking is kept, so the rephrase prompt still offers the top two topics.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import INTENT, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.fingerprint import PackageFingerprint
from bot.nlu.storage import read_json, write_json

VOCABULARY_FILE = "vocabulary.json"
# difflib ratio at which a word counts as a typo of a known one: "pedidoo" → pedido (0.92),
# "sapatillas" → zapatillas (0.9); "blorf" matches nothing at this level.
TYPO_CUTOFF = 0.8


def fold(word: str) -> str:
    """Lower-case without accents: the form every lookup compares."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def lookup_words(training_data: TrainingData) -> list[str]:
    """Every word of the lookup tables (the catalogue's names), lower-cased."""
    return [
        word
        for table in training_data.lookup_tables
        for element in table.get("elements", [])
        for word in str(element).lower().split()
    ]


def _words(message: Message) -> list[str]:
    tokens = message.get(TOKENS_NAMES[TEXT]) or []
    forms: list[str] = []
    for token in tokens:
        forms.append(fold(token.text))
        if token.lemma and token.lemma != token.text:
            forms.append(fold(token.lemma))
    return [form for form in forms if any(ch.isalnum() for ch in form)]


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER],
    is_trainable=True,
)
class UnknownWordsGuard(PackageFingerprint, GraphComponent, IntentClassifier):
    """Zero the intent confidence of messages made only of unknown words."""

    def __init__(
        self,
        model_storage: ModelStorage,
        resource: Resource,
        vocabulary: Iterable[str] = (),
        patterns: Iterable[str] = (),
    ) -> None:
        self._model_storage = model_storage
        self._resource = resource
        self.vocabulary = frozenset(vocabulary)
        self._by_length: dict[int, list[str]] = {}
        for word in self.vocabulary:
            self._by_length.setdefault(len(word), []).append(word)
        self.patterns = [re.compile(p, re.IGNORECASE) for p in patterns]

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
    ) -> UnknownWordsGuard:
        return cls(model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Remember every word of the examples and lookup tables, and the regexes."""
        vocabulary: set[str] = set()
        for example in training_data.training_examples:
            vocabulary.update(_words(example))
        vocabulary.update(fold(word) for word in lookup_words(training_data))
        patterns = [feature["pattern"] for feature in training_data.regex_features]
        saved = {"vocabulary": sorted(vocabulary), "patterns": patterns}
        write_json(self._model_storage, self._resource, VOCABULARY_FILE, saved)
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> UnknownWordsGuard:
        saved = read_json(model_storage, resource, VOCABULARY_FILE)
        if saved is None:
            return cls(model_storage, resource)
        return cls(model_storage, resource, saved["vocabulary"], saved["patterns"])

    def knows(self, word: str) -> bool:
        """In the vocabulary, or one typo away from a word of about the same length."""
        if word in self.vocabulary or not any(ch.isalpha() for ch in word):
            return True
        candidates = [
            known
            for length in range(len(word) - 2, len(word) + 3)
            for known in self._by_length.get(length, [])
        ]
        return bool(difflib.get_close_matches(word, candidates, n=1, cutoff=TYPO_CUTOFF))

    def is_unknown(self, message: Message) -> bool:
        if not self.vocabulary:
            return False
        text = message.get(TEXT) or ""
        if any(pattern.search(text) for pattern in self.patterns):
            return False
        words = _words(message)
        return bool(words) and not any(self.knows(word) for word in words)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = message.get(INTENT)
            if intent and self.is_unknown(message):
                message.set(INTENT, {**intent, PREDICTED_CONFIDENCE_KEY: 0.0}, add_to_output=True)
        return messages
