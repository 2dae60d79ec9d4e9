"""Problem types and return reasons: a few values, found by the phrasings the synonyms list.

A problem type or a return reason is worth something to the forms only as one of a handful of
values (dañado, retraso, talla, ...): the actions refuse any other text, and the synonyms in
``data/nlu/sinonimos.yml`` are how each value is said ("llegó partido" is dañado). DIET found
these spans with a CRF layer that was half of its training time, and still returned spans the
synonym mapper could not name. This component finds the synonyms' phrasings among a message's
tokens (typo-corrected, compared without accents) and names the entity after the intent, as the
training examples do: a problem type in a problem report, a return reason in a return request.
A bare answer to a form's question that reads as small talk is named after the intents ranked
below it. Entities of these types from earlier extractors are dropped: this component decides
them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.fingerprint import PackageFingerprint
from bot.nlu.storage import read_json, write_json
from bot.nlu.unknown_words import fold

PHRASES_FILE = "phrases.json"


def words(text: str) -> tuple[str, ...]:
    """The words a phrase is matched by: lower-case, without accents, punctuation dropped."""
    return tuple(re.findall(r"\w+", fold(text)))


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR],
    is_trainable=True,
)
class PhraseEntityExtractor(PackageFingerprint, GraphComponent, EntityExtractorMixin):
    """Closed-value entities from their synonyms' phrasings, typed by the predicted intent."""

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        phrases: Iterable[tuple[Sequence[str], str]] = (),
        entity_by_intent: dict[str, str] | None = None,
        values: dict[str, Iterable[str]] | None = None,
    ) -> None:
        self.entity_types = frozenset(config["entities"])
        self.answer_intents = frozenset(config["answer_intents"])
        self._model_storage = model_storage
        self._resource = resource
        self.phrases = {tuple(phrase): value for phrase, value in phrases}
        self.longest = max(map(len, self.phrases), default=0)
        self.entity_by_intent = entity_by_intent or {}
        self.values = {entity: frozenset(names) for entity, names in (values or {}).items()}

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # Entity types whose values are a closed set, each value named by its synonyms, and
        # intents that a bare answer to a form's question may read as.
        return {"entities": [], "answer_intents": []}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> PhraseEntityExtractor:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Learn each value's phrasings, which values each type takes, and which intent has it.

        A value is one the synonyms name and an annotated example uses; an annotated span no
        synonym names teaches nothing here, as the forms could not use it either.
        """
        synonyms = {
            words(text): value
            for text, value in training_data.entity_synonyms.items()
            if words(text)
        }
        named = {words(value): value for value in synonyms.values()}
        phrases: dict[tuple[str, ...], str] = {}
        values: dict[str, set[str]] = {entity: set() for entity in self.entity_types}
        intents: dict[str, Counter[str]] = {}
        for example in training_data.entity_examples:
            for entity in example.get(ENTITIES) or []:
                if entity[ENTITY_ATTRIBUTE_TYPE] not in self.entity_types:
                    continue
                text = str(example.get(TEXT))
                said = words(text[entity[ENTITY_ATTRIBUTE_START] : entity[ENTITY_ATTRIBUTE_END]])
                value = synonyms.get(said) or named.get(words(str(entity[ENTITY_ATTRIBUTE_VALUE])))
                if value is not None:
                    values[entity[ENTITY_ATTRIBUTE_TYPE]].add(value)
                    phrases[said] = value  # "dañado" itself, when an example says it
                intents.setdefault(str(example.get(INTENT)), Counter())[
                    entity[ENTITY_ATTRIBUTE_TYPE]
                ] += 1
        used = set().union(*values.values())
        phrases.update((said, value) for said, value in synonyms.items() if value in used)
        saved = {
            "phrases": sorted([list(said), value] for said, value in phrases.items()),
            "entity_by_intent": {
                intent: counts.most_common(1)[0][0] for intent, counts in intents.items()
            },
            "values": {entity: sorted(names) for entity, names in values.items()},
        }
        write_json(self._model_storage, self._resource, PHRASES_FILE, saved)
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> PhraseEntityExtractor:
        saved = read_json(model_storage, resource, PHRASES_FILE)
        if saved is None:
            return cls(config, model_storage, resource)
        return cls(
            config,
            model_storage,
            resource,
            [(said, value) for said, value in saved["phrases"]],
            saved["entity_by_intent"],
            saved["values"],
        )

    def find(self, tokens: Sequence[Token], types: Sequence[str]) -> list[dict[str, Any]]:
        """The longest phrasings among ``tokens``, left to right, each named by the first of
        ``types`` that takes its value."""
        spoken = [(word, token) for token in tokens for word in words(token.text)[:1]]
        found: list[dict[str, Any]] = []
        i = 0
        while i < len(spoken):
            for n in range(min(self.longest, len(spoken) - i), 0, -1):
                value = self.phrases.get(tuple(word for word, _ in spoken[i : i + n]))
                entity = next((t for t in types if value in self.values.get(t, ())), None)
                if entity is not None:
                    found.append({
                        ENTITY_ATTRIBUTE_TYPE: entity,
                        ENTITY_ATTRIBUTE_START: spoken[i][1].start,
                        ENTITY_ATTRIBUTE_END: spoken[i + n - 1][1].end,
                        ENTITY_ATTRIBUTE_VALUE: value,
                    })  # fmt: skip
                    i += n
                    break
            else:
                i += 1
        return found

    def types_for(self, message: Message) -> list[str]:
        """The types a message's phrasings may be, in the order they are tried.

        A problem report names problem types, a return request return reasons. A bare answer to
        a form's question ("me queda pequeño", "no me convence") often reads as small talk: then
        the intents ranked below it decide, the likeliest first. Any other question names none.
        """
        intent = str((message.get(INTENT) or {}).get(INTENT_NAME_KEY))
        if intent in self.entity_by_intent:
            return [self.entity_by_intent[intent]]
        if intent not in self.answer_intents:
            return []
        ranked = [str(i.get(INTENT_NAME_KEY)) for i in message.get(INTENT_RANKING_KEY) or []]
        types = [self.entity_by_intent[i] for i in ranked if i in self.entity_by_intent]
        return list(dict.fromkeys(types))

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            kept = [
                entity
                for entity in message.get(ENTITIES) or []
                if entity[ENTITY_ATTRIBUTE_TYPE] not in self.entity_types
            ]
            types = self.types_for(message)
            if types:
                tokens = message.get(TOKENS_NAMES[TEXT]) or []
                kept += self.add_extractor_name(self.find(tokens, types))
            message.set(ENTITIES, kept, add_to_output=True)
        return messages
