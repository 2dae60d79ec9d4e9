"""A shopper asks about shipping, payment, promotions or the store and hears real figures."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest
import yaml
from sqlalchemy import select

from actions import faq
from actions.common import euros
from actions.faq import ActionInfoTienda, ActionResponderFaq
from bot.config import PROJECT_ROOT
from bot.store import get_policies, store_session
from bot.store.models import PaymentMethod, Promotion, ShippingZone, StorePolicy
from bot.store.records import euros as cents_to_euros
from tests.actions.helpers import domain, make_tracker, responses, run

RESPONSE_FILES = sorted((PROJECT_ROOT / "data" / "nlu" / "responses").glob("*.yml"))


def _faq_responses() -> dict[str, list[str]]:
    """Every FAQ answer text by response name (``utter_consultar_envio/costes``)."""
    texts: dict[str, list[str]] = {}
    for path in RESPONSE_FILES:
        for name, variants in (yaml.safe_load(path.read_text()).get("responses") or {}).items():
            texts[name] = [v["text"] for v in variants if "text" in v]
    return texts


FAQ_RESPONSES = _faq_responses()


def _tracker(
    intent: str, key: str | None = None, selector: str | None = None, ranking: tuple[str, ...] = ()
) -> Any:
    tracker = make_tracker(intent=intent)
    if key:
        chosen = {
            "response": {"intent_response_key": key, "confidence": 0.97},
            "ranking": [
                {"intent_response_key": k, "confidence": round(0.97 / (i + 1), 2)}
                for i, k in enumerate([key, *ranking])
            ],
        }
        tracker.latest_message["response_selector"] = {
            "all_retrieval_intents": sorted({k.split("/")[0] for k in _keys()}),
            selector or intent: chosen,
        }
    return tracker


def _keys() -> list[str]:
    return [name.removeprefix("utter_") for name in FAQ_RESPONSES]


async def _answer(key: str) -> tuple[dict[str, Any], list[str]]:
    """The message the action sends for ``key`` and every variant of its text, rendered."""
    messages, _ = await run(ActionResponderFaq(), _tracker(key.split("/")[0], key))
    assert responses(messages) == [f"utter_{key}"]
    return messages[0], [text.format(**messages[0]) for text in FAQ_RESPONSES[f"utter_{key}"]]


def _all_text(rendered: list[str]) -> str:
    assert rendered and all("{" not in text for text in rendered)
    return "\n".join(rendered)


@pytest.mark.parametrize("key", _keys())
async def test_every_faq_answer_renders_with_the_stores_figures(key: str) -> None:
    _, rendered = await _answer(key)  # a missing placeholder raises KeyError here
    _all_text(rendered)


async def test_shipping_costs_quote_the_mainland_price_and_free_threshold_from_the_store() -> None:
    with store_session() as session:
        zone = session.scalars(select(ShippingZone).where(ShippingZone.code == "peninsula")).one()
        cost, free = cents_to_euros(zone.cost_cents), cents_to_euros(zone.free_from_cents)
    text = _all_text((await _answer("consultar_envio/costes"))[1])
    assert f"{zone.name}: {euros(cost)}, gratis desde {euros(free)}" in text


async def test_delivery_times_list_every_zone_in_working_days() -> None:
    with store_session() as session:
        zones = session.scalars(select(ShippingZone)).all()
    text = _all_text((await _answer("consultar_envio/plazos"))[1])
    for zone in zones:
        assert f"{zone.name}: de {zone.days_min} a {zone.days_max} días" in text


async def test_international_shipping_lists_only_zones_abroad() -> None:
    message, rendered = await _answer("consultar_envio/internacional")
    _all_text(rendered)
    assert "México" in message["zonas_internacionales"]
    assert "peninsular" not in message["zonas_internacionales"]


async def test_payment_methods_are_the_active_ones_and_instalments_say_how_many() -> None:
    with store_session() as session:
        active = session.scalars(select(PaymentMethod.name).where(PaymentMethod.active)).all()
        retired = session.scalars(select(PaymentMethod.name).where(~PaymentMethod.active)).all()
    methods = _all_text((await _answer("consultar_pago/metodos"))[1])
    assert all(name in methods for name in active)
    assert retired and not any(name in methods for name in retired)
    instalments = _all_text((await _answer("consultar_pago/cuotas"))[1])
    assert "PayPal: hasta 3 plazos" in instalments and "12 plazos" in instalments
    _all_text((await _answer("consultar_pago/seguridad"))[1])


async def test_hours_and_contact_come_from_the_store_policy() -> None:
    with store_session() as session:
        policy = session.get(StorePolicy, 1)
        assert policy is not None
        email, hours, name = policy.support_email, policy.support_hours, policy.store_name
    text = _all_text((await _answer("consultar_tienda/horario"))[1])
    assert "9:00 a 19:00" in hours and "9:00 a 19:00" in text
    assert email in _all_text((await _answer("consultar_tienda/contacto"))[1])
    assert name in _all_text((await _answer("consultar_tienda/tienda_fisica"))[1])


async def test_current_promotions_show_code_and_end_date_and_never_expired_ones() -> None:
    today = date.today()
    with store_session() as session:
        promotions = session.scalars(select(Promotion)).all()
    message, rendered = await _answer("consultar_promociones/actuales")
    _all_text(rendered)
    listed = message["promociones_actuales"]
    for promotion in promotions:
        running = promotion.starts_on <= today <= promotion.ends_on
        assert (promotion.code in listed) == running
    assert " de " in listed and "hasta el" in listed


async def test_no_promotion_running_gets_an_honest_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    def without_promotions(**kwargs: Any) -> Any:
        return dataclasses.replace(get_policies(**kwargs), promotions=())

    monkeypatch.setattr(faq, "get_policies", without_promotions)
    tracker = _tracker("consultar_promociones", "consultar_promociones/actuales")
    messages, _ = await run(ActionResponderFaq(), tracker)
    assert responses(messages) == ["utter_sin_promociones"]


@pytest.mark.parametrize(
    ("intent", "response"),
    [
        ("consultar_envio", "utter_info_envios"),
        ("consultar_pago", "utter_consultar_pago/metodos"),
        ("consultar_promociones", "utter_consultar_promociones/actuales"),
        ("consultar_tienda", "utter_info_tienda"),
    ],
)
async def test_button_without_sub_intent_gets_the_general_answer(
    intent: str, response: str
) -> None:
    messages, _ = await run(ActionResponderFaq(), _tracker(intent))
    assert responses(messages) == [response]
    texts = FAQ_RESPONSES.get(response) or [domain()["responses"][response][0]["text"]]
    assert all("{" not in text.format(**messages[0]) for text in texts)


async def test_general_shipping_answer_gives_price_and_days_per_zone() -> None:
    messages, _ = await run(ActionResponderFaq(), _tracker("consultar_envio"))
    assert (
        "España peninsular: 4,95 €, gratis desde 49,00 €; de 2 a 4 días"
        in (messages[0]["resumen_envios"])
    )


async def test_sub_intent_of_another_topic_is_not_answered_as_this_one() -> None:
    tracker = _tracker("consultar_envio", "consultar_pago/metodos", selector="default")
    messages, _ = await run(ActionResponderFaq(), tracker)
    assert responses(messages) == ["utter_info_envios"]


async def test_customs_question_read_as_shipping_gets_the_best_shipping_answer() -> None:
    # "¿hay que pagar aduana?": the intent is shipping, the selector's first pick a payment
    # answer, its best shipping answer the international one.
    tracker = _tracker(
        "consultar_envio",
        "consultar_pago/metodos",
        selector="default",
        ranking=(
            "consultar_pago/seguridad",
            "consultar_envio/internacional",
            "consultar_envio/costes",
        ),
    )
    messages, _ = await run(ActionResponderFaq(), tracker)
    assert responses(messages) == ["utter_consultar_envio/internacional"]


async def test_single_response_selector_answers_through_its_default_key() -> None:
    tracker = _tracker("consultar_envio", "consultar_envio/costes", selector="default")
    messages, _ = await run(ActionResponderFaq(), tracker)
    assert responses(messages) == ["utter_consultar_envio/costes"]


async def test_store_info_names_hours_contact_and_return_window() -> None:
    messages, _ = await run(ActionInfoTienda(), make_tracker(intent="consultar_tienda"))
    assert responses(messages) == ["utter_info_tienda"]
    text = domain()["responses"]["utter_info_tienda"][0]["text"].format(**messages[0])
    assert "30 días" in text and "@" in text


@pytest.mark.usefixtures("dead_store")
async def test_dead_database_while_answering_store_questions_apologises() -> None:
    tracker = _tracker("consultar_envio", "consultar_envio/costes")
    for action in (ActionResponderFaq(), ActionInfoTienda()):
        messages, _ = await run(action, tracker)
        assert responses(messages) == ["utter_error_tienda"]
