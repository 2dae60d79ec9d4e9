"""How a pain point is ranked: a confidence bound on its bad-outcome rate above its stage's.

The score is the Wilson lower bound (95 %) of the group's bad-outcome rate minus the
baseline, the bad-outcome rate of the rest of its stage. A group of 3 with 2 bad outcomes
(67 %) has a lower bound of 21 %; a group of 200 with 40 % has 33 %: the big, reliably bad
group ranks above the small, possibly lucky one. A score above 0 means the group is worse
than the rest of its stage with about 97.5 % confidence (one-sided).
"""

from __future__ import annotations

import math

Z_95 = 1.959964


def wilson_lower_bound(successes: int, trials: int, z: float = Z_95) -> float:
    """Lower end of the Wilson score interval for a binomial proportion (0 when no trials)."""
    if trials <= 0:
        return 0.0
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = p + z * z / (2 * trials)
    margin = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials))
    return max(0.0, (centre - margin) / denominator)


def pain_score(bad: int, size: int, baseline: float) -> float:
    """Wilson lower bound of ``bad / size`` minus ``baseline`` (both 0–1)."""
    return wilson_lower_bound(bad, size) - baseline
