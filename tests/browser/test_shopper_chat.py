"""A shopper on the demo store chats with Ruta in the widget, with the keyboard, and reloads."""

from __future__ import annotations

from playwright.sync_api import expect

from bot.store.demo import DemoOrder
from tests.browser.widget import Widget


def test_shopper_tracks_an_order_with_the_keyboard_and_finds_it_all_after_a_reload(
    shopper: Widget, demo: dict[str, DemoOrder]
) -> None:
    order = demo["RU-100004"]
    page = shopper.page
    expect(page).to_have_title("Ruta Store · Calzado, ropa y accesorios")
    expect(shopper.launcher).to_have_attribute("aria-expanded", "false")

    shopper.open_with_keyboard()
    expect(shopper.launcher).to_have_attribute("aria-expanded", "true")
    assert "ruta-input" in shopper.focused_class(), "opening the chat puts the cursor in the box"

    welcome = shopper.say("hola")
    assert welcome.startswith("¡Hola! Soy Ruta")
    expect(shopper.quick_reply("¿Dónde está mi pedido?")).to_be_enabled()
    expect(shopper.quick_reply("Hablar con una persona")).to_be_enabled()

    asked = shopper.press("¿Dónde está mi pedido?")
    assert "número de tu pedido" in asked
    assert shopper.messages()[2].text == "¿Dónde está mi pedido?", "the title, not /rastrear_pedido"
    expect(shopper.quick_reply("Devolver un producto")).to_be_disabled()

    assert "email" in shopper.say(order.number)
    tracked = shopper.say(order.email)
    assert order.tracking_number and order.tracking_number in tracked
    assert "enviado" in tracked and order.carrier and order.carrier in tracked

    shopper.page.keyboard.press("Escape")
    expect(shopper.panel).to_be_hidden()
    assert "ruta-launcher" in shopper.focused_class(), "closing gives focus back to the launcher"

    before = shopper.messages()
    assert [m.speaker for m in before[:4]] == ["shopper", "bot", "shopper", "bot"]
    page.reload()
    shopper.open()
    expect(page.locator(".ruta-msg")).to_have_count(len(before))
    assert shopper.messages() == before, "the same conversation, in order, each message once"
    expect(shopper.quick_reply("¿Dónde está mi pedido?")).to_be_disabled()

    # The conversation goes on where it was, in the same session.
    assert shopper.say("hola").startswith("¡Hola! Soy Ruta")
    texts = shopper.texts("shopper")
    assert texts.count(order.email) == 1 and texts.count("hola") == 2


def test_blank_messages_are_not_sent_and_the_send_button_works_too(shopper: Widget) -> None:
    shopper.open()
    shopper.input.fill("   \n  ")
    shopper.input.press("Enter")
    shopper.send_button.click()
    expect(shopper.page.locator(".ruta-msg")).to_have_count(0)
    expect(shopper.error).to_have_text("")

    shopper.input.fill("¿Hacéis envíos a Canarias?")
    shopper.send_button.click()
    shopper.wait_answered(0)
    assert shopper.texts("shopper") == ["¿Hacéis envíos a Canarias?"]
    assert shopper.last_reply(), "the bot answered"
    expect(shopper.typing).to_be_hidden()
