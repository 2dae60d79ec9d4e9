"""Whole conversations with the real Rasa server and action server, checked against the store."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.store.db import create_store_engine, store_session
from bot.store.demo import DemoOrder, demo_orders
from bot.store.models import Feedback, Order, Return, Shipment, Ticket
from tests.shopper import Shopper


@pytest.fixture(scope="module")
def store(today_store_url: str):  # type: ignore[no-untyped-def]
    engine = create_store_engine(today_store_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def demo(store) -> dict[str, DemoOrder]:  # type: ignore[no-untyped-def]
    with store_session(store) as session:
        return {o.number: o for o in demo_orders(session=session, today=date.today())}


def test_shopper_tracks_a_parcel_and_hears_its_status_and_tracking_number(
    live_services: Settings, demo: dict[str, DemoOrder], store
) -> None:  # type: ignore[no-untyped-def]
    order = demo["RU-100004"]
    shopper = Shopper(live_services)
    assert "¡Hola!" in shopper.says("hola")
    assert "número de tu pedido" in shopper.says("¿dónde está mi pedido?")
    assert "email" in shopper.says(order.number)
    reply = shopper.says(order.email)
    with store_session(store) as session:
        tracking = session.scalar(
            select(Shipment.tracking_number)
            .join(Order, Shipment.order_id == Order.id)
            .where(Order.number == order.number)
        )
    assert "enviado" in reply and tracking in reply and order.carrier in reply


def test_thanks_that_answer_the_rating_question_are_kept_as_the_score(
    live_services: Settings, demo: dict[str, DemoOrder], store
) -> None:  # type: ignore[no-untyped-def]
    order = demo["RU-100004"]
    shopper = Shopper(live_services)
    shopper.says(f"¿dónde está mi pedido {order.number}?")
    assert "Del 1 al 5" in shopper.says(order.email)
    assert "Gracias por tu valoración" in shopper.says("muy bien, gracias")
    assert "De nada" in shopper.says("gracias")  # asked nothing: only thanks
    with store_session(store) as session:
        kept = session.execute(
            select(Feedback.kind, Feedback.score).where(Feedback.conversation_id == shopper.sender)
        ).all()
    assert [tuple(row) for row in kept] == [("valoracion", 5)]


def test_a_shopper_typing_with_slips_is_understood(
    live_services: Settings, demo: dict[str, DemoOrder]
) -> None:
    # Every long word is one slip from the word meant: a letter dropped, added or swapped.
    shopper = Shopper(live_services)
    assert "número de tu pedido" in shopper.says("qiero sabre dnode etsá mi pedidio")
    assert "email" in shopper.says(demo["RU-100004"].number)


def test_nothing_about_an_order_is_said_before_verification(
    live_services: Settings, demo: dict[str, DemoOrder]
) -> None:
    order = demo["RU-100004"]
    shopper = Shopper(live_services)
    shopper.says(f"quiero saber dónde está mi pedido {order.number}")
    reply = shopper.says("nadie@example.com")
    assert "No encuentro ningún pedido con esos datos" in reply
    assert order.tracking_number not in reply and "enviado" not in reply


def test_three_wrong_emails_stop_the_lookups_and_offer_a_person(
    live_services: Settings, demo: dict[str, DemoOrder]
) -> None:
    shopper = Shopper(live_services)
    shopper.says("¿dónde está mi pedido?")
    for attempt in range(3):
        shopper.says(demo["RU-100006"].number)
        reply = shopper.says(f"intento{attempt}@example.com")
    assert "no puedo seguir buscando pedidos" in reply and "[Sí, con una persona]" in reply


def test_malformed_order_number_is_explained(live_services: Settings) -> None:
    shopper = Shopper(live_services)
    shopper.says("quiero rastrear mi pedido")
    assert "RU y seis cifras" in shopper.says("12345")


def test_shopper_returns_an_item_and_gets_an_rma_code_stored_in_the_database(
    live_services: Settings, demo: dict[str, DemoOrder], store
) -> None:  # type: ignore[no-untyped-def]
    order = demo["RU-100006"]
    shopper = Shopper(live_services)
    shopper.says("quiero devolver un producto")
    shopper.says(order.number)
    reply = shopper.says(order.email)
    if "RMA-" not in reply and "artículo" in reply.lower():
        reply = shopper.says("todos")
    if "RMA-" not in reply:
        reply = shopper.says("me queda pequeño")
    rma = next(word.strip(".,:") for word in reply.split() if word.startswith("RMA-"))
    with store_session(store) as session:
        stored = session.scalars(select(Return).where(Return.rma_code == rma)).one()
        number = session.scalar(select(Order.number).where(Order.id == stored.order_id))
    assert number == order.number and stored.reason == "talla"


def test_shopper_reports_a_broken_item_and_a_ticket_is_opened(
    live_services: Settings, demo: dict[str, DemoOrder], store
) -> None:  # type: ignore[no-untyped-def]
    order = demo["RU-100012"]
    shopper = Shopper(live_services)
    shopper.says(f"el pedido {order.number} me llegó roto")
    reply = shopper.says(order.postal_code)
    if "TK-" not in reply:
        reply = shopper.says("la caja venía aplastada y el bolso tiene el asa rota")
    number = next(word.strip(".,:()") for word in reply.split() if word.startswith("TK-"))
    with store_session(store) as session:
        ticket = session.scalars(select(Ticket).where(Ticket.number == number)).one()
        order_number = session.scalar(select(Order.number).where(Order.id == ticket.order_id))
    assert order_number == order.number and ticket.category == "danado"


def test_two_misunderstood_messages_in_a_row_reach_a_person(live_services: Settings) -> None:
    shopper = Shopper(live_services)
    first = shopper.says("xkcd qwpo zzzt")
    assert "[Otra cosa]" in first
    second = shopper.says("blorf gnap trrr")
    assert "TK-" in second and "persona" in second
