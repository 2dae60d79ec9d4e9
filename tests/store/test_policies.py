"""Shipping costs, return window, payment methods and promotions come from the database."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from bot.store import InvalidInput, get_policies, shipping_quote
from tests.conftest import TODAY


def test_policies_name_the_window_the_excluded_categories_and_methods(session: Session) -> None:
    policies = get_policies(session=session, today=TODAY)
    assert policies.return_window_days == 30
    assert policies.non_returnable and all(note for _, note in policies.non_returnable)
    assert {z.code for z in policies.zones} >= {"peninsula", "canarias"}
    assert policies.payment_methods


def test_only_todays_promotions_are_offered(session: Session) -> None:
    policies = get_policies(session=session, today=TODAY)
    assert policies.promotions and all(p.ends_on >= TODAY for p in policies.promotions)


def test_canary_islands_ship_differently_from_the_mainland(session: Session) -> None:
    madrid = shipping_quote(session=session, country="ES", postal_code="28013")
    tenerife = shipping_quote(session=session, country="ES", postal_code="38001")
    assert madrid.code == "peninsula" and tenerife.code == "canarias"
    assert tenerife.days_max > madrid.days_max


def test_address_in_a_country_the_store_does_not_ship_to_is_refused(session: Session) -> None:
    with pytest.raises(InvalidInput):
        shipping_quote(session=session, country="JP", postal_code="1000001")
