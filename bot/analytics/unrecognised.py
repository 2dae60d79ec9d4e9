"""Messages the bot did not understand, grouped by stage into clusters of similar questions.

Each stage's recent fallback messages (``bot.analytics.samples``) become TF-IDF vectors of
their spaCy lemmas and are grouped by agglomerative clustering (average linkage, cosine
distance): groups merge while they are closer than ``DISTANCE``, so the number of clusters
follows the data instead of being fixed. A cluster is named by the lemmas weighing most in
its centre and shown with the messages nearest to it. Nothing is
downloaded: spaCy's small Spanish pipeline and scikit-learn are already installed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer

from bot.analytics.language import Analyzer

MAX_CLUSTERS = 8  # per stage, the largest; the rest are too small to act on
DISTANCE = 0.8  # cosine distance under which groups merge (average linkage)
EXAMPLES = 5


@dataclass(frozen=True)
class Cluster:
    stage: str | None
    number: int  # 1-based within its stage, largest first
    size: int  # messages of the sample in it
    keywords: list[str]
    examples: list[str]


@dataclass(frozen=True)
class StageFallbacks:
    stage: str | None
    total: int  # misunderstood messages in the period
    sampled: int
    clusters: list[Cluster]


def cluster_fallbacks(
    samples: Mapping[str | None, tuple[int, list[str]]], analyzer: Analyzer
) -> list[StageFallbacks]:
    """Clusters per stage, from ``{stage: (total, texts)}`` as ``fallback_texts`` returns."""
    return [
        StageFallbacks(stage, total, len(texts), _clusters(stage, texts, analyzer))
        for stage, (total, texts) in samples.items()
    ]


def _clusters(stage: str | None, texts: list[str], analyzer: Analyzer) -> list[Cluster]:
    if not texts:
        return []
    analyzer.parse(texts)
    documents = [" ".join(analyzer.lemmas(t)) or t.lower() for t in texts]
    try:
        vectors = TfidfVectorizer(sublinear_tf=True).fit(documents)
    except ValueError:  # nothing but symbols and numbers: one group of everything
        return [Cluster(stage, 1, len(texts), [], _distinct(texts)[:EXAMPLES])]
    matrix = vectors.transform(documents).toarray()
    worded = np.flatnonzero(matrix.any(axis=1))
    labels = np.full(len(texts), -1)
    if worded.size == 1:
        labels[worded] = 0
    elif worded.size > 1:
        model = AgglomerativeClustering(
            n_clusters=None,
            distance_threshold=DISTANCE,
            affinity="cosine",
            linkage="average",
        ).fit(matrix[worded])
        labels[worded] = model.labels_
    vocabulary = vectors.get_feature_names_out()
    found: list[tuple[int, list[str], list[str]]] = []
    for label in sorted(set(labels.tolist())):
        members = np.flatnonzero(labels == label)
        if label == -1:  # messages with no word to compare: kept together, unnamed
            found.append((members.size, [], _distinct([texts[i] for i in members])))
            continue
        centre = matrix[members].mean(axis=0)
        keywords = [str(vocabulary[i]) for i in np.argsort(centre)[::-1][:3] if centre[i] > 0]
        nearest = members[np.argsort(-(matrix[members] @ centre))]
        found.append((members.size, keywords, _distinct([texts[i] for i in nearest])))
    found.sort(key=lambda item: (-item[0], item[1]))
    return [
        Cluster(stage, number, int(size), keywords, examples[:EXAMPLES])
        for number, (size, keywords, examples) in enumerate(found[:MAX_CLUSTERS], start=1)
    ]


def _distinct(texts: list[str]) -> list[str]:
    return list(dict.fromkeys(" ".join(t.split()) for t in texts))


def draft_nlu(stages: list[StageFallbacks]) -> str:
    """A Rasa NLU file to review: one placeholder intent per cluster, marked ``revisar``."""
    lines = [
        "# Borrador generado por `python -m bot.analytics` con los mensajes que el asistente no",
        "# entendió, agrupados por etapa. revisar: cada grupo es una propuesta. Cambia el intent",
        "# por uno del dominio (o crea uno nuevo en domain.yml y journey.yml), corrige o borra los",
        "# ejemplos y copia a data/nlu/ solo lo que sirva.",
        'version: "3.1"',
        "nlu:",
    ]
    for stage in stages:
        for cluster in stage.clusters:
            name = f"revisar_{stage.stage or 'sin_etapa'}_{cluster.number}"
            words = ", ".join(cluster.keywords) or "sin palabras claras"
            lines.append(
                f"# revisar: etapa {stage.stage or 'sin etapa'}, {cluster.size} mensajes de "
                f"{stage.sampled} en la muestra; palabras: {words}"
            )
            lines.append(f"- intent: {name}")
            lines.append("  examples: |")
            lines += [f"    - {example}" for example in cluster.examples]
    return "\n".join(lines) + "\n"
