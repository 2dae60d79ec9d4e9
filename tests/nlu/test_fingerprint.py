"""A change to a helper module retrains our components instead of reusing the cached ones."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rasa.engine.training.fingerprinting import calculate_fingerprint_key

from bot.nlu import fingerprint
from bot.nlu.fingerprint import PACKAGE, source_digest
from bot.nlu.linear_intents import LinearIntentBlend
from bot.nlu.spacy_nlp import SpacyNLP
from bot.nlu.typos import TypoCorrector
from bot.nlu.unknown_words import UnknownWordsGuard

COMPONENTS = [LinearIntentBlend, TypoCorrector, UnknownWordsGuard, SpacyNLP]


def test_editing_a_helper_changes_the_digest(tmp_path: Path) -> None:
    copy = tmp_path / "nlu"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = source_digest(copy)
    assert source_digest(copy) == before, "the same files give the same digest"
    helper = copy / "placeholders.py"
    helper.write_text(helper.read_text() + "\n# one more line\n")
    assert source_digest(copy) != before
    (copy / "new_helper.py").write_text("")
    assert len({before, source_digest(copy)}) == 2


@pytest.mark.parametrize("component", COMPONENTS, ids=lambda c: c.__name__)
def test_rasa_cache_key_follows_the_package_source(
    component: type, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = calculate_fingerprint_key(component, {}, {})
    assert calculate_fingerprint_key(component, {}, {}) == key
    monkeypatch.setattr(fingerprint, "source_digest", lambda package=PACKAGE: "edited")
    assert calculate_fingerprint_key(component, {}, {}) != key
