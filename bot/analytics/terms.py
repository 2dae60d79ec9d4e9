"""The words a pain point's shoppers use more than everyone else: weighted log-odds.

The comparison is the log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi
& Quinn 2008, "Fightin' Words"): for each lemma or noun chunk ``w``, counted once per message,

    δ_w = log((y_w + a_w) / (n + a - y_w - a_w)) - log((r_w + a_w) / (m + a - r_w - a_w))

where ``y`` counts the group's messages, ``r`` the rest's, ``n`` and ``m`` their totals, and
the prior ``a_w = PRIOR * (y_w + r_w) / (n + m)`` shrinks rare words towards how common they
are overall. Terms are ranked by the z-score ``δ_w / sqrt(1/(y_w+a_w) + 1/(r_w+a_w))``, so a
word said twice does not beat one said two hundred times. The "rest" is a sample of the
period's other shopper messages (``BACKGROUND`` at most), drawn evenly across conversations.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

from bot.analytics.language import Analyzer
from bot.analytics.painpoints import Term

PRIOR = 500.0
TINY = 1e-9
MIN_COUNT = 2  # a term must appear in at least two of the group's messages


def count_terms(analyzer: Analyzer, texts: Iterable[str]) -> tuple[Counter[str], int]:
    """Messages containing each term, and the number of messages."""
    counts: Counter[str] = Counter()
    total = 0
    for text in texts:
        total += 1
        counts.update(analyzer.terms(text))
    return counts, total


def distinctive_terms(
    group: Counter[str], group_total: int, rest: Counter[str], rest_total: int, top: int = 10
) -> list[Term]:
    """The ``top`` terms by log-odds z-score, over-represented in ``group`` only."""
    both = group_total + rest_total
    if not group_total or not both:
        return []
    scored = []
    for term, y in group.items():
        if y < MIN_COUNT:
            continue
        r = rest.get(term, 0)
        a = PRIOR * (y + r) / both
        delta = math.log((y + a) / max(group_total + PRIOR - y - a, TINY)) - math.log(
            (r + a) / max(rest_total + PRIOR - r - a, TINY)
        )
        z = delta / math.sqrt(1 / (y + a) + 1 / (r + a))
        if z > 0:
            scored.append(Term(term, round(z, 2), y))
    scored.sort(key=lambda t: (-t.z, t.term))
    return scored[:top]
