"""What went wrong and why it goes back, named the way the forms can use it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.phrase_entities import PhraseEntityExtractor

TOKENIZER = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
CONFIG = {
    "entities": ["tipo_problema", "motivo_devolucion"],
    "answer_intents": ["opinar", "negar"],
}
# A few lines of data/nlu in its own format: synonym blocks, plain and inline annotations.
DATA = """
version: "3.1"
nlu:
  - intent: reportar_problema
    examples: |
      - me llegó [roto](tipo_problema)
      - el pedido [no me ha llegado](tipo_problema)
      - [falta una pieza](tipo_problema) del mueble
      - la camiseta vino [descosida]{"entity": "tipo_problema", "value": "dañado"}
  - intent: solicitar_devolucion
    examples: |
      - quiero devolverlo, [me queda pequeño](motivo_devolucion)
      - me llegó [roto]{"entity": "motivo_devolucion", "value": "dañado"} y lo devuelvo
      - quiero devolverlo, [ya no lo necesito]{"entity": "motivo_devolucion", "value": "otro"}
      - las [zapatillas](producto) [no me gustan](motivo_devolucion)
  - intent: consultar_producto
    examples: |
      - ¿tenéis [zapatillas](producto) en la [42](talla)?
  - synonym: dañado
    examples: |
      - roto
      - estropeado
  - synonym: retraso
    examples: |
      - no me ha llegado
      - no me llegó
  - synonym: incompleto
    examples: |
      - falta
      - falta una pieza
  - synonym: talla
    examples: |
      - me queda pequeño
  - synonym: no_gusta
    examples: |
      - no me gustan
  - synonym: zapatillas
    examples: |
      - tenis
"""


@pytest.fixture(scope="module")
def extractor(tmp_path_factory: pytest.TempPathFactory) -> PhraseEntityExtractor:
    storage = LocalModelStorage(Path(tmp_path_factory.mktemp("phrases")))
    resource = Resource("phrase_entities")
    data = RasaYAMLReader().reads(DATA)
    PhraseEntityExtractor.create(CONFIG, storage, resource, None).train(data)
    return PhraseEntityExtractor.load(CONFIG, storage, resource, None)


def read(
    extractor: PhraseEntityExtractor,
    text: str,
    intent: str,
    entities: list[dict[str, Any]] | None = None,
    then: tuple[str, ...] = (),
) -> list[tuple[str, str, str]]:
    """(type, words as typed, value) of what the extractor leaves on ``text`` read as ``intent``,
    with the intents ``then`` ranked below it."""
    ranking = [{"name": name, "confidence": 0.9 / 2**i} for i, name in enumerate((intent, *then))]
    message = Message(data={TEXT: text, INTENT: ranking[0], INTENT_RANKING_KEY: ranking})
    if entities is not None:
        message.set(ENTITIES, entities)
    TOKENIZER.process([message])
    extractor.process([message])
    return [(e["entity"], text[e["start"] : e["end"]], e["value"]) for e in message.get(ENTITIES)]


def test_a_broken_order_is_a_damaged_one(extractor: PhraseEntityExtractor) -> None:
    assert read(extractor, "me llegó el pedido RU-482913 roto", "reportar_problema") == [
        ("tipo_problema", "roto", "dañado")
    ]


def test_the_same_words_in_a_return_request_are_its_reason(
    extractor: PhraseEntityExtractor,
) -> None:
    assert read(extractor, "lo quiero devolver, está estropeado", "solicitar_devolucion") == [
        ("motivo_devolucion", "estropeado", "dañado")
    ]


def test_without_accents_and_in_capitals(extractor: PhraseEntityExtractor) -> None:
    assert read(extractor, "NO ME LLEGO NADA", "reportar_problema") == [
        ("tipo_problema", "NO ME LLEGO", "retraso")
    ]


def test_the_longest_phrasing_wins(extractor: PhraseEntityExtractor) -> None:
    assert read(extractor, "falta una pieza y falta el manual", "reportar_problema") == [
        ("tipo_problema", "falta una pieza", "incompleto"),
        ("tipo_problema", "falta", "incompleto"),
    ]


def test_a_value_the_type_never_takes_is_not_named(extractor: PhraseEntityExtractor) -> None:
    """A size that does not fit is a reason to send it back, not a problem with the order."""
    assert read(extractor, "me queda pequeño", "reportar_problema") == []
    assert read(extractor, "me queda pequeño", "solicitar_devolucion") == [
        ("motivo_devolucion", "me queda pequeño", "talla")
    ]


def test_a_question_about_something_else_gets_no_problem_or_reason(
    extractor: PhraseEntityExtractor,
) -> None:
    """Asked in the middle of a form, a shipping question is not the answer, whatever follows."""
    assert read(extractor, "¿se puede pedir sin que llegue roto?", "consultar_envio") == []
    assert (
        read(extractor, "¿y si llega roto?", "consultar_envio", then=("reportar_problema",)) == []
    )


def test_a_bare_answer_read_as_small_talk_is_named_by_the_ranking(
    extractor: PhraseEntityExtractor,
) -> None:
    """ "¿Por qué lo devuelves?" — "me queda pequeño" may read as an opinion; a size that does not
    fit is no problem type, so the return reason ranked below names it."""
    assert read(
        extractor,
        "me queda pequeño",
        "opinar",
        then=("reportar_problema", "solicitar_devolucion"),
    ) == [("motivo_devolucion", "me queda pequeño", "talla")]
    assert read(
        extractor, "está roto", "negar", then=("solicitar_devolucion", "reportar_problema")
    ) == [("motivo_devolucion", "roto", "dañado")]
    assert read(
        extractor, "está roto", "negar", then=("reportar_problema", "solicitar_devolucion")
    ) == [("tipo_problema", "roto", "dañado")]
    assert read(extractor, "está roto", "negar") == []


def test_inline_annotations_teach_their_phrasing_but_not_the_bare_value(
    extractor: PhraseEntityExtractor,
) -> None:
    """ "descosida" was annotated as dañado; "otro" alone is no reason ("otro pedido")."""
    assert read(extractor, "la falda vino descosida", "reportar_problema") == [
        ("tipo_problema", "descosida", "dañado")
    ]
    assert read(extractor, "ya no lo necesito", "solicitar_devolucion") == [
        ("motivo_devolucion", "ya no lo necesito", "otro")
    ]
    assert read(extractor, "quiero devolver otro pedido", "solicitar_devolucion") == []


def test_a_corrected_typo_is_read_as_the_word_it_stands_for(
    extractor: PhraseEntityExtractor,
) -> None:
    """TypoCorrector changes a token's text, not its place: the span is what was typed."""
    text = "me llegó estropaedo"
    message = Message(data={TEXT: text, INTENT: {"name": "reportar_problema"}})
    TOKENIZER.process([message])
    message.get(TOKENS_NAMES[TEXT])[-1].text = "estropeado"
    extractor.process([message])
    [entity] = message.get(ENTITIES)
    assert (text[entity["start"] : entity["end"]], entity["value"]) == ("estropaedo", "dañado")


def test_it_decides_its_types_and_keeps_the_others(extractor: PhraseEntityExtractor) -> None:
    """Another extractor's guess at a problem type is dropped; its product stays."""
    earlier = [
        {"entity": "producto", "start": 4, "end": 14, "value": "zapatillas"},
        {"entity": "tipo_problema", "start": 0, "end": 3, "value": "las"},
    ]
    assert read(extractor, "las zapatillas llegaron rotas", "reportar_problema", earlier) == [
        ("producto", "zapatillas", "zapatillas")
    ]


def test_what_it_learned_from_the_examples(extractor: PhraseEntityExtractor) -> None:
    assert extractor.entity_by_intent == {
        "reportar_problema": "tipo_problema",
        "solicitar_devolucion": "motivo_devolucion",
    }
    assert extractor.values == {
        "tipo_problema": {"dañado", "retraso", "incompleto"},
        "motivo_devolucion": {"dañado", "talla", "otro", "no_gusta"},
    }
