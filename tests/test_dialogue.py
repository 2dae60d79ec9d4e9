"""Rasa's own checks: `rasa data validate` and the test stories under tests/stories."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from bot.config import PROJECT_ROOT
from bot.services import DEFAULT_MODEL

RASA = str(Path(sys.executable).parent / "rasa")
ENV = {
    **os.environ,
    "PYTHONWARNINGS": "default",
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "RASA_TELEMETRY_ENABLED": "false",
}
UNUSED = re.compile(r"The utterance '([^']+)' is not used in any story or rule")
# Rasa 3.6 merges retrieval intents into the domain and reports them as duplicates.
RETRIEVAL_DUPLICATES = (
    "The following duplicated intents have been found across multiple domain files: "
    "consultar_envio, consultar_pago, consultar_promociones, consultar_tienda"
)


def _rasa(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [RASA, *args], cwd=PROJECT_ROOT, env=ENV, capture_output=True, text=True, timeout=600
    )


def _sent_by_forms_or_actions(response: str) -> bool:
    """Rasa's validator only counts responses named in rules and stories. Forms ask with
    ``utter_ask_<slot>``; custom actions send the rest by name or by a name prefix
    (``f"utter_devolucion_{reason}"``), and the gateway runs the hand-back greeting
    (``utter_bot_retoma``); action_responder_faq sends the retrieval answers;
    Rasa's own default fallback sends ``utter_default``."""
    from rasa.shared.nlu.training_data.loading import load_data

    forms = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())["forms"]
    asked = {f"utter_ask_{slot}" for form in forms.values() for slot in form["required_slots"]}
    senders = [
        *(PROJECT_ROOT / "actions").glob("*.py"),
        *(PROJECT_ROOT / "bot/gateway").glob("*.py"),
    ]
    code = "\n".join(p.read_text() for p in senders)
    prefixes = re.findall(r'f"(utter_[a-z]+_[a-z_]*)\{', code)
    retrieval = load_data(str(PROJECT_ROOT / "data" / "nlu")).retrieval_intents
    return (
        response in asked
        or f'"{response}"' in code
        or any(response.startswith(prefix) for prefix in prefixes)
        or (response.removeprefix("utter_") in retrieval and "action_responder_faq" in code)
        or response == "utter_default"
    )


def test_rasa_data_validate_passes_with_no_warnings_but_action_sent_responses() -> None:
    result = _rasa("data", "validate", "--fail-on-warnings")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    output = result.stdout + result.stderr
    warnings = [line for line in output.splitlines() if "UserWarning" in line]
    assert warnings, "no warnings at all: has the validator's output changed?"
    others = [w for w in warnings if not UNUSED.search(w) and RETRIEVAL_DUPLICATES not in w]
    assert others == []
    unused = [UNUSED.search(w).group(1) for w in warnings if UNUSED.search(w)]  # type: ignore[union-attr]
    assert [r for r in unused if not _sent_by_forms_or_actions(r)] == []


def test_every_test_story_is_predicted_exactly() -> None:
    assert DEFAULT_MODEL.exists(), "no trained model: `make test` trains one first"
    out = PROJECT_ROOT / "var" / "test-stories"
    result = _rasa(
        "test",
        "core",
        "--model",
        str(DEFAULT_MODEL),
        "--stories",
        "tests/stories",
        "--fail-on-prediction-errors",
        "--out",
        str(out),
    )
    failed = out / "failed_test_stories.yml"
    detail = failed.read_text()[:4000] if failed.exists() else result.stdout[-3000:]
    assert result.returncode == 0, detail
