"""The widget for everyone: a phone-sized screen, a screen reader's labels, readable contrast."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import BrowserContext, expect

from tests.browser.conftest import watch_errors
from tests.browser.widget import Widget

PHONE = {"width": 390, "height": 844}

# WCAG 2 contrast of an element's text against the first opaque background behind it.
CONTRAST = """el => {
    const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => {
        const f = v => {
            v /= 255;
            return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
        };
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    let bg = null;
    for (let node = el; node; node = node.parentElement || node.getRootNode().host || null) {
        const c = rgb(getComputedStyle(node).backgroundColor);
        if (c.length === 3 || c[3] === 1) { bg = c.slice(0, 3); break; }
    }
    bg = bg || [255, 255, 255];
    const fg = rgb(getComputedStyle(el).color).slice(0, 3);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    return (hi + 0.05) / (lo + 0.05);
}"""


def test_on_a_phone_the_chat_takes_the_whole_screen_and_works_by_touch(
    new_context: Callable[..., BrowserContext], page_errors: list[str]
) -> None:
    context = new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=3)
    page = watch_errors(context.new_page(), page_errors)
    page.goto("/")
    shopper = Widget(page)
    launcher = shopper.launcher.bounding_box()
    assert launcher and launcher["width"] >= 44 and launcher["height"] >= 44, "a thumb-sized button"

    shopper.launcher.tap()
    expect(shopper.panel).to_be_visible()
    box = shopper.panel.bounding_box()
    assert box == {"x": 0, "y": 0, "width": PHONE["width"], "height": PHONE["height"]}
    expect(shopper.launcher).to_be_hidden()

    assert shopper.say("hola").startswith("¡Hola! Soy Ruta")
    before = len(shopper.messages())
    shopper.quick_reply("Envíos y pagos").tap()
    shopper.wait_answered(before)
    assert shopper.texts("shopper") == ["hola", "Envíos y pagos"]
    widths = page.locator(".ruta-msg").evaluate_all("els => els.map(e => e.scrollWidth)")
    assert max(widths) <= PHONE["width"], "no message wider than the screen"

    shopper.close_button.tap()
    expect(shopper.panel).to_be_hidden()
    expect(shopper.launcher).to_be_visible()
    assert page_errors == []


def test_a_screen_reader_hears_the_controls_and_each_new_message(shopper: Widget) -> None:
    page = shopper.page
    expect(shopper.launcher).to_have_accessible_name("Abrir el chat de ayuda")
    shopper.open()
    expect(shopper.launcher).to_have_accessible_name("Cerrar el chat de ayuda")
    expect(shopper.log).to_have_attribute("aria-live", "polite")
    expect(shopper.attach_button).to_be_visible()
    expect(shopper.send_button).to_be_visible()
    shopper.say("hola")
    # Who said what is read out with each message; the bot's buttons are a labelled group.
    expect(page.locator(".ruta-msg--shopper .ruta-sr")).to_have_text(["Tú: "])
    expect(page.locator(".ruta-msg--bot .ruta-sr")).to_have_text(["Ruta: "])
    expect(shopper.log.get_by_role("group", name="Respuestas rápidas")).to_be_visible()

    # Tab from the reply box reaches the send button; Escape closes from anywhere inside.
    shopper.input.focus()
    page.keyboard.press("Tab")
    assert "ruta-send" in shopper.focused_class()
    page.keyboard.press("Escape")
    expect(shopper.panel).to_be_hidden()


def test_every_text_in_the_widget_meets_wcag_aa_contrast(shopper: Widget) -> None:
    page = shopper.page
    shopper.open()
    shopper.say("hola")
    shopper.input.fill("x" * 900)  # the counter shows
    checked = {
        "header title": ".ruta-title",
        "header subtitle": ".ruta-subtitle",
        "shopper's message": ".ruta-msg--shopper .ruta-bubble",
        "bot's message": ".ruta-msg--bot .ruta-bubble",
        "quick reply": ".ruta-reply:not(:disabled)",
        "character count": ".ruta-counter",
        "message box": ".ruta-input",
    }
    for what, selector in checked.items():
        ratio = page.locator(selector).first.evaluate(CONTRAST)
        assert ratio >= 4.5, f"{what}: contrast {ratio:.2f} is below 4.5:1"
    shopper.input.fill("x" * 1200)
    ratio = page.locator(".ruta-counter").evaluate(CONTRAST)
    assert ratio >= 4.5, f"count over the limit: contrast {ratio:.2f}"
