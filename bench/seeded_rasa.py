"""``rasa`` with numpy's global random generator seeded, so cross-validation draws the same folds.

``rasa test nlu --cross-validation`` splits with ``StratifiedKFold(shuffle=True)`` and no seed
(``generate_folds`` in rasa/nlu/test.py), i.e. from numpy's global generator: each bench run
drew new folds, and the draw alone moved intent macro-F1 by about 0.005, as much as the changes
being measured. Usage: ``python -m bench.seeded_rasa SEED <rasa arguments>``.
"""

from __future__ import annotations

import sys

import numpy as np


def main(argv: list[str]) -> None:
    seed, *rasa_args = argv
    np.random.seed(int(seed))
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *rasa_args]
    rasa_main()


if __name__ == "__main__":
    main(sys.argv[1:])
