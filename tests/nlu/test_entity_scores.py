"""The bench's entity figure scores each entity type by the extractor that extracts it."""

from __future__ import annotations

import statistics

from bench.nlu_bench import entity_scores


def row(f1: float) -> dict[str, float]:
    return {"precision": f1, "recall": f1, "f1-score": f1, "support": 10}


def test_each_type_keeps_the_row_of_its_own_extractor() -> None:
    """Rasa scores the CRF at zero on problem types it never extracts, and the other way round."""
    crf = {"producto": row(0.98), "tipo_problema": row(0.0), "macro avg": row(0.49)}
    phrases = {"producto": row(0.0), "tipo_problema": row(0.94), "macro avg": row(0.47)}
    assert entity_scores([crf, phrases]) == {"producto": 0.98, "tipo_problema": 0.94}


def test_one_extractor_gives_its_own_macro_average() -> None:
    report = {
        "numero_pedido": row(0.99),
        "email": row(1.0),
        "talla": row(0.93),
        "micro avg": row(0.97),
        "macro avg": row(statistics.fmean([0.99, 1.0, 0.93])),
        "weighted avg": row(0.98),
        "accuracy": 0.97,
    }
    scores = entity_scores([report])
    assert statistics.fmean(scores.values()) == report["macro avg"]["f1-score"]
    assert set(scores) == {"numero_pedido", "email", "talla"}


def test_no_extractor_no_figure() -> None:
    assert entity_scores([]) == {}
