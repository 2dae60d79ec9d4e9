"""A shopper's slip of the finger reads as the word the assistant knows; real words stay."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.typos import CORRECTED_TEXT, TypoCorrector, one_edit_away

TOKENIZER = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
EXAMPLES = [
    ("dónde está mi pedido", "rastrear_pedido"),
    ("cuándo llega mi pedido", "rastrear_pedido"),
    ("llega mañana", "rastrear_pedido"),
    ("ya llegó", "rastrear_pedido"),
    ("quiero devolver unas zapatillas", "solicitar_devolucion"),
    ("el envío es gratis", "consultar_envio"),
    ("muchas gracias", "agradecer"),
    ("pero no lo tengo", "reportar_problema"),
    ("peor imposible", "opinar"),
    ("qué hay", "saludar"),
]


@pytest.fixture(scope="module")
def corrector(tmp_path_factory: pytest.TempPathFactory) -> TypoCorrector:
    data = TrainingData(training_examples=[Message(data={TEXT: t, INTENT: i}) for t, i in EXAMPLES])
    return trained(Path(tmp_path_factory.mktemp("typos")), data)


def trained(tmp_path: Path, data: TrainingData) -> TypoCorrector:
    """A corrector trained on ``data`` (tokenized here) and loaded back, as Rasa does."""
    storage = LocalModelStorage(tmp_path)
    resource = Resource("typo_corrector")
    TOKENIZER.process_training_data(data)
    TypoCorrector.create({}, storage, resource, None).train(data)  # type: ignore[arg-type]
    return TypoCorrector.load({}, storage, resource, None)  # type: ignore[arg-type]


def said(texts: list[str], intent: str) -> TrainingData:
    return TrainingData(training_examples=[Message(data={TEXT: t, INTENT: intent}) for t in texts])


def read(corrector: TypoCorrector, text: str) -> Message:
    message = Message(data={TEXT: text})
    TOKENIZER.process([message])
    corrector.process([message])
    return message


def words(message: Message) -> list[str]:
    return [token.text for token in message.get(TOKENS_NAMES[TEXT])]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("pedio", "pedido"),  # a letter dropped
        ("pdeido", "pedido"),  # two letters swapped
        ("pedidoo", "pedido"),  # a letter doubled
        ("zapatilas", "zapatillas"),
        ("gracais", "gracias"),
    ],
)
def test_one_slip_reads_as_the_known_word(corrector: TypoCorrector, typed: str, meant: str) -> None:
    assert words(read(corrector, f"dónde está mi {typed}"))[-1] == meant


def test_the_corrected_word_keeps_its_place_and_the_text_stays_as_typed(
    corrector: TypoCorrector,
) -> None:
    message = read(corrector, "dónde está mi pdeido RU-100004")
    token = message.get(TOKENS_NAMES[TEXT])[3]
    assert (token.text, token.start, token.end) == ("pedido", 14, 20)
    assert token.lemma == "pedido"
    assert message.get(TEXT) == "dónde está mi pdeido RU-100004", "the shopper's words stay"
    assert message.get(CORRECTED_TEXT) == "dónde está mi pedido RU-100004"


def test_known_words_short_words_and_codes_are_never_changed(corrector: TypoCorrector) -> None:
    # "peor" is a slip of "pero" but a word the examples use; "envio" is "envío" unaccented,
    # which every later component folds anyway; "mis" is too short to guess at.
    message = read(corrector, "peor envio mis RU-100004 xyzzyq")
    assert words(message) == ["peor", "envio", "mis", "RU-100004", "xyzzyq"]
    assert message.get(CORRECTED_TEXT) is None


def test_real_words_the_examples_never_use_are_not_taken_for_slips(
    corrector: TypoCorrector,
) -> None:
    # Each is one edit from a word of the examples (mañana, muchas, tengo, esta), and Spanish.
    message = read(corrector, "una manzana mucha tenga resta")
    assert words(message) == ["una", "manzana", "mucha", "tenga", "resta"]


def test_inflections_are_real_words_too(corrector: TypoCorrector) -> None:
    # One edit from "tengo", "llega", "pero" and "una", none of them in the examples.
    message = read(corrector, "tienes llegas peros unas")
    assert words(message) == ["tienes", "llegas", "peros", "unas"]


def test_a_short_word_is_only_read_with_two_letters_swapped_back(corrector: TypoCorrector) -> None:
    assert words(read(corrector, "qeu ahy")) == ["qué", "hay"]
    assert words(read(corrector, "ay ya")) == ["ay", "ya"], "real words, though swaps of known ones"
    assert corrector.correction("hau") is None, "at three letters a changed letter is a guess"


def test_the_commonest_candidate_wins(corrector: TypoCorrector) -> None:
    # "llegi" is one edit from "llega" (two examples) and from "llegó" (one).
    assert corrector.correction("llegi") == ("llega", "llega")
    assert corrector.correction("llegaste") is None, "two edits away is not a slip"


def test_a_slip_of_a_word_no_example_uses_reads_as_the_commonest_real_word(
    corrector: TypoCorrector,
) -> None:
    """No example says sábados or abiertos: the slips still read as the words, accents too."""
    message = read(corrector, "los sabdaos estáis abeirtos")
    assert words(message) == ["los", "sábados", "estáis", "abiertos"]
    assert message.get(CORRECTED_TEXT) == "los sábados estáis abiertos"


def test_rare_real_words_are_not_read_as_commoner_ones(corrector: TypoCorrector) -> None:
    # "abrís", "enviáis" and "chamarra" are below the real-word bar (zipf 3) but in wordfreq's
    # list, one edit from "abril", "envías" and "chatarra": they stay.
    message = read(corrector, "abrís enviáis chamarra")
    assert words(message) == ["abrís", "enviáis", "chamarra"]
    assert corrector.correction("xyzzyq") is None, "no real word one edit away"


def test_an_untrained_corrector_leaves_messages_alone(tmp_path: Path) -> None:
    storage = LocalModelStorage(tmp_path)
    corrector = TypoCorrector.load({}, storage, Resource("never_trained"), None)  # type: ignore[arg-type]
    message = read(corrector, "dónde está mi pdeido")
    assert words(message)[-1] == "pdeido"


def test_one_edit_covers_the_four_kinds_of_slip() -> None:
    edits = one_edit_away("pan")
    assert {"pa", "apn", "pen", "pant"} <= edits
    assert "pan" not in edits
    assert "pna" in edits and "npa" not in edits


def test_a_slip_in_the_examples_is_learnt_as_the_word(tmp_path: Path) -> None:
    """An example typed as "tineda" teaches "tienda"; slang as common as its neighbour stays."""
    texts = [
        f"¿la tienda abre el {day}?" for day in ("lunes", "martes", "jueves", "viernes", "sábado")
    ]
    texts += ["¿dónde está la tineda?", "holis", "holis, ¿abrís?", "¿holas?"]
    data = said(texts, "consultar_tienda")
    corrector = trained(tmp_path, data)
    corrector.process_training_data(data)
    slipped = data.training_examples[5]
    assert words(slipped)[3] == "tienda"
    assert slipped.get(CORRECTED_TEXT) == "¿dónde está la tienda?"
    assert slipped.get(TEXT) == "¿dónde está la tineda?", "the example itself is unchanged"
    # Neither "holis" nor "holas" is in the word list; one is not five times the other.
    assert corrector.correction("holas") is None
    assert data.training_examples[8].get(CORRECTED_TEXT) is None


def test_a_slip_the_examples_repeat_still_yields_to_their_real_word(tmp_path: Path) -> None:
    """Twice "pagra", three times "pagar": the examples meant pagar, not the commoner "para".

    A slip can be as common in the examples as the word itself (in the bench's noisy copy every
    example has one); a real word the examples use more often is enough to win. A form wordfreq
    knows must still meet a neighbour five times as common ("holis", "holas").
    """
    texts = ["quiero pagar", "pagar con tarjeta", "cómo pagar", "pagra con paypal", "pagra"]
    corrector = trained(tmp_path, said(texts, "consultar_pago"))
    assert corrector.correction("pagra") == ("pagar", "pagar")


def test_a_rare_word_of_the_examples_is_no_slip(tmp_path: Path) -> None:
    """Pádel is one edit from papel, which the examples use more: it is still a sport."""
    texts = ["¿cómo se juega al pádel?", "papel de regalo", "el papel", "piedra, papel o tijera"]
    assert trained(tmp_path, said(texts, "fuera_de_alcance")).correction("padel") is None


def test_catalogue_names_are_real_words(tmp_path: Path) -> None:
    """Gredos boots are not "grados", the Ebro brand is not "euro"; a slip in one is fixed."""
    data = TrainingData(
        training_examples=[
            Message(data={TEXT: "hace treinta grados", INTENT: "fuera_de_alcance"}),
            Message(data={TEXT: "cuesta un euro", INTENT: "consultar_producto"}),
        ],
        lookup_tables=[{"name": "marca", "elements": ["Gredos", "Ebro Denim"]}],
    )
    corrector = trained(tmp_path, data)
    assert words(read(corrector, "botas gredos de ebro")) == ["botas", "gredos", "de", "ebro"]
    assert words(read(corrector, "botas gredso")) == ["botas", "gredos"]
