"""journey.yml gives each shopper turn its stage, and an analyst's mistake names its line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.config import PROJECT_ROOT
from bot.journey.stages import JourneyConfigError, JourneyMap, load_journey

# The smallest valid journey.yml; each mistake below is added after its 10 lines.
BASE = """\
stages:
  - name: compra
    label: Compra
    description: El pedido hasta que llega a casa.
  - name: postventa
    label: Postventa
    description: Lo que pasa después de recibirlo.
rules:
  - intent: rastrear_pedido
    stage: compra
"""


@pytest.fixture(scope="module")
def journey() -> JourneyMap:
    return load_journey()


def _load(tmp_path: Path, text: str) -> JourneyMap:
    path = tmp_path / "journey.yml"
    path.write_text(text, encoding="utf-8")
    return load_journey(path)


def test_shipped_stages_are_the_five_of_the_design_in_order(journey: JourneyMap) -> None:
    assert journey.names == (
        "descubrimiento",
        "consideracion",
        "compra",
        "postventa",
        "recomendacion",
    )
    assert [journey.stage(name).order for name in journey.names] == [1, 2, 3, 4, 5]
    assert journey.stage("consideracion").label == "Consideración"
    assert journey.stage("recomendacion").label == "Recomendación"
    assert all(stage.description.endswith(".") for stage in journey.stages)


def test_every_domain_intent_has_a_decision(journey: JourneyMap) -> None:
    """A new intent in domain.yml fails here until journey.yml gives it a stage or inherits it."""
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    decided = {rule.intent for rule in journey.rules} | journey.inherited
    assert set(domain["intents"]) - decided == set()
    assert "nlu_fallback" in journey.inherited


def test_every_faq_answer_has_a_stage(journey: JourneyMap) -> None:
    """Retrieval intents (consultar_envio/plazos) follow their base intent's rule."""
    faq = yaml.safe_load((PROJECT_ROOT / "data/nlu/tienda.yml").read_text(encoding="utf-8"))
    names = [item["intent"] for item in faq["nlu"] if "/" in item.get("intent", "")]
    assert names
    assert all(journey.stage_for(name) is not None for name in names)
    assert journey.stage_for("consultar_envio/plazos") == journey.stage_for("consultar_envio")


@pytest.mark.parametrize("problem", ["retraso", "perdido", "Retraso"])
def test_late_or_lost_shipment_is_fulfilment(journey: JourneyMap, problem: str) -> None:
    assert journey.stage_for("reportar_problema", {"tipo_problema": [problem]}) == "compra"
    assert journey.stage_for("reportar_problema", slots={"tipo_problema": problem}) == "compra"


@pytest.mark.parametrize("problem", ["dañado", "danado", "incorrecto", "incompleto"])
def test_problem_with_what_arrived_is_postventa(journey: JourneyMap, problem: str) -> None:
    assert journey.stage_for("reportar_problema", {"tipo_problema": [problem]}) == "postventa"
    assert journey.stage_for("reportar_problema", slots={"tipo_problema": problem}) == "postventa"


def test_problem_named_in_the_message_beats_the_slot_from_before(journey: JourneyMap) -> None:
    turn = journey.stage_for(
        "reportar_problema", {"tipo_problema": ["dañado"]}, {"tipo_problema": "retraso"}
    )
    assert turn == "postventa"
    assert journey.stage_for("reportar_problema") == "postventa"


def test_browsing_a_category_is_discovery_and_a_size_is_consideration(
    journey: JourneyMap,
) -> None:
    """«¿Qué zapatillas tenéis?» explores; «zapatillas del 42» weighs one product."""
    assert journey.stage_for("consultar_producto", {"producto": ["zapatillas"]}) == "descubrimiento"
    specific = {"producto": ["zapatillas"], "talla": ["42"]}
    assert journey.stage_for("consultar_producto", specific) == "consideracion"
    assert journey.stage_for("consultar_producto", {"color": ["negras"]}) == "consideracion"


@pytest.mark.parametrize(
    ("intent", "stage"),
    [
        ("consultar_promociones", "descubrimiento"),
        ("consultar_tienda/horario", "descubrimiento"),
        ("consultar_pago", "consideracion"),
        ("rastrear_pedido", "compra"),
        ("cancelar_pedido", "compra"),
        ("solicitar_devolucion", "postventa"),
        ("estado_reembolso", "postventa"),
        ("opinar", "recomendacion"),
        ("valorar", "recomendacion"),
    ],
)
def test_shopper_requests_land_in_their_stage(journey: JourneyMap, intent: str, stage: str) -> None:
    assert journey.stage_for(intent) == stage


@pytest.mark.parametrize("intent", ["valorar", "opinar"])
@pytest.mark.parametrize("question", ["utter_pedir_valoracion", "utter_valoracion_invalida"])
def test_a_rating_that_answers_our_question_keeps_the_conversation_s_stage(
    journey: JourneyMap, intent: str, question: str
) -> None:
    """«Del 1 al 5, ¿cuánto te he ayudado?» → «5» rates the tracking or the return just done."""
    assert journey.stage_for(intent, {"valoracion": ["5"]}, replying_to=question) is None


def test_a_rating_given_unasked_is_recomendacion(journey: JourneyMap) -> None:
    """«Os doy un 5, me encanta la tienda» after a greeting, or after any other answer."""
    assert journey.stage_for("valorar", {"valoracion": ["5"]}) == "recomendacion"
    assert journey.stage_for("valorar", replying_to="utter_saludar") == "recomendacion"
    assert journey.stage_for("opinar", replying_to="utter_gracias_valoracion") == "recomendacion"


def test_a_rule_can_send_a_turn_back_to_the_current_stage(tmp_path: Path) -> None:
    extra = """\
  - intent: valorar
    when: {replying_to: utter_pedir_valoracion}
    stage: inherit
  - intent: valorar
    stage: postventa
"""
    journey = _load(tmp_path, BASE + extra)
    assert journey.stage_for("valorar", replying_to="utter_pedir_valoracion") is None
    assert journey.stage_for("valorar", replying_to="utter_saludar") == "postventa"


@pytest.mark.parametrize(
    "intent", ["saludar", "afirmar", "hablar_con_humano", "nlu_fallback", None]
)
def test_greetings_and_answers_inherit_the_current_stage(
    journey: JourneyMap, intent: str | None
) -> None:
    assert journey.stage_for(intent) is None


def test_a_rule_for_one_faq_answer_wins_when_listed_first(tmp_path: Path) -> None:
    extra = """\
  - intent: consultar_envio/costes
    stage: compra
  - intent: consultar_envio
    stage: postventa
"""
    journey = _load(tmp_path, BASE + extra)
    assert journey.stage_for("consultar_envio/costes") == "compra"
    assert journey.stage_for("consultar_envio/plazos") == "postventa"


def test_an_analyst_may_rename_and_reorder_stages(tmp_path: Path) -> None:
    journey = _load(tmp_path, BASE.replace("label: Compra", "label: Pedido"))
    assert journey.stage("compra").label == "Pedido"
    assert journey.names == ("compra", "postventa")


MISTAKES = [
    # (what the analyst added after BASE, line of the mistake, what the message says)
    ("  - intent: rastrear\n    stage: compra\n", 11, "unknown intent 'rastrear'"),
    ("  - intent: rastreo/plazos\n    stage: compra\n", 11, "unknown intent 'rastreo/plazos'"),
    ("  - intent: opinar\n    stage: recomendacion\n", 12, "unknown stage 'recomendacion'"),
    ("  - intent: opinar\n    stage: postventas\n", 12, "did you mean 'postventa'?"),
    ("  - intent: opinar\n", 11, "the rule for 'opinar' has no 'stage'"),
    ("  - stage: compra\n", 11, "a rule has no 'intent'"),
    ("  - intent: opinar\n    etapa: compra\n", 12, "unknown key 'etapa' in a rule"),
    ("  - intent: opinar\n    stage: ''\n", 12, "'stage' of the rule for 'opinar' must be"),
    ("  - compra\n", 11, "a rule must be a mapping"),
    (
        "  - intent: reportar_problema\n    when: {entity: problema, in: [retraso]}\n"
        "    stage: compra\n",
        12,
        "unknown entity 'problema'",
    ),
    (
        "  - intent: reportar_problema\n    when:\n      slot: tipo_problem\n    stage: compra\n",
        13,
        "unknown slot 'tipo_problem' (did you mean 'tipo_problema'?)",
    ),
    (
        "  - intent: reportar_problema\n    when: {in: [retraso]}\n    stage: compra\n",
        12,
        "exactly one of entity, slot, value_of or replying_to",
    ),
    (
        "  - intent: valorar\n    when: {replying_to: utter_pedir_valoracio}\n    stage: compra\n",
        12,
        "unknown response 'utter_pedir_valoracio' (did you mean 'utter_pedir_valoracion'?)",
    ),
    (
        "  - intent: valorar\n    when: {replying_to: utter_pedir_valoracion, in: ['5']}\n"
        "    stage: compra\n",
        12,
        "'in' does not apply to replying_to",
    ),
    (
        "  - intent: reportar_problema\n    when: {value_of: tipo_problema, in: []}\n"
        "    stage: compra\n",
        12,
        "'in' is empty",
    ),
    ("  - intent: rastrear_pedido\n    stage: postventa\n", 11, "the rule on line 9 already"),
    ("inherit:\n  - saludar\n  - saludo\n", 13, "unknown intent 'saludo'"),
    ("inherit:\n  - saludar\n  - saludar\n", 13, "'saludar' is listed twice"),
    ("inherit:\n  - rastrear_pedido\n", 12, "the rule on line 9 gives it a stage"),
    ("etapas: []\n", 11, "unknown key 'etapas' in the file"),
    ("  - intent: opinar\n    stage: [compra\n", 13, "flow sequence that starts on line 12"),
]


@pytest.mark.parametrize(("extra", "line", "message"), MISTAKES)
def test_a_mistake_in_a_rule_names_its_line(
    tmp_path: Path, extra: str, line: int, message: str
) -> None:
    with pytest.raises(JourneyConfigError) as error:
        _load(tmp_path, BASE + extra)
    assert error.value.line == line
    assert str(error.value).startswith(f"journey.yml, line {line}: ")
    assert message in str(error.value)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", 1, "the file is empty"),
        ("# solo un comentario\n", 1, "the file is empty"),
        ("- compra\n", 1, "the file must be a mapping"),
        (BASE.replace("rules:", "reglas:"), 8, "unknown key 'reglas'"),
        (BASE.split("rules:")[0], 1, "the file has no 'rules' list"),
        ("stages: []\nrules: []\n", 1, "'stages' is empty"),
        (BASE.replace("name: postventa", "name: compra"), 5, "stage 'compra' is defined twice"),
        (BASE.replace("name: postventa", "name: ''"), 5, "'name' of a stage must be"),
        (BASE.replace("name: postventa", "name: Postventa"), 5, "must be lower-case"),
        (BASE.replace("name: postventa", "name: inherit"), 5, "'inherit' is reserved"),
        (BASE.replace("    label: Postventa\n", ""), 5, "stage 'postventa' has no 'label'"),
        (BASE.replace("stages:\n", "stages:\n\t"), 2, "invalid YAML"),
    ],
)
def test_a_mistake_in_the_file_or_its_stages_names_its_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    with pytest.raises(JourneyConfigError, match=rf"^journey\.yml, line {line}: ") as error:
        _load(tmp_path, text)
    assert message in str(error.value)


def test_a_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(JourneyConfigError, match=r"^journey\.yml: cannot read it"):
        load_journey(tmp_path / "journey.yml")
