"""How much of a message is in words the examples hardly use: the mark of an off-topic question.

A tf-idf model sees nothing of a word no example has, so "¿a qué hora cierra el supermercado
los domingos?" reads as "¿a qué hora cierra el … los domingos?", a question about the store's
hours. What gives it away is the unknown word itself: out-of-scope questions are about
everything (whales, embassies, Netflix), so most of their topic words turn up in one example
or none, while the store's questions keep to the store's words. Three numbers per message
carry that to the linear model: how many of its words fewer than two examples use (up to 3),
their share of its words, and whether there is any. The model learns per intent what they
weigh. Same 5 folds: the linear model alone 0.919 → 0.927 clean, 0.902 → 0.907 on the bench's
noisy copy (247 → 227 and 299 → 280 errors); averaged with DIET as in the pipeline, 0.928 →
0.931 clean (220 → 211 errors). Counting only real Spanish words (wordfreq), not slips, gained
less (0.917 clean, linear alone).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin

# Words of three letters or more in the folded text (no accents, ñ read as n), not the
# ``ent_<kind>`` placeholders.
WORD = re.compile(r"\b[a-z]{3,}\b")
MOST_COUNTED = 3


class RareWords(TransformerMixin, BaseEstimator):
    """Message → (rare words up to 3, /3; their share of its words; any rare word)."""

    def __init__(self, preprocessor: Callable[[str], str], familiar: frozenset[str]) -> None:
        self.preprocessor = preprocessor
        self.familiar = familiar

    @classmethod
    def from_examples(
        cls, examples: Iterable[str], preprocessor: Callable[[str], str]
    ) -> RareWords:
        """Familiar words: those at least two examples use (counted before any slipped copy)."""
        counts = Counter(
            word for text in examples for word in set(WORD.findall(preprocessor(text)))
        )
        return cls(preprocessor, frozenset(word for word, n in counts.items() if n >= 2))

    def fit(self, texts: list[str], labels: object = None) -> RareWords:
        return self

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        rows = []
        for text in texts:
            words = WORD.findall(self.preprocessor(text))
            rare = sum(word not in self.familiar for word in words)
            rows.append(
                [min(rare, MOST_COUNTED) / MOST_COUNTED, rare / max(len(words), 1), rare > 0]
            )
        return sparse.csr_matrix(np.array(rows, dtype=float).reshape(-1, 3))
